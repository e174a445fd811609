package dev.solstice.kernel;

/**
 * The inner loops of {@link Gemm}, one implementation per instruction set (plain Java, Vector API). Every
 * element follows the same rule, {@code c = fma(a[i][p], b[p][j], c)} for {@code p} ascending, so all
 * implementations and both paths give the same bits.
 *
 * <p>The <b>tile</b> methods serve the packed path: they update one {@code mr x nr} tile of C from a packed
 * strip of A ({@code kc} columns of {@code mr} values, column by column) and a packed strip of B ({@code kc}
 * rows of {@code nr} values, row by row), continuing each element's chain from the value in C. The
 * <b>direct</b> methods serve small products, with no packing: they compute a whole {@code rows x cols}
 * block of C from A read in place (any strides) and B read in place row by row, each chain starting at zero.
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

    /** The direct methods' {@code cols} is a multiple of this for float32 (the caller pads the rest). */
    int directWidthF32();

    /** The direct methods' {@code cols} is a multiple of this for float64. */
    int directWidthF64();

    /**
     * Sets {@code C(i, j)}, at {@code c[co + i*ldc + j]} for {@code i < rows, j < cols}, to the fma chain over
     * {@code p < k} of {@code A(i, p) * B(p, j)}, where {@code A(i, p)} is {@code a[ao + i*ars + p*acs]} and
     * {@code B(p, j)} is {@code b[bo + p*ldb + j]}; {@code cols} is a multiple of {@link #directWidthF32}.
     *
     * <p>Rows are stored in ascending order, each row's columns once, and B is read only at those elements:
     * {@code Gemm} relies on this to compute rows narrower than {@code cols} in place, with {@code ldc} (and
     * possibly {@code ldb}) less than {@code cols}, so that each row's vector spills over the next rows, which
     * are stored after it; a column of B past its real ones may hold anything, as its lanes are never kept.
     */
    void directF32(int rows, int cols, int k, float[] a, int ao, int ars, int acs, float[] b, int bo, int ldb,
            float[] c, int co, int ldc);

    /** {@link #directF32} for float64. */
    void directF64(int rows, int cols, int k, double[] a, int ao, int ars, int acs, double[] b, int bo, int ldb,
            double[] c, int co, int ldc);
}
