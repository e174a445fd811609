package dev.solstice.nn;

import dev.solstice.Array;

/** A layer that reads and updates a {@link State} (Equinox's {@code StatefulLayer}). */
public interface Stateful extends Module {

    /** The layer applied to one example with the current state; returns the output and the new state. */
    WithState apply(Array x, State state);
}
