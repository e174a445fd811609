package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import dev.solstice.core.Zero;
import dev.solstice.kernel.Kernels;

/**
 * Sum over sliding windows (XLA's ReduceWindow with add; JAX's {@code lax.reduce_window_sum}), zero padding;
 * see {@link WindowReducer}. Average pooling divides it by the window size. Linear; its transpose (JAX's
 * rule) spreads the cotangent back over each window: the cotangent, dilated by the strides and padded, summed
 * over windows of the same extent with stride one.
 *
 * @param windowDimensions the window's extent per axis
 * @param windowStrides the window's step per axis
 * @param paddingLo zeros before each axis
 * @param paddingHi zeros after each axis
 */
public record ReduceWindowSum(int[] windowDimensions, int[] windowStrides, int[] paddingLo, int[] paddingHi)
        implements WindowReducer {

    /** Copies the arrays, which records would otherwise share. */
    public ReduceWindowSum {
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
        return Kernels.Reduction.SUM;
    }

    @Override
    public WindowReducer with(int[] w, int[] s, int[] lo, int[] hi) {
        return new ReduceWindowSum(w, s, lo, hi);
    }

    @Override
    public Array[] jvp(Array[] primals, Array[] outs, Array[] tangents) {
        return new Array[] {Ops.reduceWindowSum(tangents[0], windowDimensions, windowStrides, paddingLo, paddingHi)};
    }

    /** JAX's {@code _reduce_window_sum_transpose_rule}. */
    @Override
    public Array[] transpose(Array[] cts, Array[] args) {
        Aval x = args[0].aval();
        Array ct = cts[0];
        if (ct.size() == 0 || x.size() == 0) {
            return new Array[] {Zero.of(x)};
        }
        int r = x.rank();
        int[] lo = new int[r];
        int[] hi = new int[r];
        int[] interior = new int[r];
        int[] cropLo = new int[r];
        int[] cropHi = new int[r];
        boolean crop = false;
        for (int a = 0; a < r; a++) {
            int dilatedOut = ConvGeneralDilated.dilate(ct.shape()[a], windowStrides[a]);
            int before = windowDimensions[a] - paddingLo[a] - 1;
            int after = x.dim(a) + paddingLo[a] - dilatedOut;
            lo[a] = Math.max(0, before);
            hi[a] = Math.max(0, after);
            cropLo[a] = Math.max(0, -before);
            cropHi[a] = Math.max(0, -after);
            crop |= before < 0 || after < 0;
            interior[a] = windowStrides[a] - 1;
        }
        Array padded = Ops.pad(ct, Ops.full(new Aval(ct.dtype()), 0), lo, hi, interior);
        if (crop) {
            int[] limit = padded.shape();
            int[] ones = new int[r];
            for (int a = 0; a < r; a++) {
                limit[a] -= cropHi[a];
                ones[a] = 1;
            }
            padded = Ops.slice(padded, cropLo, limit, ones);
        }
        int[] ones = new int[r];
        java.util.Arrays.fill(ones, 1);
        return new Array[] {Ops.reduceWindowSum(padded, windowDimensions, ones, new int[r], new int[r])};
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
        return WindowReducer.printWindow("ReduceWindowSum", this);
    }
}
