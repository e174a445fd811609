package dev.solstice;

/**
 * What a function passed to {@link Jax#valueAndGradWithAux} returns: the value to differentiate and an
 * auxiliary output that is carried along (JAX's {@code has_aux=True}).
 *
 * {@snippet lang=java :
 * Function<Array, WithAux<String>> f = x -> new WithAux<>(Jnp.sum(x), "summed " + x.size());
 * Jax.valueAndGradWithAux(f).apply(Array.of(1.0, 2.0)).aux()      // summed 2
 * }
 *
 * @param <A> the auxiliary output's type
 * @param value the scalar to differentiate
 * @param aux anything else to return; arrays in it are returned without their derivative part
 */
public record WithAux<A>(Array value, A aux) {}
