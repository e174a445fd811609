package dev.solstice.kernel;

import dev.solstice.DType;
import dev.solstice.core.Aval;
import java.util.Arrays;

/**
 * {@link Kernels#batchedMatmul(Matrices, Matrices, int, int, int, int, Aval)} written into an array the caller
 * owns instead of a new one: the same {@link Gemm} driver, kernel and path choice, so the same bits. Compiled
 * programs keep the products whose results never escape in buffers reused from run to run
 * ({@code dev.solstice.jit}), which spares a small network's Hessian-vector products most of their allocation.
 */
public final class GemmInto {
    /** The tile kernel {@link Gemm} selected (the same property decides). */
    private static final GemmKernel KERNEL = "java".equals(Gemm.implementation()) ? Gemm.java() : Gemm.vector();
    /** Whether the kernels in use compute products by {@link Gemm}, as {@link JavaKernels} does. */
    private static final boolean EAGER_IS_GEMM = eagerIsGemm();

    private GemmInto() {}

    /**
     * Whether {@link #batchedMatmul} gives the eager kernels' bits for products of {@code dtype}: float32 and
     * float64, when the kernels in use compute products by {@link Gemm}.
     *
     * @param dtype the operands' and result's dtype
     * @return whether products of this dtype may be written into a given array
     */
    public static boolean supports(DType dtype) {
        return EAGER_IS_GEMM && (dtype == DType.FLOAT64 || dtype == DType.FLOAT32);
    }

    /**
     * Writes {@code [batch, m, n]} = {@code x @ y} into {@code out}'s first {@code batch * m * n} elements, as the
     * eager kernels compute it (zeroed first: the packed path accumulates into C).
     *
     * @param x {@code [batch, m, k]} matrices, read in place
     * @param y {@code [batch, k, n]} matrices, read in place
     * @param batch the number of products
     * @param m rows of each product
     * @param k the contracted length
     * @param n columns of each product
     * @param out a {@code double[]} or {@code float[]} (the operands' element type) of at least
     *     {@code batch * m * n} elements, sharing no storage with the operands
     * @throws IllegalArgumentException if {@code out} is not of the operands' float type
     */
    public static void batchedMatmul(Matrices x, Matrices y, int batch, int m, int k, int n, Object out) {
        Gemm.Layout l = new Gemm.Layout(batch, m, k, n, x, y, Gemm.Path.AUTO);
        int size = batch * m * n;
        if (out instanceof double[] c && x.storage() instanceof double[] a && y.storage() instanceof double[] b) {
            Arrays.fill(c, 0, size, 0.0);
            Gemm.f64(KERNEL, a, b, c, l);
        } else if (out instanceof float[] c && x.storage() instanceof float[] a
                && y.storage() instanceof float[] b) {
            Arrays.fill(c, 0, size, 0f);
            Gemm.f32(KERNEL, a, b, c, l);
        } else {
            throw new IllegalArgumentException("batchedMatmul into an array: operands and result must be float32 or"
                    + " float64 arrays of one type, got " + type(x.storage()) + ", " + type(y.storage()) + " into "
                    + type(out));
        }
    }

    private static String type(Object storage) {
        return storage == null ? "null" : storage.getClass().getSimpleName();
    }

    private static boolean eagerIsGemm() {
        try {
            return Kernels.get().getClass().getMethod("batchedMatmul", Matrices.class, Matrices.class, int.class,
                    int.class, int.class, int.class, Aval.class).getDeclaringClass() == JavaKernels.class;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }
}
