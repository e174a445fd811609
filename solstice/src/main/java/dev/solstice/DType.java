package dev.solstice;

/**
 * Element types of an {@link Array}. Promotion follows JAX's lattice restricted to these four types
 * ({@code bool < int32 < float32 < float64}), so {@code float32} with {@code float64} gives {@code float64}.
 *
 * {@snippet lang=java :
 * DType.promote(DType.FLOAT32, DType.FLOAT64) == DType.FLOAT64    // true
 * Array.of(1, 2).dtype().toString()                               // int32
 * }
 */
public enum DType {
    /** Booleans. */
    BOOL("bool"),
    /** 32-bit signed integers. */
    INT32("int32"),
    /** IEEE single precision. */
    FLOAT32("float32"),
    /** IEEE double precision; the type a Java {@code double} gives. */
    FLOAT64("float64");

    private final String jaxName;

    DType(String jaxName) {
        this.jaxName = jaxName;
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
     * True for float32 and float64: the types that carry derivatives.
     *
     * {@snippet lang=java :
     * DType.INT32.isFloating()                // false
     * }
     */
    public boolean isFloating() {
        return this == FLOAT32 || this == FLOAT64;
    }

    /**
     * True for int32.
     *
     * {@snippet lang=java :
     * DType.INT32.isInteger()                 // true
     * }
     */
    public boolean isInteger() {
        return this == INT32;
    }

    /**
     * The smallest type both arguments convert to without loss of kind (JAX's promotion lattice).
     *
     * {@snippet lang=java :
     * DType.promote(DType.INT32, DType.FLOAT32).jaxName()   // float32
     * Array.of(1, 2).add(Array.of(0.5f, 0.5f))                // float32[2]: the same rule
     * }
     */
    public static DType promote(DType a, DType b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }

    @Override
    public String toString() {
        return jaxName;
    }
}
