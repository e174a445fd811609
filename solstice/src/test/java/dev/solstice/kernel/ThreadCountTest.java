package dev.solstice.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Large elementwise operations and reductions give the same bits on 1, 2 and 8 threads, on both kernel
 * implementations: every operation code, select, every conversion, every reduction kind and dtype, at sizes
 * around the splitting thresholds with odd tails. Next to that, each 8-thread result is checked against an
 * independent oracle (Math in float64, plain loops, the accumulation policy restated), so agreeing threads
 * cannot hide a wrong answer.
 */
class ThreadCountTest {
    /** Around the thresholds: 2^16 cheap elements, 2^16 / 16 transcendental ones, pieces of 2^14; odd tails. */
    static final int[] SIZES = {4095, 4097, 65535, 65537, 3 * 16384 + 17, 100_003};
    static final int[] THREADS = {1, 2, 8};
    private int saved;

    @BeforeEach
    void save() {
        saved = Parallel.threads();
    }

    @AfterEach
    void restore() {
        Parallel.threads(saved);
    }

    static Stream<Kernels> kernels() {
        return KernelSuiteTest.kernels();
    }

    /** The result of {@code op} at each thread count; fails unless all have the same bits. */
    static DenseArray sameAtEveryThreadCount(Supplier<DenseArray> op, String what) {
        DenseArray first = null;
        for (int threads : THREADS) {
            Parallel.threads(threads);
            DenseArray r = op.get();
            if (first == null) {
                first = r;
            } else {
                assertSameBits(first, r, what + " on " + threads + " threads");
            }
        }
        return first;
    }

    static void assertSameBits(DenseArray want, DenseArray got, String what) {
        assertEquals(want.aval(), got.aval(), what);
        long[] w = bits(want);
        long[] g = bits(got);
        for (int i = 0; i < w.length; i++) {
            if (w[i] != g[i]) {
                assertEquals(want.getDouble(i), got.getDouble(i), what + " at " + i);
                assertEquals(w[i], g[i], what + ": raw bits at " + i);
            }
        }
    }

    private static long[] bits(DenseArray a) {
        long[] b = new long[a.aval().size()];
        for (int i = 0; i < b.length; i++) {
            b[i] = switch (a.dtype()) {
                case FLOAT32 -> Float.floatToRawIntBits(a.floats()[i]);
                case FLOAT64 -> Double.doubleToRawLongBits(a.doubles()[i]);
                case INT32 -> a.ints()[i];
                case BOOL -> a.bools()[i] ? 1 : 0;
                default -> throw new IllegalArgumentException("not a kernel dtype: " + a.dtype());
            };
        }
        return b;
    }

    static DenseArray random(DType t, int n, long seed) {
        return PrimitiveOpCodesTest.operand(t, n, seed);
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void mapsDoNotDependOnTheThreadCount(Kernels k) {
        for (int n : SIZES) {
            for (DType t : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
                DenseArray x = random(t, n, n * 2L);
                for (UnaryOp op : UnaryOp.values()) {
                    if (op == UnaryOp.NOT) {
                        continue;
                    }
                    String what = name(k) + " " + op + " " + t + "[" + n + "]";
                    // GENERIC runs the scalar function: x * 3 - 1 in double
                    DenseArray r = sameAtEveryThreadCount(() -> k.map(x, t, op, v -> v * 3 - 1, null), what);
                    for (int i = 0; i < n; i += 7) {
                        double v = x.getDouble(i);
                        double want = op == UnaryOp.GENERIC ? v * 3 - 1 : KernelSuiteTest.unaryOracle(op, v);
                        KernelSuiteTest.assertBits(t == DType.FLOAT32 ? (float) want : want, r.getDouble(i), what + " at " + i);
                    }
                }
            }
            DenseArray ints = random(DType.INT32, n, n);
            for (UnaryOp op : new UnaryOp[] {UnaryOp.NEG, UnaryOp.ABS, UnaryOp.SIGN, UnaryOp.NOT}) {
                DenseArray r = sameAtEveryThreadCount(() -> k.map(ints, DType.INT32, op, null, null), name(k) + " " + op + " int32");
                for (int i = 0; i < n; i += 7) {
                    int v = ints.ints()[i];
                    int want = switch (op) {
                        case NEG -> -v;
                        case ABS -> v < 0 ? -v : v;
                        case SIGN -> Integer.compare(v, 0);
                        default -> ~v;
                    };
                    assertEquals(want, r.ints()[i], op + " int32 at " + i);
                }
            }
            DenseArray bools = random(DType.BOOL, n, n);
            DenseArray not = sameAtEveryThreadCount(() -> k.map(bools, DType.BOOL, UnaryOp.NOT, null, null), "not bool");
            for (int i = 0; i < n; i += 7) {
                assertEquals(!bools.bools()[i], not.bools()[i], "not bool at " + i);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void zipsDoNotDependOnTheThreadCount(Kernels k) {
        for (int n : SIZES) {
            for (DType t : KernelDTypes.ALL) {
                DenseArray x = random(t, n, n * 2L);
                DenseArray y = random(t, n, n * 2L + 1);
                for (BinaryOp op : BinaryOp.values()) {
                    boolean bitwise = op == BinaryOp.AND || op == BinaryOp.OR || op == BinaryOp.XOR;
                    if (op != BinaryOp.GENERIC && !op.hasLoop(t) || op == BinaryOp.GENERIC && t == DType.BOOL) {
                        continue;
                    }
                    DType out = op.isComparison() ? DType.BOOL : t;
                    String what = name(k) + " " + op + " " + t + "[" + n + "]";
                    DenseArray r = sameAtEveryThreadCount(
                            () -> k.zip(x, y, out, op, (a, b) -> a * 2 - b, (a, b) -> a * 2 - b), what);
                    for (int i = 0; i < n; i += 7) {
                        double a = x.getDouble(i);
                        double b = y.getDouble(i);
                        double want;
                        if (op == BinaryOp.GENERIC) {
                            want = t == DType.INT32 ? (int) a * 2 - (int) b : a * 2 - b;
                        } else if (t == DType.INT32 || t == DType.BOOL && bitwise) {
                            want = KernelSuiteTest.intOracle(op, (int) a, (int) b);
                        } else {
                            want = KernelSuiteTest.binaryOracle(op, a, b);
                        }
                        want = t == DType.FLOAT32 && !op.isComparison() ? (float) want : want;
                        KernelSuiteTest.assertBits(want, r.getDouble(i), what + " at " + i + " of " + a + ", " + b);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void selectAndConvertDoNotDependOnTheThreadCount(Kernels k) {
        for (int n : SIZES) {
            DenseArray p = random(DType.BOOL, n, 99);
            for (DType t : KernelDTypes.ALL) {
                DenseArray x = random(t, n, n * 5L);
                DenseArray y = random(t, n, n * 5L + 1);
                String what = name(k) + " select " + t + "[" + n + "]";
                DenseArray r = sameAtEveryThreadCount(() -> k.select(p, x, y), what);
                for (int i = 0; i < n; i += 3) {
                    KernelSuiteTest.assertBits((p.bools()[i] ? x : y).getDouble(i), r.getDouble(i), what + " at " + i);
                }
                for (DType to : KernelDTypes.ALL) {
                    String conv = name(k) + " convert " + t + " to " + to + "[" + n + "]";
                    DenseArray c = sameAtEveryThreadCount(() -> k.convert(x, to), conv);
                    for (int i = 0; i < n; i += 3) {
                        double v = x.getDouble(i);
                        double want = switch (to) {
                            case FLOAT32 -> (float) v;
                            case FLOAT64 -> v;
                            case INT32 -> (int) v;
                            case BOOL -> v != 0 ? 1 : 0;
                            default -> throw new IllegalArgumentException("not a kernel dtype: " + to);
                        };
                        KernelSuiteTest.assertBits(want, c.getDouble(i), conv + " at " + i + " of " + v);
                    }
                }
            }
        }
    }

    /** {@code [outer, rows, inner]} shapes: around the thresholds, tails of the 16-row blocks and the column blocks. */
    static final int[][] STRIDED = {{1, 128, 128}, {1, 513, 257}, {3, 100, 300}, {2, 17, 2049}, {5, 3, 4099},
        {1, 70_001, 1}, {7, 9363, 1}, {4099, 17, 1}, {300, 333, 1}, {65_537, 1, 1}, {1, 1, 65_537}, {1, 15, 4369},
        {2, 0, 40_000}};

    @ParameterizedTest
    @MethodSource("kernels")
    void reductionsDoNotDependOnTheThreadCount(Kernels k) {
        for (int[] s : STRIDED) {
            int outer = s[0];
            int rows = s[1];
            int inner = s[2];
            int n = outer * rows * inner;
            int[] map = stridedMap(outer, rows, inner);
            for (DType t : new DType[] {DType.FLOAT64, DType.FLOAT32, DType.INT32}) {
                DenseArray x = random(t, n, n + 7L);
                Aval out = new Aval(t, outer * inner);
                double[] w = x.toDoubleArray();
                for (Kernels.Reduction kind : Kernels.Reduction.values()) {
                    if (rows == 0 && kind != Kernels.Reduction.SUM) {
                        continue;
                    }
                    String what = name(k) + " " + kind + " " + t + " " + outer + "x" + rows + "x" + inner;
                    DenseArray strided = sameAtEveryThreadCount(
                            () -> k.reduceStrided(x, outer, rows, inner, kind, out), what + " strided");
                    DenseArray viaMap = sameAtEveryThreadCount(() -> k.reduce(x, map, rows, kind, out), what + " map");
                    assertSameBits(viaMap, strided, what + ": strided against the index map");
                    for (int g = 0; g < outer * inner; g += 1 + outer * inner / 97) {
                        double want = oracle(w, map, g * rows, rows, kind, t);
                        KernelSuiteTest.assertBits(want, strided.getDouble(g), what + " output " + g);
                    }
                    if (inner == 1) {
                        DenseArray trailing = sameAtEveryThreadCount(
                                () -> k.reduceTrailing(x, rows, kind, out), what + " trailing");
                        assertSameBits(viaMap, trailing, what + ": trailing against the index map");
                    }
                }
                if (rows > 0) {
                    Aval idx = new Aval(DType.INT32, outer * inner);
                    for (boolean max : new boolean[] {true, false}) {
                        DenseArray arg = sameAtEveryThreadCount(() -> k.argReduce(x, map, rows, max, idx),
                                name(k) + " arg" + (max ? "max " : "min ") + t);
                        for (int g = 0; g < outer * inner; g += 1 + outer * inner / 97) {
                            assertEquals(argOracle(w, map, g * rows, rows, max), arg.ints()[g], "arg at " + g);
                        }
                    }
                }
            }
        }
    }

    /** For each output {@code o * inner + c} in order: {@code (o * rows + j) * inner + c}, {@code j} ascending. */
    static int[] stridedMap(int outer, int rows, int inner) {
        List<Integer> m = new ArrayList<>();
        for (int o = 0; o < outer; o++) {
            for (int c = 0; c < inner; c++) {
                for (int j = 0; j < rows; j++) {
                    m.add((o * rows + j) * inner + c);
                }
            }
        }
        return m.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The policy's sum (float), a wrapping int sum, or max/min, of {@code w[map[base .. base+n)]}. */
    static double oracle(double[] w, int[] map, int base, int n, Kernels.Reduction kind, DType t) {
        double[] v = new double[n];
        for (int j = 0; j < n; j++) {
            v[j] = w[map[base + j]];
        }
        if (kind == Kernels.Reduction.SUM) {
            if (t == DType.INT32) {
                int s = 0;
                for (double d : v) {
                    s += (int) d;
                }
                return s;
            }
            double s = KernelSuiteTest.policySum(v, 0, n);
            return t == DType.FLOAT32 ? (float) s : s;
        }
        double r = kind == Kernels.Reduction.MAX ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        for (double d : v) {
            r = kind == Kernels.Reduction.MAX ? Math.max(r, d) : Math.min(r, d);
        }
        return t == DType.FLOAT32 ? (float) r : r;
    }

    static int argOracle(double[] w, int[] map, int base, int n, boolean max) {
        int best = 0;
        for (int j = 1; j < n; j++) {
            double b = w[map[base + best]];
            double v = w[map[base + j]];
            if (!Double.isNaN(b) && (Double.isNaN(v) || (max ? v > b : v < b))) {
                best = j;
            }
        }
        return best;
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void leadingAxisSumsEqualTheIndexMapOnRandomShapes(Kernels k) {
        SplittableRandom rng = new SplittableRandom(11);
        for (int trial = 0; trial < 60; trial++) {
            int outer = rng.nextInt(1, 4);
            int rows = rng.nextInt(0, 90);
            int inner = rng.nextInt(1, 400);
            int n = outer * rows * inner;
            int[] map = stridedMap(outer, rows, inner);
            for (DType t : new DType[] {DType.FLOAT64, DType.FLOAT32, DType.INT32}) {
                DenseArray x = random(t, n, trial);
                Aval out = new Aval(t, outer * inner);
                for (Kernels.Reduction kind : Kernels.Reduction.values()) {
                    if (rows == 0 && kind != Kernels.Reduction.SUM) {
                        continue;
                    }
                    String what = name(k) + " " + kind + " " + t + " " + outer + "x" + rows + "x" + inner;
                    assertSameBits(k.reduce(x, map, rows, kind, out), k.reduceStrided(x, outer, rows, inner, kind, out), what);
                }
            }
        }
        assertTrue(stridedMap(1, 2, 3)[1] == 3, "the map walks rows of one column first");
    }

    private static String name(Kernels k) {
        return k.getClass().getSimpleName();
    }
}
