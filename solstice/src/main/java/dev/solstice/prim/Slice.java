package dev.solstice.prim;

import dev.solstice.core.Batched;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Primitive;
import dev.solstice.core.Shapes;
import dev.solstice.core.Zero;
import java.util.Arrays;

/**
 * A strided window: along axis {@code a}, elements {@code start[a], start[a]+strides[a], ...} below
 * {@code limit[a]}. Linear; its transpose pads the cotangent back with zeros. Evaluates to a view of the
 * operand (see {@code DenseArray.view} for when a small slice is copied instead).
 *
 * @param start first index per axis
 * @param limit exclusive end per axis
 * @param strides step per axis (positive)
 */
public record Slice(int[] start, int[] limit, int[] strides) implements Primitive {
    /** Copies the arrays, which records would otherwise share. */
    public Slice {
        start = start.clone();
        limit = limit.clone();
        strides = strides.clone();
    }

    @Override
    public Aval[] shapeRule(Aval[] in) {
        Shapes.arity(this, in, 1);
        Aval x = in[0];
        boolean ok = start.length == x.rank() && limit.length == x.rank() && strides.length == x.rank();
        for (int a = 0; ok && a < x.rank(); a++) {
            ok = 0 <= start[a] && start[a] <= limit[a] && limit[a] <= x.dim(a) && strides[a] > 0;
        }
        if (!ok) {
            throw new IllegalArgumentException(name() + ": start " + Arrays.toString(start) + ", limit "
                    + Arrays.toString(limit) + ", strides " + Arrays.toString(strides) + " do not fit " + x.str()
                    + "; need 0 <= start <= limit <= length and positive strides, one per axis");
        }
        int[] out = new int[x.rank()];
        for (int a = 0; a < out.length; a++) {
            out[a] = (limit[a] - start[a] + strides[a] - 1) / strides[a];
        }
        return new Aval[] {new Aval(x.dtype(), out)};
    }

    /** A view: the offset moves to the start, each stride is multiplied by the step; nothing copied. */
    @Override
    public DenseArray[] eval(DenseArray[] in, Aval[] outAvals) {
        DenseArray x = in[0];
        int[] s = x.strides();
        int offset = x.offset();
        for (int a = 0; a < s.length; a++) {
            offset += start[a] * s[a];
            s[a] *= strides[a];
        }
        return new DenseArray[] {DenseArray.view(outAvals[0], x.storage(), offset, s)};
    }

    @Override
    public Array[] jvp(Array[] primals, Array[] outs, Array[] tangents) {
        return new Array[] {Ops.slice(tangents[0], start, limit, strides)};
    }

    @Override
    public Array[] transpose(Array[] cts, Array[] args) {
        Aval x = args[0].aval();
        Aval out = cts[0].aval();
        if (out.size() == 0) {
            return new Array[] {Zero.of(x)};
        }
        int[] lo = new int[x.rank()];
        int[] hi = new int[x.rank()];
        int[] interior = new int[x.rank()];
        for (int a = 0; a < x.rank(); a++) {
            lo[a] = start[a];
            hi[a] = x.dim(a) - (start[a] + (out.dim(a) - 1) * strides[a] + 1);
            interior[a] = strides[a] - 1;
        }
        return new Array[] {Ops.pad(cts[0], Ops.full(new Aval(x.dtype()), 0), lo, hi, interior)};
    }

    /** Equal when the parameters are equal element by element (a record alone would compare arrays by identity). */
    @Override
    public boolean equals(Object o) {
        return o instanceof Slice other && Arrays.equals(start, other.start) && Arrays.equals(limit, other.limit)
                && Arrays.equals(strides, other.strides);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(new Object[] {start, limit, strides});
    }

    @Override
    public String toString() {
        return "Slice[start=" + Arrays.toString(start) + ", limit=" + Arrays.toString(limit)
                + ", strides=" + Arrays.toString(strides) + "]";
    }

    /** Batching: the batch axis is kept whole. */
    @Override
    public Batched batch(Array[] vals, int[] dims, int axisSize) {
        int d = dims[0];
        return Batched.of(Ops.slice(vals[0], BatchRules.insert(start, d, 0), BatchRules.insert(limit, d, axisSize),
                BatchRules.insert(strides, d, 1)), d);
    }
}
