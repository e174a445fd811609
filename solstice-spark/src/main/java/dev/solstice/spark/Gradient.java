package dev.solstice.spark;

/**
 * The mean loss over a data set and its gradient with respect to the model (a tree of the model's structure).
 *
 * @param loss the mean per-example loss
 * @param grad the gradient of the mean loss
 * @param count the number of examples
 * @param <T> the model type
 */
public record Gradient<T>(double loss, T grad, long count) {}
