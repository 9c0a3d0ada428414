// Hand-written CUDA C equivalent of examples/layernorm.tsr as Tessera lowers it (the baseline of PtxBenchmark):
// one block of 128 threads per row; the mean, then the variance of the centred row, by shared-memory tree
// reductions finished by warp shuffles (as Tessera emits them); then (x - mean) * rsqrt(var + 1e-5) * gamma + beta.
extern "C" __global__ void __launch_bounds__(128) layernorm(const float* __restrict__ x,
                                                            const float* __restrict__ gamma,
                                                            const float* __restrict__ beta, float* __restrict__ y,
                                                            int N, int D) {
    __shared__ float red[128];
    int row = blockIdx.x;
    int lid = threadIdx.x;
    float acc = 0.0f;
    for (int k = lid; k < D; k += 128) {
        acc += x[row * D + k];
    }
    red[lid] = acc;
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
    float mean = red[0] / (float) D;
    __syncthreads();
    float sq = 0.0f;
    for (int k = lid; k < D; k += 128) {
        float c = x[row * D + k] - mean;
        sq += c * c;
    }
    red[lid] = sq;
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
    float var = red[0] / (float) D;
    __syncthreads();
    float inv = rsqrtf(var + 1e-5f);
    for (int k = lid; k < D; k += 128) {
        y[row * D + k] = (x[row * D + k] - mean) * inv * gamma[k] + beta[k];
    }
}
