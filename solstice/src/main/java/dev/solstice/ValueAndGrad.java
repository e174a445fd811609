package dev.solstice;

/**
 * The result of {@link Jax#valueAndGrad}: the scalar value and the gradient.
 *
 * @param <G> the gradient type (the input type)
 * @param value the function's value
 * @param grad its gradient with respect to the input
 */
public record ValueAndGrad<G>(Array value, G grad) {}
