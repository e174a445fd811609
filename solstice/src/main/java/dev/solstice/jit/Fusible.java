package dev.solstice.jit;

import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Primitive;
import dev.solstice.ir.Eqn;
import dev.solstice.jit.ElementOp.Form;
import dev.solstice.kernel.BinaryOp;
import dev.solstice.kernel.UnaryOp;
import dev.solstice.prim.BroadcastInDim;
import dev.solstice.prim.Concatenate;
import dev.solstice.prim.ConvertElementType;
import dev.solstice.prim.ShiftRightLogical;
import dev.solstice.prim.DotGeneral;
import dev.solstice.prim.ElementwiseBinary;
import dev.solstice.prim.ElementwiseUnary;
import dev.solstice.prim.Not;
import dev.solstice.prim.ReduceMax;
import dev.solstice.prim.ReduceMin;
import dev.solstice.prim.ReduceSum;
import dev.solstice.prim.Select;
import java.util.List;

/**
 * Which equations fusion may take and how generated code computes each: exactly the path the eager kernels
 * take for that primitive and dtype ({@code ElementwiseUnary.eval}, {@code ElementwiseBinary.eval}, select,
 * convert), so that fused results equal eager ones bitwise. A family member that overrides {@code eval}
 * (its own arithmetic) is not fused.
 */
final class Fusible {
    /** Whether a primitive class keeps its family's {@code eval} (so the family's kernel path applies). */
    private static final ClassValue<Boolean> FAMILY_EVAL = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> c) {
            try {
                Class<?> owner = c.getMethod("eval", DenseArray[].class, Aval[].class).getDeclaringClass();
                // not's eval is the family's with the scalar functions always passed: the same loops run;
                // shift_right_logical's is the family's on the types generated code holds (its own only
                // widens int8 as unsigned, and int8 never fuses)
                return owner == ElementwiseUnary.class || owner == ElementwiseBinary.class || c == Not.class
                        || c == ShiftRightLogical.class;
            } catch (NoSuchMethodException e) {
                return false;
            }
        }
    };

    private Fusible() {}

    /**
     * Whether evaluating {@code p} eagerly always gives new arrays, never views of its operands' storage:
     * the elementwise families with their own eval, select, conversion, reductions, dot_general and
     * concatenate (even of one operand) all write a kernel's fresh output. Anything else may return a view (buffer planning assumes it does).
     */
    static boolean freshResults(Primitive p) {
        return FAMILY_EVAL.get(p.getClass()) || p instanceof Select || p instanceof ConvertElementType
                || p instanceof ReduceSum || p instanceof ReduceMax || p instanceof ReduceMin
                || p instanceof DotGeneral || p instanceof Concatenate;
    }

    /** Whether {@code e} is a broadcast_in_dim, which fuses as a strided read of its operand. */
    static boolean isBroadcast(Eqn e) {
        return e.primitive() instanceof BroadcastInDim;
    }

    /**
     * Whether {@code e} is a reduction (sum, max, min) of a float32 or float64 operand, which may join the group
     * that produces its operand (see {@link Fusion}) when {@link Fusion#fuseReductions} is on.
     */
    static boolean isReduction(Eqn e) {
        Primitive p = e.primitive();
        return (p instanceof ReduceSum || p instanceof ReduceMax || p instanceof ReduceMin)
                && e.inputs().length == 1 && e.outputs().length == 1 && isWideFloat(e.inputs()[0].aval().dtype())
                && generated(e);
    }

    private static boolean isWideFloat(DType t) {
        return t == DType.FLOAT32 || t == DType.FLOAT64;
    }

    /**
     * Whether generated code can hold every operand and result of {@code e}: float64, float32, float16,
     * bfloat16 (as the float of their value, rounded after each operation), int32 and bool. int64 and the
     * narrow integer types run unfused.
     */
    static boolean generated(Eqn e) {
        for (var v : e.inputs()) {
            if (!generated(v.aval().dtype())) {
                return false;
            }
        }
        for (var v : e.outputs()) {
            if (!generated(v.aval().dtype())) {
                return false;
            }
        }
        return true;
    }

    private static boolean generated(DType t) {
        return t == DType.FLOAT64 || t == DType.FLOAT32 || t == DType.FLOAT16 || t == DType.BFLOAT16
                || t == DType.INT32 || t == DType.BOOL;
    }

    /** Whether {@code e} can join a fused group (an elementwise computation or a broadcast read). */
    static boolean fusible(Eqn e) {
        return isBroadcast(e) && generated(e) || op(e, List.of()) != null;
    }

    /**
     * How generated code computes {@code e} on operands {@code args} (value numbers), or null if {@code e} is
     * not an elementwise computation that fuses (broadcasts are reads, not computations: null too).
     */
    static ElementOp op(Eqn e, List<Integer> args) {
        Primitive p = e.primitive();
        if (e.outputs().length != 1 || !generated(e)) {
            return null;
        }
        DType out = e.outputs()[0].aval().dtype();
        if (p instanceof Select && e.inputs().length == 3) {
            return new ElementOp(Form.SELECT, null, e.inputs()[1].aval().dtype(), out, args);
        }
        if (p instanceof ConvertElementType && e.inputs().length == 1) {
            return new ElementOp(Form.CONVERT, null, e.inputs()[0].aval().dtype(), out, args);
        }
        if (!FAMILY_EVAL.get(p.getClass())) {
            return null;
        }
        if (p instanceof ElementwiseUnary u && e.inputs().length == 1) {
            DType in = e.inputs()[0].aval().dtype();
            UnaryOp code = u.kernelOp();
            return code.hasLoop(in) && out == in ? new ElementOp(Form.UNARY_OP, code, in, out, args)
                    : new ElementOp(Form.UNARY_FN, p.getClass(), in, out, args);
        }
        if (p instanceof ElementwiseBinary b && e.inputs().length == 2) {
            DType in = e.inputs()[0].aval().dtype();
            BinaryOp code = b.kernelOp();
            return code.hasLoop(in) && out == (code.isComparison() ? DType.BOOL : in)
                    ? new ElementOp(Form.BINARY_OP, code, in, out, args)
                    : new ElementOp(Form.BINARY_FN, p.getClass(), in, out, args);
        }
        return null;
    }
}
