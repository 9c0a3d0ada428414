// Library math and conversions as nvcc compiles them (precise sinf with its large-argument path,
// expf, logf, tanhf, rsqrtf, f16/bf16 rounding, float-to-integer conversions).
#include <cuda_fp16.h>
#include <cuda_bf16.h>

extern "C" __global__ void math_fns(const float* x, float* out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  float v = x[i];
  out[6 * i + 0] = sinf(v);
  out[6 * i + 1] = cosf(v);
  out[6 * i + 2] = expf(v * 0.01f);
  out[6 * i + 3] = logf(fabsf(v) + 1.0f);
  out[6 * i + 4] = tanhf(v * 0.01f);
  out[6 * i + 5] = sqrtf(fabsf(v));
}

extern "C" __global__ void conversions(const float* x, unsigned short* h, unsigned short* b, int* ints,
                                       float* sums, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  float v = x[i];
  __half hv = __float2half_rn(v);
  __nv_bfloat16 bv = __float2bfloat16_rn(v);
  h[i] = __half_as_ushort(hv);
  b[i] = __bfloat16_as_ushort(bv);
  sums[i] = __half2float(__hadd(hv, hv)) + __bfloat162float(bv);
  ints[4 * i + 0] = __float2int_rn(v);
  ints[4 * i + 1] = (int)v;
  ints[4 * i + 2] = (int)__float2uint_rz(v);
  ints[4 * i + 3] = (int)floorf(v);
}
