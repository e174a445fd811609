package dev.solstice.core;

import dev.solstice.DType;

/**
 * The types stored narrower than they are computed ({@link DType#isStoredNarrow()}): float16 and bfloat16 bits
 * in a {@code short[]}, int8 and uint8 in a {@code byte[]}, uint32 in an {@code int[]}. Operations widen their
 * operands to the compute type ({@link #widen}), compute, and narrow the results back ({@link #narrow}): floats
 * round to nearest even, integers keep their low bits (wrap around), as XLA on CPU does.
 */
public final class NarrowTypes {
    private NarrowTypes() {}

    /** The float32 value of float16 bits. */
    public static float halfToFloat(short bits) {
        return Float.float16ToFloat(bits);
    }

    /** float16 bits of {@code v}, rounded to nearest even (overflow gives infinity, NaN stays NaN). */
    public static short floatToHalf(float v) {
        return Float.floatToFloat16(v);
    }

    /** float16 bits of {@code v}, rounded once (to nearest even) from the double, not through float32. */
    public static short doubleToHalf(double v) {
        return Float.floatToFloat16(roundToOddFloat(v));
    }

    /** The float32 value of bfloat16 bits (exact: bfloat16 is float32's upper half). */
    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat(bits << 16);
    }

    /** bfloat16 bits of {@code v}, rounded to nearest even; NaN stays a (quiet) NaN. */
    public static short floatToBf16(float v) {
        int b = Float.floatToRawIntBits(v);
        if (Float.isNaN(v)) {
            return (short) ((b >>> 16) | 0x40);
        }
        return (short) ((b + 0x7FFF + ((b >>> 16) & 1)) >>> 16);
    }

    /** bfloat16 bits of {@code v}, rounded once from the double. */
    public static short doubleToBf16(double v) {
        return floatToBf16(roundToOddFloat(v));
    }

    /** float16 bits of the integer {@code v}, rounded once (a long beyond 2^53 is not exact in a double). */
    public static short longToHalf(long v) {
        return Float.floatToFloat16(roundToOddFloat(v));
    }

    /** bfloat16 bits of the integer {@code v}, rounded once. */
    public static short longToBf16(long v) {
        return floatToBf16(roundToOddFloat(v));
    }

    /** {@code v} rounded to float32 by round to odd (see {@link #roundToOddFloat(double)}), from its exact bits. */
    static float roundToOddFloat(long v) {
        if (v == Long.MIN_VALUE) {
            return -0x1p63f;
        }
        long m = Math.abs(v);
        int shift = 64 - Long.numberOfLeadingZeros(m) - 24;
        if (shift <= 0) {
            return v;                                          // at most 24 significant bits: exact
        }
        long kept = m >>> shift;
        if ((m & ((1L << shift) - 1)) != 0) {
            kept |= 1;                                         // inexact: the sticky last bit
        }
        float f = Math.scalb((float) kept, shift);
        return v < 0 ? -f : f;
    }

    /**
     * {@code v} rounded to float32 toward zero, with the last bit set when inexact ("round to odd"): rounding
     * that float to nearest at 16 bits or fewer gives the same result as rounding the double directly, since
     * float32 keeps more than two extra bits.
     */
    static float roundToOddFloat(double v) {
        float f = (float) v;
        if (Double.isNaN(v) || Float.isInfinite(f) && Double.isInfinite(v) || (double) f == v) {
            return f;
        }
        if (Float.isInfinite(f)) {
            f = Math.copySign(Float.MAX_VALUE, f);
        } else if (Math.abs((double) f) > Math.abs(v)) {
            f = Math.nextAfter(f, 0.0);
        }
        return Float.intBitsToFloat(Float.floatToRawIntBits(f) | 1);
    }

    /** {@code x} in its compute type ({@link DType#computeType()}); {@code x} itself when not stored narrow. */
    public static DenseArray widen(DenseArray x) {
        DType t = x.dtype();
        if (!t.isStoredNarrow()) {
            return x;
        }
        Object data = x.data();
        int n = x.aval().size();
        Object out = switch (t) {
            case FLOAT16 -> {
                short[] a = (short[]) data;
                float[] o = new float[n];
                for (int i = 0; i < n; i++) {
                    o[i] = halfToFloat(a[i]);
                }
                yield o;
            }
            case BFLOAT16 -> {
                short[] a = (short[]) data;
                float[] o = new float[n];
                for (int i = 0; i < n; i++) {
                    o[i] = bf16ToFloat(a[i]);
                }
                yield o;
            }
            case INT8 -> {
                byte[] a = (byte[]) data;
                int[] o = new int[n];
                for (int i = 0; i < n; i++) {
                    o[i] = a[i];
                }
                yield o;
            }
            case UINT8 -> {
                byte[] a = (byte[]) data;
                int[] o = new int[n];
                for (int i = 0; i < n; i++) {
                    o[i] = a[i] & 0xFF;
                }
                yield o;
            }
            case UINT32 -> {
                int[] a = (int[]) data;
                long[] o = new long[n];
                for (int i = 0; i < n; i++) {
                    o[i] = a[i] & 0xFFFFFFFFL;
                }
                yield o;
            }
            default -> throw new IllegalStateException(t + " is not stored narrow");
        };
        return DenseArray.wrap(x.aval().withDType(t.computeType()), out);
    }

    /**
     * {@code x} (in {@code target}'s compute type) stored as {@code target}: floats rounded to nearest even,
     * integers keeping their low bits; {@code x} itself when {@code target} is not stored narrow.
     */
    public static DenseArray narrow(DenseArray x, DType target) {
        if (!target.isStoredNarrow()) {
            return x;
        }
        if (x.dtype() != target.computeType()) {
            throw new IllegalArgumentException("narrowing " + x.aval().str() + " to " + target + " needs a "
                    + target.computeType() + " array");
        }
        Object data = x.data();
        int n = x.aval().size();
        Object out = switch (target) {
            case FLOAT16 -> {
                float[] a = (float[]) data;
                short[] o = new short[n];
                for (int i = 0; i < n; i++) {
                    o[i] = floatToHalf(a[i]);
                }
                yield o;
            }
            case BFLOAT16 -> {
                float[] a = (float[]) data;
                short[] o = new short[n];
                for (int i = 0; i < n; i++) {
                    o[i] = floatToBf16(a[i]);
                }
                yield o;
            }
            case INT8, UINT8 -> {
                int[] a = (int[]) data;
                byte[] o = new byte[n];
                for (int i = 0; i < n; i++) {
                    o[i] = (byte) a[i];
                }
                yield o;
            }
            case UINT32 -> {
                long[] a = (long[]) data;
                int[] o = new int[n];
                for (int i = 0; i < n; i++) {
                    o[i] = (int) a[i];
                }
                yield o;
            }
            default -> throw new IllegalStateException(target + " is not stored narrow");
        };
        return DenseArray.wrap(x.aval().withDType(target), out);
    }

    /** Element {@code i} of narrow storage {@code data} of dtype {@code t} as a double (its exact value). */
    static double get(DType t, Object data, int i) {
        return switch (t) {
            case FLOAT16 -> halfToFloat(((short[]) data)[i]);
            case BFLOAT16 -> bf16ToFloat(((short[]) data)[i]);
            case INT8 -> ((byte[]) data)[i];
            case UINT8 -> ((byte[]) data)[i] & 0xFF;
            case UINT32 -> ((int[]) data)[i] & 0xFFFFFFFFL;
            default -> throw new IllegalStateException(t + " is not stored narrow");
        };
    }

    /**
     * A narrow storage of {@code n} elements of dtype {@code t} all equal to {@code value}, converted as
     * {@code convert_element_type} converts: floats rounded once to nearest even, integers truncated toward zero
     * and saturated at the type's bounds (NaN gives 0).
     */
    static Object filled(DType t, int n, double value) {
        Object d = DenseArray.allocate(t, n);
        switch (t) {
            case FLOAT16 -> java.util.Arrays.fill((short[]) d, doubleToHalf(value));
            case BFLOAT16 -> java.util.Arrays.fill((short[]) d, doubleToBf16(value));
            case INT8, UINT8 -> java.util.Arrays.fill((byte[]) d, (byte) saturate(value, t));
            case UINT32 -> java.util.Arrays.fill((int[]) d, (int) saturate(value, t));
            default -> throw new IllegalStateException(t + " is not stored narrow");
        }
        return d;
    }

    /** {@code v} truncated toward zero and clamped to integer type {@code t}'s range; NaN gives 0. */
    public static long saturate(double v, DType t) {
        return switch (t) {
            case INT8 -> (long) Math.max(-128, Math.min(127, v));
            case UINT8 -> (long) Math.max(0, Math.min(255, v));
            case INT32 -> (int) v;
            case UINT32 -> (long) Math.max(0, Math.min(4294967295.0, v));
            case INT64 -> (long) v;
            default -> throw new IllegalArgumentException(t + " is not an integer type");
        };
    }
}
