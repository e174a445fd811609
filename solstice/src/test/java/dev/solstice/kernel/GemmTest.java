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
 * {@link Gemm} with both kernels on both paths (direct and packed, and the one chosen by shape) against two
 * oracles written here: a float64 triple loop (values within the sequential rounding bound) and the
 * documented accumulation rule, an fma chain over the contracted index in the operands' precision (bitwise).
 */
class GemmTest {
    /**
     * batch, m, k, n: vectors (1xN, Nx1, matrix-vector, outer products), primes, tile and vector tails, block
     * edges (k past KC, n past NC), the shapes of a small network's training step, batches, empty.
     */
    private static final int[][] SHAPES = {
        {1, 1, 1, 1}, {1, 1, 40, 70}, {1, 70, 40, 1}, {1, 1, 300, 1}, {1, 7, 13, 17}, {1, 127, 129, 61},
        {3, 5, 33, 35}, {2, 130, 260, 520}, {1, 4, 300, 32}, {1, 64, 64, 64}, {1, 0, 5, 7}, {1, 5, 0, 7},
        {1, 5, 7, 0}, {0, 3, 3, 3}, {2, 9, 1, 300}, {1, 128, 128, 10}, {1, 10, 128, 128}, {1, 128, 10, 128},
        {6, 1, 64, 128}, {5, 3, 17, 33}, {4, 31, 1, 64}, {3, 10, 1, 37}, {1, 3, 600, 40}, {1, 6, 11, 1100},
        {2, 1, 5, 1}, {1, 13, 7, 1}, {1, 1, 7, 13},
    };

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (GemmKernel kernel : kernels()) {
            for (Gemm.Path path : Gemm.Path.values()) {
                for (int[] s : SHAPES) {
                    for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                        for (int flags = 0; flags < 4; flags++) {
                            out.add(Arguments.of(kernel.getClass().getSimpleName(), kernel, path, dtype, s,
                                    (flags & 1) != 0, (flags & 2) != 0));
                        }
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

    @ParameterizedTest(name = "{0} {2} {3} {4} transX={5} transY={6}")
    @MethodSource("cases")
    void matchesTheOracles(String name, GemmKernel kernel, Gemm.Path path, DType dtype, int[] s, boolean transX,
            boolean transY) {
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
        DenseArray r = Gemm.batchedMatmul(kernel, path, xa, transX, ya, transY, batch, m, k, n, out);
        checkAgainstOracles(name + " " + path + " " + dtype, xa, transX, ya, transY, batch, m, k, n, r);
    }

    /**
     * {@code r} against a float64 triple loop (within the sequential rounding bound) and the fma chain over the
     * contracted index in the operands' precision (bitwise), both computed here from the operands as stored.
     */
    private static void checkAgainstOracles(String what, DenseArray xa, boolean transX, DenseArray ya,
            boolean transY, int batch, int m, int k, int n, DenseArray r) {
        DType dtype = r.aval().dtype();
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
                    assertTrue(Math.abs(value - want) <= bound, () -> what + " element " + o + ": "
                            + value + " vs exact " + want + ", bound " + bound);
                }
            }
        }
        if (dtype == DType.FLOAT32) {
            assertArrayEquals(chain32, r.floats(), what + ": float32 follows the fma-chain rule bit for bit");
        } else {
            assertArrayEquals(chain64, r.doubles(), what + ": float64 follows the fma-chain rule bit for bit");
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

    /**
     * Same random inputs through both paths and both kernels: the same bits, whatever the shape, and those bits
     * are the oracles'.
     */
    @Test
    void bothPathsAndBothKernelsGiveTheSameBits() {
        Random rng = new Random(17);
        for (int trial = 0; trial < 200; trial++) {
            int batch = 1 + rng.nextInt(3);
            int m = pick(rng);
            int k = pick(rng);
            int n = pick(rng);
            boolean transX = rng.nextBoolean();
            boolean transY = rng.nextBoolean();
            DType dtype = rng.nextBoolean() ? DType.FLOAT32 : DType.FLOAT64;
            DenseArray x = array(dtype, random(rng, batch * m * k), batch, transX ? k : m, transX ? m : k);
            DenseArray y = array(dtype, random(rng, batch * k * n), batch, transY ? n : k, transY ? k : n);
            Aval out = new Aval(dtype, batch, m, n);
            String what = dtype + " " + batch + "x(" + m + "x" + k + " @ " + k + "x" + n + ") transX=" + transX
                    + " transY=" + transY;
            DenseArray packed = Gemm.batchedMatmul(Gemm.java(), Gemm.Path.PACKED, x, transX, y, transY, batch, m, k,
                    n, out);
            checkAgainstOracles(what, x, transX, y, transY, batch, m, k, n, packed);
            Object reference = packed.data();
            for (GemmKernel kernel : kernels()) {
                for (Gemm.Path path : Gemm.Path.values()) {
                    Object r = Gemm.batchedMatmul(kernel, path, x, transX, y, transY, batch, m, k, n, out).data();
                    if (dtype == DType.FLOAT32) {
                        assertArrayEquals((float[]) reference, (float[]) r, what + " " + kernel + " " + path);
                    } else {
                        assertArrayEquals((double[]) reference, (double[]) r, what + " " + kernel + " " + path);
                    }
                }
            }
        }
    }

    /** Mostly small sizes, with vector-width edges and an occasional large one. */
    private static int pick(Random rng) {
        int[] edges = {1, 2, 3, 4, 5, 8, 10, 15, 16, 17, 31, 32, 33, 64, 65, 130};
        return rng.nextInt(4) == 0 ? rng.nextInt(300) : edges[rng.nextInt(edges.length)];
    }

    @Test
    void theDirectPathDoesNotDependOnTheThreadCount() {
        // many row blocks and batch elements, enough work to run in parallel, all on the direct path
        int batch = 128;
        int m = 300;
        int k = 40;
        int n = 40;
        Random rng = new Random(9);
        DenseArray x = array(DType.FLOAT32, random(rng, batch * m * k), batch, k, m);
        DenseArray y = array(DType.FLOAT32, random(rng, batch * k * n), batch, n, k);
        Aval out = new Aval(DType.FLOAT32, batch, m, n);
        assertTrue(2L * batch * m * k * n >= Parallel.MIN_PARALLEL_WORK);
        assertTrue(new Gemm.Layout(batch, m, k, n, true, true, Gemm.Path.AUTO).directPays(Float.BYTES));
        int saved = Parallel.threads();
        try {
            for (GemmKernel kernel : kernels()) {
                Parallel.threads(1);
                float[] reference = Gemm.batchedMatmul(kernel, Gemm.Path.PACKED, x, true, y, true, batch, m, k, n,
                        out).floats();
                for (int threads : new int[] {1, 2, 8}) {
                    Parallel.threads(threads);
                    assertArrayEquals(reference, Gemm.batchedMatmul(kernel, x, true, y, true, batch, m, k, n, out)
                            .floats(), threads + " threads");
                }
            }
        } finally {
            Parallel.threads(saved);
        }
    }

    /**
     * A product computed while this thread's scratch is taken (as by a product inside another one's task) gets
     * fresh buffers: it neither clobbers the taken ones nor computes from them; afterwards the set is reused.
     */
    @Test
    void scratchIsReusedAndSafeUnderReentrancy() {
        Random rng = new Random(4);
        int m = 70;
        int k = 300;
        int n = 90;
        DenseArray x = array(DType.FLOAT32, random(rng, m * k), 1, m, k);
        DenseArray y = array(DType.FLOAT32, random(rng, n * k), 1, n, k);
        Aval out = new Aval(DType.FLOAT32, 1, m, n);
        float[] expected = Gemm.batchedMatmul(Gemm.java(), Gemm.Path.PACKED, x, false, y, true, 1, m, k, n, out)
                .floats();
        GemmScratch outer = GemmScratch.acquire();
        try {
            float[][] taken = new float[GemmScratch.Role.values().length][];
            for (GemmScratch.Role role : GemmScratch.Role.values()) {
                taken[role.ordinal()] = outer.floats(role, 1 << 18);
                java.util.Arrays.fill(taken[role.ordinal()], Float.NaN);
            }
            for (GemmKernel kernel : kernels()) {
                for (Gemm.Path path : Gemm.Path.values()) {
                    assertArrayEquals(expected, Gemm.batchedMatmul(kernel, path, x, false, y, true, 1, m, k, n, out)
                            .floats(), kernel + " " + path + " inside a taken scratch");
                }
            }
            for (float[] buffer : taken) {
                for (float v : buffer) {
                    assertTrue(Float.isNaN(v), "the taken scratch was written by the nested product");
                }
            }
        } finally {
            outer.release();
        }
        GemmScratch again = GemmScratch.acquire();
        again.release();
        assertTrue(again == outer, "a released scratch is reused by the next task on its thread");
    }

    /** Many threads multiplying at once (each on its own scratch) get the single-threaded results. */
    @Test
    void concurrentProductsAgreeWithSequentialOnes() throws Exception {
        Random rng = new Random(8);
        int count = 48;
        List<Object[]> problems = new ArrayList<>();
        List<Object> expected = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int batch = 1 + rng.nextInt(3);
            int m = pick(rng);
            int k = pick(rng);
            int n = pick(rng);
            DType dtype = i % 2 == 0 ? DType.FLOAT32 : DType.FLOAT64;
            DenseArray x = array(dtype, random(rng, batch * m * k), batch, m, k);
            DenseArray y = array(dtype, random(rng, batch * k * n), batch, n, k);
            Object[] p = {x, y, new int[] {batch, m, k, n}, new Aval(dtype, batch, m, n)};
            problems.add(p);
            expected.add(multiply(p));
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<Object>> results = new ArrayList<>();
            for (int round = 0; round < 4; round++) {
                for (Object[] p : problems) {
                    results.add(pool.submit(() -> multiply(p)));
                }
            }
            for (int i = 0; i < results.size(); i++) {
                Object want = expected.get(i % count);
                Object got = results.get(i).get();
                if (want instanceof float[] f) {
                    assertArrayEquals(f, (float[]) got, "problem " + i % count);
                } else {
                    assertArrayEquals((double[]) want, (double[]) got, "problem " + i % count);
                }
            }
        } finally {
            pool.shutdown();
        }
    }

    private static Object multiply(Object[] p) {
        int[] s = (int[]) p[2];
        return Gemm.batchedMatmul((DenseArray) p[0], false, (DenseArray) p[1], true, s[0], s[1], s[2], s[3],
                (Aval) p[3]).data();
    }

    /**
     * An eager product allocates its output and a constant few hundred bytes, whatever the batch (no pack
     * buffers per call or per task), counted by the JVM's per-thread allocation counter. The driver, the
     * layouts and the pack scratch are shared by both kernels, so the plain Java kernel (whose allocations do
     * not depend on the JIT) checks them. The Vector API kernel is left out: its vectors are objects until C2
     * has compiled and inlined it, which is a matter of timing and of the JIT's inlining decisions (a CI run
     * once saw 10 MB per call after 3,000 calls); its bytes per call are reported by
     * {@code GemmSmallBench} under JMH's GC profiler instead.
     */
    @Test
    void aProductAllocatesItsOutputAndLittleElse() {
        com.sun.management.ThreadMXBean bean =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        Random rng = new Random(2);
        int[][] shapes = {{1, 128, 64, 128}, {1, 140, 300, 130}, {128, 1, 64, 128}, {128, 128, 1, 64}};
        for (int[] s : shapes) {
            for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                for (boolean transY : new boolean[] {false, true}) {
                    int batch = s[0];
                    int m = s[1];
                    int k = s[2];
                    int n = s[3];
                    DenseArray x = array(dtype, random(rng, batch * m * k), batch, m, k);
                    DenseArray y = array(dtype, random(rng, batch * k * n), batch, transY ? n : k, transY ? k : n);
                    Aval out = new Aval(dtype, batch, m, n);
                    long bound = (long) batch * m * n * (dtype == DType.FLOAT32 ? 4 : 8) + 1024;
                    long least = Long.MAX_VALUE; // the first call may load classes
                    for (int i = 0; i < 3 && least > bound; i++) {
                        long before = bean.getCurrentThreadAllocatedBytes();
                        Gemm.batchedMatmul(Gemm.java(), x, false, y, transY, batch, m, k, n, out);
                        least = Math.min(least, bean.getCurrentThreadAllocatedBytes() - before);
                    }
                    long allocated = least;
                    assertTrue(allocated <= bound, () -> dtype + " " + java.util.Arrays.toString(s)
                            + " transY=" + transY + ": " + allocated + " bytes, bound " + bound);
                }
            }
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
