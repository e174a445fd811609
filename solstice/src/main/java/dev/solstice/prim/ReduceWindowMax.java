package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import dev.solstice.core.Zero;
import dev.solstice.kernel.Gathers;
import dev.solstice.kernel.Kernels;

/**
 * Maximum over sliding windows (XLA's ReduceWindow with max; JAX's {@code lax.reduce_window_max}), padding
 * with -inf (the least int32 for ints); see {@link WindowReducer}. Max pooling. NaN propagates.
 *
 * <p>JVP: each window's tangent is the tangent of its maximal element (JAX's select-and-gather-add with a
 * greater-or-equal selector, which keeps the element met first); at a tie inside a window the first tied
 * element in row-major window order takes the whole tangent, as JAX's select-and-scatter does (unlike
 * {@link ReduceMax}, whose tie rule is 1/k). The rule is written with pad, strided slices and elementwise
 * operations (one slice per window offset), so it is linear in the tangent, transposable and differentiable
 * again.
 *
 * @param windowDimensions the window's extent per axis
 * @param windowStrides the window's step per axis
 * @param paddingLo -inf elements before each axis
 * @param paddingHi -inf elements after each axis
 */
public record ReduceWindowMax(int[] windowDimensions, int[] windowStrides, int[] paddingLo, int[] paddingHi)
        implements WindowReducer {

    /** Copies the arrays, which records would otherwise share. */
    public ReduceWindowMax {
        windowDimensions = windowDimensions.clone();
        windowStrides = windowStrides.clone();
        paddingLo = paddingLo.clone();
        paddingHi = paddingHi.clone();
    }

    @Override
    public int[] windowDimensions() {
        return windowDimensions.clone();
    }

    @Override
    public int[] windowStrides() {
        return windowStrides.clone();
    }

    @Override
    public int[] paddingLo() {
        return paddingLo.clone();
    }

    @Override
    public int[] paddingHi() {
        return paddingHi.clone();
    }

    @Override
    public Kernels.Reduction kind() {
        return Kernels.Reduction.MAX;
    }

    @Override
    public WindowReducer with(int[] w, int[] s, int[] lo, int[] hi) {
        return new ReduceWindowMax(w, s, lo, hi);
    }

    @Override
    public Array[] jvp(Array[] primals, Array[] outs, Array[] tangents) {
        Array t = tangents[0];
        Array x = primals[0];
        Array out = outs[0];
        if (out.size() == 0) {
            return new Array[] {Zero.like(out)};
        }
        int r = x.ndim();
        int[] zero = new int[r];
        Array xp = Ops.pad(x, Ops.full(new Aval(x.dtype()), Double.NEGATIVE_INFINITY), paddingLo, paddingHi, zero);
        Array tp = Ops.pad(t, Ops.full(new Aval(t.dtype()), 0), paddingLo, paddingHi, zero);
        int[][] offsets = Gathers.multiIndices(windowDimensions);
        // taken: 1 where an earlier offset of the window already held the maximum (only the first one selects)
        Array taken = null;
        Array sum = null;
        for (int[] k : offsets) {
            int[] limit = new int[r];
            for (int a = 0; a < r; a++) {
                limit[a] = k[a] + (out.shape()[a] - 1) * windowStrides[a] + 1;
            }
            Array isMax = Ops.convert(Ops.eq(Ops.slice(xp, k, limit, windowStrides), out), x.dtype());
            Array first = taken == null ? isMax : Ops.mul(isMax, Ops.sub(Ops.fullLike(taken, 1), taken));
            Array picked = Ops.mul(first, Ops.slice(tp, k, limit, windowStrides));
            taken = taken == null ? first : Ops.add(taken, first);
            sum = sum == null ? picked : Ops.add(sum, picked);
        }
        return new Array[] {sum};
    }

    @Override
    public boolean equals(Object o) {
        return WindowReducer.sameWindow(this, o);
    }

    @Override
    public int hashCode() {
        return WindowReducer.hashWindow(this);
    }

    @Override
    public String toString() {
        return WindowReducer.printWindow("ReduceWindowMax", this);
    }
}
