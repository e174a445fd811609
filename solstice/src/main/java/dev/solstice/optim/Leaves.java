package dev.solstice.optim;

import dev.solstice.Array;
import dev.solstice.tree.KeyPath;
import dev.solstice.tree.Tree;
import dev.solstice.tree.TreeDef;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Several trees lined up leaf by leaf against a reference tree, with {@code null} read as "nothing here" (a
 * {@code null} in place of a subtree stands for a {@code null} at each of its leaves). Used by every
 * transformation so that null leaves are skipped and mismatched structures give a message naming both.
 */
final class Leaves {
    final String op;
    final TreeDef def;
    private final String[] names;
    private final List<List<Object>> columns = new ArrayList<>();
    private final Object reference;

    private Leaves(String op, TreeDef def, Object reference, String[] names) {
        this.op = op;
        this.def = def;
        this.reference = reference;
        this.names = names;
    }

    /**
     * Lines up trees against the first: {@code namesAndTrees} alternates a name (for messages) and a tree,
     * the first pair being the reference whose structure (nulls included) the results take.
     */
    static Leaves align(String op, Object... namesAndTrees) {
        Object ref = namesAndTrees[1];
        Tree.FlattenedWith flat = Tree.flattenWith(ref, Objects::isNull);
        TreeDef def = flat.def();
        String[] names = new String[namesAndTrees.length / 2];
        for (int k = 0; k < names.length; k++) {
            names[k] = (String) namesAndTrees[2 * k];
        }
        Leaves z = new Leaves(op, def, ref, names);
        z.columns.add(new ArrayList<>(flat.leaves()));
        for (int k = 1; k < names.length; k++) {
            Object other = namesAndTrees[2 * k + 1];
            try {
                z.columns.add(Tree.flattenUpToWithNulls(def, other));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(op + ": the " + names[0] + " and the " + names[k]
                        + " have different structures:\n  " + names[0] + ": " + def + "\n  " + names[k] + ": "
                        + Tree.flattenWith(other, Objects::isNull).def(), e);
            }
        }
        return z;
    }

    /** The number of leaf positions. */
    int size() {
        return columns.getFirst().size();
    }

    /** The raw object of column {@code k} at position {@code i} (an array, null, or a subtree). */
    Object raw(int k, int i) {
        return columns.get(k).get(i);
    }

    /** The array of column {@code k} at position {@code i}, or null; anything else is an error. */
    Array array(int k, int i) {
        Object o = columns.get(k).get(i);
        if (o == null || o instanceof Array) {
            return (Array) o;
        }
        throw new IllegalArgumentException(op + ": the " + names[k] + " " + have(names[k]) + " a subtree "
                + Tree.flattenWith(o, Objects::isNull).def() + " at " + path(i) + " where the " + names[0] + " "
                + have(names[0]) + " a single leaf");
    }

    /** A floating gradient-like array of column {@code k}, or null; integer and bool arrays are refused. */
    Array floating(int k, int i) {
        Array a = array(k, i);
        if (a != null && !a.dtype().isFloating()) {
            throw new IllegalArgumentException(op + ": the " + names[k] + " " + have(names[k]) + " an " + a.aval().str()
                    + " array at " + path(i)
                    + "; optimisers work on float arrays (Eqx.filterGrad gives null for integer leaves)");
        }
        return a;
    }

    /** One leaf's step of a stateful transformation: from the gradient and the state slots, the update followed by the new slots. */
    interface Step {
        /** The update, then the new value of each slot. */
        Array[] apply(Array g, Array[] slots);
    }

    /**
     * Runs {@code step} at every position where column {@code grads} holds a gradient; where it holds none the
     * update is null and the state (columns {@code slots}) passes through unchanged; a gradient without its
     * state is an error. Returns the trees: the updates, then one per slot.
     */
    List<Object> stepEach(int grads, int[] slots, Step step) {
        List<List<Object>> lists = new ArrayList<>();
        for (int k = 0; k <= slots.length; k++) {
            lists.add(new ArrayList<>());
        }
        for (int i = 0; i < size(); i++) {
            Array g = floating(grads, i);
            Array[] state = new Array[slots.length];
            for (int k = 0; k < slots.length; k++) {
                state[k] = array(slots[k], i);
            }
            if (g == null) {
                lists.get(0).add(null);
                for (int k = 0; k < slots.length; k++) {
                    lists.get(k + 1).add(state[k]);
                }
                continue;
            }
            for (int k = 0; k < slots.length; k++) {
                if (state[k] == null) {
                    throw missing(grads, slots[k], i);
                }
            }
            Array[] r = step.apply(g, state);
            for (int k = 0; k <= slots.length; k++) {
                lists.get(k).add(r[k]);
            }
        }
        List<Object> trees = new ArrayList<>();
        for (List<Object> l : lists) {
            trees.add(build(l));
        }
        return trees;
    }

    /** The error for an array in column {@code k} where column {@code j} has nothing. */
    IllegalArgumentException missing(int k, int j, int i) {
        return new IllegalArgumentException(op + ": the " + names[k] + " " + have(names[k]) + " an array at " + path(i)
                + " where the " + names[j] + " " + have(names[j]) + " none (null); were they made from trees of"
                + " different structures?");
    }

    private static String have(String name) {
        return name.endsWith("s") ? "have" : "has";
    }

    /** A tree of the reference's structure with {@code leaves} at its leaf positions. */
    <T> T build(List<?> leaves) {
        return Tree.unflatten(def, leaves);
    }

    /** A readable path to position {@code i} of the reference tree (nulls counted), for messages. */
    String path(int i) {
        List<Tree.PathObject> leaves = Tree.leavesWithPath(reference, Objects::isNull);
        return i < leaves.size() ? describe(leaves.get(i).path()) : "leaf " + i;
    }

    /** A path as messages show it: "the root" for the empty path. */
    static String describe(KeyPath path) {
        return path.keys().isEmpty() ? "the root" : path.toString();
    }
}
