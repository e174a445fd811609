package dev.solstice.kernel;

import dev.solstice.DType;
import dev.solstice.core.DenseArray;
import dev.solstice.core.NarrowTypes;

/**
 * Element type conversion between any two dtypes, narrow storage included, one rounding per element: integers
 * to integers keep their low bits (wrap around; unsigned sources zero-extend), floats to integers truncate
 * toward zero and saturate at the target's bounds (NaN gives 0), anything to float rounds once to nearest even,
 * and anything nonzero (NaN included) is true. The four wide types also have faster loops
 * ({@link Kernels#convert}).
 */
public final class Conversions {
    private Conversions() {}

    /** {@code x} converted to {@code to}. */
    public static DenseArray convert(DenseArray x, DType to) {
        DType from = x.dtype();
        int n = x.aval().size();
        Object a = x.data();
        Object r = DenseArray.allocate(to, n);
        if (from.isFloating()) {
            for (int i = 0; i < n; i++) {
                storeDouble(r, to, i, x.getDouble(i));
            }
        } else {
            for (int i = 0; i < n; i++) {
                storeLong(r, to, i, exactLong(from, a, i));
            }
        }
        return DenseArray.wrap(x.aval().withDType(to), r);
    }

    /** The exact value of element {@code i} of integer or bool storage {@code a} of dtype {@code t}. */
    static long exactLong(DType t, Object a, int i) {
        return switch (t) {
            case BOOL -> ((boolean[]) a)[i] ? 1 : 0;
            case INT8 -> ((byte[]) a)[i];
            case UINT8 -> ((byte[]) a)[i] & 0xFF;
            case INT32 -> ((int[]) a)[i];
            case UINT32 -> ((int[]) a)[i] & 0xFFFFFFFFL;
            case INT64 -> ((long[]) a)[i];
            default -> throw new IllegalArgumentException(t + " is not an integer type");
        };
    }

    private static void storeLong(Object r, DType t, int i, long v) {
        switch (t) {
            case BOOL -> ((boolean[]) r)[i] = v != 0;
            case INT8, UINT8 -> ((byte[]) r)[i] = (byte) v;
            case INT32, UINT32 -> ((int[]) r)[i] = (int) v;
            case INT64 -> ((long[]) r)[i] = v;
            case FLOAT64 -> ((double[]) r)[i] = v;
            case FLOAT32 -> ((float[]) r)[i] = v;
            case FLOAT16 -> ((short[]) r)[i] = NarrowTypes.longToHalf(v);
            case BFLOAT16 -> ((short[]) r)[i] = NarrowTypes.longToBf16(v);
        }
    }

    private static void storeDouble(Object r, DType t, int i, double v) {
        switch (t) {
            case BOOL -> ((boolean[]) r)[i] = v != 0 || Double.isNaN(v);
            case INT8, UINT8 -> ((byte[]) r)[i] = (byte) NarrowTypes.saturate(v, t);
            case INT32, UINT32 -> ((int[]) r)[i] = (int) NarrowTypes.saturate(v, t);
            case INT64 -> ((long[]) r)[i] = (long) v;
            case FLOAT64 -> ((double[]) r)[i] = v;
            case FLOAT32 -> ((float[]) r)[i] = (float) v;
            case FLOAT16 -> ((short[]) r)[i] = NarrowTypes.doubleToHalf(v);
            case BFLOAT16 -> ((short[]) r)[i] = NarrowTypes.doubleToBf16(v);
        }
    }
}
