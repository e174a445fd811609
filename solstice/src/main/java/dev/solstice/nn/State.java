package dev.solstice.nn;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The state of a model's stateful layers (Equinox's {@code eqx.nn.State}), kept apart from the model:
 * immutable, a tree (a map from index id to a tree of arrays), so it passes through transformations and can
 * be saved. Layers read it with {@link #get} and return an updated copy made with {@link #set}.
 *
 * {@snippet lang=java :
 * var index = StateIndex.of(Array.of(0.0));
 * var ms = Eqx.makeWithState(List.of(index));
 * State s = ms.state();
 * s.get(ms.model().get(0))   // Array(float64[1], [0.0])
 * }
 *
 * @param values the state of each index, by id
 */
public record State(Map<Integer, Object> values) {
    /** Copies the map (sorted by id). */
    public State {
        values = Collections.unmodifiableMap(new TreeMap<>(values));
    }

    /**
     * The state stored for {@code index}.
     *
     * {@snippet lang=java :
     * var ms = Eqx.makeWithState(List.of(StateIndex.of(Array.of(1.0, 2.0))));
     * ms.state().<Array>get(ms.model().get(0))   // Array(float64[2], [1.0, 2.0])
     * }
     */
    @SuppressWarnings("unchecked")
    public <T> T get(StateIndex index) {
        if (!values.containsKey(index.id())) {
            throw new IllegalArgumentException("State: no state for index " + index.id() + "; build the model and its state"
                    + " together with Eqx.makeWithState");
        }
        return (T) values.get(index.id());
    }

    /**
     * A copy with {@code value} stored for {@code index}.
     *
     * {@snippet lang=java :
     * var ms = Eqx.makeWithState(List.of(StateIndex.of(Array.of(1.0))));
     * State s2 = ms.state().set(ms.model().get(0), Array.of(9.0));
     * s2.<Array>get(ms.model().get(0))   // Array(float64[1], [9.0])
     * ms.state().<Array>get(ms.model().get(0))   // Array(float64[1], [1.0])
     * }
     */
    public State set(StateIndex index, Object value) {
        if (!values.containsKey(index.id())) {
            throw new IllegalArgumentException("State: no state for index " + index.id() + "; build the model and its state"
                    + " together with Eqx.makeWithState");
        }
        Map<Integer, Object> m = new TreeMap<>(values);
        m.put(index.id(), value);
        return new State(m);
    }
}
