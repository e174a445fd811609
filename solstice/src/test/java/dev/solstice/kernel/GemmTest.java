package dev.solstice.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import dev.solstice.prim.Ops;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Gemm} with both tile kernels against two oracles written here: a float64 triple loop (values within
 * the sequential rounding bound) and the documented accumulation rule, an fma chain over the contracted index
 * in the operands' precision (bitwise).
 */
class GemmTest {
    /** batch, m, k, n: vectors, primes, tile tails, block edges, empty. */
    private static final int[][] SHAPES = {
        {1, 1, 1, 1}, {1, 1, 40, 70}, {1, 70, 40, 1}, {1, 1, 300, 1}, {1, 7, 13, 17}, {1, 127, 129, 61},
        {3, 5, 33, 35}, {2, 130, 260, 520}, {1, 4, 300, 32}, {1, 64, 64, 64}, {1, 0, 5, 7}, {1, 5, 0, 7},
        {1, 5, 7, 0}, {0, 3, 3, 3}, {2, 9, 1, 300},
    };

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (GemmKernel kernel : kernels()) {
            for (int[] s : SHAPES) {
                for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                    for (int flags = 0; flags < 4; flags++) {
                        out.add(Arguments.of(kernel.getClass().getSimpleName(), kernel, dtype, s, (flags & 1) != 0,
                                (flags & 2) != 0));
                    }
                }
            }
        }
        return out.stream();
    }

    private static List<GemmKernel> kernels() {
        return List.of(Gemm.java(), Gemm.vector());
    }

    @Test
    void theVectorKernelIsAvailableInTheTestJvm() {
        assertNotNull(Gemm.vector(), "the test JVM runs with --add-modules jdk.incubator.vector");
    }

    @ParameterizedTest(name = "{0} {2} {3} transX={4} transY={5}")
    @MethodSource("cases")
    void matchesTheOracles(String name, GemmKernel kernel, DType dtype, int[] s, boolean transX, boolean transY) {
        int batch = s[0];
        int m = s[1];
        int k = s[2];
        int n = s[3];
        Random rng = new Random(31L * m + 7L * k + n);
        double[] x = random(rng, batch * m * k);
        double[] y = random(rng, batch * k * n);
        DenseArray xa = array(dtype, x, batch, transX ? k : m, transX ? m : k);
        DenseArray ya = array(dtype, y, batch, transY ? n : k, transY ? k : n);
        Aval out = new Aval(dtype, batch, m, n);
        DenseArray r = Gemm.batchedMatmul(kernel, xa, transX, ya, transY, batch, m, k, n, out);
        // the operands as the kernel saw them (float32 rounded), read through the same layout
        double[] xs = values(xa);
        double[] ys = values(ya);
        double[] got = values(r);
        float[] chain32 = new float[got.length];
        double[] chain64 = new double[got.length];
        for (int t = 0; t < batch; t++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double exact = 0;
                    double magnitude = 0;
                    float f = 0;
                    double d = 0;
                    for (int p = 0; p < k; p++) {
                        double a = xs[t * m * k + (transX ? p * m + i : i * k + p)];
                        double b = ys[t * k * n + (transY ? j * k + p : p * n + j)];
                        exact += a * b;
                        magnitude += Math.abs(a * b);
                        f = Math.fma((float) a, (float) b, f);
                        d = Math.fma(a, b, d);
                    }
                    int o = (t * m + i) * n + j;
                    chain32[o] = f;
                    chain64[o] = d;
                    double u = dtype == DType.FLOAT32 ? 0x1p-24 : 0x1p-53;
                    double bound = 2 * (k + 1) * u * magnitude + Double.MIN_NORMAL;
                    double value = got[o];
                    double want = exact;
                    assertTrue(Math.abs(value - want) <= bound, () -> name + " " + dtype + " element " + o + ": "
                            + value + " vs exact " + want + ", bound " + bound);
                }
            }
        }
        if (dtype == DType.FLOAT32) {
            assertArrayEquals(chain32, r.floats(), "float32 follows the fma-chain rule bit for bit");
        } else {
            assertArrayEquals(chain64, r.doubles(), "float64 follows the fma-chain rule bit for bit");
        }
    }

    @Test
    void int32IsExact() {
        DenseArray x = DenseArray.ofInts(new int[] {1, 2, 3, 4, 5, 6}, 1, 2, 3);
        DenseArray y = DenseArray.ofInts(new int[] {1, 0, -1, 2, 3, 1}, 1, 3, 2);
        DenseArray r = Gemm.batchedMatmul(x, false, y, false, 1, 2, 3, 2, new Aval(DType.INT32, 1, 2, 2));
        assertArrayEquals(new int[] {1 - 2 + 9, 0 + 4 + 3, 4 - 5 + 18, 0 + 10 + 6}, r.ints());
    }

    @Test
    void resultsDoNotDependOnTheThreadCount() {
        // large enough to pass the parallel threshold, several row and column blocks, tails in every dimension
        int batch = 2;
        int m = 301;
        int k = 299;
        int n = 601;
        Random rng = new Random(5);
        double[] x = random(rng, batch * m * k);
        double[] y = random(rng, batch * k * n);
        assertTrue(2L * batch * m * k * n >= Parallel.MIN_PARALLEL_WORK);
        int saved = Parallel.threads();
        try {
            for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                for (GemmKernel kernel : kernels()) {
                    Object reference = null;
                    for (int threads : new int[] {1, 2, 8}) {
                        Parallel.threads(threads);
                        DenseArray r = Gemm.batchedMatmul(kernel, array(dtype, x, batch, m, k), false,
                                array(dtype, y, batch, n, k), true, batch, m, k, n, new Aval(dtype, batch, m, n));
                        if (reference == null) {
                            reference = r.data();
                        } else if (dtype == DType.FLOAT32) {
                            assertArrayEquals((float[]) reference, r.floats(), threads + " threads");
                        } else {
                            assertArrayEquals((double[]) reference, r.doubles(), threads + " threads");
                        }
                    }
                }
            }
        } finally {
            Parallel.threads(saved);
        }
    }

    /** dot_general reads a transposed operand in place; the result equals the one through an explicit copy. */
    @Test
    void dotGeneralWithTransposedLayoutsMatchesTheCopiedLayout() {
        Random rng = new Random(3);
        int b = 3;
        int m = 20;
        int k = 37;
        int n = 50;
        // x stored [b, k, m] contracting axis 1; y stored [b, n, k] contracting axis 2
        DenseArray xt = DenseArray.ofDoubles(random(rng, b * k * m), b, k, m);
        DenseArray yt = DenseArray.ofDoubles(random(rng, b * n * k), b, n, k);
        DenseArray inPlace = (DenseArray) Ops.dotGeneral(xt, yt, new int[] {1}, new int[] {2}, new int[] {0}, new int[] {0});
        DenseArray x = (DenseArray) Ops.transpose(xt, 0, 2, 1);
        DenseArray y = (DenseArray) Ops.transpose(yt, 0, 2, 1);
        DenseArray copied = Gemm.batchedMatmul(Gemm.java(), x, false, y, false, b, m, k, n, new Aval(DType.FLOAT64, b, m, n));
        assertArrayEquals(copied.doubles(), inPlace.doubles());
    }

    private static double[] random(Random rng, int size) {
        double[] v = new double[size];
        for (int i = 0; i < size; i++) {
            v[i] = rng.nextGaussian();
        }
        return v;
    }

    private static DenseArray array(DType dtype, double[] v, int... shape) {
        if (dtype == DType.FLOAT64) {
            return DenseArray.ofDoubles(v.clone(), shape);
        }
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return DenseArray.ofFloats(f, shape);
    }

    private static double[] values(DenseArray a) {
        double[] v = new double[a.aval().size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.getDouble(i);
        }
        return v;
    }
}
