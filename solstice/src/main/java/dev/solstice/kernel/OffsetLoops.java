package dev.solstice.kernel;

import dev.solstice.DType;

/**
 * The plain Java binary loops: {@code o[oo + i] = a[ao + i] op b[bo + i]}, one loop per operation code and
 * dtype (exact operations in the operands' precision, float32 pow computed in double and rounded once). The
 * offsets serve both the rows of views ({@link StridedZip}) and the contiguous ranges of
 * {@code ElementLoops.binary}, so there is one copy of the arithmetic.
 */
final class OffsetLoops {
    private OffsetLoops() {}

    /** A {@link StridedZip.RowLoop} for every code with {@code op.hasLoop(in)}. */
    static void binary(BinaryOp op, DType in, Object a, int ao, Object b, int bo, Object o, int oo, int n) {
        switch (in) {
            case FLOAT64 -> {
                if (op.isComparison()) {
                    compare(op, (double[]) a, ao, (double[]) b, bo, (boolean[]) o, oo, n);
                } else {
                    doubles(op, (double[]) a, ao, (double[]) b, bo, (double[]) o, oo, n);
                }
            }
            case FLOAT32 -> {
                if (op.isComparison()) {
                    compare(op, (float[]) a, ao, (float[]) b, bo, (boolean[]) o, oo, n);
                } else {
                    floats(op, (float[]) a, ao, (float[]) b, bo, (float[]) o, oo, n);
                }
            }
            case INT32 -> {
                if (op.isComparison()) {
                    compare(op, (int[]) a, ao, (int[]) b, bo, (boolean[]) o, oo, n);
                } else {
                    ints(op, (int[]) a, ao, (int[]) b, bo, (int[]) o, oo, n);
                }
            }
            case BOOL -> bools(op, (boolean[]) a, ao, (boolean[]) b, bo, (boolean[]) o, oo, n);
        }
    }

    private static void doubles(BinaryOp op, double[] a, int ao, double[] b, int bo, double[] o, int oo, int n) {
        switch (op) {
            case ADD -> { for (int i = 0; i < n; i++) { o[oo + i] = a[ao + i] + b[bo + i]; } }
            case SUB -> { for (int i = 0; i < n; i++) { o[oo + i] = a[ao + i] - b[bo + i]; } }
            case MUL -> { for (int i = 0; i < n; i++) { o[oo + i] = a[ao + i] * b[bo + i]; } }
            case DIV -> { for (int i = 0; i < n; i++) { o[oo + i] = a[ao + i] / b[bo + i]; } }
            case MAX -> { for (int i = 0; i < n; i++) { o[oo + i] = Math.max(a[ao + i], b[bo + i]); } }
            case MIN -> { for (int i = 0; i < n; i++) { o[oo + i] = Math.min(a[ao + i], b[bo + i]); } }
            default -> { for (int i = 0; i < n; i++) { o[oo + i] = op.apply(a[ao + i], b[bo + i]); } }
        }
    }

    /** All exact in float except pow, which is computed in double and rounded once. */
    private static void floats(BinaryOp op, float[] a, int ao, float[] b, int bo, float[] o, int oo, int n) {
        switch (op) {
            case ADD -> { for (int i = 0; i < n; i++) { o[oo + i] = a[ao + i] + b[bo + i]; } }
            case SUB -> { for (int i = 0; i < n; i++) { o[oo + i] = a[ao + i] - b[bo + i]; } }
            case MUL -> { for (int i = 0; i < n; i++) { o[oo + i] = a[ao + i] * b[bo + i]; } }
            case DIV -> { for (int i = 0; i < n; i++) { o[oo + i] = a[ao + i] / b[bo + i]; } }
            case MAX -> { for (int i = 0; i < n; i++) { o[oo + i] = Math.max(a[ao + i], b[bo + i]); } }
            case MIN -> { for (int i = 0; i < n; i++) { o[oo + i] = Math.min(a[ao + i], b[bo + i]); } }
            default -> { for (int i = 0; i < n; i++) { o[oo + i] = (float) op.apply(a[ao + i], b[bo + i]); } }
        }
    }

    private static void ints(BinaryOp op, int[] a, int ao, int[] b, int bo, int[] o, int oo, int n) {
        switch (op) {
            case ADD -> { for (int i = 0; i < n; i++) { o[oo + i] = a[ao + i] + b[bo + i]; } }
            case SUB -> { for (int i = 0; i < n; i++) { o[oo + i] = a[ao + i] - b[bo + i]; } }
            case MUL -> { for (int i = 0; i < n; i++) { o[oo + i] = a[ao + i] * b[bo + i]; } }
            case MAX -> { for (int i = 0; i < n; i++) { o[oo + i] = Math.max(a[ao + i], b[bo + i]); } }
            case MIN -> { for (int i = 0; i < n; i++) { o[oo + i] = Math.min(a[ao + i], b[bo + i]); } }
            case AND -> { for (int i = 0; i < n; i++) { o[oo + i] = a[ao + i] & b[bo + i]; } }
            case OR -> { for (int i = 0; i < n; i++) { o[oo + i] = a[ao + i] | b[bo + i]; } }
            case XOR -> { for (int i = 0; i < n; i++) { o[oo + i] = a[ao + i] ^ b[bo + i]; } }
            default -> { for (int i = 0; i < n; i++) { o[oo + i] = op.applyInt(a[ao + i], b[bo + i]); } }
        }
    }

    private static void bools(BinaryOp op, boolean[] a, int ao, boolean[] b, int bo, boolean[] o, int oo, int n) {
        switch (op) {
            case AND -> { for (int i = 0; i < n; i++) { o[oo + i] = a[ao + i] & b[bo + i]; } }
            case OR -> { for (int i = 0; i < n; i++) { o[oo + i] = a[ao + i] | b[bo + i]; } }
            default -> { for (int i = 0; i < n; i++) { o[oo + i] = a[ao + i] ^ b[bo + i]; } }
        }
    }

    private static void compare(BinaryOp op, double[] a, int ao, double[] b, int bo, boolean[] o, int oo, int n) {
        switch (op) {
            case EQ -> { for (int i = 0; i < n; i++) { o[oo + i] = a[ao + i] == b[bo + i]; } }
            case NE -> { for (int i = 0; i < n; i++) { o[oo + i] = a[ao + i] != b[bo + i]; } }
            case LT -> { for (int i = 0; i < n; i++) { o[oo + i] = a[ao + i] < b[bo + i]; } }
            case LE -> { for (int i = 0; i < n; i++) { o[oo + i] = a[ao + i] <= b[bo + i]; } }
            case GT -> { for (int i = 0; i < n; i++) { o[oo + i] = a[ao + i] > b[bo + i]; } }
            default -> { for (int i = 0; i < n; i++) { o[oo + i] = a[ao + i] >= b[bo + i]; } }
        }
    }

    private static void compare(BinaryOp op, float[] a, int ao, float[] b, int bo, boolean[] o, int oo, int n) {
        switch (op) {
            case EQ -> { for (int i = 0; i < n; i++) { o[oo + i] = a[ao + i] == b[bo + i]; } }
            case NE -> { for (int i = 0; i < n; i++) { o[oo + i] = a[ao + i] != b[bo + i]; } }
            case LT -> { for (int i = 0; i < n; i++) { o[oo + i] = a[ao + i] < b[bo + i]; } }
            case LE -> { for (int i = 0; i < n; i++) { o[oo + i] = a[ao + i] <= b[bo + i]; } }
            case GT -> { for (int i = 0; i < n; i++) { o[oo + i] = a[ao + i] > b[bo + i]; } }
            default -> { for (int i = 0; i < n; i++) { o[oo + i] = a[ao + i] >= b[bo + i]; } }
        }
    }

    private static void compare(BinaryOp op, int[] a, int ao, int[] b, int bo, boolean[] o, int oo, int n) {
        switch (op) {
            case EQ -> { for (int i = 0; i < n; i++) { o[oo + i] = a[ao + i] == b[bo + i]; } }
            case NE -> { for (int i = 0; i < n; i++) { o[oo + i] = a[ao + i] != b[bo + i]; } }
            case LT -> { for (int i = 0; i < n; i++) { o[oo + i] = a[ao + i] < b[bo + i]; } }
            case LE -> { for (int i = 0; i < n; i++) { o[oo + i] = a[ao + i] <= b[bo + i]; } }
            case GT -> { for (int i = 0; i < n; i++) { o[oo + i] = a[ao + i] > b[bo + i]; } }
            default -> { for (int i = 0; i < n; i++) { o[oo + i] = a[ao + i] >= b[bo + i]; } }
        }
    }
}
