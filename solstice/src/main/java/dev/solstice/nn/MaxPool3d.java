package dev.solstice.nn;

import dev.solstice.Array;
import dev.solstice.tree.Tree;

/**
 * Maximum over sliding windows (Equinox's {@code eqx.nn.MaxPool3d}) over the 3 spatial axes of one example {@code [channels, ...]}.
 * Equinox's defaults: stride 1, no padding.
 *
 * {@snippet lang=java :
 * MaxPool3d pool = new MaxPool3d(2, 2);
 * pool.apply(Jnp.ones(DType.FLOAT32, 2, 4, 4, 4))   // float32[2,2,2,2]
 * }
 *
 * @param spec kernel size, stride, padding and ceil mode (static)
 */
public record MaxPool3d(PoolSpec spec) implements Layer {
    private static final int N = 3;

    /** Every option; single values are used for every axis. */
    public MaxPool3d(int[] kernelSize, int[] stride, Padding padding, boolean useCeil) {
        this(PoolSpec.forAxes("MaxPool3d", N, kernelSize, stride, padding, useCeil));
    }

    /** Stride 1, no padding. */
    public MaxPool3d(int kernelSize) {
        this(new int[] {kernelSize}, new int[] {1}, Padding.of(0, N), false);
    }

    /** The given kernel size and stride, no padding. */
    public MaxPool3d(int kernelSize, int stride) {
        this(new int[] {kernelSize}, new int[] {stride}, Padding.of(0, N), false);
    }

    /**
     * Applies the layer to one example (batch with {@code Jax.vmap}).
     *
     * {@snippet lang=java :
     * MaxPool3d pool = new MaxPool3d(2, 2);
     * pool.apply(Jnp.ones(DType.FLOAT32, 2, 4, 4, 4))   // float32[2,2,2,2]
     * }
     */
    @Override
    public Array apply(Array x) {
        return Pooling.window("MaxPool3d", x, spec, true);
    }

    /** Equinox's {@code tree_pformat} rendering ({@link Tree#pformat}): arrays as dtype and shape. */
    @Override
    public String toString() {
        return Tree.pformat(this);
    }
}
