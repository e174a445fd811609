package dev.solstice.nn;

import dev.solstice.Array;
import java.util.Arrays;

/**
 * Adaptive maximum pooling (Equinox's {@code eqx.nn.AdaptiveMaxPool1d}): pools one example {@code [channels, ...]} to the target spatial
 * size. As in Equinox, each axis of {@code in} inputs is cut into {@code out} consecutive bins, the first
 * {@code in % out} of them one input longer than the others (PyTorch's overlapping bins differ).
 *
 * {@snippet lang=java :
 * AdaptiveMaxPool1d pool = new AdaptiveMaxPool1d(2);
 * pool.apply(Array.of(new float[] {1, 3, 5, 7, 9, 11}, 1, 6))   // Array(float32[1,2], [[ 5.0, 11.0]])
 * }
 *
 * @param targetShape the output size per spatial axis
 */
public record AdaptiveMaxPool1d(int[] targetShape) implements Layer {
    private static final int N = 1;

    /** Copies the shape (one value is used for every axis). */
    public AdaptiveMaxPool1d {
        targetShape = Convolutions.perAxis("AdaptiveMaxPool1d", "target shape", targetShape, N);
        for (int t : targetShape) {
            Keys.positive("AdaptiveMaxPool1d", "target size", t);
        }
    }

    /** The same target size on every spatial axis. */
    public AdaptiveMaxPool1d(int targetSize) {
        this(new int[] {targetSize});
    }

    /**
     * Applies the layer to one example (batch with {@code Jax.vmap}).
     *
     * {@snippet lang=java :
     * AdaptiveMaxPool1d pool = new AdaptiveMaxPool1d(2);
     * pool.apply(Array.of(new float[] {1, 3, 5, 7, 9, 11}, 1, 6))   // Array(float32[1,2], [[ 5.0, 11.0]])
     * }
     */
    @Override
    public Array apply(Array x) {
        return Pooling.adaptive("AdaptiveMaxPool1d", x, targetShape, true);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AdaptiveMaxPool1d p && Arrays.equals(p.targetShape, targetShape);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(targetShape);
    }

    @Override
    public String toString() {
        return "AdaptiveMaxPool1d(" + Arrays.toString(targetShape) + ")";
    }
}
