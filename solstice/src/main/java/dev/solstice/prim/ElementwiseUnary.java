package dev.solstice.prim;

import dev.solstice.core.Interpreters;

import dev.solstice.core.Batched;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Primitive;
import dev.solstice.core.Shapes;
import dev.solstice.kernel.Kernels;
import dev.solstice.kernel.LongLoops;
import dev.solstice.kernel.UnaryOp;

/**
 * The family of elementwise functions of one array. A member gives its scalar function and its tangent;
 * the family derives the shape rule (same shape), evaluation and the JVP rule.
 */
public interface ElementwiseUnary extends Primitive {

    /** The scalar function on floating-point (and, where accepted, integer) elements. */
    double apply(double x);

    /**
     * The kernels' operation code for this function: {@link UnaryOp#GENERIC} (the default) makes the kernels
     * call {@link #apply}/{@link #applyInt} per element; a member with a code of its own gets a specialised loop,
     * whose results must equal its scalar function's.
     *
     * @return the operation code
     */
    default UnaryOp kernelOp() {
        return UnaryOp.GENERIC;
    }

    /** The function on int32 (and bool, as 0/1) elements; only called when {@link #accepts} allows them. */
    default int applyInt(int x) {
        throw new UnsupportedOperationException(name() + " on integers");
    }

    /**
     * The function on int64 elements (also uint32's compute type), when {@link #accepts} allows integers: the
     * operation code's own by default.
     */
    default long applyLong(long x) {
        if (kernelOp() == UnaryOp.GENERIC) {
            throw new UnsupportedOperationException(name() + " on int64");
        }
        return kernelOp().applyLong(x);
    }

    /** Whether an operand of this dtype is accepted; floating point by default. */
    default boolean accepts(DType t) {
        return t.isFloating();
    }

    /** The output dtype for an operand dtype; the same by default. */
    default DType outType(DType in) {
        return in;
    }

    /**
     * The output tangent for input tangent {@code g} (never a symbolic zero) at input {@code x} with output
     * {@code y}; {@code Zero.like(y)} where the derivative is zero.
     */
    Array tangent(Array g, Array x, Array y);

    @Override
    default Aval[] shapeRule(Aval[] in) {
        Shapes.arity(this, in, 1);
        if (!accepts(in[0].dtype())) {
            throw new IllegalArgumentException(name() + ": operand of dtype " + in[0].dtype() + " (" + in[0].str()
                    + ") is not supported; convert it first with Jnp.astype");
        }
        return new Aval[] {in[0].withDType(outType(in[0].dtype()))};
    }

    @Override
    default DenseArray[] eval(DenseArray[] in, Aval[] outAvals) {
        DType t = in[0].aval().dtype();
        if (t == DType.INT64) {
            return new DenseArray[] {LongLoops.map(in[0], outType(t), this::applyLong)};
        }
        UnaryOp op = kernelOp();
        Kernels k = Kernels.get();
        // no fallback lambdas (an allocation per call) where the operation's own loop runs
        return new DenseArray[] {op.hasLoop(t) && outType(t) == t ? k.map(in[0], t, op, null, null)
                : k.map(in[0], outType(t), op, this::apply, this::applyInt)};
    }

    @Override
    default Array[] jvp(Array[] primals, Array[] outs, Array[] tangents) {
        return new Array[] {tangent(tangents[0], primals[0], outs[0])};
    }
    /** Batching: elementwise, so the batch axis passes straight through. */
    @Override
    default Batched batch(Array[] vals, int[] dims, int axisSize) {
        return Batched.of(Interpreters.bind1(this, vals[0]), dims[0]);
    }

}
