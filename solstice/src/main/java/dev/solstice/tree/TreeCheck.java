package dev.solstice.tree;

import dev.solstice.Array;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks that a tree is a tree (Equinox's {@code tree_check}): no node contains itself (a mutable list, map or
 * Java array reachable from a record can be made to), and no array or node holding arrays is reached at two
 * paths. Flattening would recurse forever on the first; on the second it would make two parameters of one
 * array, which gradients and optimisers then update apart, silently untying them. Nodes without arrays (an
 * empty list, a layer with only static settings) may be reached twice: nothing is trained in them.
 *
 * <pre>{@code
 * Linear l = new Linear(2, 2, key);
 * TreeCheck.check(List.of(l, l));   // IllegalArgumentException: the same Linear at [0] and [1]
 * }</pre>
 *
 * {@snippet lang=java :
 * import dev.solstice.tree.*;
 * Linear l = new Linear(2, 2, Prng.key(0));
 * TreeCheck.check(List.of(l, new Linear(2, 2, Prng.key(1))));
 * TreeCheck.check(List.of(l, l))   // throws IllegalArgumentException
 * }
 */
public final class TreeCheck {
    private TreeCheck() {}

    /**
     * Returns normally for a tree without cycles and with each array (and each node holding arrays) reached
     * once; otherwise throws, naming both paths.
     *
     * <pre>{@code
     * TreeCheck.check(model);     // before training a model built by hand
     * }</pre>
     *
     * {@snippet lang=java :
     * import dev.solstice.tree.*;
     * Linear l = new Linear(2, 2, Prng.key(0));
     * TreeCheck.check(List.of(l, l))   // throws IllegalArgumentException
     * }
     *
     * @throws IllegalArgumentException on a cycle or a node or array reached twice
     */
    public static void check(Object tree) {
        new Walk().visit(tree, KeyPath.ROOT);
    }

    /** One depth-first walk: what is being visited now, and where each node and array was first seen. */
    private static final class Walk {
        private final Map<Object, KeyPath> open = new IdentityHashMap<>();
        private final Map<Object, KeyPath> seen = new IdentityHashMap<>();
        private final Map<Object, Boolean> holdsArrays = new IdentityHashMap<>();

        /** Visits {@code node} at {@code path}; true when arrays were found in it. */
        boolean visit(Object node, KeyPath path) {
            if (node instanceof Array a) {
                KeyPath first = seen.putIfAbsent(a, path);
                if (first != null) {
                    throw twice("array " + a.aval().str(), first, path);
                }
                return true;
            }
            if (!Nodes.isNode(node)) {
                return false; // null or a static value: nothing to train, nothing to walk
            }
            KeyPath ancestor = open.get(node);
            if (ancestor != null) {
                throw new IllegalArgumentException("Eqx.treeCheck: the tree has a cycle: the " + kind(node) + " at "
                        + show(ancestor) + " contains itself again at " + show(path) + "; a tree must not reach a node"
                        + " from inside it (to use one layer in two places, tie it with nn.Shared)");
            }
            KeyPath first = seen.putIfAbsent(node, path);
            if (first != null) {
                if (holdsArrays.get(node)) {
                    throw twice(kind(node), first, path);
                }
                return false;
            }
            open.put(node, path);
            boolean arrays = false;
            List<Object> kids = Nodes.children(node);
            List<PathKey> keys = Nodes.pathKeys(node);
            for (int i = 0; i < kids.size(); i++) {
                arrays |= visit(kids.get(i), path.then(keys.get(i)));
            }
            open.remove(node);
            holdsArrays.put(node, arrays);
            return arrays;
        }

        private static IllegalArgumentException twice(String what, KeyPath first, KeyPath again) {
            return new IllegalArgumentException("Eqx.treeCheck: the same " + what + " is reached at " + show(first)
                    + " and at " + show(again) + "; a tree holds it twice, so gradients and optimisers treat the two"
                    + " as separate parameters and update them apart. To tie them, hold the tree in an nn.Shared"
                    + " (Shared.of(tree, where, get)); to keep two independent parameters, give each its own copy");
        }

        private static String kind(Object node) {
            return node instanceof Record && !(node instanceof Struct) ? node.getClass().getSimpleName()
                    : node.getClass().getSimpleName() + " node";
        }

        private static String show(KeyPath path) {
            return path.keys().isEmpty() ? "the root" : path.toString();
        }
    }
}
