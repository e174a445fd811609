package dev.solstice;

/**
 * The result of {@link Jax#valueAndGrad}: the scalar value and the gradient.
 *
 * {@snippet lang=java :
 * ValueAndGrad<Array> vg = Jax.valueAndGrad((Array x) -> Jnp.sum(Jnp.square(x))).apply(Array.of(1.0, 2.0));
 * vg.value()                      // 5.0
 * vg.grad()                       // [2.0, 4.0]
 * }
 *
 * @param <G> the gradient type (the input type)
 * @param value the function's value
 * @param grad its gradient with respect to the input
 */
public record ValueAndGrad<G>(Array value, G grad) {}
