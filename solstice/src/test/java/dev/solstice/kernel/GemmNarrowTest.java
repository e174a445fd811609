package dev.solstice.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Gemm} on narrow outputs (n = 1 .. 20, around one vector of the Vector API kernel: the classifier layer
 * [128, 128] x [128, 10] of a training step), where the direct path stores each row of C as a whole vector in
 * place: every shape, transpose and dtype against a float64 triple loop written here (within the sequential
 * rounding bound) and the documented fma chain in the operands' precision (bitwise); B read in place with room
 * past its rows, reversed and broadcast; and the same bits whatever the thread count.
 */
class GemmNarrowTest {
    private static final int[] ROWS = {1, 2, 5, 9, 16, 17, 37, 130};
    private static final int[] DEPTHS = {1, 3, 10, 67};

    private static List<GemmKernel> kernels() {
        return List.of(Gemm.vector(), Gemm.java());
    }

    @Test
    void everyNarrowShapeMatchesTheOracles() {
        Random rng = new Random(11);
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int n = 1; n <= 20; n++) {
                for (int m : ROWS) {
                    for (int k : DEPTHS) {
                        int batch = m * k * n % 3 == 0 ? 2 : 1;
                        for (int flags = 0; flags < 4; flags++) {
                            boolean transX = (flags & 1) != 0;
                            boolean transY = (flags & 2) != 0;
                            Matrices x = dense(rng, dtype, batch, m, k, transX);
                            Matrices y = dense(rng, dtype, batch, k, n, transY);
                            check(dtype, x, y, batch, m, k, n);
                        }
                    }
                }
            }
        }
    }

    @Test
    void bReadInPlaceWithAnyRowStrideMatchesTheOracles() {
        Random rng = new Random(12);
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int n : new int[] {1, 3, 10, 15, 17}) {
                for (int m : new int[] {7, 40}) {
                    int k = 13;
                    int batch = 2;
                    Matrices x = dense(rng, dtype, batch, m, k, false);
                    // rows of B spaced wider than n, with room after the last: read in place a vector wide
                    int rs = n + 5;
                    check(dtype, x, new Matrices(storage(rng, dtype, 3 + batch * k * rs + 40), 3, k * rs, rs, 1),
                            batch, m, k, n);
                    // exactly as many elements as B has: the last row cannot be read a vector wide in place
                    check(dtype, x, new Matrices(storage(rng, dtype, batch * k * n), 0, k * n, n, 1), batch, m,
                            k, n);
                    // rows reversed (negative row stride), and one row broadcast over p and the batch
                    int size = batch * k * n;
                    check(dtype, x, new Matrices(storage(rng, dtype, size), size - n, -k * n, -n, 1), batch, m, k,
                            n);
                    check(dtype, x, new Matrices(storage(rng, dtype, n + 2), 2, 0, 0, 1), batch, m, k, n);
                }
            }
        }
    }

    @Test
    void narrowProductsDoNotDependOnTheThreadCount() {
        // many batch elements and several row blocks, enough work to run in parallel
        int batch = 24;
        int m = 300;
        int k = 700;
        int n = 10;
        assertTrue(2L * batch * m * k * n >= Parallel.MIN_PARALLEL_WORK);
        Random rng = new Random(13);
        Matrices x = dense(rng, DType.FLOAT32, batch, m, k, false);
        Matrices y = dense(rng, DType.FLOAT32, batch, k, n, true);
        Aval out = new Aval(DType.FLOAT32, batch, m, n);
        float[] reference = Gemm.batchedMatmul(Gemm.vector(), Gemm.Path.PACKED, x, y, batch, m, k, n, out).floats();
        int saved = Parallel.threads();
        try {
            for (int threads : new int[] {1, 2, 8}) {
                Parallel.threads(threads);
                assertArrayEquals(reference, Gemm.batchedMatmul(Gemm.vector(), x, y, batch, m, k, n, out).floats(),
                        threads + " threads");
            }
        } finally {
            Parallel.threads(saved);
        }
    }

    /** Every kernel on the direct and the automatic path, against both oracles. */
    private static void check(DType dtype, Matrices x, Matrices y, int batch, int m, int k, int n) {
        Aval out = new Aval(dtype, batch, m, n);
        for (GemmKernel kernel : kernels()) {
            for (Gemm.Path path : new Gemm.Path[] {Gemm.Path.AUTO, Gemm.Path.DIRECT}) {
                String what = kernel.getClass().getSimpleName() + " " + path + " " + dtype + " " + batch + "x(" + m
                        + "x" + k + " @ " + k + "x" + n + ") A " + x.rowStride() + "," + x.colStride() + " B "
                        + y.rowStride() + "," + y.colStride();
                DenseArray r = Gemm.batchedMatmul(kernel, path, x, y, batch, m, k, n, out);
                assertEquals(batch * m * n, r.aval().size(), what);
                checkAgainstOracles(what, x, y, batch, m, k, n, r);
            }
        }
    }

    /**
     * {@code r} against a float64 triple loop (within the sequential rounding bound) and the fma chain over
     * {@code p} ascending in the operands' precision (bitwise).
     */
    private static void checkAgainstOracles(String what, Matrices x, Matrices y, int batch, int m, int k, int n,
            DenseArray r) {
        boolean f32 = r.aval().dtype() == DType.FLOAT32;
        for (int t = 0; t < batch; t++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double exact = 0;
                    double magnitude = 0;
                    float chain32 = 0;
                    double chain64 = 0;
                    for (int p = 0; p < k; p++) {
                        double a = get(x, t, i, p);
                        double b = get(y, t, p, j);
                        exact += a * b;
                        magnitude += Math.abs(a * b);
                        chain32 = Math.fma((float) a, (float) b, chain32);
                        chain64 = Math.fma(a, b, chain64);
                    }
                    int o = (t * m + i) * n + j;
                    double got = r.getDouble(o);
                    double bound = 2 * (k + 1) * (f32 ? 0x1p-24 : 0x1p-53) * magnitude + Double.MIN_NORMAL;
                    double want = exact;
                    assertTrue(Math.abs(got - want) <= bound, () -> what + " C[" + o + "] = " + got + ", exact "
                            + want + ", bound " + bound);
                    if (f32) {
                        assertEquals(Float.floatToIntBits(chain32), Float.floatToIntBits((float) got),
                                () -> what + " C[" + o + "]: the float32 fma chain bit for bit");
                    } else {
                        assertEquals(Double.doubleToLongBits(chain64), Double.doubleToLongBits(got),
                                () -> what + " C[" + o + "]: the float64 fma chain bit for bit");
                    }
                }
            }
        }
    }

    private static double get(Matrices x, int t, int i, int j) {
        int at = x.offset() + t * x.batchStride() + i * x.rowStride() + j * x.colStride();
        return x.storage() instanceof float[] f ? f[at] : ((double[]) x.storage())[at];
    }

    /** Contiguous [batch, rows, cols] matrices, stored row-major or as their transposes. */
    private static Matrices dense(Random rng, DType dtype, int batch, int rows, int cols, boolean transposed) {
        return new Matrices(storage(rng, dtype, batch * rows * cols), 0, rows * cols, transposed ? 1 : cols,
                transposed ? rows : 1);
    }

    /** Random storage; a tenth of the values are exact zeros, so that signed zeros are exercised too. */
    private static Object storage(Random rng, DType dtype, int size) {
        double[] v = new double[size];
        for (int i = 0; i < size; i++) {
            v[i] = rng.nextInt(10) == 0 ? (rng.nextBoolean() ? 0.0 : -0.0) : rng.nextGaussian();
        }
        if (dtype == DType.FLOAT64) {
            return v;
        }
        float[] f = new float[size];
        for (int i = 0; i < size; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }
}
