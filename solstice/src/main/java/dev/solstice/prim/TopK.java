package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.Batched;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Interpreters;
import dev.solstice.core.Primitive;
import dev.solstice.core.Shapes;
import dev.solstice.core.Zero;
import dev.solstice.kernel.TopKSelection;
import java.util.Arrays;

/**
 * The {@code k} largest elements along the last axis and their int32 positions (JAX's {@code top_k}):
 * {@code [..., n] -> [..., k]} twice, largest first, equal values by lower position, NaN largest, -0.0 equal to
 * 0.0; selected without a full sort (see {@link TopKSelection}). float32, float64, int32 or int64 (compared as
 * longs); the narrow types are computed in their wider type.
 *
 * <p>JVP as JAX's: the tangent gathered at the chosen positions ({@code takeAlongAxis}), so reverse mode is
 * the gather's transpose (a scatter-add); the positions have a zero tangent. Batching moves the batch axis to
 * the front (the selection works on the last axis, which stays last).
 *
 * @param k how many elements to keep, {@code 0 <= k <= n}
 */
public record TopK(int k) implements Primitive {

    @Override
    public Aval[] shapeRule(Aval[] in) {
        Shapes.arity(this, in, 1);
        Aval x = in[0];
        DType t = x.dtype();
        int r = x.rank();
        if (r == 0 || k < 0 || k > x.dim(r - 1) || !(t.isFloating() || t.isInteger())) {
            throw new IllegalArgumentException(name() + ": k = " + k + " for operand " + x.str() + "; need a floating-point"
                    + " or integer operand of rank at least 1 and 0 <= k <= the length of its last axis");
        }
        int[] shape = x.shape().clone();
        shape[r - 1] = k;
        return new Aval[] {new Aval(t, shape), new Aval(DType.INT32, shape)};
    }

    @Override
    public DenseArray[] eval(DenseArray[] in, Aval[] outAvals) {
        Aval a = in[0].aval();
        int n = a.dim(a.rank() - 1);
        int rows = n == 0 ? 0 : a.size() / n;
        int[] indices = new int[rows * k];
        if (a.dtype() == DType.INT64) {
            long[] x = in[0].contiguous().longs();
            TopKSelection.select(x, rows, n, k, indices);
            long[] l = new long[rows * k];
            for (int i = 0; i < l.length; i++) {
                l[i] = x[i / k * n + indices[i]];
            }
            return new DenseArray[] {DenseArray.wrap(outAvals[0], l), DenseArray.wrap(outAvals[1], indices)};
        }
        double[] x = in[0].contiguous().toDoubleArray();
        double[] values = new double[rows * k];
        TopKSelection.select(x, rows, n, k, values, indices);
        DenseArray v = switch (a.dtype()) {
            case FLOAT64 -> DenseArray.wrap(outAvals[0], values);
            case FLOAT32 -> {
                float[] f = new float[values.length];
                for (int i = 0; i < f.length; i++) {
                    f[i] = (float) values[i];
                }
                yield DenseArray.wrap(outAvals[0], f);
            }
            default -> DenseArray.wrap(outAvals[0], Arrays.stream(values).mapToInt(d -> (int) d).toArray());
        };
        return new DenseArray[] {v, DenseArray.wrap(outAvals[1], indices)};
    }

    @Override
    public Array[] jvp(Array[] primals, Array[] outs, Array[] tangents) {
        Array indices = outs[1];
        return new Array[] {Ops.takeAlongAxis(tangents[0], indices, indices.ndim() - 1), Zero.like(indices)};
    }

    @Override
    public Batched batch(Array[] vals, int[] dims, int axisSize) {
        return new Batched(Interpreters.bind(this, BatchRules.allToFront(vals, dims, axisSize)), new int[2]);
    }
}
