package dev.solstice.transform;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import dev.solstice.tree.KeyPath;
import dev.solstice.tree.Tree;
import dev.solstice.tree.TreeDef;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A jitted function's argument taken apart: the leaves to trace (arrays, and avals where a shape stands for an
 * array) and the rest, which is static and part of the cache key. Top-level entries named static
 * ({@code JitOptions.staticArgs}) are kept whole, compared by {@code equals}; the other entries are flattened.
 */
final class ArgumentSplit {
    /** A top-level entry kept whole as a static argument. */
    record StaticArg(Object value) {}

    private final TreeDef top; // null: the argument is flattened as a whole
    private final List<Object> parts; // with static arguments: per top-level entry, a StaticArg or its structure
    private final List<Object> leaves;
    private final JitSignature signature;

    private ArgumentSplit(TreeDef top, List<Object> parts, List<Object> leaves) {
        this.top = top;
        this.parts = parts;
        this.leaves = leaves;
        List<Object> structure = new ArrayList<>(parts.size() + 1);
        if (top != null) {
            structure.add(top);
        }
        structure.addAll(parts);
        Aval[] avals = new Aval[leaves.size()];
        for (int i = 0; i < avals.length; i++) {
            avals[i] = leaves.get(i) instanceof Aval a ? a : ((Array) leaves.get(i)).aval();
        }
        this.signature = new JitSignature(structure, avals);
    }

    /**
     * Splits {@code x}; top-level entries whose position (Integer) or name (String: record component, map key) is
     * in {@code staticKeys} stay whole. With {@code avalLeaves}, an {@link Aval} is a leaf standing for an array.
     */
    static ArgumentSplit of(Object x, Set<Object> staticKeys, boolean avalLeaves) {
        if (staticKeys.isEmpty()) {
            Tree.FlattenedWith f = flatten(x, avalLeaves);
            return new ArgumentSplit(null, List.of(f.def()), f.leaves());
        }
        Tree.FlattenedWith entries = Tree.flattenWith(x, o -> o != x); // every top-level entry a leaf
        List<Object> parts = new ArrayList<>();
        List<Object> leaves = new ArrayList<>();
        for (int i = 0; i < entries.leaves().size(); i++) {
            Object entry = entries.leaves().get(i);
            Object name = TreePaths.childName(entries.def(), i);
            if (staticKeys.contains(i) || (name != null && staticKeys.contains(name))) {
                parts.add(new StaticArg(entry));
            } else {
                Tree.FlattenedWith f = flatten(entry, avalLeaves);
                parts.add(f.def());
                leaves.addAll(f.leaves());
            }
        }
        return new ArgumentSplit(entries.def(), parts, leaves);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Tree.FlattenedWith flatten(Object x, boolean avalLeaves) {
        if (avalLeaves) {
            return Tree.flattenWith(x, o -> o instanceof Aval);
        }
        Tree.Flattened f = Tree.flatten(x); // arrays only: the common case, without a leaf test per node
        return new Tree.FlattenedWith((List) f.leaves(), f.def());
    }

    /** The cache key. */
    JitSignature signature() {
        return signature;
    }

    /** The avals of the traced leaves. */
    Aval[] avals() {
        return signature.avals.clone();
    }

    /** The traced leaves, in order (arrays; avals under {@code makeJaxpr} and {@code evalShape}). */
    List<Object> leaves() {
        return leaves;
    }

    /** The argument rebuilt with {@code values} in place of its traced leaves. */
    <T> T rebuild(List<? extends Array> values) {
        if (top == null) {
            return Tree.unflatten((TreeDef) parts.getFirst(), values);
        }
        List<Object> entries = new ArrayList<>();
        int k = 0;
        for (Object part : parts) {
            if (part instanceof StaticArg s) {
                entries.add(s.value());
            } else {
                TreeDef def = (TreeDef) part;
                entries.add(Tree.unflatten(def, values.subList(k, k + def.numLeaves())));
                k += def.numLeaves();
            }
        }
        return Tree.unflatten(top, entries);
    }

    /** Walks the flattened parts with their paths from the argument's root: traced leaves and static values. */
    void walk(TreePaths.Visitor visitor) {
        if (top == null) {
            TreePaths.walk((TreeDef) parts.getFirst(), KeyPath.ROOT, visitor);
            return;
        }
        for (int i = 0; i < parts.size(); i++) {
            if (parts.get(i) instanceof TreeDef def) {
                TreePaths.walk(def, TreePaths.childPath(top, i, KeyPath.ROOT), visitor);
            }
        }
    }

    /** The paths of the traced leaves, in order. */
    List<KeyPath> leafPaths() {
        List<KeyPath> paths = new ArrayList<>();
        walk(new TreePaths.Visitor() {
            @Override
            public void leaf(KeyPath path) {
                paths.add(path);
            }

            @Override
            public void staticValue(KeyPath path, Object value) {}
        });
        return paths;
    }

    /** The top-level structure, or null when the argument is flattened whole. */
    TreeDef top() {
        return top;
    }

    /** Per top-level entry: a {@link StaticArg} or the entry's structure (only with static arguments). */
    List<Object> parts() {
        return parts;
    }
}
