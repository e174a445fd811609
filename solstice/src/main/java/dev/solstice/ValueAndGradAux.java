package dev.solstice;

/**
 * The result of {@link Jax#valueAndGradWithAux}: value, auxiliary output and gradient.
 *
 * @param <G> the gradient type (the input type)
 * @param <A> the auxiliary output's type
 * @param value the function's value
 * @param aux the auxiliary output, carried along undifferentiated
 * @param grad the gradient of the value with respect to the input
 */
public record ValueAndGradAux<G, A>(Array value, A aux, G grad) {}
