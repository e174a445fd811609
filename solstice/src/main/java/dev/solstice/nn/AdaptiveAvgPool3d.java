package dev.solstice.nn;

import dev.solstice.Array;
import java.util.Arrays;

/**
 * Adaptive average pooling (Equinox's {@code eqx.nn.AdaptiveAvgPool3d}): pools one example {@code [channels, ...]} to the target spatial
 * size. As in Equinox, each axis of {@code in} inputs is cut into {@code out} consecutive bins, the first
 * {@code in % out} of them one input longer than the others (PyTorch's overlapping bins differ).
 *
 * {@snippet lang=java :
 * AdaptiveAvgPool3d pool = new AdaptiveAvgPool3d(2);
 * pool.apply(Jnp.ones(DType.FLOAT32, 2, 5, 6, 7))   // float32[2,2,2,2]
 * }
 *
 * @param targetShape the output size per spatial axis
 */
public record AdaptiveAvgPool3d(int[] targetShape) implements Layer {
    private static final int N = 3;

    /** Copies the shape (one value is used for every axis). */
    public AdaptiveAvgPool3d {
        targetShape = Convolutions.perAxis("AdaptiveAvgPool3d", "target shape", targetShape, N);
        for (int t : targetShape) {
            Keys.positive("AdaptiveAvgPool3d", "target size", t);
        }
    }

    /** The same target size on every spatial axis. */
    public AdaptiveAvgPool3d(int targetSize) {
        this(new int[] {targetSize});
    }

    /**
     * Applies the layer to one example (batch with {@code Jax.vmap}).
     *
     * {@snippet lang=java :
     * AdaptiveAvgPool3d pool = new AdaptiveAvgPool3d(2);
     * pool.apply(Jnp.ones(DType.FLOAT32, 2, 5, 6, 7))   // float32[2,2,2,2]
     * }
     */
    @Override
    public Array apply(Array x) {
        return Pooling.adaptive("AdaptiveAvgPool3d", x, targetShape, false);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AdaptiveAvgPool3d p && Arrays.equals(p.targetShape, targetShape);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(targetShape);
    }

    @Override
    public String toString() {
        return "AdaptiveAvgPool3d(" + Arrays.toString(targetShape) + ")";
    }
}
