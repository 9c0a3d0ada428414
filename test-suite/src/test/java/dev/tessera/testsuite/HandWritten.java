package dev.tessera.testsuite;

import dev.tessera.ir.interp.Erf;

/**
 * The benchmark's yardstick: each example written as the straightforward single-threaded Java loop a
 * programmer would write on float arrays, with the same operations in f32 (exp and erf through double, as
 * Tessera computes them). Matmul is the i-k-j order, whose inner loop the JIT vectorises.
 */
final class HandWritten {

    private HandWritten() {}

    static void softmax(float[] x, float[] out, int n, int d) {
        for (int r = 0; r < n; r++) {
            int base = r * d;
            float m = Float.NEGATIVE_INFINITY;
            for (int k = 0; k < d; k++) {
                m = Math.max(m, x[base + k]);
            }
            float sum = 0;
            for (int k = 0; k < d; k++) {
                float e = (float) Math.exp(x[base + k] - m);
                out[base + k] = e;
                sum += e;
            }
            for (int k = 0; k < d; k++) {
                out[base + k] /= sum;
            }
        }
    }

    static void layernorm(float[] x, float[] gamma, float[] beta, float[] out, int n, int d) {
        for (int r = 0; r < n; r++) {
            int base = r * d;
            float sum = 0;
            for (int k = 0; k < d; k++) {
                sum += x[base + k];
            }
            float mean = sum / d;
            float sq = 0;
            for (int k = 0; k < d; k++) {
                float c = x[base + k] - mean;
                sq += c * c;
            }
            float inv = (float) (1 / Math.sqrt(sq / d + 1e-5f));
            for (int k = 0; k < d; k++) {
                out[base + k] = (x[base + k] - mean) * inv * gamma[k] + beta[k];
            }
        }
    }

    static void matmul(float[] a, float[] b, float[] c, int m, int k, int n) {
        java.util.Arrays.fill(c, 0, m * n, 0f);
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                float aip = a[i * k + p];
                int bRow = p * n;
                int cRow = i * n;
                for (int j = 0; j < n; j++) {
                    c[cRow + j] += aip * b[bRow + j];
                }
            }
        }
    }

    static void rmsnorm(float[] x, float[] w, float[] out, int n, int d) {
        for (int r = 0; r < n; r++) {
            int base = r * d;
            float sq = 0;
            for (int k = 0; k < d; k++) {
                sq += x[base + k] * x[base + k];
            }
            float inv = (float) (1 / Math.sqrt(sq / d + 1e-6f));
            for (int k = 0; k < d; k++) {
                out[base + k] = x[base + k] * inv * w[k];
            }
        }
    }

    static void linearBiasRelu(float[] x, float[] w, float[] b, float[] out, int m, int k, int n) {
        matmul(x, w, out, m, k, n);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                out[i * n + j] = Math.max(0, out[i * n + j] + b[j]);
            }
        }
    }

    /** softmax(q kᵀ · scale) v, a row of scores at a time. */
    static void attention(float[] q, float[] k, float[] v, float scale, float[] out, int s, int h, int t) {
        float[] p = new float[t];
        for (int i = 0; i < s; i++) {
            float m = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < t; j++) {
                float dot = 0;
                for (int c = 0; c < h; c++) {
                    dot += q[i * h + c] * k[j * h + c];
                }
                p[j] = dot * scale;
                m = Math.max(m, p[j]);
            }
            float sum = 0;
            for (int j = 0; j < t; j++) {
                p[j] = (float) Math.exp(p[j] - m);
                sum += p[j];
            }
            java.util.Arrays.fill(out, i * h, i * h + h, 0f);
            for (int j = 0; j < t; j++) {
                float pj = p[j] / sum;
                for (int c = 0; c < h; c++) {
                    out[i * h + c] += pj * v[j * h + c];
                }
            }
        }
    }

    static void axpy(float a, float[] x, float[] y, float[] out) {
        for (int i = 0; i < x.length; i++) {
            out[i] = a * x[i] + y[i];
        }
    }

    static void geluTanh(float[] x, float[] out) {
        for (int i = 0; i < x.length; i++) {
            float v = x[i];
            out[i] = 0.5f * v * (1 + (float) Math.tanh(0.7978845608f * (v + 0.044715f * v * v * v)));
        }
    }

    static void gelu(float[] x, float[] out) {
        for (int i = 0; i < x.length; i++) {
            float v = x[i];
            out[i] = 0.5f * v * (1 + (float) Erf.erf(v * 0.70710677f));
        }
    }
}
