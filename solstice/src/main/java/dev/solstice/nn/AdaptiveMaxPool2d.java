package dev.solstice.nn;

import dev.solstice.Array;
import java.util.Arrays;

/**
 * Adaptive maximum pooling (Equinox's {@code eqx.nn.AdaptiveMaxPool2d}): pools one example {@code [channels, ...]} to the target spatial
 * size. As in Equinox, each axis of {@code in} inputs is cut into {@code out} consecutive bins, the first
 * {@code in % out} of them one input longer than the others (PyTorch's overlapping bins differ).
 *
 * {@snippet lang=java :
 * AdaptiveMaxPool2d pool = new AdaptiveMaxPool2d(2);
 * pool.apply(Jnp.ones(DType.FLOAT32, 3, 7, 9))   // float32[3,2,2]
 * }
 *
 * @param targetShape the output size per spatial axis
 */
public record AdaptiveMaxPool2d(int[] targetShape) implements Layer {
    private static final int N = 2;

    /** Copies the shape (one value is used for every axis). */
    public AdaptiveMaxPool2d {
        targetShape = Convolutions.perAxis("AdaptiveMaxPool2d", "target shape", targetShape, N);
        for (int t : targetShape) {
            Keys.positive("AdaptiveMaxPool2d", "target size", t);
        }
    }

    /** The same target size on every spatial axis. */
    public AdaptiveMaxPool2d(int targetSize) {
        this(new int[] {targetSize});
    }

    /**
     * Applies the layer to one example (batch with {@code Jax.vmap}).
     *
     * {@snippet lang=java :
     * AdaptiveMaxPool2d pool = new AdaptiveMaxPool2d(2);
     * pool.apply(Jnp.ones(DType.FLOAT32, 3, 7, 9))   // float32[3,2,2]
     * }
     */
    @Override
    public Array apply(Array x) {
        return Pooling.adaptive("AdaptiveMaxPool2d", x, targetShape, true);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AdaptiveMaxPool2d p && Arrays.equals(p.targetShape, targetShape);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(targetShape);
    }

    @Override
    public String toString() {
        return "AdaptiveMaxPool2d(" + Arrays.toString(targetShape) + ")";
    }
}
