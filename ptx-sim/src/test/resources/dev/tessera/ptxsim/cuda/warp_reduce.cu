// Butterfly reduction of each warp with __shfl_xor_sync: lane 0 stores the warp's sum and adds
// it to a grand total with atomicAdd. n must be a multiple of 32.
extern "C" __global__ void warp_reduce(const float* x, float* warp_sums, float* total) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  float v = x[i];
  for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
  if ((threadIdx.x & 31) == 0) {
    warp_sums[i / 32] = v;
    atomicAdd(total, v);
  }
}
