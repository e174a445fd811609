package dev.solstice.kernel;

import dev.solstice.DType;
import dev.solstice.core.DenseArray;
import java.util.function.LongBinaryOperator;
import java.util.function.LongUnaryOperator;

/**
 * Elementwise loops over int64 operands (also uint32's compute type): plain scalar loops through the
 * primitive's {@code long} function. A bool result takes 1 as true.
 */
public final class LongLoops {
    private LongLoops() {}

    /** {@code f} applied to every element of int64 {@code x}; the result has dtype {@code out} (int64 or bool). */
    public static DenseArray map(DenseArray x, DType out, LongUnaryOperator f) {
        long[] a = x.longs();
        Object r = DenseArray.allocate(out, a.length);
        for (int i = 0; i < a.length; i++) {
            store(r, out, i, f.applyAsLong(a[i]));
        }
        return DenseArray.wrap(x.aval().withDType(out), r);
    }

    /** {@code f} applied to matching elements of int64 {@code x} and {@code y} (same shape). */
    public static DenseArray zip(DenseArray x, DenseArray y, DType out, LongBinaryOperator f) {
        long[] a = x.longs();
        long[] b = y.longs();
        Object r = DenseArray.allocate(out, a.length);
        for (int i = 0; i < a.length; i++) {
            store(r, out, i, f.applyAsLong(a[i], b[i]));
        }
        return DenseArray.wrap(x.aval().withDType(out), r);
    }

    /**
     * {@code op} on matching elements of int64 {@code x} and {@code y}, one loop per operation (a scalar
     * function per element costs several times more); comparisons give bool.
     */
    public static DenseArray zip(DenseArray x, DenseArray y, BinaryOp op) {
        long[] a = x.longs();
        long[] b = y.longs();
        int n = a.length;
        if (op.isComparison()) {
            boolean[] r = new boolean[n];
            switch (op) {
                case EQ -> { for (int i = 0; i < n; i++) { r[i] = a[i] == b[i]; } }
                case NE -> { for (int i = 0; i < n; i++) { r[i] = a[i] != b[i]; } }
                case LT -> { for (int i = 0; i < n; i++) { r[i] = a[i] < b[i]; } }
                case LE -> { for (int i = 0; i < n; i++) { r[i] = a[i] <= b[i]; } }
                case GT -> { for (int i = 0; i < n; i++) { r[i] = a[i] > b[i]; } }
                default -> { for (int i = 0; i < n; i++) { r[i] = a[i] >= b[i]; } }
            }
            return DenseArray.wrap(x.aval().withDType(DType.BOOL), r);
        }
        long[] r = new long[n];
        switch (op) {
            case ADD -> { for (int i = 0; i < n; i++) { r[i] = a[i] + b[i]; } }
            case SUB -> { for (int i = 0; i < n; i++) { r[i] = a[i] - b[i]; } }
            case MUL -> { for (int i = 0; i < n; i++) { r[i] = a[i] * b[i]; } }
            case AND -> { for (int i = 0; i < n; i++) { r[i] = a[i] & b[i]; } }
            case OR -> { for (int i = 0; i < n; i++) { r[i] = a[i] | b[i]; } }
            case XOR -> { for (int i = 0; i < n; i++) { r[i] = a[i] ^ b[i]; } }
            case MAX -> { for (int i = 0; i < n; i++) { r[i] = Math.max(a[i], b[i]); } }
            case MIN -> { for (int i = 0; i < n; i++) { r[i] = Math.min(a[i], b[i]); } }
            default -> { for (int i = 0; i < n; i++) { r[i] = op.applyLong(a[i], b[i]); } }
        }
        return DenseArray.wrap(x.aval(), r);
    }

    private static void store(Object r, DType out, int i, long v) {
        switch (out) {
            case INT64 -> ((long[]) r)[i] = v;
            case BOOL -> ((boolean[]) r)[i] = v != 0;
            default -> throw new IllegalArgumentException("int64 loops give int64 or bool, not " + out);
        }
    }
}
