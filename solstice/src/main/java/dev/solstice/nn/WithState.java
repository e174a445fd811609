package dev.solstice.nn;

import dev.solstice.Array;

/**
 * What a stateful layer returns: its output and the updated state.
 *
 * {@snippet lang=java :
 * var ms = Eqx.makeWithState(new BatchNorm(2, "batch").withInference(true));
 * WithState out = ms.model().apply(Array.of(1f, 2f), ms.state());
 * out.output()   // Array(float32[2], [0.999995, 1.99999 ])
 * out.state().equals(ms.state())   // true
 * }
 *
 * @param output the layer's output
 * @param state the new state
 */
public record WithState(Array output, State state) {}
