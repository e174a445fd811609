package dev.solstice.optim;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.tree.KeyPath;
import dev.solstice.tree.Tree;
import dev.solstice.tree.TreeDef;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiPredicate;
import java.util.function.Predicate;

/**
 * The machinery behind {@link Masking} and {@link Combine#multiTransform}: which leaves a mask selects, and a
 * transformation run on those leaves only. Trees are read, never rebuilt with foreign values in them, so
 * records whose constructors validate their fields are fine.
 */
final class LeafMasks {
    private LeafMasks() {}

    /** Computes, for a reference tree, one flag per leaf position (nulls counted). */
    interface MaskFn {
        /** The flags for {@code reference}'s leaves; {@code op} names the operation in errors. */
        boolean[] flags(String op, Object reference);
    }

    /** A test on each array leaf and its path; null leaves are not selected. */
    static MaskFn ofPredicate(BiPredicate<KeyPath, Array> select) {
        Objects.requireNonNull(select, "mask predicate");
        return (op, ref) -> {
            List<Tree.PathObject> leaves = Tree.leavesWithPath(ref, Objects::isNull);
            boolean[] flags = new boolean[leaves.size()];
            for (int k = 0; k < flags.length; k++) {
                flags[k] = leaves.get(k).leaf() instanceof Array a && select.test(leaves.get(k).path(), a);
            }
            return flags;
        };
    }

    /** A tree (or prefix) of bool scalar arrays, {@link Boolean}s and nulls (not selected). */
    static MaskFn ofBooleans(Object mask) {
        Predicate<Object> isLeaf = o -> o == null || o instanceof Boolean;
        List<Boolean> values = new ArrayList<>();
        for (Tree.PathObject leaf : Tree.leavesWithPath(mask, isLeaf)) {
            if (leaf.leaf() instanceof Array a && (a.size() != 1 || a.dtype() != DType.BOOL)) {
                throw new IllegalArgumentException("mask: leaves must be bool scalars or Booleans, got " + a.aval().str()
                        + " at " + Leaves.describe(leaf.path()));
            }
            values.add(leaf.leaf() instanceof Array a ? a.item() != 0 : Boolean.TRUE.equals(leaf.leaf()));
        }
        TreeDef maskDef = Tree.flattenWith(mask, isLeaf).def();
        return (op, ref) -> {
            List<Boolean> expanded = expand(op, "mask", maskDef, values, ref);
            boolean[] flags = new boolean[expanded.size()];
            for (int k = 0; k < flags.length; k++) {
                flags[k] = expanded.get(k);
            }
            return flags;
        };
    }

    /**
     * One value per leaf position of {@code ref} (nulls counted): the value of the leaf of a prefix tree (of
     * structure {@code prefixDef}, with {@code values} at its leaves, called {@code what} in errors) above it.
     */
    static <T> List<T> expand(String op, String what, TreeDef prefixDef, List<T> values, Object ref) {
        List<Object> subtrees;
        try {
            subtrees = Tree.flattenUpTo(prefixDef, ref);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + ": the structure of the " + what + " is not a prefix of the tree's"
                    + " structure:\n  " + what + ": " + prefixDef + "\n  tree: " + Tree.flattenWith(ref, Objects::isNull).def(), e);
        }
        List<T> out = new ArrayList<>();
        for (int k = 0; k < subtrees.size(); k++) {
            int n = Tree.flattenWith(subtrees.get(k), Objects::isNull).leaves().size();
            for (int j = 0; j < n; j++) {
                out.add(values.get(k));
            }
        }
        return out;
    }

    /**
     * {@code inner} run on the leaves {@code mask} selects; the others get their gradient back when
     * {@code passThrough}, and a null update otherwise.
     */
    static <S> GradientTransformation<Masking.MaskedState> transform(String op, GradientTransformation<S> inner, MaskFn mask,
            boolean passThrough) {
        Objects.requireNonNull(inner, "inner transformation");
        return new GradientTransformation<>() {
            @Override
            public Masking.MaskedState init(Object params) {
                Tree.FlattenedWith p = Tree.flattenWith(params, Objects::isNull);
                boolean[] flags = mask.flags(op, params);
                return new Masking.MaskedState(inner.init(selected(p.def(), p.leaves(), flags)));
            }

            @Override
            public Update<Masking.MaskedState> update(Object grads, Masking.MaskedState state, Object params) {
                Object ref = params != null ? params : grads;
                String refName = params != null ? "params" : "grads";
                Leaves z = Leaves.align(op, refName, ref, "grads", grads);
                boolean[] flags = mask.flags(op, ref);
                List<Object> g = new ArrayList<>();
                List<Object> p = new ArrayList<>();
                for (int i = 0; i < z.size(); i++) {
                    g.add(z.raw(1, i));
                    p.add(z.raw(0, i));
                }
                Object innerParams = params != null ? selected(z.def, p, flags) : null;
                Update<S> r = Transforms.update(inner, selected(z.def, g, flags), state.innerState(), innerParams);
                List<Object> innerUpdates;
                try {
                    innerUpdates = Tree.flattenUpToWithNulls(z.def, r.updates());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(op + ": the inner transformation returned updates of structure "
                            + Tree.flattenWith(r.updates(), Objects::isNull).def() + ", not the " + refName + "' structure " + z.def, e);
                }
                List<Object> out = new ArrayList<>();
                for (int i = 0; i < z.size(); i++) {
                    out.add(flags[i] ? innerUpdates.get(i) : passThrough ? g.get(i) : null);
                }
                return new Update<>(z.build(out), new Masking.MaskedState(r.state()));
            }
        };
    }

    /** The tree of {@code def} with the leaves whose flag is false replaced by null. */
    private static Object selected(TreeDef def, List<Object> leaves, boolean[] flags) {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < leaves.size(); i++) {
            out.add(flags[i] ? leaves.get(i) : null);
        }
        return Tree.unflatten(def, out);
    }
}
