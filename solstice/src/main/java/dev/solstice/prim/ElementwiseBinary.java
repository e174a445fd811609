package dev.solstice.prim;

import dev.solstice.core.Interpreters;

import dev.solstice.core.Batched;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Primitive;
import dev.solstice.core.Shapes;
import dev.solstice.kernel.BinaryOp;
import dev.solstice.kernel.Kernels;
import dev.solstice.kernel.LongLoops;

/**
 * The family of elementwise functions of two arrays of equal shape and dtype (the lax level: broadcasting
 * and promotion happen in {@code Jnp}). A member gives its scalar function and one tangent per operand.
 */
public interface ElementwiseBinary extends Primitive {

    /** The scalar function on floating-point elements. */
    double apply(double x, double y);

    /**
     * The kernels' operation code for this function: {@link BinaryOp#GENERIC} (the default) makes the kernels
     * call {@link #apply}/{@link #applyInt} per element; a member with a code of its own gets a specialised loop,
     * whose results must equal its scalar function's.
     *
     * @return the operation code
     */
    default BinaryOp kernelOp() {
        return BinaryOp.GENERIC;
    }

    /** The function on int32 (and bool as 0/1) elements, when {@link #accepts} allows them. */
    default int applyInt(int x, int y) {
        throw new UnsupportedOperationException(name() + " on integers");
    }

    /**
     * The function on int64 elements (also uint32's compute type), when {@link #accepts} allows integers: the
     * operation code's own by default.
     */
    default long applyLong(long x, long y) {
        if (kernelOp() == BinaryOp.GENERIC) {
            throw new UnsupportedOperationException(name() + " on int64");
        }
        return kernelOp().applyLong(x, y);
    }

    /** Whether operands of this dtype are accepted; floating point and integers by default. */
    default boolean accepts(DType t) {
        return t.isFloating() || t.isInteger();
    }

    /** The output dtype; the operands' by default. */
    default DType outType(DType in) {
        return in;
    }

    /** Output tangent from the left operand's tangent {@code g} (never a symbolic zero); {@code Zero.like(out)} for zero. */
    Array tangentLhs(Array g, Array x, Array y, Array out);

    /** Output tangent from the right operand's tangent {@code g} (never a symbolic zero); {@code Zero.like(out)} for zero. */
    Array tangentRhs(Array g, Array x, Array y, Array out);

    @Override
    default Aval[] shapeRule(Aval[] in) {
        Shapes.arity(this, in, 2);
        if (!in[0].equals(in[1])) {
            throw new IllegalArgumentException(name() + ": operands must have the same shape and dtype, got "
                    + Shapes.str(in) + "; Jnp functions broadcast and promote, lax-level primitives do not");
        }
        if (!accepts(in[0].dtype())) {
            throw new IllegalArgumentException(name() + ": operands of dtype " + in[0].dtype() + " (" + Shapes.str(in)
                    + ") are not supported; convert them first with Jnp.astype");
        }
        return new Aval[] {in[0].withDType(outType(in[0].dtype()))};
    }

    @Override
    default DenseArray[] eval(DenseArray[] in, Aval[] outAvals) {
        DType t = in[0].aval().dtype();
        DType out = outType(t);
        if (t == DType.INT64) {
            BinaryOp code = kernelOp();
            return new DenseArray[] {code != BinaryOp.GENERIC && code != BinaryOp.POW
                    && out == (code.isComparison() ? DType.BOOL : t) ? LongLoops.zip(in[0], in[1], code)
                    : LongLoops.zip(in[0], in[1], out, this::applyLong)};
        }
        BinaryOp op = kernelOp();
        Kernels k = Kernels.get();
        // no fallback lambdas (an allocation per call) where the operation's own loop runs
        return new DenseArray[] {op.hasLoop(t) && out == (op.isComparison() ? DType.BOOL : t)
                ? k.zip(in[0], in[1], out, op, null, null) : k.zip(in[0], in[1], out, op, this::apply, this::applyInt)};
    }

    @Override
    default Array[] jvp(Array[] primals, Array[] outs, Array[] tangents) {
        Array x = primals[0];
        Array y = primals[1];
        Array l = Tangents.unlessZero(tangents[0], outs[0], () -> tangentLhs(tangents[0], x, y, outs[0]));
        Array r = Tangents.unlessZero(tangents[1], outs[0], () -> tangentRhs(tangents[1], x, y, outs[0]));
        return new Array[] {Tangents.add(l, r)};
    }
    /** Batching: operands batched on the same axis are combined directly; otherwise both batch axes go first. */
    @Override
    default Batched batch(Array[] vals, int[] dims, int axisSize) {
        if (dims[0] == dims[1]) {
            return Batched.of(Interpreters.bind1(this, vals[0], vals[1]), dims[0]);
        }
        Array[] front = BatchRules.allToFront(vals, dims, axisSize);
        return Batched.of(Interpreters.bind1(this, front), 0);
    }

}
