package dev.solstice.nn;

import dev.solstice.Array;
import dev.solstice.Jnp;
import java.util.Arrays;

/** What LayerNorm and RMSNorm share: the example's shape check, its axes, and the elementwise affine tail. */
final class Norms {
    private Norms() {}

    /** All axes of an example of the expected shape, or a clear error. */
    static int[] exampleAxes(String layer, Array x, int[] shape) {
        if (!Arrays.equals(x.shape(), shape)) {
            throw new IllegalArgumentException(layer + ": expected an example of shape " + Arrays.toString(shape) + ", got "
                    + x.aval().str() + " (use Jax.vmap for batches)");
        }
        return java.util.stream.IntStream.range(0, x.ndim()).toArray();
    }

    /** {@code out * weight + bias}, either of which may be absent. */
    static Array affine(Array out, Array weight, Array bias) {
        Array y = weight != null ? Jnp.multiply(out, weight) : out;
        return bias != null ? Jnp.add(y, bias) : y;
    }
}
