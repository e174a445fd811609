package dev.solstice.nn;

import dev.solstice.Array;
import dev.solstice.tree.Tree;

/**
 * Mean over sliding windows (Equinox's {@code eqx.nn.AvgPool1d}) over the 1 spatial axes of one example {@code [channels, ...]}.
 * Equinox's defaults: stride 1, no padding; padding zeros count in the mean (the sum is divided by the full window size).
 *
 * {@snippet lang=java :
 * AvgPool1d pool = new AvgPool1d(2, 2);
 * pool.apply(Array.of(new float[] {1, 3, 5, 7}, 1, 4))   // Array(float32[1,2], [[2.0, 6.0]])
 * }
 *
 * @param spec kernel size, stride, padding and ceil mode (static)
 */
public record AvgPool1d(PoolSpec spec) implements Layer {
    private static final int N = 1;

    /** Every option; single values are used for every axis. */
    public AvgPool1d(int[] kernelSize, int[] stride, Padding padding, boolean useCeil) {
        this(PoolSpec.forAxes("AvgPool1d", N, kernelSize, stride, padding, useCeil));
    }

    /** Stride 1, no padding. */
    public AvgPool1d(int kernelSize) {
        this(new int[] {kernelSize}, new int[] {1}, Padding.of(0, N), false);
    }

    /** The given kernel size and stride, no padding. */
    public AvgPool1d(int kernelSize, int stride) {
        this(new int[] {kernelSize}, new int[] {stride}, Padding.of(0, N), false);
    }

    /**
     * Applies the layer to one example (batch with {@code Jax.vmap}).
     *
     * {@snippet lang=java :
     * AvgPool1d pool = new AvgPool1d(2, 2);
     * pool.apply(Array.of(new float[] {1, 3, 5, 7}, 1, 4))   // Array(float32[1,2], [[2.0, 6.0]])
     * }
     */
    @Override
    public Array apply(Array x) {
        return Pooling.window("AvgPool1d", x, spec, false);
    }

    /** Equinox's {@code tree_pformat} rendering ({@link Tree#pformat}): arrays as dtype and shape. */
    @Override
    public String toString() {
        return Tree.pformat(this);
    }
}
