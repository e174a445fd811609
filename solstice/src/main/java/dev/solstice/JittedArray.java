package dev.solstice;

import dev.solstice.transform.StagedFunction;
import java.util.function.UnaryOperator;

/**
 * A jitted array function ({@link Jax#jit(UnaryOperator)}): a {@link Jitted} that is also a
 * {@code UnaryOperator<Array>}, so that passing it to another transformation ({@code Jax.hessian(Jax.jit(f))})
 * picks the array overload and gives an array function back, with no adapter.
 *
 * {@snippet lang=java :
 * JittedArray cube = Jax.jit((Array x) -> Jnp.sum(Jnp.power(x, 3)));
 * UnaryOperator<Array> h = Jax.hessian(cube);          // an array function: no cast, no adapter
 * h.apply(Array.of(1.0, 2.0))                          // [[6.0, 0.0], [0.0, 12.0]]
 * }
 */
public final class JittedArray extends Jitted<Array, Array> implements UnaryOperator<Array> {
    JittedArray(StagedFunction<Array, Array> staged) {
        super(staged);
    }
}
