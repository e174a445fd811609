package dev.solstice.tree;

import dev.solstice.Array;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One level of a tree at a time: whether an object is an inner node, its children with their path keys, and
 * a copy of it with other children. Tree surgery ({@link TreeAt}) walks trees with it.
 */
final class Nodes {
    private Nodes() {}

    /** True for records, Structs, lists, maps, optionals, object arrays and registered classes. */
    static boolean isNode(Object o) {
        return o != null && !(o instanceof Array)
                && (o instanceof Record || o instanceof List || o instanceof Map || o instanceof Optional
                || o instanceof Object[] || Tree.registered(o.getClass()) != null);
    }

    /** The children of an inner node, in flattening order. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static List<Object> children(Object node) {
        NodeType custom = Tree.registered(node.getClass());
        if (custom != null) {
            return new ArrayList<>(custom.children(node));
        }
        return switch (node) {
            case Struct s -> new ArrayList<>(s.values());
            case Record r -> {
                RecordShape shape = RecordShape.of(r.getClass());
                List<Object> kids = new ArrayList<>();
                for (int i = 0; i < shape.names.size(); i++) {
                    kids.add(shape.get(r, i));
                }
                yield kids;
            }
            case List<?> l -> new ArrayList<>(l);
            case Map<?, ?> m -> {
                List<Object> kids = new ArrayList<>();
                for (Object k : keys(m)) {
                    kids.add(m.get(k));
                }
                yield kids;
            }
            case Optional<?> o -> o.isPresent() ? new ArrayList<>(List.of(o.get())) : new ArrayList<>();
            case Object[] a -> new ArrayList<>(java.util.Arrays.asList(a));
            default -> throw new IllegalArgumentException("not a tree node: " + node.getClass().getName());
        };
    }

    /** The path keys of an inner node's children. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static List<PathKey> pathKeys(Object node) {
        List<PathKey> out = new ArrayList<>();
        NodeType custom = Tree.registered(node.getClass());
        if (custom != null) {
            List<String> names = custom.childNames(node);
            int n = custom.children(node).size();
            for (int i = 0; i < n; i++) {
                out.add(names != null ? new PathKey.Field(names.get(i)) : new PathKey.Index(i));
            }
            return out;
        }
        switch (node) {
            case Struct s -> s.names().forEach(n -> out.add(new PathKey.Field(n)));
            case Record r -> RecordShape.of(r.getClass()).names.forEach(n -> out.add(new PathKey.Field(n)));
            case Map<?, ?> m -> keys(m).forEach(k -> out.add(new PathKey.Key(k)));
            default -> {
                int n = children(node).size();
                for (int i = 0; i < n; i++) {
                    out.add(new PathKey.Index(i));
                }
            }
        }
        return out;
    }

    /** A node of the same kind as {@code node} with {@code kids} as its children. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static Object withChildren(Object node, List<Object> kids) {
        NodeType custom = Tree.registered(node.getClass());
        if (custom != null) {
            return custom.rebuild(custom.auxData(node), kids);
        }
        return switch (node) {
            case Struct s -> new Struct(s.type(), s.names(), kids);
            case Record r -> {
                RecordShape shape = RecordShape.of(r.getClass());
                Object[] values = kids.toArray();
                yield shape.accepts(values) ? shape.construct(values) : new Struct(r.getClass(), shape.names, values);
            }
            case List<?> l -> Collections.unmodifiableList(new ArrayList<>(kids));
            case Map<?, ?> m -> {
                Map<Object, Object> out = new TreeMap<>();
                List<Object> keys = keys(m);
                for (int i = 0; i < keys.size(); i++) {
                    out.put(keys.get(i), kids.get(i));
                }
                yield Collections.unmodifiableMap(out);
            }
            case Optional<?> o -> kids.isEmpty() ? Optional.empty() : Optional.ofNullable(kids.getFirst());
            case Object[] a -> {
                Object[] copy = (Object[]) java.lang.reflect.Array.newInstance(a.getClass().getComponentType(), kids.size());
                for (int i = 0; i < copy.length; i++) {
                    copy[i] = kids.get(i);
                }
                yield copy;
            }
            default -> throw new IllegalArgumentException("not a tree node: " + node.getClass().getName());
        };
    }

    private static List<Object> keys(Map<?, ?> m) {
        List<Object> keys = new ArrayList<>(m.keySet());
        keys.sort(null);
        return keys;
    }

    /** The declared types of a record's components (null for other nodes). */
    static Class<?>[] componentTypes(Object node) {
        return node instanceof Record && !(node instanceof Struct) ? RecordShape.of(node.getClass()).types : null;
    }
}
