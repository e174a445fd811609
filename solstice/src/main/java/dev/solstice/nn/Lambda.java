package dev.solstice.nn;

import dev.solstice.Array;
import java.util.function.Function;

/**
 * A function as a layer (Equinox's {@code eqx.nn.Lambda}), for example an activation in a
 * {@link Sequential}; the function is static structure.
 *
 * @param fn the function
 */
public record Lambda(Function<Array, Array> fn) implements Layer {
    @Override
    public Array apply(Array x) {
        return fn.apply(x);
    }
}
