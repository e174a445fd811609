package dev.solstice.tree;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A record-shaped tree node whose components hold values the record itself cannot (for example the rows
 * of a Hessian with respect to a record, each a tree of the record's shape). Trees treat it exactly as the
 * record it stands for: same structure, same paths.
 *
 * {@snippet lang=java :
 * import dev.solstice.tree.*;
 * record Pair2(Array a, Array b) {}
 * Struct s = new Struct(Pair2.class, List.of("a", "b"), List.of(Array.of(1.0), List.of(Array.of(2.0), Array.of(3.0))));
 * Tree.leaves(s).size()   // 3
 * s.<Array>get("a")   // Array(float64[1], [1.0])
 * }
 *
 * @param type the record class it stands for
 * @param names the component names
 * @param values the component values
 */
public record Struct(Class<?> type, List<String> names, List<Object> values) {

    /** Copies the lists (values may be null). */
    public Struct {
        names = List.copyOf(names);
        values = Collections.unmodifiableList(new ArrayList<>(values));
    }

    Struct(Class<?> type, List<String> names, Object[] values) {
        this(type, names, java.util.Arrays.asList(values));
    }

    /**
     * The value of component {@code name}.
     *
     * {@snippet lang=java :
     * import dev.solstice.tree.*;
     * record Pair2(Array a, Array b) {}
     * Struct s = new Struct(Pair2.class, List.of("a", "b"), List.of(Array.of(1.0), Array.of(2.0)));
     * s.<Array>get("b")   // Array(float64[1], [2.0])
     * }
     */
    @SuppressWarnings("unchecked")
    public <V> V get(String name) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("Struct of " + type.getSimpleName() + " has no component '" + name
                    + "'; components are " + names);
        }
        return (V) values.get(i);
    }

    @Override
    public String toString() {
        return TreeFormat.format(this);
    }
}
