package dev.solstice.kernel.vector;

import dev.solstice.DType;
import dev.solstice.kernel.BinaryOp;
import dev.solstice.kernel.UnaryOp;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API elementwise loops over {@code SPECIES_PREFERRED}: a full-vector main loop and one masked step
 * for the tail. Only exact operations are here (IEEE negation, abs, sqrt, +, -, *, /, max, min,
 * comparisons; int32 arithmetic and bitwise), so every lane equals the scalar result bit for bit. The
 * operation is chosen by a switch per vector, not per element; each case names its vector operator as a
 * constant, which the JIT needs to intrinsify it.
 */
final class VectorLoops {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;

    private VectorLoops() {}

    /** Whether {@code op} on {@code t} has a vector loop here. */
    static boolean hasUnary(UnaryOp op, DType t) {
        return (t == DType.FLOAT32 || t == DType.FLOAT64)
                && (op == UnaryOp.NEG || op == UnaryOp.ABS || op == UnaryOp.SQRT);
    }

    /** Whether {@code op} on operands of dtype {@code t} has a vector loop here. */
    static boolean hasBinary(BinaryOp op, DType t) {
        return switch (t) {
            case FLOAT32, FLOAT64 -> switch (op) {
                case ADD, SUB, MUL, DIV, MAX, MIN -> true;
                default -> op.isComparison();
            };
            case INT32 -> switch (op) {
                case ADD, SUB, MUL, MAX, MIN, AND, OR, XOR -> true;
                default -> op.isComparison();
            };
            default -> false;
        };
    }

    static void unary(UnaryOp op, double[] a, double[] o, int from, int to) {
        int i = from;
        for (int bound = from + D.loopBound(to - from); i < bound; i += D.length()) {
            apply(op, DoubleVector.fromArray(D, a, i)).intoArray(o, i);
        }
        for (; i < to; i++) { // a scalar tail, as the binary loops
            o[i] = op.apply(a[i]);
        }
    }

    static void unary(UnaryOp op, float[] a, float[] o, int from, int to) {
        int i = from;
        for (int bound = from + F.loopBound(to - from); i < bound; i += F.length()) {
            apply(op, FloatVector.fromArray(F, a, i)).intoArray(o, i);
        }
        for (; i < to; i++) { // a scalar tail, as the binary loops
            o[i] = (float) op.apply(a[i]);
        }
    }

    private static DoubleVector apply(UnaryOp op, DoubleVector x) {
        return switch (op) {
            case NEG -> x.neg();
            case ABS -> x.abs();
            default -> x.sqrt();
        };
    }

    private static FloatVector apply(UnaryOp op, FloatVector x) {
        return switch (op) {
            case NEG -> x.neg();
            case ABS -> x.abs();
            default -> x.sqrt();
        };
    }

    static DoubleVector apply(BinaryOp op, DoubleVector x, DoubleVector y) {
        return switch (op) {
            case ADD -> x.add(y);
            case SUB -> x.sub(y);
            case MUL -> x.mul(y);
            case DIV -> x.div(y);
            case MAX -> x.max(y);
            default -> x.min(y);
        };
    }

    static FloatVector apply(BinaryOp op, FloatVector x, FloatVector y) {
        return switch (op) {
            case ADD -> x.add(y);
            case SUB -> x.sub(y);
            case MUL -> x.mul(y);
            case DIV -> x.div(y);
            case MAX -> x.max(y);
            default -> x.min(y);
        };
    }

    static IntVector apply(BinaryOp op, IntVector x, IntVector y) {
        return switch (op) {
            case ADD -> x.add(y);
            case SUB -> x.sub(y);
            case MUL -> x.mul(y);
            case MAX -> x.max(y);
            case MIN -> x.min(y);
            case AND -> x.and(y);
            case OR -> x.or(y);
            default -> x.lanewise(VectorOperators.XOR, y);
        };
    }

    /** {@code o[oo + i] = p[po + i] ? a[ao + i] : b[bo + i]} for {@code i < n}: full vectors blend under the mask loaded from {@code p}; the tail one by one. */
    static void select(boolean[] p, int po, double[] a, int ao, double[] b, int bo, double[] o, int oo, int n) {
        int i = 0;
        for (int bound = D.loopBound(n); i < bound; i += D.length()) {
            VectorMask<Double> m = VectorMask.fromArray(D, p, po + i);
            DoubleVector.fromArray(D, b, bo + i).blend(DoubleVector.fromArray(D, a, ao + i), m).intoArray(o, oo + i);
        }
        for (; i < n; i++) {
            o[oo + i] = p[po + i] ? a[ao + i] : b[bo + i];
        }
    }

    static void select(boolean[] p, int po, float[] a, int ao, float[] b, int bo, float[] o, int oo, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            VectorMask<Float> m = VectorMask.fromArray(F, p, po + i);
            FloatVector.fromArray(F, b, bo + i).blend(FloatVector.fromArray(F, a, ao + i), m).intoArray(o, oo + i);
        }
        for (; i < n; i++) {
            o[oo + i] = p[po + i] ? a[ao + i] : b[bo + i];
        }
    }

    static void select(boolean[] p, int po, int[] a, int ao, int[] b, int bo, int[] o, int oo, int n) {
        int i = 0;
        for (int bound = I.loopBound(n); i < bound; i += I.length()) {
            VectorMask<Integer> m = VectorMask.fromArray(I, p, po + i);
            IntVector.fromArray(I, b, bo + i).blend(IntVector.fromArray(I, a, ao + i), m).intoArray(o, oo + i);
        }
        for (; i < n; i++) {
            o[oo + i] = p[po + i] ? a[ao + i] : b[bo + i];
        }
    }

    /** Comparisons: full vectors store their mask; the tail is compared element by element. */
    static VectorMask<Double> test(BinaryOp op, DoubleVector x, DoubleVector y) {
        return switch (op) {
            case EQ -> x.compare(VectorOperators.EQ, y);
            case NE -> x.compare(VectorOperators.NE, y);
            case LT -> x.compare(VectorOperators.LT, y);
            case LE -> x.compare(VectorOperators.LE, y);
            case GT -> x.compare(VectorOperators.GT, y);
            default -> x.compare(VectorOperators.GE, y);
        };
    }

    static VectorMask<Float> test(BinaryOp op, FloatVector x, FloatVector y) {
        return switch (op) {
            case EQ -> x.compare(VectorOperators.EQ, y);
            case NE -> x.compare(VectorOperators.NE, y);
            case LT -> x.compare(VectorOperators.LT, y);
            case LE -> x.compare(VectorOperators.LE, y);
            case GT -> x.compare(VectorOperators.GT, y);
            default -> x.compare(VectorOperators.GE, y);
        };
    }

    static VectorMask<Integer> test(BinaryOp op, IntVector x, IntVector y) {
        return switch (op) {
            case EQ -> x.compare(VectorOperators.EQ, y);
            case NE -> x.compare(VectorOperators.NE, y);
            case LT -> x.compare(VectorOperators.LT, y);
            case LE -> x.compare(VectorOperators.LE, y);
            case GT -> x.compare(VectorOperators.GT, y);
            default -> x.compare(VectorOperators.GE, y);
        };
    }
}
