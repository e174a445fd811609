package dev.solstice.kernel;

import dev.solstice.DType;

/**
 * The plain Java elementwise loops, one per operation code and dtype: same-index loops over distinct arrays,
 * which C2 auto-vectorises for the cheap exact operations. Transcendental operations share one loop per
 * dtype calling {@link UnaryOp#apply} (whose switch costs little next to the scalar {@code Math} function).
 */
final class ElementLoops {
    /** The cost per element, in cheap operations, of a transcendental function or a scalar function call. */
    static final int EXPENSIVE = 16;

    private ElementLoops() {}

    /** The cost of one element of {@code op}, in cheap operations (for {@link Parallel#splits}). */
    static int cost(UnaryOp op) {
        return switch (op) {
            case NEG, ABS, SIGN, FLOOR, CEIL, ROUND, SQRT, NOT -> 1;
            default -> EXPENSIVE;
        };
    }

    /** The cost of one element of {@code op}, in cheap operations (for {@link Parallel#splits}). */
    static int cost(BinaryOp op) {
        return op == BinaryOp.POW || op == BinaryOp.GENERIC ? EXPENSIVE : 1;
    }

    /**
     * Runs {@code op}'s loop over elements {@code [from, to)} of {@code a} (dtype {@code in}) into {@code o}
     * (dtype {@code out}).
     *
     * @return false when {@code op} has no loop for these dtypes (the caller falls back to the scalar function)
     */
    static boolean unary(UnaryOp op, DType in, DType out, Object a, Object o, int from, int to) {
        if (in != out || !op.hasLoop(in)) {
            return false;
        }
        switch (in) {
            case FLOAT64 -> doubles(op, (double[]) a, (double[]) o, from, to);
            case FLOAT32 -> floats(op, (float[]) a, (float[]) o, from, to);
            case INT32 -> ints(op, (int[]) a, (int[]) o, from, to);
            case BOOL -> {
                boolean[] x = (boolean[]) a;
                boolean[] r = (boolean[]) o;
                for (int i = from; i < to; i++) {
                    r[i] = !x[i];
                }
            }
        }
        return true;
    }

    private static void doubles(UnaryOp op, double[] a, double[] o, int from, int to) {
        switch (op) {
            case NEG -> { for (int i = from; i < to; i++) { o[i] = -a[i]; } }
            case ABS -> { for (int i = from; i < to; i++) { o[i] = Math.abs(a[i]); } }
            case SQRT -> { for (int i = from; i < to; i++) { o[i] = Math.sqrt(a[i]); } }
            case FLOOR -> { for (int i = from; i < to; i++) { o[i] = Math.floor(a[i]); } }
            case CEIL -> { for (int i = from; i < to; i++) { o[i] = Math.ceil(a[i]); } }
            case ROUND -> { for (int i = from; i < to; i++) { o[i] = Math.rint(a[i]); } }
            default -> { for (int i = from; i < to; i++) { o[i] = op.apply(a[i]); } }
        }
    }

    /** Exact operations in float (equal to computing in double and rounding); the rest in double, rounded once. */
    private static void floats(UnaryOp op, float[] a, float[] o, int from, int to) {
        switch (op) {
            case NEG -> { for (int i = from; i < to; i++) { o[i] = -a[i]; } }
            case ABS -> { for (int i = from; i < to; i++) { o[i] = Math.abs(a[i]); } }
            case SQRT -> { for (int i = from; i < to; i++) { o[i] = (float) Math.sqrt(a[i]); } }
            case FLOOR -> { for (int i = from; i < to; i++) { o[i] = (float) Math.floor(a[i]); } }
            case CEIL -> { for (int i = from; i < to; i++) { o[i] = (float) Math.ceil(a[i]); } }
            case ROUND -> { for (int i = from; i < to; i++) { o[i] = (float) Math.rint(a[i]); } }
            default -> { for (int i = from; i < to; i++) { o[i] = (float) op.apply(a[i]); } }
        }
    }

    private static void ints(UnaryOp op, int[] a, int[] o, int from, int to) {
        switch (op) {
            case NEG -> { for (int i = from; i < to; i++) { o[i] = -a[i]; } }
            case ABS -> { for (int i = from; i < to; i++) { o[i] = Math.abs(a[i]); } }
            case NOT -> { for (int i = from; i < to; i++) { o[i] = ~a[i]; } }
            default -> { for (int i = from; i < to; i++) { o[i] = op.applyInt(a[i]); } }
        }
    }

    /**
     * Runs {@code op}'s loop over elements {@code [from, to)} of {@code a} and {@code b} (dtype {@code in})
     * into {@code o} (dtype {@code out}: bool for comparisons, {@code in} otherwise).
     *
     * @return false when {@code op} has no loop for these dtypes (the caller falls back to the scalar function)
     */
    static boolean binary(BinaryOp op, DType in, DType out, Object a, Object b, Object o, int from, int to) {
        if (out != (op.isComparison() ? DType.BOOL : in) || !op.hasLoop(in)) {
            return false;
        }
        OffsetLoops.binary(op, in, a, from, b, from, o, from, to - from); // one set of loops for rows and ranges
        return true;
    }
}
