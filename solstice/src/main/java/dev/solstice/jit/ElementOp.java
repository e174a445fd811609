package dev.solstice.jit;

import dev.solstice.DType;
import java.util.List;

/**
 * One member of a fused group as the generated code computes it: its form, the operation code or primitive
 * class that selects the arithmetic, the operand and result dtypes, and its operands as value numbers of the
 * kernel (inputs first, then the results of earlier members). Part of a kernel's structural key, so it holds
 * no sizes and no primitive instances (those reach the kernel at run time).
 *
 * @param form how the element is computed
 * @param code the {@link dev.solstice.kernel.UnaryOp} or {@link dev.solstice.kernel.BinaryOp} of an
 *     {@code *_OP} form, the primitive class of an {@code *_FN} form, null otherwise
 * @param in the operand dtype (the branches' dtype for a select)
 * @param out the result dtype
 * @param args the operands' value numbers
 */
record ElementOp(Form form, Object code, DType in, DType out, List<Integer> args) {

    /** The forms of fused element computations, each mirroring one path of the eager kernels. */
    enum Form {
        /** An elementwise unary primitive whose operation code has its own kernel loop. */
        UNARY_OP,
        /** An elementwise unary primitive evaluated through its scalar function ({@code apply}/{@code applyInt}). */
        UNARY_FN,
        /** An elementwise binary primitive whose operation code has its own kernel loop. */
        BINARY_OP,
        /** An elementwise binary primitive evaluated through its scalar function. */
        BINARY_FN,
        /** {@code select(pred, onTrue, onFalse)}. */
        SELECT,
        /** {@code convert_element_type}. */
        CONVERT,
        /**
         * A reduction whose every group has one element (its reduced axes all of length 1), code its
         * {@link dev.solstice.kernel.Kernels.Reduction}: a sum is {@code 0.0 + x} (so -0.0 gives 0.0, as the
         * eager sum starting from 0.0), max and min are {@code x}.
         */
        REDUCE_ONE
    }

    /** Whether the generated code needs the primitive instance (the scalar-function forms). */
    boolean needsPrimitive() {
        return form == Form.UNARY_FN || form == Form.BINARY_FN;
    }

    /** The cost of one element in cheap operations, as the eager kernels count it for splitting work. */
    int cost() {
        return switch (form) {
            case UNARY_OP -> switch ((dev.solstice.kernel.UnaryOp) code) {
                case NEG, ABS, SIGN, FLOOR, CEIL, ROUND, SQRT, NOT -> 1;
                default -> EXPENSIVE;
            };
            case BINARY_OP -> code == dev.solstice.kernel.BinaryOp.POW ? EXPENSIVE : 1;
            case UNARY_FN, BINARY_FN -> EXPENSIVE;
            case SELECT, CONVERT, REDUCE_ONE -> 1;
        };
    }

    /** The cost of a transcendental function or a scalar function call, in cheap operations. */
    static final int EXPENSIVE = 16;
}
