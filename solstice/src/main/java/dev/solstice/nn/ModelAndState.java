package dev.solstice.nn;

/**
 * A model and the initial state of its stateful layers, from {@link dev.solstice.Eqx#makeWithState}.
 *
 * @param <M> the model type
 * @param model the model, its state indices emptied of their initial values
 * @param state the initial state
 */
public record ModelAndState<M>(M model, State state) {}
