package dev.solstice.tree;

import dev.solstice.Array;
import dev.solstice.core.DenseArray;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pretty printer behind {@link Tree#pformat}, in the style of Equinox's {@code tree_pformat}: records,
 * structs and registered nodes as {@code Name(field=value, ...)}, arrays as {@code f32[4,3]} (scalars with their value), strings quoted,
 * functions as {@code <function>}; one line when it fits in 88 columns, else one item per line, indented by
 * two spaces per level.
 */
final class TreeFormat {
    private static final int WIDTH = 88;

    private TreeFormat() {}

    static String format(Object tree) {
        return render(tree, 0);
    }

    private static String render(Object node, int indent) {
        if (node == null) {
            return "null";
        }
        if (node instanceof Array a) {
            return array(a);
        }
        String open;
        String close;
        List<String> items = new ArrayList<>();
        NodeType<?> custom = Tree.registered(node.getClass());
        if (custom != null) {
            open = node.getClass().getSimpleName() + "(";
            close = ")";
            List<Object> kids = Nodes.children(node);
            List<PathKey> keys = Nodes.pathKeys(node);
            for (int i = 0; i < kids.size(); i++) {
                String label = keys.get(i) instanceof PathKey.Field f ? f.name() + "=" : "";
                items.add(label + render(kids.get(i), indent + 2));
            }
        } else if (node instanceof Struct st) {
            open = st.type().getSimpleName() + "(";
            close = ")";
            for (int i = 0; i < st.names().size(); i++) {
                items.add(st.names().get(i) + "=" + render(st.values().get(i), indent + 2));
            }
        } else if (node instanceof Record r) {
            RecordShape s = RecordShape.of(r.getClass());
            open = r.getClass().getSimpleName() + "(";
            close = ")";
            for (int i = 0; i < s.names.size(); i++) {
                items.add(s.names.get(i) + "=" + render(s.get(r, i), indent + 2));
            }
        } else if (node instanceof List<?> l) {
            open = "[";
            close = "]";
            for (Object o : l) {
                items.add(render(o, indent + 2));
            }
        } else if (node instanceof Map<?, ?> m) {
            open = "{";
            close = "}";
            // in sorted key order, as the map's leaves are flattened
            List<Object> keys = new ArrayList<>(m.keySet());
            try {
                keys.sort(null);
            } catch (ClassCastException | NullPointerException e) {
                keys = new ArrayList<>(m.keySet());
            }
            for (Object k : keys) {
                items.add((k instanceof CharSequence ? "\"" + k + "\"" : String.valueOf(k)) + ": " + render(m.get(k), indent + 2));
            }
        } else if (node instanceof Optional<?> o) {
            return o.map(v -> "Optional[" + render(v, indent) + "]").orElse("Optional.empty");
        } else if (node instanceof Object[] arr) {
            open = "[";
            close = "]";
            for (Object o : arr) {
                items.add(render(o, indent + 2));
            }
        } else {
            return leaf(node);
        }
        String oneLine = open + String.join(", ", items) + close;
        if (oneLine.length() + indent <= WIDTH && !oneLine.contains("\n")) {
            return oneLine;
        }
        String pad = " ".repeat(indent + 2);
        StringBuilder b = new StringBuilder(open).append('\n');
        for (int i = 0; i < items.size(); i++) {
            b.append(pad).append(items.get(i)).append(i < items.size() - 1 ? ",\n" : "\n");
        }
        return b.append(" ".repeat(indent)).append(close).toString();
    }

    /**
     * Equinox's summary, {@code f32[4,3]}; a concrete scalar also shows its value, {@code f32[](0.5)} (a step
     * count, a temperature). Tracers show their aval only.
     */
    private static String array(Array a) {
        String type = a.aval().shortStr();
        if (a.aval().rank() > 0 || !(a instanceof DenseArray d)) {
            return type;
        }
        String full = d.toString();   // Array(float32[], 0.5)
        return type + "(" + full.substring(full.indexOf(", ") + 2, full.length() - 1) + ")";
    }

    /**
     * A leaf that is not an array: strings quoted, functions (lambdas and method references, whose class names
     * mean nothing) as Equinox prints them, Java arrays by content, everything else by its toString.
     */
    private static String leaf(Object node) {
        if (node instanceof CharSequence) {
            return "\"" + node + "\"";
        }
        Class<?> c = node.getClass();
        if (c.isHidden() || c.isSynthetic()) {
            return "<function>";
        }
        if (c.isArray()) {   // int[] shapes and the like: their contents, not their identity
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < java.lang.reflect.Array.getLength(node); i++) {
                b.append(i == 0 ? "" : ", ").append(java.lang.reflect.Array.get(node, i));
            }
            return b.append(']').toString();
        }
        return String.valueOf(node);
    }
}
