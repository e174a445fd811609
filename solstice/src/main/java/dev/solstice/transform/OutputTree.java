package dev.solstice.transform;

import dev.solstice.Array;
import dev.solstice.tree.KeyPath;
import dev.solstice.tree.PathKey;
import dev.solstice.tree.Tree;
import dev.solstice.tree.TreeDef;
import java.util.ArrayList;
import java.util.List;

/**
 * The output side of a tree function under a transformation: remembers the structure of what the function
 * returned (set each time it runs) and checks it: outputs must be arrays or trees of arrays, and
 * cotangents or tangents given for them must have their structure.
 */
public final class OutputTree {
    private TreeDef def;

    /** An output not seen yet. */
    public OutputTree() {}

    /** The leaves of the output {@code out} of a run of the function, whose structure is checked and recorded. */
    public Array[] flatten(String op, Object out) {
        Tree.Flattened f = Tree.flatten(out);
        check(op, out, f.def());
        def = f.def();
        return f.leaves().toArray(Array[]::new);
    }

    /** The recorded output structure. */
    public TreeDef def() {
        return def;
    }

    /** A tree of the output's structure with {@code leaves}. */
    public <R> R build(Object[] leaves) {
        return Tree.unflatten(def, List.of(leaves));
    }

    /** The leaves of {@code other} (cotangents or tangents for the output), which must have its structure. */
    public Array[] read(String op, String what, Object other) {
        return leavesLike(op, what, def, other);
    }

    /** The leaves of {@code other}, which must have the structure {@code def}. */
    static Array[] leavesLike(String op, String what, TreeDef def, Object other) {
        Tree.Flattened o = Tree.flatten(other);
        if (!o.def().equals(def)) {
            throw new IllegalArgumentException(op + ": the " + what + " has structure " + o.def()
                    + " but must have the structure " + def);
        }
        return o.leaves().toArray(Array[]::new);
    }

    /**
     * Outputs of a transformed function must be arrays or trees of arrays: a Java number has no derivative.
     * Static values are allowed only as components of records (static fields, as Equinox's), never in the
     * place of an array (the top level, a list or map entry).
     */
    private static void check(String op, Object out, TreeDef def) {
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
}
