package dev.solstice.transform;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import dev.solstice.core.Zero;
import dev.solstice.tree.KeyPath;
import dev.solstice.tree.PathKey;
import dev.solstice.tree.Tree;
import dev.solstice.tree.TreeDef;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The output side of a tree function under a transformation: remembers the structure of what the function
 * returned (set each time it runs) and checks it: outputs must be arrays or trees of arrays, and
 * cotangents or tangents given for them must have their structure.
 *
 * <p>A filtered output (Equinox's filtered transformations) may hold non-array values anywhere: they pass
 * through to the primal output, become {@code null} in tangent trees (staying in place only as a record's
 * components, which the record needs), and take {@code null} (or the same value) as their cotangent;
 * {@code null} also stands for a zero cotangent of any array output.
 */
public final class OutputTree {
    private final boolean filtered;
    private TreeDef def;
    private Aval[] avals;

    /** An output not seen yet, which must be an array or a tree of arrays. */
    public OutputTree() {
        this(false);
    }

    /** An output not seen yet; {@code filtered}: non-array values may be anywhere in it (see the class comment). */
    public OutputTree(boolean filtered) {
        this.filtered = filtered;
    }

    /** The leaves of the output {@code out} of a run of the function, whose structure is checked and recorded. */
    public Array[] flatten(String op, Object out) {
        Tree.Flattened f = Tree.flatten(out);
        if (!filtered) {
            check(op, out, f.def());
        }
        def = f.def();
        Array[] leaves = f.leaves().toArray(Array[]::new);
        avals = new Aval[leaves.length];
        for (int i = 0; i < leaves.length; i++) {
            avals[i] = leaves[i].aval();
        }
        return leaves;
    }

    /** The recorded output structure. */
    public TreeDef def() {
        return def;
    }

    /** A tree of the output's structure with {@code leaves} (static values pass through). */
    public <R> R build(Object[] leaves) {
        return Tree.unflatten(def, List.of(leaves));
    }

    /**
     * The tangent (or cotangent) tree with {@code leaves}: the output's structure, where a filtered output
     * has {@code null} in place of its non-array values except a record's components.
     */
    public <R> R buildTangent(Object[] leaves) {
        return Tree.unflatten(filtered ? withoutLooseStatics(def, false) : def, Arrays.asList(leaves));
    }

    /**
     * The leaves of {@code other} (cotangents or tangents for the output), which must have its structure; for
     * a filtered output {@code null} is a zero anywhere, and a non-array value's cotangent is {@code null} (or
     * the value itself, as a record component must have one).
     */
    public Array[] read(String op, String what, Object other) {
        if (!filtered) {
            return leavesLike(op, what, def, other);
        }
        List<Object> at = leavesWithNulls(op, what, def, other, "output");
        Array[] out = new Array[at.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = at.get(i) == null ? Zero.of(avals[i]) : (Array) at.get(i);
        }
        return out;
    }

    /**
     * The objects of {@code other} at the leaves of {@code def} ({@code null} where {@code other} has null
     * over a leaf or a whole subtree), each an array or null. Where {@code def} has a static (non-array)
     * value, {@code other} must have {@code null} or an equal value: static values have no derivative.
     *
     * @param side "input" or "output", for messages
     */
    static List<Object> leavesWithNulls(String op, String what, TreeDef def, Object other, String side) {
        List<Object> at;
        try {
            at = Tree.flattenUpToWithNulls(def, other);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + ": the " + what + " has structure "
                    + Tree.flattenWith(other, Objects::isNull).def() + ", which does not match the " + side
                    + "'s structure " + def + " (null is allowed in place of any leaf or subtree)", e);
        }
        checkStatics(op, what, side, def, other, false);
        for (Object x : at) {
            if (x != null && !(x instanceof Array)) {
                throw new IllegalArgumentException(op + ": the " + what + " has " + x.getClass().getSimpleName() + " " + x
                        + " where the " + side + " has an array; expected an array or null");
            }
        }
        return at;
    }

    /**
     * Refuses {@code other} (tangents, cotangents or updates for a tree of structure {@code def}, already
     * known to fit it) where {@code def} has a static value and {@code other} has anything but {@code null}
     * or an equal value: static values have no derivative and take no update.
     *
     * @param side what {@code def} describes ("input", "output", "model"), for messages
     * @param recordComponentsFree whether a record's static components may hold any value ({@code
     *     applyUpdates}: an update record must be built with some value there)
     */
    public static void checkStatics(String op, String what, String side, TreeDef def, Object other,
            boolean recordComponentsFree) {
        Tree.FlattenedWith o = Tree.flattenWith(other, Objects::isNull);
        if (checkStatics(op, what, side, def, o.def(), o.leaves(), 0, null, recordComponentsFree, false) < 0) {
            // refused: walked again with paths, for the message (no path is built while all is well)
            checkStatics(op, what, side, def, o.def(), o.leaves(), 0, KeyPath.ROOT, recordComponentsFree, false);
        }
    }

    /**
     * Walks the {@code side}'s structure {@code p} and {@code other}'s {@code t} together (they match where
     * {@code p} has nodes) and refuses anything but null or an equal value where {@code p} is static;
     * returns the cursor into {@code leaves} ({@code other}'s arrays and nulls) after {@code t}. With a null
     * {@code path} (paths not tracked) a refusal returns -1 instead of throwing.
     */
    private static int checkStatics(String op, String what, String side, TreeDef p, TreeDef t, List<Object> leaves,
            int cursor, KeyPath path, boolean recordComponentsFree, boolean recordComponent) {
        if (p instanceof TreeDef.Static s) {
            boolean ok = recordComponent && recordComponentsFree || (t instanceof TreeDef.Leaf ? leaves.get(cursor) == null
                    : t instanceof TreeDef.Static ts && Objects.equals(ts.value(), s.value()));
            if (!ok) {
                if (path == null) {
                    return -1;
                }
                Object given = t instanceof TreeDef.Leaf ? leaves.get(cursor) : Tree.unflatten(t,
                        leaves.subList(cursor, cursor + t.numLeaves()));
                throw new IllegalArgumentException(op + ": the " + what + " gives " + describe(given)
                        + (path.keys().isEmpty() ? "" : " at " + path) + ", where the " + side + " has the non-array value "
                        + describe(s.value()) + "; non-array values are static and have no " + what + ", so give null"
                        + " there (to differentiate or train a number, make it an array with Array.scalar)");
            }
            return cursor + t.numLeaves();
        }
        if (t instanceof TreeDef.Leaf || p instanceof TreeDef.Leaf || p.children().size() != t.children().size()) {
            return cursor + t.numLeaves();
        }
        for (int i = 0; i < p.children().size(); i++) {
            cursor = checkStatics(op, what, side, p.children().get(i), t.children().get(i), leaves, cursor,
                    path == null ? null : path.then(childKey(p, i)), recordComponentsFree, p instanceof TreeDef.RecordNode);
            if (cursor < 0) {
                return -1;
            }
        }
        return cursor;
    }

    private static String describe(Object v) {
        return switch (v) {
            case null -> "null";
            case Array a -> "an array " + a.aval().str();
            default -> v.getClass().getSimpleName() + " " + v;
        };
    }

    /**
     * {@code def} with its static values replaced by null, except where they are a record's components; {@code def}
     * itself (nothing rebuilt) when it has no such static value, as a tree of arrays has none.
     */
    static TreeDef withoutLooseStatics(TreeDef def, boolean recordComponent) {
        return switch (def) {
            case TreeDef.Static s -> recordComponent ? s : new TreeDef.None();
            case TreeDef.RecordNode r -> {
                List<TreeDef> k = without(r.children(), true);
                yield k == r.children() ? r : new TreeDef.RecordNode(r.type(), r.names(), k);
            }
            case TreeDef.ListNode l -> {
                List<TreeDef> k = without(l.children(), false);
                yield k == l.children() ? l : new TreeDef.ListNode(k);
            }
            case TreeDef.MapNode m -> {
                List<TreeDef> k = without(m.children(), false);
                yield k == m.children() ? m : new TreeDef.MapNode(m.keys(), k);
            }
            case TreeDef.OptionalNode o -> {
                List<TreeDef> k = without(o.children(), false);
                yield k == o.children() ? o : new TreeDef.OptionalNode(k);
            }
            case TreeDef.ArrayNode a -> {
                List<TreeDef> k = without(a.children(), false);
                yield k == a.children() ? a : new TreeDef.ArrayNode(a.componentType(), k);
            }
            default -> def; // leaves, null, and registered node types (whose children are their components)
        };
    }

    /** {@link #withoutLooseStatics} of each child; {@code kids} itself when none changes. */
    private static List<TreeDef> without(List<TreeDef> kids, boolean recordComponents) {
        List<TreeDef> out = null;
        for (int i = 0; i < kids.size(); i++) {
            TreeDef k = kids.get(i);
            TreeDef w = withoutLooseStatics(k, recordComponents);
            if (w != k && out == null) {
                out = new ArrayList<>(kids.subList(0, i));
            }
            if (out != null) {
                out.add(w);
            }
        }
        return out == null ? kids : List.copyOf(out);
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
        if (out != null && !hasStatics(def, false)) {
            return;
        }
        List<String> bad = new ArrayList<>();
        findStatics(def, KeyPath.ROOT, bad, false);
        if (out == null || !bad.isEmpty()) {
            throw new IllegalArgumentException(op + ": the function must return an array or a tree of arrays; found "
                    + (out == null ? "null" : String.join(", ", bad)) + ". Wrap numbers with Array.scalar(...)");
        }
    }

    /** Whether {@link #findStatics} would find anything (without building a path per node). */
    private static boolean hasStatics(TreeDef def, boolean recordComponent) {
        if (def instanceof TreeDef.Static && !recordComponent) {
            return true;
        }
        for (TreeDef kid : def.children()) {
            if (hasStatics(kid, def instanceof TreeDef.RecordNode)) {
                return true;
            }
        }
        return false;
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
