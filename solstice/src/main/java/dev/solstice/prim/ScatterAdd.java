package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.Batched;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Primitive;
import dev.solstice.core.Shapes;
import dev.solstice.core.Zero;
import dev.solstice.kernel.Kernels;

/**
 * Scatter-add in take-along-axis form (XLA's Scatter with add, JAX's {@code x.at[...].add} along one axis):
 * operand 0 is the array, operand 1 an int32 index array and operand 2 the updates, of the index array's shape,
 * which equals the array's on every axis but {@code axis}. {@code out = x}, then for each index position
 * {@code i}, {@code updates[i]} is added to {@code out[i with axis replaced by index[i]]}; repeated indices
 * accumulate. Indices are read as {@link Gather} reads them (negative from the end, then clamped). Linear in
 * the array and the updates together; the transpose passes the cotangent to the array and gathers it for
 * the updates.
 *
 * @param axis the axis indexed (negative counts from the end)
 */
public record ScatterAdd(int axis) implements Primitive {

    @Override
    public Aval[] shapeRule(Aval[] in) {
        Shapes.arity(this, in, 3);
        if (in[0].dtype() == DType.BOOL || in[2].dtype() != in[0].dtype() || !in[2].sameShape(in[1])) {
            throw new IllegalArgumentException(name() + ": operands " + Shapes.str(in) + " along axis " + axis
                    + "; need a numeric array, an int32 index array and updates of the array's dtype and the index"
                    + " array's shape");
        }
        Gather.checkIndexed(name(), in[0], in[1], axis, in);
        return new Aval[] {in[0]};
    }

    @Override
    public DenseArray[] eval(DenseArray[] in, Aval[] outAvals) {
        int a = Shapes.axis(name(), axis, in[0].aval().rank());
        return new DenseArray[] {Kernels.get().scatterInto(in[0], in[2], Gather.positions(in[0].aval(), in[1], a), true)};
    }

    @Override
    public Array[] jvp(Array[] primals, Array[] outs, Array[] tangents) {
        Array tx = tangents[0];
        Array tu = tangents[2];
        if (Zero.isZero(tu)) {
            return new Array[] {Zero.isZero(tx) ? Zero.like(outs[0]) : tx}; // adding nothing leaves the operand's tangent
        }
        return new Array[] {Ops.scatterAdd(Zero.instantiate(tx), primals[1], tu, axis)};
    }

    @Override
    public Array[] transpose(Array[] cts, Array[] args) {
        Array ct = cts[0];
        return new Array[] {Tangents.ifLinear(args[0], () -> ct), Zero.like(args[1]),
            Tangents.ifLinear(args[2], () -> Ops.takeAlongAxis(ct, args[1], axis))};
    }

    /** Batching: every operand gets a leading batch axis (unbatched ones by broadcasting). */
    @Override
    public Batched batch(Array[] vals, int[] dims, int axisSize) {
        Array[] f = BatchRules.allToFront(vals, dims, axisSize);
        int a = axis < 0 ? axis + f[0].ndim() - 1 : axis;
        return Batched.of(Ops.scatterAdd(f[0], f[1], f[2], a + 1), 0);
    }
}
