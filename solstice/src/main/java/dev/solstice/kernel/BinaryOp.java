package dev.solstice.kernel;

import dev.solstice.DType;

/**
 * Operation codes of elementwise functions of two arrays: the kernels run one specialised loop per code and
 * dtype. {@link #GENERIC} has no loop of its own: the kernels then call the primitive's scalar function per
 * element. {@link #apply} is each code's scalar definition on floating-point elements (float32 results are
 * these double results rounded once), {@link #applyInt} on int32 (and bool as 0/1) elements; comparisons
 * give 1 for true and 0 for false.
 */
public enum BinaryOp {
    /** No specialised loop: the primitive's own scalar function is called per element. */
    GENERIC,
    /** {@code x + y}. */
    ADD,
    /** {@code x - y}. */
    SUB,
    /** {@code x * y}. */
    MUL,
    /** {@code x / y}; on int32 truncating, and -1 where {@code y == 0}. */
    DIV,
    /** {@code Math.max}: NaN propagates, {@code -0.0 < 0.0}. */
    MAX,
    /** {@code Math.min}: NaN propagates, {@code -0.0 < 0.0}. */
    MIN,
    /** {@code Math.pow}. */
    POW,
    /** {@code x == y} (false when either is NaN). */
    EQ,
    /** {@code x != y} (true when either is NaN). */
    NE,
    /** {@code x < y}. */
    LT,
    /** {@code x <= y}. */
    LE,
    /** {@code x > y}. */
    GT,
    /** {@code x >= y}. */
    GE,
    /** Bitwise and of int32, logical and of bool. */
    AND,
    /** Bitwise or of int32, logical or of bool. */
    OR,
    /** Bitwise xor of int32, logical xor of bool. */
    XOR;

    /**
     * This operation on two floating-point elements.
     *
     * @param x the left element
     * @param y the right element
     * @return the result in double (float32 kernels round it once); comparisons give 1 or 0
     */
    public double apply(double x, double y) {
        return switch (this) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
            case MAX -> Math.max(x, y);
            case MIN -> Math.min(x, y);
            case POW -> Math.pow(x, y);
            case EQ, NE, LT, LE, GT, GE -> test(x, y) ? 1 : 0;
            case GENERIC, AND, OR, XOR -> throw new UnsupportedOperationException(this + " on floating point");
        };
    }

    /**
     * This operation on two int32 elements.
     *
     * @param x the left element
     * @param y the right element
     * @return the result; comparisons give 1 or 0
     */
    public int applyInt(int x, int y) {
        return switch (this) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> y == 0 ? -1 : x / y;
            case MAX -> Math.max(x, y);
            case MIN -> Math.min(x, y);
            case AND -> x & y;
            case OR -> x | y;
            case XOR -> x ^ y;
            case EQ, NE, LT, LE, GT, GE -> test(x, y) ? 1 : 0;
            case GENERIC, POW -> throw new UnsupportedOperationException(this + " on int32");
        };
    }

    /**
     * This operation on two int64 elements (wrapping; division by zero gives -1, as on int32).
     *
     * @param x the left element
     * @param y the right element
     * @return the result; comparisons give 1 or 0
     */
    public long applyLong(long x, long y) {
        return switch (this) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> y == 0 ? -1 : x / y;
            case MAX -> Math.max(x, y);
            case MIN -> Math.min(x, y);
            case AND -> x & y;
            case OR -> x | y;
            case XOR -> x ^ y;
            case EQ -> x == y ? 1 : 0;
            case NE -> x != y ? 1 : 0;
            case LT -> x < y ? 1 : 0;
            case LE -> x <= y ? 1 : 0;
            case GT -> x > y ? 1 : 0;
            case GE -> x >= y ? 1 : 0;
            case GENERIC, POW -> throw new UnsupportedOperationException(this + " on int64");
        };
    }

    /**
     * Whether the kernels have a loop of this operation for operands of dtype {@code t} (result bool for
     * comparisons, {@code t} otherwise); when they do, they never call the scalar fallbacks.
     *
     * @param t the operand dtype
     * @return whether {@code zip} runs this operation's own loop
     */
    public boolean hasLoop(DType t) {
        boolean bitwise = this == AND || this == OR || this == XOR;
        return this != GENERIC && switch (t) {
            case FLOAT32, FLOAT64 -> !bitwise;
            case INT32 -> this != POW;
            case BOOL -> bitwise;
            default -> false;
        };
    }

    /** Whether this is a comparison (bool result). */
    public boolean isComparison() {
        return switch (this) {
            case EQ, NE, LT, LE, GT, GE -> true;
            default -> false;
        };
    }

    /**
     * This comparison on two elements (ints compared as doubles, which is exact).
     *
     * @param x the left element
     * @param y the right element
     * @return the comparison's result
     */
    public boolean test(double x, double y) {
        return switch (this) {
            case EQ -> x == y;
            case NE -> x != y;
            case LT -> x < y;
            case LE -> x <= y;
            case GT -> x > y;
            case GE -> x >= y;
            default -> throw new UnsupportedOperationException(this + " is not a comparison");
        };
    }
}
