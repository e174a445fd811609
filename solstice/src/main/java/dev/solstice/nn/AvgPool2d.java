package dev.solstice.nn;

import dev.solstice.Array;
import dev.solstice.tree.Tree;

/**
 * Mean over sliding windows (Equinox's {@code eqx.nn.AvgPool2d}) over the 2 spatial axes of one example {@code [channels, ...]}.
 * Equinox's defaults: stride 1, no padding; padding zeros count in the mean (the sum is divided by the full window size).
 *
 * {@snippet lang=java :
 * AvgPool2d pool = new AvgPool2d(2, 2);
 * pool.apply(Jnp.ones(DType.FLOAT32, 3, 8, 8))   // float32[3,4,4]
 * }
 *
 * @param spec kernel size, stride, padding and ceil mode (static)
 */
public record AvgPool2d(PoolSpec spec) implements Layer {
    private static final int N = 2;

    /** Every option; single values are used for every axis. */
    public AvgPool2d(int[] kernelSize, int[] stride, Padding padding, boolean useCeil) {
        this(PoolSpec.forAxes("AvgPool2d", N, kernelSize, stride, padding, useCeil));
    }

    /** Stride 1, no padding. */
    public AvgPool2d(int kernelSize) {
        this(new int[] {kernelSize}, new int[] {1}, Padding.of(0, N), false);
    }

    /** The given kernel size and stride, no padding. */
    public AvgPool2d(int kernelSize, int stride) {
        this(new int[] {kernelSize}, new int[] {stride}, Padding.of(0, N), false);
    }

    /**
     * Applies the layer to one example (batch with {@code Jax.vmap}).
     *
     * {@snippet lang=java :
     * AvgPool2d pool = new AvgPool2d(2, 2);
     * pool.apply(Jnp.ones(DType.FLOAT32, 3, 8, 8))   // float32[3,4,4]
     * }
     */
    @Override
    public Array apply(Array x) {
        return Pooling.window("AvgPool2d", x, spec, false);
    }

    /** Equinox's {@code tree_pformat} rendering ({@link Tree#pformat}): arrays as dtype and shape. */
    @Override
    public String toString() {
        return Tree.pformat(this);
    }
}
