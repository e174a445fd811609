package dev.solstice.kernel;

/**
 * Plain Java register tile for {@link Gemm}: 4 rows of accumulators held in small arrays, and each row of the
 * packed B strip copied into its own array first, so that the inner loop indexes distinct arrays at the same
 * offset, which C2 vectorises (a loop over two arrays at different offsets it does not). The tile is wide
 * (64 float32 / 32 float64 columns) because C2 unrolls short constant loops completely instead of
 * vectorising them; measured on the 2-vCPU Zen 4 VM: ~13 GFLOP/s float32, ~9 float64 (the Vector API tile
 * reaches 100+ and 55+).
 */
final class GemmJava implements GemmKernel {
    static final GemmJava INSTANCE = new GemmJava();
    private static final int MR = 4;
    private static final int NR32 = 64;
    private static final int NR64 = 32;

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
        float[] c0 = new float[NR32];
        float[] c1 = new float[NR32];
        float[] c2 = new float[NR32];
        float[] c3 = new float[NR32];
        float[] b = new float[NR32];
        System.arraycopy(c, co, c0, 0, NR32);
        System.arraycopy(c, co + ldc, c1, 0, NR32);
        System.arraycopy(c, co + 2 * ldc, c2, 0, NR32);
        System.arraycopy(c, co + 3 * ldc, c3, 0, NR32);
        for (int p = 0; p < kc; p++) {
            System.arraycopy(bp, bo + p * NR32, b, 0, NR32);
            int a = ao + p * MR;
            float a0 = ap[a];
            float a1 = ap[a + 1];
            float a2 = ap[a + 2];
            float a3 = ap[a + 3];
            for (int q = 0; q < NR32; q++) {
                float bq = b[q];
                c0[q] = Math.fma(a0, bq, c0[q]);
                c1[q] = Math.fma(a1, bq, c1[q]);
                c2[q] = Math.fma(a2, bq, c2[q]);
                c3[q] = Math.fma(a3, bq, c3[q]);
            }
        }
        System.arraycopy(c0, 0, c, co, NR32);
        System.arraycopy(c1, 0, c, co + ldc, NR32);
        System.arraycopy(c2, 0, c, co + 2 * ldc, NR32);
        System.arraycopy(c3, 0, c, co + 3 * ldc, NR32);
    }

    @Override
    public void f64(int kc, double[] ap, int ao, double[] bp, int bo, double[] c, int co, int ldc) {
        double[] c0 = new double[NR64];
        double[] c1 = new double[NR64];
        double[] c2 = new double[NR64];
        double[] c3 = new double[NR64];
        double[] b = new double[NR64];
        System.arraycopy(c, co, c0, 0, NR64);
        System.arraycopy(c, co + ldc, c1, 0, NR64);
        System.arraycopy(c, co + 2 * ldc, c2, 0, NR64);
        System.arraycopy(c, co + 3 * ldc, c3, 0, NR64);
        for (int p = 0; p < kc; p++) {
            System.arraycopy(bp, bo + p * NR64, b, 0, NR64);
            int a = ao + p * MR;
            double a0 = ap[a];
            double a1 = ap[a + 1];
            double a2 = ap[a + 2];
            double a3 = ap[a + 3];
            for (int q = 0; q < NR64; q++) {
                double bq = b[q];
                c0[q] = Math.fma(a0, bq, c0[q]);
                c1[q] = Math.fma(a1, bq, c1[q]);
                c2[q] = Math.fma(a2, bq, c2[q]);
                c3[q] = Math.fma(a3, bq, c3[q]);
            }
        }
        System.arraycopy(c0, 0, c, co, NR64);
        System.arraycopy(c1, 0, c, co + ldc, NR64);
        System.arraycopy(c2, 0, c, co + 2 * ldc, NR64);
        System.arraycopy(c3, 0, c, co + 3 * ldc, NR64);
    }
}
