package dev.solstice.transform;

import dev.solstice.Array;
import dev.solstice.core.Zero;
import dev.solstice.tree.KeyPath;
import dev.solstice.tree.Tree;
import dev.solstice.tree.TreeDef;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The input of a tree transformation split into the leaves it acts on and the rest (Equinox's
 * {@code partition}), rebuilt with new values for those leaves (Equinox's {@code combine}). The split is
 * done on the flat list of leaves, so a user's records are only ever rebuilt whole, never with {@code null}
 * in between (records whose constructors validate their components stay usable). {@code Jax}'s
 * transformations act on every leaf ({@link #all}, {@link #differentiable}), {@code Eqx}'s filtered ones on the floating-point
 * leaves ({@link #inexact}); everything else is shared.
 */
public final class MaskedLeaves {
    private final TreeDef def;
    private final Array[] leaves;
    private final int[] selected;
    private final boolean filtered;

    private MaskedLeaves(TreeDef def, Array[] leaves, int[] selected, boolean filtered) {
        this.def = def;
        this.leaves = leaves;
        this.selected = selected;
        this.filtered = filtered;
    }

    /** Every leaf of {@code tree}. Tangents and cotangents for it must have its exact structure. */
    public static MaskedLeaves all(Object tree) {
        return all(Tree.flatten(tree));
    }

    private static MaskedLeaves all(Tree.Flattened f) {
        Array[] leaves = f.leaves().toArray(Array[]::new);
        int[] selected = new int[leaves.length];
        for (int i = 0; i < selected.length; i++) {
            selected[i] = i;
        }
        return new MaskedLeaves(f.def(), leaves, selected, false);
    }

    /**
     * {@link #all}, for differentiation: every leaf must be floating point (the first that is not is named,
     * with what to do instead).
     */
    public static MaskedLeaves differentiable(String op, Object tree) {
        Tree.Flattened f = Tree.flatten(tree);
        for (Array leaf : f.leaves()) {
            if (!leaf.dtype().isFloating()) {
                throw notDifferentiable(op, tree);
            }
        }
        return all(f);
    }

    /** The error for a tree with a leaf that is not floating point, naming the first such leaf. */
    private static IllegalArgumentException notDifferentiable(String op, Object tree) {
        Tree.PathLeaf p = Tree.leavesWithPath(tree).stream().filter(l -> !l.leaf().dtype().isFloating()).findFirst()
                .orElseThrow();
        return new IllegalArgumentException(op + ": cannot differentiate with respect to "
                + (p.path().keys().isEmpty() ? "an input" : "leaf " + p.path()) + " of " + p.leaf().aval().str()
                + "; only float32 and float64 arrays have derivatives (convert with astype(DType.FLOAT64),"
                + " close over the value instead, or use Eqx's filtered transformations)");
    }

    /**
     * The float32 and float64 leaves of {@code tree}; the other leaves pass through and get {@code null} in
     * results. Tangents and cotangents for it may have {@code null} in place of any leaf or subtree.
     */
    public static MaskedLeaves inexact(String op, Object tree) {
        Tree.Flattened f = Tree.flatten(tree);
        Array[] leaves = f.leaves().toArray(Array[]::new);
        int n = 0;
        int[] selected = new int[leaves.length];
        for (int i = 0; i < leaves.length; i++) {
            if (leaves[i].dtype().isFloating()) {
                selected[n++] = i;
            }
        }
        return new MaskedLeaves(f.def(), leaves, Arrays.copyOf(selected, n), true);
    }

    /** The leaves the transformation acts on, in tree order. */
    public Array[] selected() {
        Array[] d = new Array[selected.length];
        for (int i = 0; i < selected.length; i++) {
            d[i] = leaves[selected[i]];
        }
        return d;
    }

    /** The paths of the selected leaves in the input, in order. */
    public List<KeyPath> selectedPaths() {
        List<KeyPath> all = Tree.leafPaths(def);
        List<KeyPath> out = new java.util.ArrayList<>();
        for (int i : selected) {
            out.add(all.get(i));
        }
        return out;
    }

    /** The input with its selected leaves replaced by {@code values} and the others kept (combine). */
    public <T> T with(Array[] values) {
        Object[] all = leaves.clone();
        for (int i = 0; i < selected.length; i++) {
            all[selected[i]] = values[i];
        }
        return Tree.unflatten(def, Arrays.asList(all));
    }

    /**
     * A tree of the input's structure with {@code values} at the selected leaves and {@code null} elsewhere
     * (for a filtered input, also in place of its static values, except a record's components).
     */
    public <T> T scatter(Object[] values) {
        Object[] all = new Object[leaves.length];
        for (int i = 0; i < selected.length; i++) {
            all[selected[i]] = values[i];
        }
        return Tree.unflatten(filtered ? OutputTree.withoutLooseStatics(def, false) : def, Arrays.asList(all));
    }

    /** {@code f} as a function of the selected leaves; {@code out} records (and checks) what it returns. */
    public <T, R> Function<Array[], Array[]> over(String op, Function<T, R> f, OutputTree out) {
        return values -> out.flatten(op, f.apply(with(values)));
    }

    /**
     * The arrays of {@code other} (tangents or cotangents for this input) at the selected leaves. For
     * {@link #all} it must have the input's structure; for {@link #inexact} {@code null} stands for zeros
     * anywhere (a leaf, a whole subtree or an emptied Optional), and it must have {@code null} at the leaves
     * not selected (integer and boolean arrays) and {@code null} or the same value at static values.
     */
    public Array[] read(String op, String what, Object other) {
        return filtered ? readWithNulls(op, what, other) : OutputTree.leavesLike(op, what, def, other);
    }

    private Array[] readWithNulls(String op, String what, Object other) {
        List<Object> at = OutputTree.leavesWithNulls(op, what, def, other, "input");
        Array[] out = new Array[selected.length];
        int next = 0;
        for (int i = 0; i < leaves.length; i++) {
            Object o = at.get(i);
            if (next < selected.length && selected[next] == i) {
                out[next++] = o == null ? Zero.of(leaves[i].aval()) : (Array) o; // symbolic: instantiated at the boundary
            } else if (o != null) {
                Tree.PathLeaf p = Tree.leavesWithPath(Tree.unflatten(def, Arrays.asList(leaves))).get(i);
                throw new IllegalArgumentException(op + ": the " + what + " gives an array " + ((Array) o).aval().str()
                        + " for " + (p.path().keys().isEmpty() ? "the input" : "input " + p.path()) + " of "
                        + leaves[i].aval().str() + ", which is not differentiated (only float32 and float64 arrays"
                        + " are); give null there");
            }
        }
        return out;
    }

    /** An output tree for the function's results: filtered (non-array outputs allowed) when this input is. */
    public OutputTree outputTree() {
        return new OutputTree(filtered);
    }
}
