package dev.solstice;

import dev.solstice.core.Batched;
import dev.solstice.tree.Tree;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves vmap's axis specifications against a tree: an {@code Integer} (that axis for every leaf below),
 * {@code null} (not batched), an {@link IfArray}, or a tree that is a prefix of the argument's structure
 * with such entries at its leaves, as JAX's {@code in_axes}.
 */
final class AxisSpecs {
    private AxisSpecs() {}

    private static boolean isSpecLeaf(Object o) {
        return o == null || o instanceof Integer || o instanceof IfArray;
    }

    private static int axisOf(Object spec) {
        return switch (spec) {
            case null -> Batched.NOT_BATCHED;
            case Integer i -> i;
            case IfArray a -> a.axis();
            default -> throw new IllegalStateException("not an axis spec: " + spec);
        };
    }

    /** One axis per leaf of {@code tree} (not yet normalised; {@link Batched#NOT_BATCHED} for null). */
    static int[] perLeaf(String op, String what, Object spec, Object tree) {
        if (isSpecLeaf(spec)) {
            int n = Tree.leaves(tree).size();
            int[] r = new int[n];
            java.util.Arrays.fill(r, axisOf(spec));
            return r;
        }
        Tree.FlattenedWith s = Tree.flattenWith(spec, AxisSpecs::isSpecLeaf);
        List<Object> subtrees;
        try {
            subtrees = Tree.flattenUpTo(s.def(), tree);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + ": the " + what + " " + s.def() + " do not match the structure "
                    + Tree.structure(tree) + " (they must be an axis, null, or a tree that is a prefix of it)");
        }
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < subtrees.size(); i++) {
            int axis = axisOf(s.leaves().get(i));
            for (int k = Tree.leaves(subtrees.get(i)).size(); k > 0; k--) {
                out.add(axis);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
