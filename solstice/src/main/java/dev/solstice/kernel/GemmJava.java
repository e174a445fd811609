package dev.solstice.kernel;

import java.util.Arrays;

/**
 * Plain Java inner loops for {@link Gemm}: 4 rows of accumulators held in small arrays, and each row of B
 * copied into its own array first, so that the inner loop ({@code fma4}) indexes distinct arrays at the same
 * offset, which C2 vectorises (a loop over two arrays at different offsets it does not). The tile is wide
 * (64 float32 / 32 float64 columns) because C2 unrolls short constant loops completely instead of
 * vectorising them; measured on the 2-vCPU Zen 4 VM: ~13 GFLOP/s float32, ~9 float64 (the Vector API tile
 * reaches 100+ and 55+). The row arrays are per thread (no method here calls out, so none is re-entered).
 */
final class GemmJava implements GemmKernel {
    static final GemmJava INSTANCE = new GemmJava();
    private static final int MR = 4;
    private static final int NR32 = 64;
    private static final int NR64 = 32;

    /** Four accumulator rows and the copy of a row of B, per precision. */
    private static final class Rows {
        final float[][] f = new float[MR + 1][NR32];
        final double[][] d = new double[MR + 1][NR64];
    }

    private static final ThreadLocal<Rows> ROWS = ThreadLocal.withInitial(Rows::new);

    private GemmJava() {}

    @Override
    public int mr() {
        return MR;
    }

    @Override
    public int nrF32() {
        return NR32;
    }

    @Override
    public int nrF64() {
        return NR64;
    }

    @Override
    public void f32(int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int co, int ldc) {
        float[][] w = ROWS.get().f;
        for (int r = 0; r < MR; r++) {
            System.arraycopy(c, co + r * ldc, w[r], 0, NR32);
        }
        for (int p = 0, a = ao; p < kc; p++, a += MR) {
            System.arraycopy(bp, bo + p * NR32, w[MR], 0, NR32);
            fma4(NR32, w, ap[a], ap[a + 1], ap[a + 2], ap[a + 3]);
        }
        for (int r = 0; r < MR; r++) {
            System.arraycopy(w[r], 0, c, co + r * ldc, NR32);
        }
    }

    @Override
    public void f64(int kc, double[] ap, int ao, double[] bp, int bo, double[] c, int co, int ldc) {
        double[][] w = ROWS.get().d;
        for (int r = 0; r < MR; r++) {
            System.arraycopy(c, co + r * ldc, w[r], 0, NR64);
        }
        for (int p = 0, a = ao; p < kc; p++, a += MR) {
            System.arraycopy(bp, bo + p * NR64, w[MR], 0, NR64);
            fma4(NR64, w, ap[a], ap[a + 1], ap[a + 2], ap[a + 3]);
        }
        for (int r = 0; r < MR; r++) {
            System.arraycopy(w[r], 0, c, co + r * ldc, NR64);
        }
    }

    @Override
    public int directWidthF32() {
        return 1;
    }

    @Override
    public int directWidthF64() {
        return 1;
    }

    /** Rows past {@code rows} repeat the last row's A (computed, never stored), so there is no tail loop. */
    @Override
    public void directF32(int rows, int cols, int k, float[] a, int ao, int ars, int acs, float[] b, int bo, int ldb,
            float[] c, int co, int ldc) {
        float[][] w = ROWS.get().f;
        for (int j = 0; j < cols; j += NR32) {
            int width = Math.min(NR32, cols - j);
            for (int i = 0; i < rows; i += MR) {
                int a0 = ao + i * ars;
                int a1 = ao + Math.min(i + 1, rows - 1) * ars;
                int a2 = ao + Math.min(i + 2, rows - 1) * ars;
                int a3 = ao + Math.min(i + 3, rows - 1) * ars;
                for (int r = 0; r < MR; r++) {
                    Arrays.fill(w[r], 0, width, 0f);
                }
                for (int p = 0, o = 0, src = bo + j; p < k; p++, o += acs, src += ldb) {
                    System.arraycopy(b, src, w[MR], 0, width);
                    fma4(width, w, a[a0 + o], a[a1 + o], a[a2 + o], a[a3 + o]);
                }
                for (int r = 0; r < Math.min(MR, rows - i); r++) {
                    System.arraycopy(w[r], 0, c, co + (i + r) * ldc + j, width);
                }
            }
        }
    }

    /** As {@link #directF32}. */
    @Override
    public void directF64(int rows, int cols, int k, double[] a, int ao, int ars, int acs, double[] b, int bo, int ldb,
            double[] c, int co, int ldc) {
        double[][] w = ROWS.get().d;
        for (int j = 0; j < cols; j += NR64) {
            int width = Math.min(NR64, cols - j);
            for (int i = 0; i < rows; i += MR) {
                int a0 = ao + i * ars;
                int a1 = ao + Math.min(i + 1, rows - 1) * ars;
                int a2 = ao + Math.min(i + 2, rows - 1) * ars;
                int a3 = ao + Math.min(i + 3, rows - 1) * ars;
                for (int r = 0; r < MR; r++) {
                    Arrays.fill(w[r], 0, width, 0d);
                }
                for (int p = 0, o = 0, src = bo + j; p < k; p++, o += acs, src += ldb) {
                    System.arraycopy(b, src, w[MR], 0, width);
                    fma4(width, w, a[a0 + o], a[a1 + o], a[a2 + o], a[a3 + o]);
                }
                for (int r = 0; r < Math.min(MR, rows - i); r++) {
                    System.arraycopy(w[r], 0, c, co + (i + r) * ldc + j, width);
                }
            }
        }
    }

    /** {@code w[r][q] = fma(a_r, w[MR][q], w[r][q])} for the four rows, {@code q < width}. */
    private static void fma4(int width, float[][] w, float a0, float a1, float a2, float a3) {
        float[] c0 = w[0];
        float[] c1 = w[1];
        float[] c2 = w[2];
        float[] c3 = w[3];
        float[] b = w[MR];
        for (int q = 0; q < width; q++) {
            float bq = b[q];
            c0[q] = Math.fma(a0, bq, c0[q]);
            c1[q] = Math.fma(a1, bq, c1[q]);
            c2[q] = Math.fma(a2, bq, c2[q]);
            c3[q] = Math.fma(a3, bq, c3[q]);
        }
    }

    private static void fma4(int width, double[][] w, double a0, double a1, double a2, double a3) {
        double[] c0 = w[0];
        double[] c1 = w[1];
        double[] c2 = w[2];
        double[] c3 = w[3];
        double[] b = w[MR];
        for (int q = 0; q < width; q++) {
            double bq = b[q];
            c0[q] = Math.fma(a0, bq, c0[q]);
            c1[q] = Math.fma(a1, bq, c1[q]);
            c2[q] = Math.fma(a2, bq, c2[q]);
            c3[q] = Math.fma(a3, bq, c3[q]);
        }
    }
}
