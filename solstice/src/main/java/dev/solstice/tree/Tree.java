package dev.solstice.tree;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.prim.Ops;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Trees: nested records, lists, maps (sorted keys), optionals, Java arrays of objects and registered node
 * types, with arrays as leaves. {@code null} is an empty node; any other value (a number, a string, an enum,
 * a function) is static: part of the structure, not a leaf. As {@code jax.tree_util}.
 *
 * {@snippet lang=java :
 * import dev.solstice.tree.*;
 * record Params(Array w, List<Array> bs) {}
 * Params p = new Params(Jnp.ones(2, 3), List.of(Array.of(1.0), Array.of(2.0)));
 * Tree.leaves(p).size()   // 3
 * Tree.map(a -> a.mul(2.0), p).bs().get(1)   // Array(float64[1], [4.0])
 * }
 */
public final class Tree {
    private static final Map<Class<?>, NodeType<?>> REGISTRY = new ConcurrentHashMap<>();

    private Tree() {}

    /**
     * A tree's leaves in order and its structure.
     *
     * {@snippet lang=java :
     * import dev.solstice.tree.*;
     * Tree.Flattened f = Tree.flatten(List.of(Array.of(1.0), Map.of("b", Array.of(2.0))));
     * f.leaves().size()   // 2
     * f.def().numLeaves()   // 2
     * }
     *
     * @param leaves the arrays, depth first
     * @param def the structure
     */
    public record Flattened(List<Array> leaves, TreeDef def) {}

    /**
     * A tree's leaves under a custom leaf test, and its structure.
     *
     * {@snippet lang=java :
     * import dev.solstice.tree.*;
     * Tree.FlattenedWith f = Tree.flattenWith(Arrays.asList(Array.of(1.0), null), Objects::isNull);
     * f.leaves()   // [Array(float64[1], [1.0]), null]
     * }
     *
     * @param leaves the leaves, depth first (may include nulls or other objects the test accepted)
     * @param def the structure (each accepted node is a {@link TreeDef.Leaf})
     */
    public record FlattenedWith(List<Object> leaves, TreeDef def) {}

    private static final Predicate<Object> IS_ARRAY = o -> o instanceof Array;
    // structures without parameters, shared by every tree
    private static final TreeDef LEAF = new TreeDef.Leaf();
    private static final TreeDef NONE = new TreeDef.None();

    /**
     * A leaf with its path from the root.
     *
     * {@snippet lang=java :
     * import dev.solstice.tree.*;
     * Tree.PathLeaf first = Tree.leavesWithPath(Map.of("w", Array.of(1.0))).get(0);
     * first.path().toString()   // ["w"]
     * }
     *
     * @param path the path
     * @param leaf the array
     */
    public record PathLeaf(KeyPath path, Array leaf) {}

    /**
     * A leaf under a custom leaf test, with its path from the root.
     *
     * {@snippet lang=java :
     * import dev.solstice.tree.*;
     * var leaves = Tree.leavesWithPath(Arrays.asList(Array.of(1.0), null), Objects::isNull);
     * leaves.get(1).path() + " " + leaves.get(1).leaf()   // [1] null
     * }
     *
     * @param path the path
     * @param leaf the leaf: an array or any node the test accepted ({@code null} included)
     */
    public record PathObject(KeyPath path, Object leaf) {}

    /**
     * A tree's leaves raveled into one flat vector, and the function that rebuilds the tree from a vector.
     *
     * {@snippet lang=java :
     * import dev.solstice.tree.*;
     * Tree.Raveled<List<Array>> r = Tree.ravel(List.of(Array.of(1.0, 2.0), Array.of(3.0)));
     * r.flat()   // Array(float64[3], [1.0, 2.0, 3.0])
     * r.unravel().apply(Array.of(7.0, 8.0, 9.0)).get(1)   // Array(float64[1], [9.0])
     * }
     *
     * @param <T> the tree type
     * @param flat the concatenated leaves (promoted to one dtype)
     * @param unravel rebuilds a tree of the same structure, shapes and dtypes from a vector
     */
    public record Raveled<T>(Array flat, Function<Array, T> unravel) {}

    /**
     * Registers a class as a tree node; its instances are then taken apart by {@code type}.
     *
     * {@snippet lang=java :
     * import dev.solstice.tree.*;
     * class Box { final Array v; Box(Array v) { this.v = v; } }
     * Tree.register(Box.class, new NodeType<Box>() {
     *     public List<Object> children(Box b) { return List.of(b.v); }
     *     public Box rebuild(Object aux, List<Object> kids) { return new Box((Array) kids.get(0)); } });
     * Tree.map(a -> a.add(1.0), new Box(Array.of(1.0))).v   // Array(float64[1], [2.0])
     * }
     */
    public static <T> void register(Class<T> cls, NodeType<T> type) {
        REGISTRY.put(cls, type);
    }

    // ---- flatten -----------------------------------------------------------------------------------------

    /**
     * The leaves and structure of a tree.
     *
     * {@snippet lang=java :
     * import dev.solstice.tree.*;
     * Tree.Flattened f = Tree.flatten(List.of(Array.of(1.0), Array.of(2.0, 3.0)));
     * f.leaves().get(1)   // Array(float64[2], [2.0, 3.0])
     * Tree.unflatten(f.def(), List.of(Array.of(5.0), Array.of(6.0)))   // [Array(float64[1], [5.0]), Array(float64[1], [6.0])]
     * }
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static Flattened flatten(Object tree) {
        List<Object> leaves = new ArrayList<>();
        TreeDef def = buildUntracked(tree, leaves, IS_ARRAY);
        return new Flattened((List) Collections.unmodifiableList(leaves), def);
    }

    /**
     * Flattens with a custom leaf test (JAX's {@code is_leaf}): any node for which {@code isLeaf} holds is a
     * leaf, whatever it is (for example {@code null}, to line up trees that have nulls where others have
     * arrays). Arrays are always leaves. When {@code isLeaf} accepts {@code null}, an empty {@link Optional}
     * is read as an Optional holding a {@code null} leaf (Java's Optional cannot hold null, so that is what a
     * leaf replaced by null inside an Optional becomes).
     *
     * {@snippet lang=java :
     * import dev.solstice.tree.*;
     * Tree.FlattenedWith f = Tree.flattenWith(Arrays.asList(Array.of(1.0), null), Objects::isNull);
     * f.leaves().size()   // 2
     * Tree.flatten(Arrays.asList(Array.of(1.0), null)).leaves().size()   // 1
     * }
     */
    public static FlattenedWith flattenWith(Object tree, Predicate<Object> isLeaf) {
        List<Object> leaves = new ArrayList<>();
        TreeDef def = buildUntracked(tree, leaves, o -> o instanceof Array || isLeaf.test(o));
        return new FlattenedWith(Collections.unmodifiableList(leaves), def);
    }

    /**
     * The leaves of a tree, depth first.
     *
     * {@snippet lang=java :
     * import dev.solstice.tree.*;
     * Tree.leaves(Map.of("a", Array.of(1.0), "b", List.of(Array.of(2.0))))   // [Array(float64[1], [1.0]), Array(float64[1], [2.0])]
     * }
     */
    public static List<Array> leaves(Object tree) {
        return flatten(tree).leaves();
    }

    /**
     * The structure of a tree.
     *
     * {@snippet lang=java :
     * import dev.solstice.tree.*;
     * Tree.structure(List.of(Array.of(1.0), Array.of(2.0))).numLeaves()   // 2
     * }
     */
    public static TreeDef structure(Object tree) {
        return flatten(tree).def();
    }

    /**
     * The leaves of a tree with their paths.
     *
     * {@snippet lang=java :
     * import dev.solstice.tree.*;
     * record Params(Array w, List<Array> bs) {}
     * var leaves = Tree.leavesWithPath(new Params(Array.of(1.0), List.of(Array.of(2.0))));
     * leaves.get(1).path().toString()   // bs[0]
     * }
     */
    public static List<PathLeaf> leavesWithPath(Object tree) {
        List<Object> leaves = new ArrayList<>();
        List<KeyPath> paths = new ArrayList<>();
        build(tree, leaves, paths, KeyPath.ROOT, IS_ARRAY);
        List<PathLeaf> out = new ArrayList<>();
        for (int i = 0; i < leaves.size(); i++) {
            out.add(new PathLeaf(paths.get(i), (Array) leaves.get(i)));
        }
        return out;
    }

    /**
     * The path of each leaf of a structure, in leaf order: the paths {@link #leavesWithPath(Object)} gives
     * for a tree of that structure, read from the structure alone (no tree is rebuilt).
     *
     * {@snippet lang=java :
     * import dev.solstice.tree.*;
     * TreeDef def = Tree.structure(Map.of("a", List.of(Array.of(1.0), Array.of(2.0))));
     * Tree.leafPaths(def).toString()   // [["a"][0], ["a"][1]]
     * }
     */
    public static List<KeyPath> leafPaths(TreeDef def) {
        List<KeyPath> out = new ArrayList<>();
        collectPaths(def, KeyPath.ROOT, out);
        return out;
    }

    private static void collectPaths(TreeDef def, KeyPath path, List<KeyPath> out) {
        List<TreeDef> kids = def.children();
        switch (def) {
            case TreeDef.Leaf l -> out.add(path);
            case TreeDef.RecordNode r -> {
                for (int i = 0; i < kids.size(); i++) {
                    collectPaths(kids.get(i), path.then(new PathKey.Field(r.names().get(i))), out);
                }
            }
            case TreeDef.CustomNode c -> {
                for (int i = 0; i < kids.size(); i++) {
                    collectPaths(kids.get(i), c.names() != null ? path.then(new PathKey.Field(c.names().get(i)))
                            : path.then(new PathKey.Index(i)), out);
                }
            }
            case TreeDef.MapNode m -> {
                for (int i = 0; i < kids.size(); i++) {
                    collectPaths(kids.get(i), path.then(new PathKey.Key(m.keys().get(i))), out);
                }
            }
            default -> {
                for (int i = 0; i < kids.size(); i++) {
                    collectPaths(kids.get(i), path.then(new PathKey.Index(i)), out);
                }
            }
        }
    }

    /**
     * The leaves of a tree under a custom leaf test (as {@link #flattenWith}), with their paths, in the order
     * of {@link #flattenWith}'s leaves. Reads the tree only: nothing is written into it, so records whose
     * constructors validate their fields are fine.
     *
     * {@snippet lang=java :
     * import dev.solstice.tree.*;
     * var leaves = Tree.leavesWithPath(Arrays.asList(Array.of(1.0), null), Objects::isNull);
     * leaves.size()   // 2
     * }
     */
    public static List<PathObject> leavesWithPath(Object tree, Predicate<Object> isLeaf) {
        List<Object> leaves = new ArrayList<>();
        List<KeyPath> paths = new ArrayList<>();
        build(tree, leaves, paths, KeyPath.ROOT, o -> o instanceof Array || isLeaf.test(o));
        List<PathObject> out = new ArrayList<>();
        for (int i = 0; i < leaves.size(); i++) {
            out.add(new PathObject(paths.get(i), leaves.get(i)));
        }
        return out;
    }

    /**
     * {@link #build} without paths (no path is built per node). A node that would be an error is found again
     * with paths, so that the message says where it is.
     */
    private static TreeDef buildUntracked(Object tree, List<Object> leaves, Predicate<Object> isLeaf) {
        try {
            return build(tree, leaves, null, null, isLeaf);
        } catch (PathNeeded e) {
            build(tree, new ArrayList<>(), new ArrayList<>(), KeyPath.ROOT, isLeaf); // throws, naming the path
            throw new IllegalStateException("Tree: a node refused without paths was accepted with them", e);
        }
    }

    /** Thrown by an untracked {@link #build} at a node that is an error, whose message needs its path. */
    private static final class PathNeeded extends RuntimeException {
        PathNeeded() {
            super(null, null, false, false);
        }
    }

    // a path extended by one step; null (paths not tracked) stays null and builds nothing

    private static KeyPath field(KeyPath path, String name) {
        return path == null ? null : path.then(new PathKey.Field(name));
    }

    private static KeyPath index(KeyPath path, int i) {
        return path == null ? null : path.then(new PathKey.Index(i));
    }

    private static KeyPath key(KeyPath path, Object key) {
        return path == null ? null : path.then(new PathKey.Key(key));
    }

    /**
     * The structure of {@code node}, its leaves appended to {@code leaves} and, when {@code paths} is not null,
     * their paths to {@code paths}; {@code path} is the node's path, null when paths are not tracked.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static TreeDef build(Object node, List<Object> leaves, List<KeyPath> paths, KeyPath path,
            Predicate<Object> isLeaf) {
        if (isLeaf.test(node)) {
            leaves.add(node);
            if (paths != null) {
                paths.add(path);
            }
            return LEAF;
        }
        if (node == null) {
            return NONE;
        }
        NodeType custom = lookup(node.getClass());
        if (custom != null) {
            List<Object> kids = custom.children(node);
            List<String> names = custom.childNames(node);
            List<TreeDef> defs = new ArrayList<>();
            for (int i = 0; i < kids.size(); i++) {
                KeyPath p = names != null ? field(path, names.get(i)) : index(path, i);
                defs.add(build(kids.get(i), leaves, paths, p, isLeaf));
            }
            return new TreeDef.CustomNode(node.getClass(), custom.auxData(node), names, List.copyOf(defs));
        }
        if (node instanceof Struct st) {
            List<TreeDef> defs = new ArrayList<>();
            for (int i = 0; i < st.names().size(); i++) {
                defs.add(build(st.values().get(i), leaves, paths, field(path, st.names().get(i)), isLeaf));
            }
            return new TreeDef.RecordNode(st.type(), st.names(), List.copyOf(defs));
        }
        if (node instanceof Record) {
            RecordShape shape = RecordShape.of(node.getClass());
            List<TreeDef> defs = new ArrayList<>();
            for (int i = 0; i < shape.names.size(); i++) {
                defs.add(build(shape.get(node, i), leaves, paths, field(path, shape.names.get(i)), isLeaf));
            }
            return new TreeDef.RecordNode(node.getClass(), shape.names, List.copyOf(defs));
        }
        if (node instanceof List<?> list) {
            List<TreeDef> defs = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                defs.add(build(list.get(i), leaves, paths, index(path, i), isLeaf));
            }
            return new TreeDef.ListNode(List.copyOf(defs));
        }
        if (node instanceof Map<?, ?> map) {
            List<Object> keys = sortedKeys(map);
            List<TreeDef> defs = new ArrayList<>();
            for (Object k : keys) {
                defs.add(build(map.get(k), leaves, paths, key(path, k), isLeaf));
            }
            return new TreeDef.MapNode(List.copyOf(keys), List.copyOf(defs));
        }
        if (node instanceof Optional<?> opt) {
            // an Optional cannot hold null, so a leaf replaced by null inside one (by partition or a
            // gradient) leaves an empty Optional; where nulls are leaves, an empty Optional reads as one
            // holding a null leaf, so that such trees line up with the originals
            if (opt.isEmpty() && isLeaf.test(null)) {
                leaves.add(null);
                if (paths != null) {
                    paths.add(path.then(new PathKey.Index(0)));
                }
                return new TreeDef.OptionalNode(List.of(new TreeDef.Leaf()));
            }
            return new TreeDef.OptionalNode(opt.isPresent()
                    ? List.of(build(opt.get(), leaves, paths, index(path, 0), isLeaf))
                    : List.of());
        }
        if (node instanceof Object[] arr) {
            List<TreeDef> defs = new ArrayList<>();
            for (int i = 0; i < arr.length; i++) {
                defs.add(build(arr[i], leaves, paths, index(path, i), isLeaf));
            }
            return new TreeDef.ArrayNode(arr.getClass().getComponentType(), List.copyOf(defs));
        }
        checkNoHiddenArrays(node, path);
        return new TreeDef.Static(node);
    }

    /** The node type registered for a class (or a superclass or interface of it), or null. */
    static NodeType<?> registered(Class<?> cls) {
        return lookup(cls);
    }

    private static NodeType<?> lookup(Class<?> cls) {
        NodeType<?> t = REGISTRY.get(cls);
        if (t != null) {
            return t;
        }
        for (Map.Entry<Class<?>, NodeType<?>> e : REGISTRY.entrySet()) {
            if (e.getKey().isAssignableFrom(cls)) {
                return e.getValue();
            }
        }
        return null;
    }

    private static List<Object> sortedKeys(Map<?, ?> map) {
        List<Object> keys = new ArrayList<>(map.keySet());
        try {
            keys.sort(null);
        } catch (ClassCastException | NullPointerException e) {
            throw new IllegalArgumentException("Tree: map keys must be non-null and mutually comparable (trees flatten"
                    + " maps in sorted key order, as JAX); got keys " + map.keySet());
        }
        return keys;
    }

    /**
     * A plain object that holds arrays in its fields would silently lose them as a static value: refuse it
     * and say how to make it a node (at {@code path}; null: paths not tracked, see {@link #buildUntracked}).
     * Library, JDK and lambda classes are taken as they are.
     */
    private static void checkNoHiddenArrays(Object node, KeyPath path) {
        Class<?> c = node.getClass();
        String name = c.getName();
        if (c.isHidden() || c.isSynthetic() || c.isEnum() || name.startsWith("java.") || name.startsWith("javax.")
                || name.startsWith("jdk.") || name.startsWith("sun.")) {
            return;
        }
        for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
            for (Field f : k.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                Object v;
                try {
                    f.setAccessible(true);
                    v = f.get(node);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    continue;
                }
                if (v instanceof Array || (v instanceof Collection<?> col && col.stream().anyMatch(e -> e instanceof Array))
                        || (v instanceof Map<?, ?> m && m.values().stream().anyMatch(e -> e instanceof Array))) {
                    if (path == null) {
                        throw new PathNeeded();
                    }
                    throw new IllegalArgumentException("Tree: " + c.getName() + (path.keys().isEmpty() ? "" : " at " + path)
                            + " holds arrays (field '" + f.getName() + "') but is not a tree node, so they would be"
                            + " treated as a static value; make it a record, or register it with Tree.register("
                            + c.getSimpleName() + ".class, ...)");
                }
            }
        }
    }

    // ---- unflatten ------------------------------------------------------------------------------------------

    /**
     * Rebuilds a tree of structure {@code def} with {@code leaves} in place of its leaves (they may be any
     * objects: arrays, nulls, or whole trees, giving a tree of trees).
     *
     * {@snippet lang=java :
     * import dev.solstice.tree.*;
     * TreeDef def = Tree.structure(List.of(Array.of(1.0), Array.of(2.0)));
     * List<Array> rebuilt = Tree.unflatten(def, List.of(Array.of(5.0), Array.of(6.0)));
     * rebuilt.get(1)   // Array(float64[1], [6.0])
     * }
     */
    @SuppressWarnings("unchecked")
    public static <T> T unflatten(TreeDef def, List<?> leaves) {
        if (leaves.size() != def.numLeaves()) {
            throw new IllegalArgumentException("Tree.unflatten: the structure " + def + " has " + def.numLeaves()
                    + " leaves, got " + leaves.size());
        }
        int[] next = {0};
        return (T) rebuild(def, leaves, next);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object rebuild(TreeDef def, List<?> leaves, int[] next) {
        return switch (def) {
            case TreeDef.Leaf l -> leaves.get(next[0]++);
            case TreeDef.None n -> null;
            case TreeDef.Static s -> s.value();
            case TreeDef.RecordNode r -> {
                Object[] values = new Object[r.children().size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = rebuild(r.children().get(i), leaves, next);
                }
                RecordShape shape = RecordShape.of(r.type());
                // a record whose components cannot hold the rebuilt children (a tree of trees, as a
                // Jacobian or Hessian with respect to a record) becomes a Struct of the same shape
                yield shape.accepts(values) ? shape.construct(values) : new Struct(r.type(), shape.names, values);
            }
            case TreeDef.ListNode l -> {
                List<Object> out = new ArrayList<>();
                for (TreeDef c : l.children()) {
                    out.add(rebuild(c, leaves, next));
                }
                yield Collections.unmodifiableList(out);
            }
            case TreeDef.MapNode m -> {
                Map<Object, Object> out = new TreeMap<>();
                for (int i = 0; i < m.keys().size(); i++) {
                    out.put(m.keys().get(i), rebuild(m.children().get(i), leaves, next));
                }
                yield Collections.unmodifiableMap(out);
            }
            case TreeDef.OptionalNode o -> o.children().isEmpty() ? Optional.empty()
                    : Optional.ofNullable(rebuild(o.children().getFirst(), leaves, next));
            case TreeDef.ArrayNode a -> {
                Object[] kids = new Object[a.children().size()];
                boolean fits = true;
                for (int i = 0; i < kids.length; i++) {
                    kids[i] = rebuild(a.children().get(i), leaves, next);
                    fits &= kids[i] == null || a.componentType().isInstance(kids[i]);
                }
                if (!fits) {
                    yield kids;
                }
                Object[] typed = (Object[]) java.lang.reflect.Array.newInstance(a.componentType(), kids.length);
                System.arraycopy(kids, 0, typed, 0, kids.length);
                yield typed;
            }
            case TreeDef.CustomNode c -> {
                List<Object> kids = new ArrayList<>();
                for (TreeDef k : c.children()) {
                    kids.add(rebuild(k, leaves, next));
                }
                NodeType type = lookup(c.type());
                if (type == null) {
                    throw new IllegalStateException("Tree: " + c.type().getName() + " is no longer registered");
                }
                yield type.rebuild(c.auxData(), kids);
            }
        };
    }

    /**
     * The subtrees of {@code tree} found where {@code def} has its leaves ({@code def} must be a prefix of
     * the tree's structure): used to take a tree of trees apart one level at a time. Where {@code def} has a
     * {@code null}, the tree must have one too (as JAX's {@code flatten_up_to}: null is not a leaf).
     *
     * {@snippet lang=java :
     * import dev.solstice.tree.*;
     * TreeDef outer = Tree.structure(List.of(Array.of(0.0), Array.of(0.0)));
     * var tree = List.of(List.of(Array.of(1.0), Array.of(2.0)), List.of(Array.of(3.0)));
     * Tree.flattenUpTo(outer, tree).get(0)   // [Array(float64[1], [1.0]), Array(float64[1], [2.0])]
     * }
     */
    public static List<Object> flattenUpTo(TreeDef def, Object tree) {
        List<Object> out = new ArrayList<>();
        upTo(def, tree, out);
        return out;
    }

    /**
     * As {@link #flattenUpTo}, but with Equinox's reading of {@code null} as "nothing here": a {@code null}
     * where {@code def} has a subtree gives {@code null} for each of that subtree's leaves, and an empty
     * {@link Optional} where {@code def} has a present one gives {@code null} for its leaves. Static values of
     * {@code tree} are not compared. Used to read tangents, cotangents and updates, which have nulls where
     * they have nothing to say.
     *
     * {@snippet lang=java :
     * import dev.solstice.tree.*;
     * TreeDef def = Tree.structure(List.of(Array.of(0.0), List.of(Array.of(0.0), Array.of(0.0))));
     * Tree.flattenUpToWithNulls(def, Arrays.asList(Array.of(1.0), null))   // [Array(float64[1], [1.0]), null, null]
     * }
     */
    public static List<Object> flattenUpToWithNulls(TreeDef def, Object tree) {
        List<Object> out = new ArrayList<>();
        upTo(def, tree, out, true);
        return out;
    }

    private static void upTo(TreeDef def, Object node, List<Object> out) {
        upTo(def, node, out, false);
    }

    private static void upTo(TreeDef def, Object node, List<Object> out, boolean nullsAreEmpty) {
        switch (def) {
            case TreeDef.Leaf l -> out.add(node);
            case TreeDef.None n -> {
                if (node != null && !nullsAreEmpty) {
                    throw new IllegalArgumentException("Tree: expected null (the prefix has null here) but found " + describe(node));
                }
            }
            case TreeDef.Static s -> { }
            default -> {
                if (nullsAreEmpty && (node == null
                        || (node instanceof Optional<?> o && o.isEmpty() && def instanceof TreeDef.OptionalNode))) {
                    for (int i = 0; i < def.numLeaves(); i++) {
                        out.add(null);
                    }
                    return;
                }
                List<Object> kids = childrenOf(def, node);
                for (int i = 0; i < kids.size(); i++) {
                    upTo(def.children().get(i), kids.get(i), out, nullsAreEmpty);
                }
            }
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static List<Object> childrenOf(TreeDef def, Object node) {
        switch (def) {
            case TreeDef.RecordNode r -> {
                if (node instanceof Struct st && st.type() == r.type()) {
                    return new ArrayList<>(st.values());
                }
                if (node == null || node.getClass() != r.type()) {
                    throw mismatch(def, node);
                }
                RecordShape shape = RecordShape.of(r.type());
                List<Object> kids = new ArrayList<>();
                for (int i = 0; i < shape.names.size(); i++) {
                    kids.add(shape.get(node, i));
                }
                return kids;
            }
            case TreeDef.ListNode l -> {
                if (!(node instanceof List<?> list) || list.size() != l.children().size()) {
                    throw mismatch(def, node);
                }
                return new ArrayList<>(list);
            }
            case TreeDef.MapNode m -> {
                if (!(node instanceof Map<?, ?> map) || !sortedKeys(map).equals(m.keys())) {
                    throw mismatch(def, node);
                }
                List<Object> kids = new ArrayList<>();
                for (Object k : m.keys()) {
                    kids.add(map.get(k));
                }
                return kids;
            }
            case TreeDef.OptionalNode o -> {
                if (!(node instanceof Optional<?> opt) || opt.isPresent() != !o.children().isEmpty()) {
                    throw mismatch(def, node);
                }
                return opt.isPresent() ? List.of(opt.get()) : List.of();
            }
            case TreeDef.ArrayNode a -> {
                if (!(node instanceof Object[] arr) || arr.length != a.children().size()) {
                    throw mismatch(def, node);
                }
                return java.util.Arrays.asList(arr);
            }
            case TreeDef.CustomNode c -> {
                NodeType type = node == null ? null : lookup(node.getClass());
                if (type == null || node.getClass() != c.type()) {
                    throw mismatch(def, node);
                }
                return new ArrayList<>(type.children(node));
            }
            default -> throw new IllegalStateException("not a node: " + def);
        }
    }

    private static IllegalArgumentException mismatch(TreeDef def, Object node) {
        return new IllegalArgumentException("Tree: expected a node of structure " + def + " but found " + describe(node));
    }

    private static String describe(Object node) {
        if (node == null) {
            return "null";
        }
        return node instanceof Array a ? "an array " + a.aval().str() : structure(node).toString();
    }

    // ---- map, reduce, transpose, ravel ---------------------------------------------------------------------

    /**
     * Applies {@code fn} to every leaf, keeping the structure.
     *
     * {@snippet lang=java :
     * import dev.solstice.tree.*;
     * Tree.map(Jnp::square, List.of(Array.of(2.0), Array.of(3.0)))   // [Array(float64[1], [4.0]), Array(float64[1], [9.0])]
     * }
     */
    public static <T> T map(Function<Array, ?> fn, T tree) {
        Flattened f = flatten(tree);
        List<Object> out = new ArrayList<>();
        for (Array a : f.leaves()) {
            out.add(fn.apply(a));
        }
        return unflatten(f.def(), out);
    }

    /**
     * Applies {@code fn} to matching leaves of two trees of one structure, keeping the first's structure.
     *
     * {@snippet lang=java :
     * import dev.solstice.tree.*;
     * Tree.map(Jnp::add, List.of(Array.of(1.0), Array.of(2.0)), List.of(Array.of(10.0), Array.of(20.0)))   // [Array(float64[1], [11.0]), Array(float64[1], [22.0])]
     * }
     */
    public static <T> T map(BiFunction<Array, Array, ?> fn, T tree, Object other) {
        return mapAll(l -> fn.apply(l.get(0), l.get(1)), List.of(tree, other));
    }

    /**
     * Applies {@code fn} to the matching leaves of several trees of one structure (the message on a mismatch
     * shows both structures).
     *
     * {@snippet lang=java :
     * import dev.solstice.tree.*;
     * var trees = List.of(List.of(Array.of(1.0)), List.of(Array.of(2.0)), List.of(Array.of(3.0)));
     * Tree.mapAll(xs -> Jnp.concatenate(xs, 0), trees)   // [Array(float64[3], [1.0, 2.0, 3.0])]
     * }
     */
    public static <T> T mapAll(Function<List<Array>, ?> fn, List<?> trees) {
        if (trees.isEmpty()) {
            throw new IllegalArgumentException("Tree.mapAll: needs at least one tree");
        }
        Flattened first = flatten(trees.getFirst());
        List<List<Array>> all = new ArrayList<>();
        for (Object t : trees) {
            Flattened f = flatten(t);
            if (!f.def().equals(first.def())) {
                throw new IllegalArgumentException("Tree.map: the trees have different structures:\n  " + first.def()
                        + "\n  " + f.def());
            }
            all.add(f.leaves());
        }
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < first.leaves().size(); i++) {
            List<Array> args = new ArrayList<>();
            for (List<Array> l : all) {
                args.add(l.get(i));
            }
            out.add(fn.apply(args));
        }
        return unflatten(first.def(), out);
    }

    /**
     * Applies {@code fn} to every leaf and its path, keeping the structure.
     *
     * {@snippet lang=java :
     * import dev.solstice.tree.*;
     * Tree.mapWithPath((path, a) -> path.toString().contains("b") ? a : Jnp.zerosLike(a),
     *         Map.of("a", Array.of(1.0), "b", Array.of(2.0))).get("a")   // Array(float64[1], [0.0])
     * }
     */
    public static <T> T mapWithPath(BiFunction<KeyPath, Array, ?> fn, T tree) {
        List<Object> out = new ArrayList<>();
        for (PathLeaf p : leavesWithPath(tree)) {
            out.add(fn.apply(p.path(), p.leaf()));
        }
        return unflatten(structure(tree), out);
    }

    /**
     * Folds the leaves from left to right, starting from {@code initial}.
     *
     * {@snippet lang=java :
     * import dev.solstice.tree.*;
     * Tree.reduce((n, a) -> n + a.size(), List.of(Jnp.ones(2, 3), Jnp.ones(4)), 0)   // 10
     * }
     */
    public static <A> A reduce(BiFunction<A, Array, A> fn, Object tree, A initial) {
        A acc = initial;
        for (Array a : leaves(tree)) {
            acc = fn.apply(acc, a);
        }
        return acc;
    }

    /**
     * True when {@code test} holds for every leaf (also for a tree with no leaves).
     *
     * {@snippet lang=java :
     * import dev.solstice.tree.*;
     * Tree.all(List.of(Array.of(1.0), Array.of(2f)), a -> a.dtype().isFloating())   // true
     * }
     */
    public static boolean all(Object tree, Predicate<Array> test) {
        return leaves(tree).stream().allMatch(test);
    }

    /**
     * Turns a tree of structure {@code outer} whose leaves are trees of structure {@code inner} into a tree of
     * structure {@code inner} whose leaves are trees of structure {@code outer} (JAX's tree_transpose).
     *
     * {@snippet lang=java :
     * import dev.solstice.tree.*;
     * var pairs = List.of(List.of(Array.of(1.0), Array.of(2.0)), List.of(Array.of(3.0), Array.of(4.0)));
     * TreeDef outer = Tree.structure(List.of(Array.of(0.0), Array.of(0.0)));
     * List<List<Array>> t = Tree.transpose(outer, outer, pairs);
     * t.get(0).get(1)   // Array(float64[1], [3.0])
     * }
     */
    public static <T> T transpose(TreeDef outer, TreeDef inner, Object tree) {
        List<Object> outerLeaves = flattenUpTo(outer, tree);
        int n = inner.numLeaves();
        List<List<Object>> columns = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            columns.add(new ArrayList<>());
        }
        for (Object sub : outerLeaves) {
            List<Object> innerLeaves = flattenUpTo(inner, sub);
            for (int j = 0; j < n; j++) {
                columns.get(j).add(innerLeaves.get(j));
            }
        }
        List<Object> out = new ArrayList<>();
        for (List<Object> col : columns) {
            out.add(unflatten(outer, col));
        }
        return unflatten(inner, out);
    }

    /**
     * The leaves raveled into one vector (each leaf flattened row-major, converted to the leaves' common dtype
     * by {@link DType#promote}, and concatenated in leaf order) and the function that rebuilds a tree of the same
     * structure from a vector. As JAX's ravel_pytree: the common dtype is the promotion of the leaves' dtypes
     * alone (bfloat16 leaves ravel to bfloat16, bfloat16 with int8 to bfloat16, bfloat16 with float16 to
     * float32, uint32 with int32 to int64; an empty tree to float32); when all leaves have one dtype, unravel
     * converts nothing, so the rebuilt leaves have the vector's dtype (a float32 tree can be rebuilt in float64);
     * when the dtypes differ, unravel takes only a vector of the raveled dtype and converts each piece back to
     * its leaf's dtype (rounding or wrapping as {@link Array#astype} does).
     *
     * {@snippet lang=java :
     * import dev.solstice.tree.*;
     * var r = Tree.ravel(List.of(Jnp.ones(2, 2), Array.of(5.0)));
     * r.flat()   // Array(float64[5], [1.0, 1.0, 1.0, 1.0, 5.0])
     * r.unravel().apply(Jnp.zeros(5)).get(1)   // Array(float64[1], [0.0])
     * Tree.ravel(List.of(Jnp.ones(DType.BFLOAT16, 2), Array.of(3).astype(DType.INT8))).flat()   // bfloat16[3]
     * }
     */
    public static <T> Raveled<T> ravel(T tree) {
        Flattened f = flatten(tree);
        List<Array> leaves = f.leaves();
        DType target = leaves.stream().map(Array::dtype).reduce(DType::promote).orElse(DType.FLOAT32);
        List<Array> parts = new ArrayList<>();
        for (Array a : leaves) {
            parts.add(Ops.convert(Ops.reshape(a, a.size()), target));
        }
        Array flat = parts.isEmpty() ? Ops.full(new Aval(target, 0), 0) : Ops.concatenate(0, parts.toArray(Array[]::new));
        int total = flat.size();
        boolean oneDType = leaves.stream().allMatch(a -> a.dtype() == target);
        Function<Array, T> unravel = v -> {
            if (v.ndim() != 1 || v.size() != total) {
                throw new IllegalArgumentException("unravel: expected a vector of " + total + " elements, got " + v.aval().str());
            }
            if (!oneDType && v.dtype() != target) {
                throw new IllegalArgumentException("unravel: the tree's leaves have several dtypes, raveled as " + target
                        + ", so it takes a " + target + " vector, got " + v.aval().str() + "; convert it first with Jnp.astype");
            }
            List<Object> out = new ArrayList<>();
            int offset = 0;
            for (Array a : leaves) {
                int n = a.size();
                Array piece = Ops.slice(v, new int[] {offset}, new int[] {offset + n}, new int[] {1});
                Array leaf = Ops.reshape(piece, a.shape());
                out.add(oneDType ? leaf : Ops.convert(leaf, a.dtype()));
                offset += n;
            }
            return unflatten(f.def(), out);
        };
        return new Raveled<>(flat, unravel);
    }

    /**
     * A readable rendering of a tree, as Equinox's {@code tree_pformat}: arrays show dtype and shape
     * ({@code f32[4,3]}; a scalar with its value, {@code f32[](0.5)}), records and modules
     * their component names, and a tree too long for one line of 88 columns is indented, one item per line.
     *
     * <pre>{@code
     * Tree.pformat(new Linear(3, 4, Prng.key(0)));
     * // Linear(weight=f32[4,3], bias=f32[4], inFeatures=3, outFeatures=4)
     * }</pre>
     *
     * {@snippet lang=java :
     * import dev.solstice.tree.*;
     * Tree.pformat(new Linear(3, 4, Prng.key(0)))   // Linear(weight=f32[4,3], bias=f32[4], inFeatures=3, outFeatures=4)
     * Tree.pformat(List.of(Array.scalar(0.5f), Jnp.ones(2)))   // [f32[](0.5), f64[2]]
     * }
     */
    public static String pformat(Object tree) {
        return TreeFormat.format(tree);
    }
}
