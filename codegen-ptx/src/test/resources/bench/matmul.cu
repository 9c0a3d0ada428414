// Hand-written CUDA C equivalent of examples/matmul.tsr as Tessera lowers it (the baseline of PtxBenchmark):
// 64x64 output tiles per block of 16x16 threads, 4x4 outputs per thread, K in steps of 16 through shared
// memory, zero-filled tiles at the edges, bounds-checked stores.
extern "C" __global__ void __launch_bounds__(256) matmul(const float* __restrict__ a, const float* __restrict__ b,
                                                         float* __restrict__ c, int M, int N, int K) {
    __shared__ float tileA[64 * 16];
    __shared__ float tileB[16 * 64];
    int m0 = blockIdx.y * 64;
    int n0 = blockIdx.x * 64;
    int tx = threadIdx.x;
    int ty = threadIdx.y;
    int tid = ty * 16 + tx;
    float acc[4][4] = {};
    for (int k0 = 0; k0 < K; k0 += 16) {
        for (int e = tid; e < 1024; e += 256) {
            int r = e / 16, col = e % 16;
            tileA[e] = (m0 + r < M && k0 + col < K) ? a[(m0 + r) * K + k0 + col] : 0.0f;
        }
        for (int e = tid; e < 1024; e += 256) {
            int r = e / 64, col = e % 64;
            tileB[e] = (k0 + r < K && n0 + col < N) ? b[(k0 + r) * N + n0 + col] : 0.0f;
        }
        __syncthreads();
        for (int kk = 0; kk < 16; kk++) {
            float av[4], bv[4];
            for (int i = 0; i < 4; i++) {
                av[i] = tileA[(ty + 16 * i) * 16 + kk];
                bv[i] = tileB[kk * 64 + tx + 16 * i];
            }
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    acc[i][j] += av[i] * bv[j];
                }
            }
        }
        __syncthreads();
    }
    for (int i = 0; i < 4; i++) {
        for (int j = 0; j < 4; j++) {
            int gm = m0 + ty + 16 * i, gn = n0 + tx + 16 * j;
            if (gm < M && gn < N) {
                c[gm * N + gn] = acc[i][j];
            }
        }
    }
}
