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

    private static void store(Object r, DType out, int i, long v) {
        switch (out) {
            case INT64 -> ((long[]) r)[i] = v;
            case BOOL -> ((boolean[]) r)[i] = v != 0;
            default -> throw new IllegalArgumentException("int64 loops give int64 or bool, not " + out);
        }
    }
}
