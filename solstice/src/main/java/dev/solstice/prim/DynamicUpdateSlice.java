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
import java.util.Arrays;

/**
 * The array (operand 0) with a block (operand 1, same rank and dtype, no longer along any axis) written over
 * it at a start given at run time (XLA's DynamicUpdateSlice, JAX's {@code lax.dynamic_update_slice});
 * operands 2.. are int32 scalars, one start per axis, each clamped into {@code [0, length - block length]}
 * as in XLA. Linear in the array and the block together; the transpose of the array's part zeroes the
 * overwritten block, the block's part slices it out with {@link DynamicSlice}.
 */
public record DynamicUpdateSlice() implements Primitive {

    @Override
    public Aval[] shapeRule(Aval[] in) {
        boolean ok = in.length >= 2 && in.length == in[0].rank() + 2 && in[1].rank() == in[0].rank()
                && in[1].dtype() == in[0].dtype();
        for (int a = 0; ok && a < in[0].rank(); a++) {
            ok = in[1].dim(a) <= in[0].dim(a);
        }
        if (!ok) {
            throw new IllegalArgumentException(name() + ": operands " + Shapes.str(in) + "; need an array, an update of"
                    + " the same rank and dtype no longer than the array along any axis, and one int32 scalar start"
                    + " index per axis");
        }
        DynamicSlice.checkIndices(name(), in, 2);
        return new Aval[] {in[0]};
    }

    @Override
    public DenseArray[] eval(DenseArray[] in, Aval[] outAvals) {
        Aval x = in[0].aval();
        Aval u = in[1].aval();
        int[] start = DynamicSlice.clampedStarts(in, 2, x.shape(), u.shape());
        int[] xs = Shapes.strides(x.shape());
        int base = 0;
        for (int a = 0; a < start.length; a++) {
            base += start[a] * xs[a];
        }
        int[] target = u.size() == 0 ? new int[0] : Shapes.strideMap(u.shape(), xs, base);
        return new DenseArray[] {Kernels.get().scatterInto(in[0], in[1], target, false)};
    }

    @Override
    public Array[] jvp(Array[] primals, Array[] outs, Array[] tangents) {
        if (Zero.isZero(tangents[0]) && Zero.isZero(tangents[1])) {
            return new Array[] {Zero.like(outs[0])};
        }
        // the zeros are needed: each tangent fills the part of the result the other does not cover
        Array tx = Zero.instantiate(tangents[0]);
        Array tu = Zero.instantiate(tangents[1]);
        return new Array[] {Ops.dynamicUpdateSlice(tx, tu, Arrays.copyOfRange(primals, 2, primals.length))};
    }

    @Override
    public Array[] transpose(Array[] cts, Array[] args) {
        Array[] r = new Array[args.length];
        Array ct = cts[0];
        Array[] starts = Arrays.copyOfRange(args, 2, args.length);
        r[0] = Tangents.ifLinear(args[0], () -> Ops.dynamicUpdateSlice(ct, Ops.full(args[1].aval(), 0), starts));
        r[1] = Tangents.ifLinear(args[1], () -> Ops.dynamicSlice(ct, starts, args[1].aval().shape()));
        for (int i = 2; i < r.length; i++) {
            r[i] = Zero.like(args[i]);
        }
        return r;
    }

    /**
     * Batching: with the start indices unbatched, array and update get a leading batch axis (start 0); with
     * batched start indices, by scatter-adds and a select (see {@link #batchedStarts}).
     */
    @Override
    public Batched batch(Array[] vals, int[] dims, int axisSize) {
        for (int i = 2; i < dims.length; i++) {
            if (dims[i] != Batched.NOT_BATCHED) {
                return batchedStarts(vals, dims, axisSize);
            }
        }
        Array x = BatchRules.toFront(vals[0], dims[0], axisSize);
        Array u = BatchRules.toFront(vals[1], dims[1], axisSize);
        Array[] starts = new Array[vals.length - 1];
        starts[0] = Array.scalar(0);
        System.arraycopy(vals, 2, starts, 1, vals.length - 2);
        return Batched.of(Ops.dynamicUpdateSlice(x, u, starts), 0);
    }

    /**
     * Per-example starts: the update (and a mask of ones) is placed into zeros of the array's shape by one
     * {@link ScatterAdd} per axis at the clamped start plus 0, 1, ... (distinct positions, so the adds are
     * writes), and the result selects the placed update where the mask says so. Bool arrays, which
     * scatter_add does not take, and empty batches go through the per-example loop.
     */
    private Batched batchedStarts(Array[] vals, int[] dims, int axisSize) {
        if (axisSize == 0 || vals[0].dtype() == DType.BOOL) {
            return BatchRules.byLoop(this, vals, dims, axisSize);
        }
        Array x = BatchRules.toFront(vals[0], dims[0], axisSize);
        Array placed = BatchRules.toFront(vals[1], dims[1], axisSize);
        Array mask = Ops.full(new Aval(DType.INT32, placed.shape()), 1);
        int rank = x.ndim() - 1;
        for (int a = 0; a < rank; a++) {
            int n = x.shape()[a + 1];
            int m = placed.shape()[a + 1];
            Array start = BatchRules.toFront(vals[a + 2], dims[a + 2], axisSize);
            Array hi = Ops.full(new Aval(DType.INT32, axisSize), n - m);
            start = Ops.max(Ops.min(start, hi), Ops.full(new Aval(DType.INT32, axisSize), 0));
            int[] shape = placed.shape();
            Array idx = Ops.add(Ops.broadcastInDim(start, shape, new int[] {0}), Ops.iota(DType.INT32, shape, a + 1));
            int[] target = placed.shape();
            target[a + 1] = n;
            placed = Ops.scatterAdd(Ops.full(new Aval(x.dtype(), target), 0), idx, placed, a + 1);
            mask = Ops.scatterAdd(Ops.full(new Aval(DType.INT32, target), 0), idx, mask, a + 1);
        }
        Array where = Ops.ne(mask, Ops.full(mask.aval(), 0));
        return Batched.of(Ops.select(where, placed, x), 0);
    }
}
