package dev.solstice.nn;

/**
 * A model and the initial state of its stateful layers, from {@link dev.solstice.Eqx#makeWithState}.
 *
 * {@snippet lang=java :
 * ModelAndState<BatchNorm> ms = Eqx.makeWithState(new BatchNorm(2, "batch"));
 * ms.state().values().size()   // 1
 * }
 *
 * @param <M> the model type
 * @param model the model, its state indices emptied of their initial values
 * @param state the initial state
 */
public record ModelAndState<M>(M model, State state) {}
