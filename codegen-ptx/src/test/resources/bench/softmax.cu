// Hand-written CUDA C equivalent of examples/softmax.tsr as Tessera lowers it (the baseline of PtxBenchmark):
// one block of 128 threads per row, strided loops over the row, a shared-memory tree reduction finished by
// warp shuffles (as Tessera emits it) for the max and for the sum, then a pass that writes exp(x - max) / sum.
#include <math.h>

extern "C" __global__ void __launch_bounds__(128) softmax(const float* __restrict__ x, float* __restrict__ y, int N,
                                                          int D) {
    __shared__ float red[128];
    int row = blockIdx.x;
    int lid = threadIdx.x;
    float m = -INFINITY;
    for (int k = lid; k < D; k += 128) {
        m = fmaxf(m, x[row * D + k]);
    }
    red[lid] = m;
    __syncthreads();
    for (int s = 64; s > 32; s >>= 1) {
        if (lid < s) {
            red[lid] = fmaxf(red[lid], red[lid + s]);
        }
        __syncthreads();
    }
    if (lid < 32) {
        float v = fmaxf(red[lid], red[lid + 32]);
        for (int off = 16; off > 0; off >>= 1) {
            v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, off));
        }
        if (lid == 0) {
            red[0] = v;
        }
    }
    __syncthreads();
    float rowMax = red[0];
    __syncthreads();
    float sum = 0.0f;
    for (int k = lid; k < D; k += 128) {
        sum += expf(x[row * D + k] - rowMax);
    }
    red[lid] = sum;
    __syncthreads();
    for (int s = 64; s > 32; s >>= 1) {
        if (lid < s) {
            red[lid] = red[lid] + red[lid + s];
        }
        __syncthreads();
    }
    if (lid < 32) {
        float v = red[lid] + red[lid + 32];
        for (int off = 16; off > 0; off >>= 1) {
            v = v + __shfl_xor_sync(0xffffffffu, v, off);
        }
        if (lid == 0) {
            red[0] = v;
        }
    }
    __syncthreads();
    float rowSum = red[0];
    __syncthreads();
    for (int k = lid; k < D; k += 128) {
        y[row * D + k] = expf(x[row * D + k] - rowMax) / rowSum;
    }
}
