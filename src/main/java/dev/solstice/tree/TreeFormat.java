package dev.solstice.tree;

import dev.solstice.Array;
import dev.solstice.core.DenseArray;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The pretty printer behind {@link Tree#pformat}: one line when short, indented lines otherwise. */
final class TreeFormat {
    private static final int MAX_VALUES = 6;   // arrays with more elements show dtype and shape only
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
        if (node instanceof Struct st) {
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
            for (Map.Entry<?, ?> e : m.entrySet()) {
                Object k = e.getKey();
                items.add((k instanceof CharSequence ? "\"" + k + "\"" : String.valueOf(k)) + ": " + render(e.getValue(), indent + 2));
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
            return node instanceof CharSequence ? "\"" + node + "\"" : String.valueOf(node);
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

    private static String array(Array a) {
        String type = a.aval().str();
        if (a.size() > MAX_VALUES || !(a instanceof DenseArray d)) {
            return type;
        }
        String s = d.toString();
        return s.substring("Array(".length(), s.length() - 1);
    }
}
