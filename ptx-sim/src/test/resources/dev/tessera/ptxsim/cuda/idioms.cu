// Idioms a code generator reaches for: dynamic shared memory, __shfl_down_sync with __syncwarp,
// __ballot_sync, half2 arithmetic, vectorised float4 loads, and a float atomic max built on atomicCAS.
#include <cuda_fp16.h>

__device__ float atomic_max_float(float* addr, float v) {
  int* a = (int*)addr;
  int old = *a, assumed;
  do {
    assumed = old;
    if (__int_as_float(assumed) >= v) break;
    old = atomicCAS(a, assumed, __float_as_int(v));
  } while (assumed != old);
  return __int_as_float(old);
}

extern "C" __global__ void idioms(const float4* x, float* out, unsigned* ballots, __half2* h, float* gmax, int n4) {
  extern __shared__ float buf[];
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  float4 v = i < n4 ? x[i] : make_float4(0.f, 0.f, 0.f, 0.f);
  float s = v.x + v.y + v.z + v.w;
  buf[threadIdx.x] = s;
  __syncthreads();
  float t = buf[blockDim.x - 1 - threadIdx.x];   // reversed through shared memory
  for (int o = 16; o > 0; o >>= 1) t += __shfl_down_sync(0xffffffffu, t, o);
  __syncwarp();
  unsigned b = __ballot_sync(0xffffffffu, s > 0.f);
  if ((threadIdx.x & 31) == 0) {
    out[i / 32] = t;
    ballots[i / 32] = b;
  }
  if (i < n4) {
    __half2 p = __floats2half2_rn(v.x, v.y);
    h[i] = __hadd2(p, p);
    atomic_max_float(gmax, s);
  }
}
