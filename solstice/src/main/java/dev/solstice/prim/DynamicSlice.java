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
 * A window of fixed size {@code sliceSizes} at a start given at run time (XLA's DynamicSlice, JAX's
 * {@code lax.dynamic_slice}): operand 0 is the array, operands 1..rank are int32 scalars, one start index per
 * axis. As in XLA each start is clamped into {@code [0, length - size]}, so the window always lies inside the
 * array. Linear in the array (the indices are never differentiated); its transpose writes the cotangent into
 * zeros with {@link DynamicUpdateSlice}.
 *
 * @param sliceSizes the window's length per axis
 */
public record DynamicSlice(int[] sliceSizes) implements Primitive {
    /** Copies the array, which records would otherwise share. */
    public DynamicSlice {
        sliceSizes = sliceSizes.clone();
    }

    @Override
    public Aval[] shapeRule(Aval[] in) {
        Aval x = in.length > 0 ? in[0] : null;
        boolean ok = x != null && in.length == x.rank() + 1 && sliceSizes.length == x.rank();
        for (int a = 0; ok && a < x.rank(); a++) {
            ok = sliceSizes[a] >= 0 && sliceSizes[a] <= x.dim(a);
        }
        if (!ok) {
            throw new IllegalArgumentException(name() + ": operands " + Shapes.str(in) + " with slice sizes "
                    + Arrays.toString(sliceSizes) + "; need an array, one int32 scalar start index per axis, and one size"
                    + " per axis between 0 and the axis length");
        }
        checkIndices(name(), in, 1);
        return new Aval[] {new Aval(x.dtype(), sliceSizes)};
    }

    /** Checks that operands {@code from..} are int32 scalars. */
    static void checkIndices(String name, Aval[] in, int from) {
        for (int i = from; i < in.length; i++) {
            if (in[i].dtype() != DType.INT32 || in[i].rank() != 0) {
                throw new IllegalArgumentException(name + ": start indices must be int32 scalars, got operands "
                        + Shapes.str(in));
            }
        }
    }

    /** The start indices of operands {@code from..}, each clamped into {@code [0, dim - size]}. */
    static int[] clampedStarts(DenseArray[] in, int from, int[] dims, int[] sizes) {
        int[] s = new int[dims.length];
        for (int a = 0; a < s.length; a++) {
            s[a] = Math.max(0, Math.min(in[from + a].ints()[0], dims[a] - sizes[a]));
        }
        return s;
    }

    @Override
    public DenseArray[] eval(DenseArray[] in, Aval[] outAvals) {
        Aval x = in[0].aval();
        Aval out = outAvals[0];
        int[] start = clampedStarts(in, 1, x.shape(), sliceSizes);
        int[] xs = Shapes.strides(x.shape());
        int base = 0;
        for (int a = 0; a < start.length; a++) {
            base += start[a] * xs[a];
        }
        if (out.size() == 0) {
            return new DenseArray[] {DenseArray.full(out, 0)};
        }
        return new DenseArray[] {Kernels.get().gather(in[0], Shapes.strideMap(sliceSizes, xs, base), out)};
    }

    @Override
    public Array[] jvp(Array[] primals, Array[] outs, Array[] tangents) {
        return new Array[] {Tangents.unlessZero(tangents[0], outs[0],
                () -> Ops.dynamicSlice(tangents[0], Arrays.copyOfRange(primals, 1, primals.length), sliceSizes))};
    }

    @Override
    public Array[] transpose(Array[] cts, Array[] args) {
        Array[] r = new Array[args.length];
        Array[] starts = Arrays.copyOfRange(args, 1, args.length);
        r[0] = Ops.dynamicUpdateSlice(Ops.full(args[0].aval(), 0), cts[0], starts);
        for (int i = 1; i < r.length; i++) {
            r[i] = Zero.like(args[i]);
        }
        return r;
    }

    /**
     * Batching: with the start indices unbatched the batch axis is kept whole (start 0, full length); with
     * batched start indices, by gathers (see {@link #batchedStarts}).
     */
    @Override
    public Batched batch(Array[] vals, int[] dims, int axisSize) {
        for (int i = 1; i < dims.length; i++) {
            if (dims[i] != Batched.NOT_BATCHED) {
                return batchedStarts(vals, dims, axisSize);
            }
        }
        int d = dims[0];
        Array[] starts = new Array[vals.length];
        for (int i = 1, k = 0; k < starts.length; k++) {
            starts[k] = k == d ? Array.scalar(0) : vals[i++];
        }
        return Batched.of(Ops.dynamicSlice(vals[0], starts, BatchRules.insert(sliceSizes, d, axisSize)), d);
    }

    /**
     * Per-example starts: one {@link Gather} per axis, of the clamped start plus 0, 1, ... along that axis
     * (each example's own start), on the operand with a leading batch axis.
     */
    private Batched batchedStarts(Array[] vals, int[] dims, int axisSize) {
        if (axisSize == 0) {
            return BatchRules.byLoop(this, vals, dims, axisSize);
        }
        Array x = BatchRules.toFront(vals[0], dims[0], axisSize);
        for (int a = 0; a < sliceSizes.length; a++) {
            int n = x.shape()[a + 1];
            Array start = BatchRules.toFront(vals[a + 1], dims[a + 1], axisSize);
            Array hi = Ops.full(new Aval(DType.INT32, axisSize), n - sliceSizes[a]);
            start = Ops.max(Ops.min(start, hi), Ops.full(new Aval(DType.INT32, axisSize), 0));
            int[] shape = x.shape();
            shape[a + 1] = sliceSizes[a];
            if (Shapes.size(shape) == 0) {
                return Batched.of(Ops.full(new Aval(x.dtype(), BatchRules.prepend(axisSize, sliceSizes)), 0), 0);
            }
            Array idx = Ops.add(Ops.broadcastInDim(start, shape, new int[] {0}), Ops.iota(DType.INT32, shape, a + 1));
            x = Ops.takeAlongAxis(x, idx, a + 1);
        }
        return Batched.of(x, 0);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DynamicSlice other && Arrays.equals(sliceSizes, other.sliceSizes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sliceSizes);
    }

    @Override
    public String toString() {
        return "DynamicSlice[sliceSizes=" + Arrays.toString(sliceSizes) + "]";
    }
}
