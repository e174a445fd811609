package dev.solstice.tree;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Out-of-place tree surgery (Equinox's {@code tree_at}): a selector lambda picks nodes or leaves of a tree,
 * and a copy of the tree is returned with those replaced. To find what the selector picked, it is run on a
 * probe copy of the tree in which every node is a fresh object and every leaf a distinct placeholder array,
 * so even an array that appears twice is located exactly.
 */
public final class TreeAt {
    private TreeAt() {}

    /** A placeholder leaf with a leaf's aval and a distinct identity. */
    private static final class Probe extends Array {
        private final Aval aval;

        Probe(Aval aval) {
            this.aval = aval;
        }

        @Override
        public Aval aval() {
            return aval;
        }

        @Override
        public double item() {
            throw new IllegalStateException("treeAt: the selector must only pick parts of the tree, not compute with them");
        }

        @Override
        public DenseArray concrete() {
            throw new IllegalStateException("treeAt: the selector must only pick parts of the tree, not compute with them");
        }

        @Override
        public String toString() {
            return "Probe(" + aval.str() + ")";
        }
    }

    /**
     * Replaces what {@code where} selects: {@code replace} gets each selected node's position in the
     * selector's list and its current value, and its result takes the node's place.
     */
    public static <T> T apply(Function<T, List<?>> where, T tree, BiFunction<Integer, Object, Object> replace, String op) {
        Map<Object, KeyPath> positions = new IdentityHashMap<>();
        @SuppressWarnings("unchecked")
        T probe = (T) probe(tree, KeyPath.ROOT, positions, null);
        List<?> picked = where.apply(probe);
        List<KeyPath> paths = new ArrayList<>();
        for (Object o : picked) {
            KeyPath p = o == null ? null : positions.get(o);
            if (p == null) {
                throw new IllegalArgumentException(op + ": the selector returned " + describe(o) + ", which is not a node or"
                        + " leaf of the tree; select a component that holds an array or a subtree (static values such"
                        + " as ints and strings are part of the structure and cannot be selected)");
            }
            if (paths.contains(p)) {
                throw new IllegalArgumentException(op + ": the selector picked " + p + " twice");
            }
            paths.add(p);
        }
        for (KeyPath a : paths) {
            for (KeyPath b : paths) {
                if (a != b && isPrefix(a, b)) {
                    throw new IllegalArgumentException(op + ": the selector picked both " + (a.keys().isEmpty() ? "the root" : a)
                            + " and " + b + ", which lies inside it");
                }
            }
        }
        @SuppressWarnings("unchecked")
        T out = (T) replace(tree, KeyPath.ROOT, paths, replace);
        return out;
    }

    private static boolean isPrefix(KeyPath a, KeyPath b) {
        return a.keys().size() < b.keys().size() && b.keys().subList(0, a.keys().size()).equals(a.keys());
    }

    private static String describe(Object o) {
        if (o == null) {
            return "null";
        }
        return o instanceof Array a ? "an array " + a.aval().str() + " that is not in the tree"
                : "a " + o.getClass().getSimpleName() + " (" + o + ")";
    }

    /** A copy in which every node is new and every leaf a probe; records each object's path. */
    private static Object probe(Object node, KeyPath path, Map<Object, KeyPath> positions, Class<?> declared) {
        Object copy;
        if (node instanceof Array a) {
            copy = new Probe(a.aval());
        } else if (node == null) {
            // a null component declared as an array can still be selected, through a placeholder
            copy = declared != null && declared.isAssignableFrom(Probe.class) ? new Probe(new Aval(dev.solstice.DType.FLOAT32)) : null;
        } else if (Nodes.isNode(node)) {
            List<Object> kids = Nodes.children(node);
            List<PathKey> keys = Nodes.pathKeys(node);
            Class<?>[] types = Nodes.componentTypes(node);
            List<Object> probes = new ArrayList<>();
            for (int i = 0; i < kids.size(); i++) {
                probes.add(probe(kids.get(i), path.then(keys.get(i)), positions, types == null ? null : types[i]));
            }
            copy = Nodes.withChildren(node, probes);
        } else {
            return node;
        }
        if (copy != null) {
            positions.put(copy, path);
        }
        return copy;
    }

    private static Object replace(Object node, KeyPath path, List<KeyPath> targets, BiFunction<Integer, Object, Object> replace) {
        int target = targets.indexOf(path);
        if (target >= 0) {
            return replace.apply(target, node);
        }
        if (!Nodes.isNode(node) || targets.stream().noneMatch(t -> isPrefix(path, t))) {
            return node;
        }
        List<Object> kids = Nodes.children(node);
        List<PathKey> keys = Nodes.pathKeys(node);
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < kids.size(); i++) {
            out.add(replace(kids.get(i), path.then(keys.get(i)), targets, replace));
        }
        return Nodes.withChildren(node, out);
    }
}
