package dev.solstice;

/**
 * Element types of an {@link Array}, with JAX's promotion lattice ({@link #promote}).
 *
 * <p><b>Storage and arithmetic.</b> float16 and bfloat16 are stored compactly (their bits in a {@code short[]})
 * and computed in float32, rounded back after every operation, as XLA does on CPU; int8 and uint8 are stored in a
 * {@code byte[]} and computed in int32, uint32 in an {@code int[]} and computed in int64, int64 in a
 * {@code long[]}: integer results wrap around modulo 2<sup>bits</sup>, as JAX's do. {@link #computeType()}
 * names the type a dtype is computed in.
 *
 * {@snippet lang=java :
 * DType.promote(DType.FLOAT32, DType.FLOAT64) == DType.FLOAT64    // true
 * DType.promote(DType.BFLOAT16, DType.FLOAT16).jaxName()          // float32
 * Array.of(1, 2).dtype().toString()                               // int32
 * }
 */
public enum DType {
    /** Booleans. */
    BOOL("bool", 8),
    /** 8-bit unsigned integers (0 to 255). */
    UINT8("uint8", 8),
    /** 8-bit signed integers. */
    INT8("int8", 8),
    /** 32-bit unsigned integers (0 to 2<sup>32</sup> - 1). */
    UINT32("uint32", 32),
    /** 32-bit signed integers. */
    INT32("int32", 32),
    /** 64-bit signed integers. */
    INT64("int64", 64),
    /** Brain floating point: float32's exponent range with 8 significant bits; computed in float32. */
    BFLOAT16("bfloat16", 16),
    /** IEEE half precision; computed in float32. */
    FLOAT16("float16", 16),
    /** IEEE single precision. */
    FLOAT32("float32", 32),
    /** IEEE double precision; the type a Java {@code double} gives. */
    FLOAT64("float64", 64);

    private final String jaxName;
    private final int bits;

    DType(String jaxName, int bits) {
        this.jaxName = jaxName;
        this.bits = bits;
    }

    /**
     * The name NumPy and JAX use, for example {@code float32}.
     *
     * {@snippet lang=java :
     * DType.FLOAT32.jaxName()                 // float32
     * }
     */
    public String jaxName() {
        return jaxName;
    }

    /**
     * The number of bits of one element (8 for bool, as NumPy stores it).
     *
     * {@snippet lang=java :
     * DType.BFLOAT16.bits()                   // 16
     * }
     */
    public int bits() {
        return bits;
    }

    /**
     * True for the floating-point types: the types that carry derivatives.
     *
     * {@snippet lang=java :
     * DType.INT32.isFloating()                // false
     * DType.FLOAT16.isFloating()              // true
     * }
     */
    public boolean isFloating() {
        return this == FLOAT16 || this == BFLOAT16 || this == FLOAT32 || this == FLOAT64;
    }

    /**
     * True for the signed and unsigned integer types (not bool).
     *
     * {@snippet lang=java :
     * DType.INT32.isInteger()                 // true
     * DType.UINT8.isInteger()                 // true
     * }
     */
    public boolean isInteger() {
        return this == INT8 || this == UINT8 || this == INT32 || this == UINT32 || this == INT64;
    }

    /**
     * True for uint8 and uint32.
     *
     * {@snippet lang=java :
     * DType.UINT32.isUnsigned()               // true
     * }
     */
    public boolean isUnsigned() {
        return this == UINT8 || this == UINT32;
    }

    /**
     * The type this one is computed in: float32 for float16 and bfloat16, int32 for int8 and uint8, int64 for
     * uint32, the type itself otherwise. Results are converted back (rounded, or wrapped around) after each
     * operation.
     *
     * {@snippet lang=java :
     * DType.FLOAT16.computeType().jaxName()   // float32
     * DType.UINT32.computeType().jaxName()    // int64
     * }
     */
    public DType computeType() {
        return switch (this) {
            case FLOAT16, BFLOAT16 -> FLOAT32;
            case INT8, UINT8 -> INT32;
            case UINT32 -> INT64;
            default -> this;
        };
    }

    /**
     * Whether this type is stored in a narrower form than the type it is computed in ({@link #computeType()}).
     *
     * {@snippet lang=java :
     * DType.INT8.isStoredNarrow()             // true
     * DType.INT64.isStoredNarrow()            // false
     * }
     */
    public boolean isStoredNarrow() {
        return computeType() != this;
    }

    /**
     * The smallest type both arguments convert to, by JAX's promotion lattice restricted to these types:
     * bool below every other type; uint8 below int32 and uint32; int8 below int32; uint32 and int32 below
     * int64; every integer type below bfloat16 and float16 (an integer with a float16 gives float16); bfloat16
     * and float16 below float32, below float64. Where JAX would give a type Solstice does not have (uint8 with
     * int8 gives int16 in JAX), the next type above both is the result (int32).
     *
     * {@snippet lang=java :
     * DType.promote(DType.INT32, DType.FLOAT32).jaxName()   // float32
     * DType.promote(DType.UINT32, DType.INT32).jaxName()    // int64
     * DType.promote(DType.INT64, DType.FLOAT16).jaxName()   // float16
     * Array.of(1, 2).add(Array.of(0.5f, 0.5f))                // float32[2]: the same rule
     * }
     */
    public static DType promote(DType a, DType b) {
        if (a == b) {
            return a;
        }
        long common = Lattice.UP[a.ordinal()] & Lattice.UP[b.ordinal()];
        // the least common upper bound: the one whose own upper set contains all the others
        for (DType t : values()) {
            if ((common & (1L << t.ordinal())) != 0 && (Lattice.UP[t.ordinal()] & common) == common) {
                return t;
            }
        }
        throw new IllegalStateException("no common type of " + a + " and " + b);
    }

    /** The promotion lattice as upper sets (bit i: values()[i] is at or above the type). */
    private static final class Lattice {
        static final long[] UP = upperSets();

        private static long[] upperSets() {
            DType[] all = values();
            long[] above = new long[all.length];
            for (DType t : all) {
                above[t.ordinal()] = reach(t);
            }
            return above;
        }

        private static long reach(DType t) {
            long set = 1L << t.ordinal();
            for (DType next : successors(t)) {
                set |= reach(next);
            }
            return set;
        }

        private static DType[] successors(DType t) {
            return switch (t) {
                case BOOL -> new DType[] {UINT8, INT8};
                case UINT8 -> new DType[] {UINT32, INT32};
                case INT8 -> new DType[] {INT32};
                case UINT32, INT32 -> new DType[] {INT64};
                case INT64 -> new DType[] {BFLOAT16, FLOAT16};
                case BFLOAT16, FLOAT16 -> new DType[] {FLOAT32};
                case FLOAT32 -> new DType[] {FLOAT64};
                case FLOAT64 -> new DType[0];
            };
        }
    }

    @Override
    public String toString() {
        return jaxName;
    }
}
