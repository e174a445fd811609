package dev.solstice.tree;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A record-shaped tree node whose components hold values the record itself cannot (for example the rows
 * of a Hessian with respect to a record, each a tree of the record's shape). Trees treat it exactly as the
 * record it stands for: same structure, same paths.
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

    /** The value of component {@code name}. */
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
