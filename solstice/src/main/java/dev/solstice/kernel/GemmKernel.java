package dev.solstice.kernel;

/**
 * The register-blocked inner part of {@link Gemm}: updates one {@code mr x nr} tile of C from a packed strip
 * of A ({@code kc} columns of {@code mr} values, column by column) and a packed strip of B ({@code kc} rows of
 * {@code nr} values, row by row). Every element follows the same rule,
 * {@code c = fma(a[r][p], b[p][q], c)} for {@code p} ascending, so all implementations give the same bits.
 */
public interface GemmKernel {
    /** Rows of the register tile. */
    int mr();

    /** Columns of the float32 register tile. */
    int nrF32();

    /** Columns of the float64 register tile. */
    int nrF64();

    /** Updates the float32 tile at {@code c[co + r*ldc + q]}. */
    void f32(int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int co, int ldc);

    /** Updates the float64 tile at {@code c[co + r*ldc + q]}. */
    void f64(int kc, double[] ap, int ao, double[] bp, int bo, double[] c, int co, int ldc);
}
