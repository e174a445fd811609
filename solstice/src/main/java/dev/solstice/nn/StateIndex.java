package dev.solstice.nn;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where a stateful layer keeps its state (Equinox's {@code eqx.nn.StateIndex}): a key into a
 * {@link State}, static structure of the model, plus the initial value until
 * {@link dev.solstice.Eqx#makeWithState} moves it into the state.
 *
 * {@snippet lang=java :
 * var index = StateIndex.of(Array.of(0.0));
 * var ms = Eqx.makeWithState(List.of(index));
 * State s = ms.state().set(ms.model().get(0), Array.of(5.0));
 * s.get(ms.model().get(0))   // Array(float64[1], [5.0])
 * }
 *
 * @param id the key: unique per index created, then renumbered by {@link dev.solstice.Eqx#makeWithState} to the
 *     index's place in the model (0, 1, ...), so that the state of a model built the same way has the same keys
 * @param init the initial state (a tree of arrays), or null once moved into a {@link State}
 */
public record StateIndex(int id, Object init) {
    private static final AtomicInteger NEXT = new AtomicInteger();

    /**
     * A new index with a fresh id and the given initial value.
     *
     * {@snippet lang=java :
     * StateIndex index = StateIndex.of(Array.of(0.0));
     * index.init()   // Array(float64[1], [0.0])
     * }
     */
    public static StateIndex of(Object init) {
        return new StateIndex(NEXT.getAndIncrement(), init);
    }

    /**
     * The same index without its initial value.
     *
     * {@snippet lang=java :
     * StateIndex.of(Array.of(0.0)).withoutInit().init()   // null
     * }
     */
    public StateIndex withoutInit() {
        return new StateIndex(id, null);
    }
}
