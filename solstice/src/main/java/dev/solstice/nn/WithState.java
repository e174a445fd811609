package dev.solstice.nn;

import dev.solstice.Array;

/**
 * What a stateful layer returns: its output and the updated state.
 *
 * @param output the layer's output
 * @param state the new state
 */
public record WithState(Array output, State state) {}
