package dev.solstice.nn;

import dev.solstice.Array;
import dev.solstice.Jnp;
import dev.solstice.Lax;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** What the pooling layers share: windowed max and mean over the spatial axes of one example, and adaptive pooling. */
final class Pooling {
    private Pooling() {}

    /** Max (or mean) over windows of one example {@code x} [channels, spatial...]. */
    static Array window(String layer, Array x, PoolSpec spec, boolean max) {
        int[] kernel = spec.kernelSize();
        int[] stride = spec.stride();
        Padding padding = spec.padding();
        boolean useCeil = spec.useCeil();
        int n = kernel.length;
        if (x.ndim() != n + 1) {
            throw new IllegalArgumentException(layer + ": expected one example of shape [channels, " + n + " spatial axes], got "
                    + x.aval().str() + " (use Jax.vmap for a batch)");
        }
        int[] spatial = Arrays.copyOfRange(x.shape(), 1, x.ndim());
        for (int d = 0; d < n; d++) {
            if (kernel[d] > spatial[d] + (padding.mode() == null ? padding.lo()[d] + padding.hi()[d] : kernel[d])) {
                throw new IllegalArgumentException(layer + ": kernel " + Arrays.toString(kernel) + " is larger than the padded input "
                        + x.aval().str());
            }
        }
        int[] ones = new int[n];
        Arrays.fill(ones, 1);
        int[][] pads = padding.resolve(layer, spatial, kernel, ones, stride);
        if (useCeil) {
            for (int d = 0; d < n; d++) {
                int rest = (spatial[d] + pads[0][d] + pads[1][d] - kernel[d]) % stride[d];
                if (rest != 0) {
                    pads[1][d] += stride[d] - rest;
                }
            }
        }
        int[] win = prepend(1, kernel);
        int[] str = prepend(1, stride);
        int[] lo = prepend(0, pads[0]);
        int[] hi = prepend(0, pads[1]);
        if (max) {
            return Lax.reduceWindowMax(x, win, str, lo, hi);
        }
        int size = 1;
        for (int k : kernel) {
            size *= k;
        }
        return Jnp.divide(Lax.reduceWindowSum(x, win, str, lo, hi), (double) size);
    }

    /**
     * Adaptive pooling to {@code target} spatial sizes, axis by axis, with Equinox's bins: an axis of
     * {@code in} inputs is cut into {@code out} consecutive bins, the first {@code in % out} of them one longer
     * than the others ({@code in / out}); PyTorch's bins differ (they may overlap).
     */
    static Array adaptive(String layer, Array x, int[] target, boolean max) {
        int n = target.length;
        if (x.ndim() != n + 1) {
            throw new IllegalArgumentException(layer + ": expected one example of shape [channels, " + n + " spatial axes], got "
                    + x.aval().str() + " (use Jax.vmap for a batch)");
        }
        Array v = x;
        for (int d = 0; d < n; d++) {
            int axis = d + 1;
            int in = v.shape()[axis];
            int out = target[d];
            if (out <= 0 || out > in) {
                throw new IllegalArgumentException(layer + ": target size " + out + " must be between 1 and the input size "
                        + in + " along spatial axis " + d);
            }
            List<Array> pieces = new ArrayList<>();
            int base = in / out;
            int longer = in % out;
            for (int i = 0; i < out; i++) {
                int from = i * base + Math.min(i, longer);
                Array region = Lax.sliceInDim(v, from, from + base + (i < longer ? 1 : 0), axis);
                pieces.add(max ? Jnp.max(region, new int[] {axis}, true) : Jnp.mean(region, new int[] {axis}, true));
            }
            v = Jnp.concatenate(pieces, axis);
        }
        return v;
    }

    private static int[] prepend(int head, int[] rest) {
        int[] r = new int[rest.length + 1];
        r[0] = head;
        System.arraycopy(rest, 0, r, 1, rest.length);
        return r;
    }
}
