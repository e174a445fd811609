package dev.solstice.tree;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Out-of-place tree surgery (Equinox's {@code tree_at}): a selector lambda picks nodes or leaves of a tree,
 * and a copy of the tree is returned with those replaced. To find what the selector picked, it is run on a
 * probe copy of the tree in which every node is a fresh object and every leaf a distinct placeholder array,
 * so even an array that appears twice is located exactly.
 *
 * <p>Static values (a record's int or boolean component, a string or number in a list, a function) can be
 * selected and replaced too, as Equinox's non-array leaves: the record holding one is rebuilt through its
 * constructor. A Java primitive has no identity (a record's {@code boolean} comes back newly boxed, and
 * equal small boxed numbers are one object), so such a value is found by equality among the tree's static
 * values and, where several are equal, by changing each candidate in turn (a flipped boolean, a number plus
 * one, the next double) and seeing which change reaches the selector's result.
 *
 * {@snippet lang=java :
 * import dev.solstice.tree.*;
 * Linear l = new Linear(2, 2, Prng.key(0));
 * Linear zeroBias = TreeAt.replace(Linear::bias, l, Jnp.zeros(DType.FLOAT32, 2));
 * zeroBias.bias()   // Array(float32[2], [0.0, 0.0])
 * }
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
     * A copy of {@code tree} with the one node or leaf {@code where} selects replaced by {@code replacement}
     * (Equinox's {@code tree_at} with a single selection, for code below the {@code Eqx} facade such as layers).
     *
     * {@snippet lang=java :
     * import dev.solstice.tree.*;
     * Linear l = new Linear(2, 2, Prng.key(0));
     * TreeAt.replace(Linear::bias, l, Jnp.ones(DType.FLOAT32, 2)).bias()   // Array(float32[2], [1.0, 1.0])
     * }
     */
    public static <T> T replace(Function<T, ?> where, T tree, Object replacement) {
        return apply(t -> java.util.Arrays.asList(where.apply(t)), tree, (i, old) -> replacement, "treeAt");
    }

    /**
     * Replaces what {@code where} selects: {@code replace} gets each selected node's position in the
     * selector's list and its current value, and its result takes the node's place.
     *
     * {@snippet lang=java :
     * import dev.solstice.tree.*;
     * Linear l = new Linear(2, 2, Prng.key(0));
     * Linear z = TreeAt.apply(m -> List.of(m.weight(), m.bias()), l, (i, old) -> Jnp.zerosLike((Array) old), "zero");
     * Jnp.sum(z.weight())   // 0.0
     * }
     */
    public static <T> T apply(Function<T, List<?>> where, T tree, BiFunction<Integer, Object, Object> replace, String op) {
        return apply(where, tree, replace, op, -1);
    }

    /**
     * As {@link #apply(Function, Object, BiFunction, String)}, checking that the selector picks exactly
     * {@code expected} nodes (any number when negative).
     *
     * {@snippet lang=java :
     * import dev.solstice.tree.*;
     * Linear l = new Linear(2, 2, Prng.key(0));
     * Linear z = TreeAt.apply(m -> List.of(m.bias()), l, (i, old) -> Jnp.zerosLike((Array) old), "zero", 1);
     * z.bias()   // Array(float32[2], [0.0, 0.0])
     * }
     */
    public static <T> T apply(Function<T, List<?>> where, T tree, BiFunction<Integer, Object, Object> replace, String op,
            int expected) {
        Map<Object, List<KeyPath>> positions = new IdentityHashMap<>();
        Map<KeyPath, Object> statics = new LinkedHashMap<>();
        @SuppressWarnings("unchecked")
        T probe = (T) probe(tree, KeyPath.ROOT, positions, statics, null, op);
        List<?> picked;
        try {
            picked = where.apply(probe);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(op + ": the selector failed (" + e.getMessage() + "); a selector must only"
                    + " pick parts of the tree (record components, list elements, map values), not compute with them", e);
        }
        if (expected >= 0 && picked.size() != expected) {
            throw new IllegalArgumentException(op + ": the selector picked " + picked.size() + " nodes but " + expected
                    + " replacements were given");
        }
        List<KeyPath> paths = new ArrayList<>();
        for (int n = 0; n < picked.size(); n++) {
            Object o = picked.get(n);
            List<KeyPath> at = o == null ? null : positions.get(o);
            if (o != null && !(o instanceof Array) && !Nodes.isNode(o) && (at == null || at.size() > 1)) {
                at = staticPositions(where, probe, n, o, statics, op);
            }
            if (at == null || at.isEmpty()) {
                throw new IllegalArgumentException(op + ": the selector returned " + describe(o) + ", which is not a node or"
                        + " leaf of the tree; select a component that holds an array, a static value or a subtree");
            }
            if (at.size() > 1) {
                // one object in several places (Java has a single empty Optional): which one was meant is unknown
                throw new IllegalArgumentException(op + ": the selector returned " + describe(o) + ", which is found at "
                        + at + " and cannot be told apart; select the node that holds it instead");
            }
            KeyPath p = at.getFirst();
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
        T out = (T) replace(tree, KeyPath.ROOT, paths, replace, op);
        return out;
    }

    /**
     * Where the static value {@code o}, the selector's {@code n}-th pick, lies: among the static values equal
     * to it, the one whose change (see {@link #changes}) changes the pick; empty when none is equal, all
     * candidates when they cannot be told apart.
     */
    private static <T> List<KeyPath> staticPositions(Function<T, List<?>> where, T probe, int n, Object o,
            Map<KeyPath, Object> statics, String op) {
        List<KeyPath> equal = new ArrayList<>();
        statics.forEach((path, v) -> {
            if (v.equals(o)) {
                equal.add(path);
            }
        });
        if (equal.size() <= 1) {
            return equal;
        }
        List<KeyPath> reached = new ArrayList<>();
        for (KeyPath candidate : equal) {
            if (reaches(where, probe, n, o, candidate, op)) {
                reached.add(candidate);
            }
        }
        return reached.size() == 1 ? reached : equal;
    }

    /**
     * Whether changing the static value at {@code candidate} changes the selector's {@code n}-th pick; each
     * change of {@link #changes} is tried until one is accepted by the constructors on the way.
     */
    private static <T> boolean reaches(Function<T, List<?>> where, T probe, int n, Object o, KeyPath candidate, String op) {
        for (Object changed : changes(o)) {
            try {
                @SuppressWarnings("unchecked")
                T other = (T) replace(probe, KeyPath.ROOT, List.of(candidate), (i, old) -> changed, op);
                return !o.equals(where.apply(other).get(n));
            } catch (RuntimeException e) {
                // a constructor refused this value (a probability above one, say): try the next
            }
        }
        return false;
    }

    /** Values of the same type as {@code v} that differ from it (none for other types). */
    private static List<Object> changes(Object v) {
        return switch (v) {
            case Boolean b -> List.of(!b);
            case Integer i -> List.of(i + 1, i - 1);
            case Long l -> List.of(l + 1, l - 1);
            case Short s -> List.of((short) (s + 1), (short) (s - 1));
            case Byte b -> List.of((byte) (b + 1), (byte) (b - 1));
            case Character c -> List.of((char) (c + 1), (char) (c - 1));
            case Double d -> List.of(Math.nextUp(d), Math.nextDown(d));
            case Float f -> List.of(Math.nextUp(f), Math.nextDown(f));
            case String s -> List.of(s + "\u0001");
            default -> List.of();
        };
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
    private static Object probe(Object node, KeyPath path, Map<Object, List<KeyPath>> positions, Map<KeyPath, Object> statics,
            Class<?> declared, String op) {
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
                probes.add(probe(kids.get(i), path.then(keys.get(i)), positions, statics, types == null ? null : types[i], op));
            }
            copy = rebuild(node, probes, path, op);
            if (copy instanceof Record && !(copy instanceof Struct)) {
                // a record's constructor may copy what it is given (List.copyOf, Map.copyOf): what the selector
                // reaches is what the record holds
                List<Object> held = Nodes.children(copy);
                for (int i = 0; i < held.size(); i++) {
                    Object h = held.get(i);
                    if (h != null && h != probes.get(i) && !positions.containsKey(h) && Nodes.isNode(h)) {
                        note(positions, h, path.then(keys.get(i)));
                    }
                }
            }
        } else {
            // a static value: kept as it is, and remembered so that the selector may pick it
            note(positions, node, path);
            statics.put(path, node);
            return node;
        }
        if (copy != null) {
            note(positions, copy, path);
        }
        return copy;
    }

    private static void note(Map<Object, List<KeyPath>> positions, Object o, KeyPath path) {
        List<KeyPath> at = positions.computeIfAbsent(o, k -> new ArrayList<>());
        if (!at.contains(path)) {
            at.add(path);
        }
    }

    /**
     * {@code node} with other children; a record stays a record (a value its component cannot hold is an
     * error naming the component, not a silent change of type).
     */
    private static Object rebuild(Object node, List<Object> kids, KeyPath path, String op) {
        Object out = Nodes.withChildren(node, kids);
        if (node instanceof Record && !(node instanceof Struct) && out instanceof Struct) {
            RecordShape shape = RecordShape.of(node.getClass());
            Object[] values = kids.toArray();
            int i = shape.firstRejected(values);
            throw new IllegalArgumentException(op + ": " + shape.mismatch(i, values[i]) + " (at "
                    + path.then(new PathKey.Field(shape.names.get(i))) + ")");
        }
        return out;
    }

    private static Object replace(Object node, KeyPath path, List<KeyPath> targets, BiFunction<Integer, Object, Object> replace,
            String op) {
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
            out.add(replace(kids.get(i), path.then(keys.get(i)), targets, replace, op));
        }
        return rebuild(node, out, path, op);
    }
}
