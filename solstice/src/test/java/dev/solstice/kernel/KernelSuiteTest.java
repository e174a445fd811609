package dev.solstice.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import dev.solstice.kernel.vector.VectorKernels;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.IntBinaryOperator;
import java.util.function.IntUnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kernel suite, run against both implementations: every operation code x dtype x size (tails of every
 * vector width: 0, 1, 3, 15, 16, 17, 1003) against an oracle written here from {@code java.lang.Math} in
 * float64 (float32: the float64 result rounded once). The transcendental policy says exactly Math's
 * results, so every comparison is bitwise (NaN compared as NaN), special values (NaN, infinities, signed
 * zeros, ties, subnormals) included. The scalar fallbacks throw, so a passing case ran its own loop.
 */
class KernelSuiteTest {
    static final int[] SIZES = {0, 1, 3, 15, 16, 17, 1003};
    static final double[] SPECIAL = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0,
        0.5, -0.5, 1.5, -2.5, 2.5, 1.0, -1.0, 1e-310, -1e-40, 3e38, 1e300, 700, -745, 88.7, 0.1};
    static final DoubleUnaryOperator NO_FLOAT_FALLBACK = v -> {
        throw new AssertionError("the scalar fallback ran: the operation has no loop of its own");
    };
    static final IntUnaryOperator NO_INT_FALLBACK = v -> {
        throw new AssertionError("the scalar fallback ran: the operation has no loop of its own");
    };
    static final DoubleBinaryOperator NO_FLOAT_FALLBACK2 = (v, w) -> {
        throw new AssertionError("the scalar fallback ran: the operation has no loop of its own");
    };
    static final IntBinaryOperator NO_INT_FALLBACK2 = (v, w) -> {
        throw new AssertionError("the scalar fallback ran: the operation has no loop of its own");
    };

    static Stream<Kernels> kernels() {
        return Stream.of(JavaKernels.INSTANCE, VectorKernels.INSTANCE);
    }

    /** The float64 oracle of each unary code, from Math. */
    static double unaryOracle(UnaryOp op, double x) {
        return switch (op) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case SIGN -> Math.signum(x);
            case FLOOR -> Math.floor(x);
            case CEIL -> Math.ceil(x);
            case ROUND -> Math.rint(x);
            case SQRT -> Math.sqrt(x);
            case RSQRT -> 1 / Math.sqrt(x);
            case EXP -> Math.exp(x);
            case EXPM1 -> Math.expm1(x);
            case LOG -> Math.log(x);
            case LOG1P -> Math.log1p(x);
            case SIN -> Math.sin(x);
            case COS -> Math.cos(x);
            case TAN -> Math.tan(x);
            case TANH -> Math.tanh(x);
            // 1 / (1 + e^-x); for x < 0 the algebraically equal e^x / (1 + e^x), which does not overflow
            case LOGISTIC -> x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
            case GENERIC, NOT -> throw new AssertionError(op);
        };
    }

    /** The float64 oracle of each binary code (comparisons 1/0). */
    static double binaryOracle(BinaryOp op, double x, double y) {
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
            case MAX -> Double.isNaN(x) || Double.isNaN(y) ? Double.NaN : Math.max(x, y);
            case MIN -> Double.isNaN(x) || Double.isNaN(y) ? Double.NaN : Math.min(x, y);
            case POW -> Math.pow(x, y);
            case EQ -> x == y ? 1 : 0;
            case NE -> x != y ? 1 : 0;
            case LT -> x < y ? 1 : 0;
            case LE -> x <= y ? 1 : 0;
            case GT -> x > y ? 1 : 0;
            case GE -> x >= y ? 1 : 0;
            case GENERIC, AND, OR, XOR -> throw new AssertionError(op);
        };
    }

    static long intOracle(BinaryOp op, int x, int y) {
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> y == 0 ? -1 : x / y;
            case MAX -> Math.max(x, y);
            case MIN -> Math.min(x, y);
            case AND -> x & y;
            case OR -> x | y;
            case XOR -> x ^ y;
            default -> binaryOracle(op, x, y) != 0 ? 1 : 0;
        };
    }

    /** Specials first, then values spread over several scales. */
    static double[] data(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = i < SPECIAL.length && seed % 2 == 0 ? SPECIAL[i]
                    : r.nextDouble(-4, 4) * Math.pow(10, r.nextInt(-3, 4));
        }
        return v;
    }

    static DenseArray array(DType t, double[] v) {
        return switch (t) {
            case FLOAT64 -> DenseArray.ofDoubles(v, v.length);
            case FLOAT32 -> {
                float[] f = new float[v.length];
                for (int i = 0; i < v.length; i++) {
                    f[i] = (float) v[i];
                }
                yield DenseArray.ofFloats(f, v.length);
            }
            default -> throw new AssertionError(t);
        };
    }

    static void assertBits(double want, double got, String what) {
        assertEquals(Double.doubleToLongBits(want), Double.doubleToLongBits(got), () -> what + ": want " + want + ", got " + got);
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void unaryFloatOpsEqualMathBitwise(Kernels k) {
        for (UnaryOp op : UnaryOp.values()) {
            if (op == UnaryOp.GENERIC || op == UnaryOp.NOT) {
                continue;
            }
            for (DType t : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
                for (int n : SIZES) {
                    DenseArray x = array(t, data(n, n * 2L));
                    DenseArray y = k.map(x, t, op, NO_FLOAT_FALLBACK, NO_INT_FALLBACK);
                    assertEquals(x.aval(), y.aval());
                    for (int i = 0; i < n; i++) {
                        double want = unaryOracle(op, x.getDouble(i));
                        want = t == DType.FLOAT32 ? (float) want : want;
                        int at = i;
                        assertBits(want, y.getDouble(i), k.getClass().getSimpleName() + " " + op + " " + t + "[" + n + "] at "
                                + at + " of " + x.getDouble(at));
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void binaryFloatOpsEqualMathBitwise(Kernels k) {
        for (BinaryOp op : BinaryOp.values()) {
            if (op == BinaryOp.GENERIC || op == BinaryOp.AND || op == BinaryOp.OR || op == BinaryOp.XOR) {
                continue;
            }
            for (DType t : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
                for (int n : SIZES) {
                    double[] a = data(n, n * 2L);
                    double[] b = data(n, n * 2L + 1);
                    // every special against every special, and equal operands
                    for (int i = 0; i < n; i++) {
                        if (i < SPECIAL.length * SPECIAL.length && n > 400) {
                            a[i] = SPECIAL[i % SPECIAL.length];
                            b[i] = SPECIAL[i / SPECIAL.length];
                        } else if (i % 5 == 0) {
                            b[i] = a[i];
                        }
                    }
                    DenseArray x = array(t, a);
                    DenseArray y = array(t, b);
                    DType out = op.isComparison() ? DType.BOOL : t;
                    DenseArray z = k.zip(x, y, out, op, NO_FLOAT_FALLBACK2, NO_INT_FALLBACK2);
                    assertEquals(x.aval().withDType(out), z.aval());
                    for (int i = 0; i < n; i++) {
                        double want = binaryOracle(op, x.getDouble(i), y.getDouble(i));
                        want = t == DType.FLOAT32 && !op.isComparison() ? (float) want : want;
                        int at = i;
                        assertBits(want, z.getDouble(i), k.getClass().getSimpleName() + " " + op + " " + t + "[" + n + "] at "
                                + at + ": " + x.getDouble(at) + ", " + y.getDouble(at));
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void selectTakesEachElementFromTheChosenOperand(Kernels k) {
        for (DType t : new DType[] {DType.FLOAT64, DType.FLOAT32, DType.INT32, DType.BOOL}) {
            for (int n : SIZES) {
                boolean[] p = new boolean[n];
                double[] a = data(n, 7L * n);
                double[] b = data(n, 7L * n + 3);
                for (int i = 0; i < n; i++) {
                    p[i] = (i * 2654435761L & 4) != 0;
                    a[i] = t == DType.BOOL ? i % 2 : t == DType.INT32 ? Math.rint(a[i] * 100) : a[i];
                    b[i] = t == DType.BOOL ? (i + 1) % 3 == 0 ? 1 : 0 : t == DType.INT32 ? Math.rint(b[i] * 100) : b[i];
                }
                DenseArray x = DenseArray.wrap(new Aval(t, n), convertTo(t, a));
                DenseArray y = DenseArray.wrap(new Aval(t, n), convertTo(t, b));
                DenseArray z = k.select(DenseArray.ofBools(p, n), x, y);
                assertEquals(x.aval(), z.aval());
                for (int i = 0; i < n; i++) {
                    assertBits((p[i] ? x : y).getDouble(i), z.getDouble(i), k.getClass().getSimpleName() + " select "
                            + t + "[" + n + "] at " + i);
                }
            }
        }
    }

    static Object convertTo(DType t, double[] v) {
        Object r = DenseArray.allocate(t, v.length);
        for (int i = 0; i < v.length; i++) {
            switch (t) {
                case FLOAT32 -> ((float[]) r)[i] = (float) v[i];
                case FLOAT64 -> ((double[]) r)[i] = v[i];
                case INT32 -> ((int[]) r)[i] = (int) v[i];
                case BOOL -> ((boolean[]) r)[i] = v[i] != 0;
            }
        }
        return r;
    }

    static int[] ints(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] special = {0, 1, -1, 7, -7, Integer.MIN_VALUE, Integer.MAX_VALUE, 2, -2, 0};
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            v[i] = i < special.length ? special[(int) ((i + seed) % special.length)] : r.nextInt(-1000, 1000);
        }
        return v;
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void int32AndBoolOps(Kernels k) {
        for (int n : SIZES) {
            DenseArray x = DenseArray.ofInts(ints(n, 0), n);
            DenseArray y = DenseArray.ofInts(ints(n, 3), n);
            for (UnaryOp op : new UnaryOp[] {UnaryOp.NEG, UnaryOp.ABS, UnaryOp.SIGN, UnaryOp.NOT}) {
                DenseArray r = k.map(x, DType.INT32, op, NO_FLOAT_FALLBACK, NO_INT_FALLBACK);
                for (int i = 0; i < n; i++) {
                    int v = x.ints()[i];
                    int want = switch (op) {
                        case NEG -> -v;
                        case ABS -> v < 0 ? -v : v;
                        case SIGN -> Integer.compare(v, 0);
                        default -> ~v;
                    };
                    assertEquals(want, r.ints()[i], op + " int32 of " + v);
                }
            }
            for (BinaryOp op : BinaryOp.values()) {
                if (op == BinaryOp.GENERIC || op == BinaryOp.POW) {
                    continue;
                }
                DType out = op.isComparison() ? DType.BOOL : DType.INT32;
                DenseArray r = k.zip(x, y, out, op, NO_FLOAT_FALLBACK2, NO_INT_FALLBACK2);
                for (int i = 0; i < n; i++) {
                    int a = x.ints()[i];
                    int b = y.ints()[i];
                    assertEquals((double) intOracle(op, a, b), r.getDouble(i), op + " int32 of " + a + ", " + b);
                }
            }
            boolean[] p = new boolean[n];
            boolean[] q = new boolean[n];
            for (int i = 0; i < n; i++) {
                p[i] = i % 2 == 0;
                q[i] = i % 3 == 0;
            }
            DenseArray bp = DenseArray.ofBools(p, n);
            DenseArray bq = DenseArray.ofBools(q, n);
            DenseArray not = k.map(bp, DType.BOOL, UnaryOp.NOT, NO_FLOAT_FALLBACK, NO_INT_FALLBACK);
            DenseArray and = k.zip(bp, bq, DType.BOOL, BinaryOp.AND, NO_FLOAT_FALLBACK2, NO_INT_FALLBACK2);
            DenseArray or = k.zip(bp, bq, DType.BOOL, BinaryOp.OR, NO_FLOAT_FALLBACK2, NO_INT_FALLBACK2);
            DenseArray xor = k.zip(bp, bq, DType.BOOL, BinaryOp.XOR, NO_FLOAT_FALLBACK2, NO_INT_FALLBACK2);
            for (int i = 0; i < n; i++) {
                assertEquals(!p[i], not.bools()[i]);
                assertEquals(p[i] && q[i], and.bools()[i]);
                assertEquals(p[i] || q[i], or.bools()[i]);
                assertEquals(p[i] != q[i], xor.bools()[i]);
            }
        }
    }

    /** The accumulation policy restated: 16 round-robin partial sums in double, pairwise, then the tail in order. */
    static double policySum(double[] v, int from, int n) {
        double[] p = new double[16];
        int full = n / 16 * 16;
        for (int i = 0; i < full; i++) {
            p[i % 16] += v[from + i];
        }
        double s = ((((p[0] + p[8]) + (p[4] + p[12])) + ((p[2] + p[10]) + (p[6] + p[14])))
                + (((p[1] + p[9]) + (p[5] + p[13])) + ((p[3] + p[11]) + (p[7] + p[15]))));
        for (int i = full; i < n; i++) {
            s += v[from + i];
        }
        return s;
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void reductionsFollowThePolicy(Kernels k) {
        for (DType t : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            for (int n : SIZES) {
                for (int groups : new int[] {1, 3}) {
                    double[] v = new double[groups * n];
                    SplittableRandom r = new SplittableRandom(n * 31L + groups);
                    for (int i = 0; i < v.length; i++) {
                        v[i] = r.nextDouble(-1, 1) * (i % 7 == 0 ? 1e4 : 1);
                    }
                    DenseArray x = array(t, v);
                    double[] w = x.toDoubleArray();
                    Aval out = new Aval(t, groups);
                    int[] identity = new int[v.length];
                    for (int i = 0; i < identity.length; i++) {
                        identity[i] = i;
                    }
                    for (Kernels.Reduction kind : Kernels.Reduction.values()) {
                        if (n == 0 && kind != Kernels.Reduction.SUM) {
                            continue;
                        }
                        DenseArray got = k.reduceTrailing(x, n, kind, out);
                        DenseArray viaMap = k.reduce(x, identity, n, kind, out);
                        for (int g = 0; g < groups; g++) {
                            double want;
                            if (kind == Kernels.Reduction.SUM) {
                                want = policySum(w, g * n, n);
                                BigDecimal exact = BigDecimal.ZERO;
                                double abs = 0;
                                for (int i = 0; i < n; i++) {
                                    exact = exact.add(new BigDecimal(w[g * n + i]));
                                    abs += Math.abs(w[g * n + i]);
                                }
                                // the float64 reference: double accumulation error at most n eps sum|x| (+ one float32 rounding)
                                double bound = n * Math.ulp(1.0) * abs + (t == DType.FLOAT32 ? Math.ulp((float) exact.doubleValue()) : 0);
                                String far = "sum far from the exact sum: " + got.getDouble(g) + " vs " + exact;
                                assertTrue(Math.abs(got.getDouble(g) - exact.doubleValue()) <= bound, far);
                            } else {
                                want = kind == Kernels.Reduction.MAX ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
                                for (int i = 0; i < n; i++) {
                                    want = kind == Kernels.Reduction.MAX ? Math.max(want, w[g * n + i]) : Math.min(want, w[g * n + i]);
                                }
                            }
                            want = t == DType.FLOAT32 ? (float) want : want;
                            String what = k.getClass().getSimpleName() + " " + kind + " " + t + " group " + g + " of " + n;
                            assertBits(want, got.getDouble(g), what);
                            assertBits(want, viaMap.getDouble(g), what + " (index map)");
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void maxAndMinPropagateNaNAndOrderSignedZeros(Kernels k) {
        for (DType t : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            for (int n : new int[] {1, 17, 40}) {
                for (int at = 0; at < n; at += 7) {
                    for (double special : new double[] {Double.NaN, 0.0, -0.0}) {
                        double[] v = new double[n];
                        for (int i = 0; i < n; i++) {
                            v[i] = special == special ? (i % 2 == 0 ? -0.0 : 0.0) : i - 20;
                        }
                        v[at] = special;
                        List<Double> values = new ArrayList<>();
                        for (double d : v) {
                            values.add(d);
                        }
                        DenseArray x = array(t, v);
                        double max = values.stream().reduce(Double.NEGATIVE_INFINITY, Math::max);
                        double min = values.stream().reduce(Double.POSITIVE_INFINITY, Math::min);
                        assertBits(max, k.reduceTrailing(x, n, Kernels.Reduction.MAX, new Aval(t)).getDouble(0), "max " + t + values);
                        assertBits(min, k.reduceTrailing(x, n, Kernels.Reduction.MIN, new Aval(t)).getDouble(0), "min " + t + values);
                    }
                }
            }
        }
    }
}
