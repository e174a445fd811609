package dev.solstice.kernel;

import dev.solstice.DType;

/**
 * Operation codes of elementwise functions of one array: the kernels run one specialised loop per code and
 * dtype. {@link #GENERIC} has no loop of its own: the kernels then call the primitive's scalar function per
 * element. {@link #apply} is each code's scalar definition on floating-point elements (float32 results are
 * these double results rounded once); {@link #applyInt} on int32 elements where the code accepts them.
 */
public enum UnaryOp {
    /** No specialised loop: the primitive's own scalar function is called per element. */
    GENERIC,
    /** {@code -x}. */
    NEG,
    /** {@code |x|}. */
    ABS,
    /** {@code Math.signum}: -1, 0 (of the input's sign) or 1; NaN stays NaN. */
    SIGN,
    /** {@code Math.floor}. */
    FLOOR,
    /** {@code Math.ceil}. */
    CEIL,
    /** {@code Math.rint}: rounds half to even. */
    ROUND,
    /** {@code Math.sqrt}. */
    SQRT,
    /** {@code 1 / Math.sqrt(x)}. */
    RSQRT,
    /** {@code Math.exp}. */
    EXP,
    /** {@code Math.expm1}. */
    EXPM1,
    /** {@code Math.log}. */
    LOG,
    /** {@code Math.log1p}. */
    LOG1P,
    /** {@code Math.sin}. */
    SIN,
    /** {@code Math.cos}. */
    COS,
    /** {@code Math.tan}. */
    TAN,
    /** {@code Math.tanh}. */
    TANH,
    /** The logistic sigmoid {@code 1 / (1 + exp(-x))}, written so that neither branch overflows. */
    LOGISTIC,
    /** Bitwise not of int32, logical not of bool. */
    NOT;

    /**
     * This operation on one floating-point element.
     *
     * @param x the element
     * @return the result in double (float32 kernels round it once)
     */
    public double apply(double x) {
        return switch (this) {
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
            case LOGISTIC -> x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
            case GENERIC, NOT -> throw new UnsupportedOperationException(this + " on floating point");
        };
    }

    /**
     * This operation on one int32 element.
     *
     * @param x the element
     * @return the result
     */
    public int applyInt(int x) {
        return switch (this) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case SIGN -> Integer.signum(x);
            case NOT -> ~x;
            default -> throw new UnsupportedOperationException(this + " on int32");
        };
    }

    /**
     * This operation on one int64 element.
     *
     * @param x the element
     * @return the result
     */
    public long applyLong(long x) {
        return switch (this) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case SIGN -> Long.signum(x);
            case NOT -> ~x;
            default -> throw new UnsupportedOperationException(this + " on int64");
        };
    }

    /**
     * Whether the kernels have a loop of this operation for operands of dtype {@code t} (result of the same
     * dtype); when they do, they never call the scalar fallbacks.
     *
     * @param t the operand dtype
     * @return whether {@code map} runs this operation's own loop
     */
    public boolean hasLoop(DType t) {
        return switch (t) {
            case FLOAT32, FLOAT64 -> this != GENERIC && this != NOT;
            case INT32 -> this == NEG || this == ABS || this == SIGN || this == NOT;
            case BOOL -> this == NOT;
            default -> false;
        };
    }
}
