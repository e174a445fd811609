package dev.solstice.nn;

import dev.solstice.Array;
import dev.solstice.DType;
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
        Array y = weight != null ? Jnp.multiply(out, Jnp.astype(weight, out.dtype())) : out;
        return bias != null ? Jnp.add(y, Jnp.astype(bias, out.dtype())) : y;
    }

    /**
     * The dtype a normalisation computes in: {@code x}'s promoted to at least float32, as Equinox's norms do, so
     * that the statistics of a float16 or bfloat16 example are not rounded at every step.
     */
    static DType computeDType(Array x) {
        return DType.promote(x.dtype(), DType.FLOAT32);
    }

    /** A normalisation's result back in the example's dtype (a floating example), as Equinox's norms return it. */
    static Array toInputDType(Array out, Array x) {
        return x.dtype().isFloating() ? Jnp.astype(out, x.dtype()) : out;
    }
}
