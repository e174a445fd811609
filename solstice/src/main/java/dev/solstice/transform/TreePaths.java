package dev.solstice.transform;

import dev.solstice.tree.KeyPath;
import dev.solstice.tree.PathKey;
import dev.solstice.tree.TreeDef;
import java.util.List;

/**
 * Paths read off a tree's structure (no tree needed): where its leaves and static values are, and the first place
 * two structures differ. Paths are spelled as {@link dev.solstice.tree.Tree#leavesWithPath} spells them.
 */
final class TreePaths {
    private TreePaths() {}

    /** What a walk of a structure reports. */
    interface Visitor {
        /** The next leaf, in flattening order. */
        void leaf(KeyPath path);

        /** A static value (a {@link TreeDef.Static}). */
        void staticValue(KeyPath path, Object value);
    }

    /** Walks {@code def} depth first, in flattening order, reporting leaves and static values under {@code path}. */
    static void walk(TreeDef def, KeyPath path, Visitor visitor) {
        switch (def) {
            case TreeDef.Leaf l -> visitor.leaf(path);
            case TreeDef.Static s -> visitor.staticValue(path, s.value());
            default -> {
                List<TreeDef> children = def.children();
                for (int i = 0; i < children.size(); i++) {
                    walk(children.get(i), childPath(def, i, path), visitor);
                }
            }
        }
    }

    /** The path of child {@code i} of node {@code def} at {@code path}. */
    static KeyPath childPath(TreeDef def, int i, KeyPath path) {
        return path.then(switch (def) {
            case TreeDef.RecordNode r -> new PathKey.Field(r.names().get(i));
            case TreeDef.MapNode m -> new PathKey.Key(m.keys().get(i));
            case TreeDef.CustomNode c when c.names() != null -> new PathKey.Field(c.names().get(i));
            default -> new PathKey.Index(i);
        });
    }

    /** The key by which a top-level entry is named: a record component's name or a map key; null for positions. */
    static Object childName(TreeDef def, int i) {
        return switch (def) {
            case TreeDef.RecordNode r -> r.names().get(i);
            case TreeDef.MapNode m -> m.keys().get(i);
            case TreeDef.CustomNode c when c.names() != null -> c.names().get(i);
            default -> null;
        };
    }

    /**
     * The first difference between two structures, in words ({@code static value at x.act: was RELU, now TANH}),
     * or null when they are equal.
     */
    static String difference(TreeDef was, TreeDef now, KeyPath path) {
        if (was.equals(now)) {
            return null;
        }
        if (was instanceof TreeDef.Static a && now instanceof TreeDef.Static b) {
            return "static value at " + show(path) + ": " + staticChange(a.value(), b.value());
        }
        if (sameNode(was, now)) {
            for (int i = 0; i < was.children().size(); i++) {
                String d = difference(was.children().get(i), now.children().get(i), childPath(was, i, path));
                if (d != null) {
                    return d;
                }
            }
        }
        return "structure at " + show(path) + ": was " + was + ", now " + now;
    }

    /** Nodes of one kind with children under the same names, whose difference lies deeper. */
    private static boolean sameNode(TreeDef a, TreeDef b) {
        if (a.getClass() != b.getClass() || a.children().size() != b.children().size() || a.children().isEmpty()) {
            return false;
        }
        return switch (a) {
            case TreeDef.RecordNode r -> r.type() == ((TreeDef.RecordNode) b).type();
            case TreeDef.MapNode m -> m.keys().equals(((TreeDef.MapNode) b).keys());
            case TreeDef.CustomNode c -> c.type() == ((TreeDef.CustomNode) b).type()
                    && java.util.Objects.equals(c.auxData(), ((TreeDef.CustomNode) b).auxData());
            case TreeDef.ArrayNode arr -> arr.componentType() == ((TreeDef.ArrayNode) b).componentType();
            default -> true;
        };
    }

    /** A path for messages: the root is "the argument". */
    static String show(KeyPath path) {
        return path.keys().isEmpty() ? "the argument" : path.toString();
    }

    /**
     * Says what a retrace caused by a lambda made anew at each call looks like: two instances of one lambda class,
     * which compare by identity.
     */
    static final String LAMBDA_HINT = "both are instances of the same lambda class, which compare by identity";

    /** A static value's change in words, with {@link #LAMBDA_HINT} and what to do when it is a lambda made anew. */
    static String staticChange(Object was, Object now) {
        String s = "was " + describe(was) + ", now " + describe(now);
        if (was != null && now != null && was != now && was.getClass() == now.getClass() && was.getClass().isHidden()) {
            s += " (" + LAMBDA_HINT + ": a lambda created at each call, one that captures a local, traces anew every"
                    + " time; create it once and keep it, or pass what it captures as an array argument)";
        }
        return s;
    }

    /** A static value for messages: strings quoted, with the class for anything else that is not a number. */
    static String describe(Object value) {
        if (value instanceof CharSequence s) {
            return "\"" + s + "\"";
        }
        if (value == null || value instanceof Number || value instanceof Boolean || value instanceof Enum<?>
                || value instanceof java.util.Collection<?> || value instanceof java.util.Map<?, ?> || value instanceof Record) {
            return String.valueOf(value);
        }
        return value + " (" + value.getClass().getSimpleName() + ")";
    }
}
