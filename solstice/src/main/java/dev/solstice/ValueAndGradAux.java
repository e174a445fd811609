package dev.solstice;

/**
 * The result of {@link Jax#valueAndGradWithAux}: value, auxiliary output and gradient.
 *
 * {@snippet lang=java :
 * Function<Array, WithAux<Array>> f = x -> new WithAux<>(Jnp.sum(Jnp.square(x)), x.mul(10.0));
 * ValueAndGradAux<Array, Array> r = Jax.valueAndGradWithAux(f).apply(Array.of(1.0, 2.0));
 * r.value()                       // 5.0
 * r.aux()                         // [10.0, 20.0]
 * r.grad()                        // [2.0, 4.0]
 * }
 *
 * @param <G> the gradient type (the input type)
 * @param <A> the auxiliary output's type
 * @param value the function's value
 * @param aux the auxiliary output, carried along undifferentiated
 * @param grad the gradient of the value with respect to the input
 */
public record ValueAndGradAux<G, A>(Array value, A aux, G grad) {}
