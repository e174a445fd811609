package dev.solstice.prim;

import dev.solstice.core.Batched;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Primitive;
import dev.solstice.core.Shapes;
import java.util.Arrays;

/**
 * Broadcasts an operand to {@code shape}: operand axis {@code i} becomes result axis
 * {@code broadcastDimensions[i]} (strictly increasing) and must have length 1 or the result's length there.
 * Linear; its transpose sums over the broadcast axes. Evaluates to a view of the operand (no copy).
 *
 * @param shape the result shape
 * @param broadcastDimensions for each operand axis, the result axis it maps to
 */
public record BroadcastInDim(int[] shape, int[] broadcastDimensions) implements Primitive {
    /** Copies the arrays, which records would otherwise share. */
    public BroadcastInDim {
        shape = shape.clone();
        broadcastDimensions = broadcastDimensions.clone();
    }

    @Override
    public Aval[] shapeRule(Aval[] in) {
        Shapes.arity(this, in, 1);
        Aval x = in[0];
        boolean ok = broadcastDimensions.length == x.rank();
        for (int i = 0; ok && i < x.rank(); i++) {
            int d = broadcastDimensions[i];
            ok = d >= 0 && d < shape.length && (i == 0 || d > broadcastDimensions[i - 1])
                    && (x.dim(i) == 1 || x.dim(i) == shape[d]);
        }
        if (!ok) {
            throw new IllegalArgumentException(name() + ": cannot broadcast " + x.str() + " to shape "
                    + Arrays.toString(shape) + " with broadcast_dimensions " + Arrays.toString(broadcastDimensions)
                    + "; each operand axis needs length 1 or the target length, mapped in increasing order");
        }
        return new Aval[] {new Aval(x.dtype(), shape)};
    }

    /** A view: each operand axis keeps its stride, new and stretched axes get stride 0; nothing copied. */
    @Override
    public DenseArray[] eval(DenseArray[] in, Aval[] outAvals) {
        DenseArray x = in[0];
        int[] xs = x.strides();
        int[] s = new int[shape.length];
        for (int i = 0; i < xs.length; i++) {
            s[broadcastDimensions[i]] = x.aval().dim(i) == 1 ? 0 : xs[i];
        }
        return new DenseArray[] {DenseArray.view(outAvals[0], x.storage(), x.offset(), s)};
    }

    @Override
    public Array[] jvp(Array[] primals, Array[] outs, Array[] tangents) {
        return new Array[] {Ops.broadcastInDim(tangents[0], shape, broadcastDimensions)};
    }

    @Override
    public Array[] transpose(Array[] cts, Array[] args) {
        Aval x = args[0].aval();
        int[] summed = new int[shape.length];
        int n = 0;
        for (int a = 0; a < shape.length; a++) {
            int i = indexOf(broadcastDimensions, a);
            if (i < 0 || (x.dim(i) == 1 && shape[a] != 1)) {
                summed[n++] = a;
            }
        }
        Array s = Ops.reduceSum(cts[0], Arrays.copyOf(summed, n));
        return new Array[] {Ops.reshape(s, x.shape())};
    }

    private static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == v) {
                return i;
            }
        }
        return -1;
    }

    /** Equal when the parameters are equal element by element (a record alone would compare arrays by identity). */
    @Override
    public boolean equals(Object o) {
        return o instanceof BroadcastInDim other && Arrays.equals(shape, other.shape)
                && Arrays.equals(broadcastDimensions, other.broadcastDimensions);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(new Object[] {shape, broadcastDimensions});
    }

    @Override
    public String toString() {
        return "BroadcastInDim[shape=" + Arrays.toString(shape)
                + ", broadcastDimensions=" + Arrays.toString(broadcastDimensions) + "]";
    }

    /** Batching: the batch axis goes first and is carried as a leading result axis. */
    @Override
    public Batched batch(Array[] vals, int[] dims, int axisSize) {
        Array x = BatchRules.moveAxis(vals[0], dims[0], 0);
        return Batched.of(Ops.broadcastInDim(x, BatchRules.prepend(axisSize, shape), BatchRules.prepend(0, BatchRules.plusOne(broadcastDimensions))), 0);
    }
}
