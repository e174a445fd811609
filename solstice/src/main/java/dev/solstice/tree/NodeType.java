package dev.solstice.tree;

import java.util.List;

/**
 * How a user-registered class is taken apart into children and rebuilt ({@link Tree#register}), like JAX's
 * {@code register_pytree_with_keys}.
 *
 * {@snippet lang=java :
 * import dev.solstice.tree.*;
 * class Pt { final Array x, y; Pt(Array x, Array y) { this.x = x; this.y = y; } }
 * Tree.register(Pt.class, new NodeType<Pt>() {
 *     public List<Object> children(Pt p) { return List.of(p.x, p.y); }
 *     public Pt rebuild(Object aux, List<Object> kids) { return new Pt((Array) kids.get(0), (Array) kids.get(1)); } });
 * Tree.leaves(new Pt(Array.of(1.0), Array.of(2.0))).size()   // 2
 * }
 *
 * @param <T> the registered class
 */
public interface NodeType<T> {

    /**
     * The children of a node (trees themselves), in a fixed order.
     *
     * {@snippet lang=java :
     * import dev.solstice.tree.*;
     * NodeType<List<Object>> asPair = new NodeType<>() {
     *     public List<Object> children(List<Object> l) { return l; }
     *     public List<Object> rebuild(Object aux, List<Object> kids) { return kids; } };
     * asPair.children(List.of(Array.of(1.0), Array.of(2.0))).size()   // 2
     * }
     */
    List<Object> children(T node);

    /**
     * Names of the children, for paths; by default their positions.
     *
     * {@snippet lang=java :
     * import dev.solstice.tree.*;
     * NodeType<List<Object>> t = new NodeType<>() {
     *     public List<Object> children(List<Object> l) { return l; }
     *     public List<Object> rebuild(Object aux, List<Object> kids) { return kids; } };
     * t.childNames(List.of(Array.of(1.0), Array.of(2.0)))   // null
     * }
     */
    default List<String> childNames(T node) {
        return null;
    }

    /**
     * Data that is not a child but is needed to rebuild the node (part of the structure, compared with
     * {@code equals}); null by default.
     *
     * {@snippet lang=java :
     * import dev.solstice.tree.*;
     * NodeType<List<Object>> t = new NodeType<>() {
     *     public List<Object> children(List<Object> l) { return l; }
     *     public List<Object> rebuild(Object aux, List<Object> kids) { return kids; } };
     * t.auxData(List.of(Array.of(1.0)))   // null
     * }
     */
    default Object auxData(T node) {
        return null;
    }

    /**
     * Rebuilds a node from its aux data and children (which may be other things than the originals).
     *
     * {@snippet lang=java :
     * import dev.solstice.tree.*;
     * NodeType<List<Object>> t = new NodeType<>() {
     *     public List<Object> children(List<Object> l) { return l; }
     *     public List<Object> rebuild(Object aux, List<Object> kids) { return new ArrayList<>(kids); } };
     * t.rebuild(null, List.of(Array.of(1.0))).size()   // 1
     * }
     */
    T rebuild(Object auxData, List<Object> children);
}
