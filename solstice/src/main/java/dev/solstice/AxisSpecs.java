package dev.solstice;

import dev.solstice.core.Batched;
import dev.solstice.transform.Vectorize;
import dev.solstice.tree.Tree;
import dev.solstice.tree.TreeDef;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves vmap's axis specifications against a tree: an {@code Integer} (that axis for every leaf below),
 * {@code null} (not batched), an {@link IfArray}, or a tree that is a prefix of the argument's structure
 * with such entries at its leaves, as JAX's {@code in_axes}.
 *
 * <p>In axes and out axes are encoded differently, because {@code -1} is a valid axis (the last one) and
 * must not be read as "not batched": {@link #inAxes} resolves negative axes against the input leaves and
 * gives {@link Batched#NOT_BATCHED} for {@code null}; {@link #outAxes} keeps negative axes (the output ranks
 * are not known yet) and gives {@link Vectorize#NOT_MAPPED} for {@code null}.
 */
final class AxisSpecs {
    private AxisSpecs() {}

    private static boolean isSpecLeaf(Object o) {
        return o == null || o instanceof Integer || o instanceof IfArray;
    }

    /** The spec's axis, or {@code null} for "not batched". */
    private static Integer axisOf(Object spec) {
        return switch (spec) {
            case null -> null;
            case Integer i -> i;
            case IfArray a -> a.axis();
            default -> throw new IllegalStateException("not an axis spec: " + spec);
        };
    }

    /**
     * The batch axis of each leaf of the input {@code tree}, normalised to {@code [0, rank)} (negative axes
     * count from the end of that leaf's shape), or {@link Batched#NOT_BATCHED} where the spec is null.
     *
     * @throws IllegalArgumentException if the spec does not fit the tree or an axis is out of range for its leaf
     */
    static int[] inAxes(String op, String what, Object spec, Object tree) {
        Integer[] axes = resolve(op, what, spec, tree);
        List<Tree.PathLeaf> leaves = Tree.leavesWithPath(tree);
        int[] out = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            if (axes[i] == null) {
                out[i] = Batched.NOT_BATCHED;
                continue;
            }
            Tree.PathLeaf leaf = leaves.get(i);
            int rank = leaf.leaf().ndim();
            int a = axes[i] < 0 ? axes[i] + rank : axes[i];
            if (a < 0 || a >= rank) {
                String where = leaf.path().keys().isEmpty() ? "the input" : "input " + leaf.path();
                throw new IllegalArgumentException(op + ": in axis " + axes[i] + " is out of range for " + where + " of "
                        + leaf.leaf().aval().str() + (rank == 0 ? " (a scalar has no axis to batch; use null)"
                        : " (axes run from " + (-rank) + " to " + (rank - 1) + ")"));
            }
            out[i] = a;
        }
        return out;
    }

    /**
     * The out axis of each leaf of the output {@code tree} as given (negative axes count from the end of the
     * batched output, resolved by {@link Vectorize#vmap}), or {@link Vectorize#NOT_MAPPED} where the spec is
     * null. Only the structure of {@code tree} is used.
     */
    static int[] outAxes(String op, String what, Object spec, Object tree) {
        Integer[] axes = resolve(op, what, spec, tree);
        int[] out = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            out[i] = axes[i] == null ? Vectorize.NOT_MAPPED : axes[i];
        }
        return out;
    }

    /**
     * Refuses a spec with a leaf that is no axis (an array, a {@code Long}, a string...), as JAX's vmap
     * refuses in_axes and out_axes whose leaves are not ints or None, naming the argument and the leaf.
     */
    private static void checkLeaves(String op, String what, Object spec) {
        for (Tree.PathObject leaf : Tree.leavesWithPath(spec, AxisSpecs::isSpecLeaf)) {
            if (leaf.leaf() instanceof Array a) {
                String where = leaf.path().keys().isEmpty() ? "" : " at " + leaf.path();
                throw notAnAxis(op, what, "an array " + a.aval().str() + where);
            }
        }
        checkNoStatic(op, what, Tree.flattenWith(spec, AxisSpecs::isSpecLeaf).def());
    }

    /** Other objects (a Long, a String, an int[]) flatten as static structure, which a spec cannot hold. */
    private static void checkNoStatic(String op, String what, TreeDef def) {
        if (def instanceof TreeDef.Static(Object value)) {
            String shown = value.getClass().isArray() ? value.getClass().getSimpleName()
                    : value.getClass().getSimpleName() + " " + value;
            throw notAnAxis(op, what, shown);
        }
        for (TreeDef child : def.children()) {
            checkNoStatic(op, what, child);
        }
    }

    private static IllegalArgumentException notAnAxis(String op, String what, String got) {
        return new IllegalArgumentException(op + ": the " + what + " must be an Integer axis, null, an IfArray, or a"
                + " tree (list, map, record) with those at its leaves, but got " + got);
    }

    /** One spec axis per leaf of {@code tree} ({@code null}: not batched). */
    private static Integer[] resolve(String op, String what, Object spec, Object tree) {
        checkLeaves(op, what, spec);
        if (isSpecLeaf(spec)) {
            int n = Tree.leaves(tree).size();
            Integer[] r = new Integer[n];
            java.util.Arrays.fill(r, axisOf(spec));
            return r;
        }
        Tree.FlattenedWith s = Tree.flattenWith(spec, AxisSpecs::isSpecLeaf);
        List<Object> subtrees;
        try {
            subtrees = Tree.flattenUpTo(s.def(), tree);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + ": the " + what + " " + s.def() + " do not match the structure "
                    + Tree.structure(tree) + " (they must be an axis, null, or a tree that is a prefix of it)", e);
        }
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < subtrees.size(); i++) {
            Integer axis = axisOf(s.leaves().get(i));
            for (int k = Tree.leaves(subtrees.get(i)).size(); k > 0; k--) {
                out.add(axis);
            }
        }
        return out.toArray(Integer[]::new);
    }
}
