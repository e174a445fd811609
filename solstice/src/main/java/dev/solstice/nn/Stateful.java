package dev.solstice.nn;

import dev.solstice.Array;

/**
 * A layer that reads and updates a {@link State} (Equinox's {@code StatefulLayer}).
 *
 * {@snippet lang=java :
 * Stateful bn = new BatchNorm(2, "batch").withInference(true);
 * var ms = Eqx.makeWithState(bn);
 * WithState out = ms.model().apply(Array.of(1f, 2f), ms.state());
 * out.output()   // Array(float32[2], [0.999995, 1.99999 ])
 * }
 */
public interface Stateful extends Module {

    /**
     * The layer applied to one example with the current state; returns the output and the new state.
     *
     * {@snippet lang=java :
     * var ms = Eqx.makeWithState(new BatchNorm(2, "batch").withInference(true));
     * ms.model().apply(Array.of(3f, 4f), ms.state()).output()   // Array(float32[2], [2.999985, 3.99998 ])
     * }
     */
    WithState apply(Array x, State state);
}
