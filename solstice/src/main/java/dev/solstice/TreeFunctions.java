package dev.solstice;

import dev.solstice.tree.KeyPath;
import dev.solstice.tree.PathKey;
import dev.solstice.tree.Tree;
import dev.solstice.tree.TreeDef;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Turns a function of trees into a function of flat leaf arrays (and back) for the transformations, and
 * checks what crosses the boundary: inputs must have floating-point leaves where they are differentiated,
 * and outputs must be arrays or trees of arrays.
 */
final class TreeFunctions {
    private TreeFunctions() {}

    /** A tree's structure and leaves. */
    record Flat(TreeDef def, Array[] leaves) {
        static Flat of(Object tree) {
            Tree.Flattened f = Tree.flatten(tree);
            return new Flat(f.def(), f.leaves().toArray(Array[]::new));
        }
    }

    /** Remembers the output structure of the function seen by a transformation (set on the first call). */
    static final class OutDef {
        TreeDef def;

        TreeDef get() {
            return def;
        }
    }

    /** {@code f} as a function of the leaves of a tree of structure {@code inDef}; records the output structure. */
    static <T, R> Function<Array[], Array[]> flat(String op, Function<T, R> f, TreeDef inDef, OutDef out) {
        return leaves -> {
            T t = Tree.unflatten(inDef, List.of(leaves));
            R r = f.apply(t);
            Flat o = Flat.of(r);
            checkOutput(op, r, o.def());
            out.def = o.def();
            return o.leaves();
        };
    }

    /**
     * Outputs of a transformed function must be arrays or trees of arrays: a Java number has no derivative.
     * Static values are allowed only as components of records (static fields, as Equinox's), never in the
     * place of an array (the top level, a list or map entry).
     */
    static void checkOutput(String op, Object out, TreeDef def) {
        List<String> bad = new ArrayList<>();
        findStatics(def, KeyPath.ROOT, bad, false);
        if (out == null || !bad.isEmpty()) {
            throw new IllegalArgumentException(op + ": the function must return an array or a tree of arrays; found "
                    + (out == null ? "null" : String.join(", ", bad)) + ". Wrap numbers with Array.scalar(...)");
        }
    }

    private static void findStatics(TreeDef def, KeyPath path, List<String> bad, boolean recordComponent) {
        if (def instanceof TreeDef.Static s && !recordComponent) {
            Object v = s.value();
            bad.add((v == null ? "null" : v.getClass().getSimpleName() + " " + v) + (path.keys().isEmpty() ? "" : " at " + path));
            return;
        }
        List<TreeDef> kids = def.children();
        for (int i = 0; i < kids.size(); i++) {
            findStatics(kids.get(i), path.then(childKey(def, i)), bad, def instanceof TreeDef.RecordNode);
        }
    }

    /** The path step to child {@code i} of a node, as {@link Tree#leavesWithPath} prints it. */
    private static PathKey childKey(TreeDef def, int i) {
        return switch (def) {
            case TreeDef.RecordNode r -> new PathKey.Field(r.names().get(i));
            case TreeDef.MapNode m -> new PathKey.Key(m.keys().get(i));
            case TreeDef.CustomNode c when c.names() != null -> new PathKey.Field(c.names().get(i));
            default -> new PathKey.Index(i);
        };
    }

    /** Checks that every leaf is floating point, naming the first that is not. */
    static void checkFloating(String op, Object tree, Array[] leaves) {
        for (Tree.PathLeaf p : Tree.leavesWithPath(tree)) {
            if (!p.leaf().dtype().isFloating()) {
                throw new IllegalArgumentException(op + ": cannot differentiate with respect to "
                        + (p.path().keys().isEmpty() ? "an input" : "leaf " + p.path()) + " of " + p.leaf().aval().str()
                        + "; only float32 and float64 arrays have derivatives (convert with astype(DType.FLOAT64),"
                        + " close over the value instead, or use Eqx's filtered transformations)");
            }
        }
    }

    /** Checks that {@code other} has the structure {@code def} (tangents, cotangents). */
    static Array[] leavesLike(String op, String what, TreeDef def, Object other) {
        Flat o = Flat.of(other);
        if (!o.def().equals(def)) {
            throw new IllegalArgumentException(op + ": the " + what + " has structure " + o.def()
                    + " but must have the structure " + def);
        }
        return o.leaves();
    }
}
