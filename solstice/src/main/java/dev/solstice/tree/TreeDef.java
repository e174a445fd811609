package dev.solstice.tree;

import java.util.List;
import java.util.Objects;

/**
 * The structure of a tree without its leaves: which nodes, in which order, holding which static values.
 * Two trees have the same structure when their definitions are {@code equals}.
 *
 * {@snippet lang=java :
 * import dev.solstice.tree.*;
 * TreeDef def = Tree.structure(List.of(Array.of(1.0), Map.of("k", Array.of(2.0))));
 * def.numLeaves()   // 2
 * def.children().size()   // 2
 * }
 */
public sealed interface TreeDef {

    /**
     * The number of leaves a tree of this structure has.
     *
     * {@snippet lang=java :
     * import dev.solstice.tree.*;
     * Tree.structure(List.of(Array.of(1.0), List.of(Array.of(2.0), Array.of(3.0)))).numLeaves()   // 3
     * }
     */
    int numLeaves();

    /**
     * The child structures, in order (empty for leaves, static values and null).
     *
     * {@snippet lang=java :
     * import dev.solstice.tree.*;
     * Tree.structure(List.of(Array.of(1.0), List.of(Array.of(2.0)))).children().size()   // 2
     * }
     */
    default List<TreeDef> children() {
        return List.of();
    }

    /** The number of leaves under {@code children} (a plain loop: flattening and rebuilding ask for it often). */
    private static int leavesOf(List<TreeDef> children) {
        int n = 0;
        for (TreeDef c : children) {
            n += c.numLeaves();
        }
        return n;
    }

    /**
     * A leaf: one array.
     *
     * {@snippet lang=java :
     * import dev.solstice.tree.*;
     * Tree.structure(Array.of(1.0)) instanceof TreeDef.Leaf   // true
     * }
     */
    record Leaf() implements TreeDef {
        /**
         * The number of leaves of this node.
         *
         * {@snippet lang=java :
         * import dev.solstice.tree.*;
         * Tree.structure(Array.of(1.0)).numLeaves()   // 1
         * }
         */
        @Override
        public int numLeaves() {
            return 1;
        }

        @Override
        public String toString() {
            return "*";
        }
    }

    /**
     * {@code null}: an empty node, as JAX's None.
     *
     * {@snippet lang=java :
     * import dev.solstice.tree.*;
     * Tree.structure(Arrays.asList(Array.of(1.0), null)).children().get(1) instanceof TreeDef.None   // true
     * }
     */
    record None() implements TreeDef {
        /**
         * The number of leaves of this node.
         *
         * {@snippet lang=java :
         * import dev.solstice.tree.*;
         * Tree.structure(Arrays.asList(Array.of(1.0), null)).children().get(1).numLeaves()   // 0
         * }
         */
        @Override
        public int numLeaves() {
            return 0;
        }

        @Override
        public String toString() {
            return "None";
        }
    }

    /**
     * A value that is not an array nor a node (an int, a string, a function, an enum): static, kept in the
     * structure and compared with {@code equals}.
     *
     * {@snippet lang=java :
     * import dev.solstice.tree.*;
     * TreeDef def = Tree.structure(List.of(Array.of(1.0), "relu"));
     * ((TreeDef.Static) def.children().get(1)).value()   // relu
     * }
     *
     * @param value the value
     */
    record Static(Object value) implements TreeDef {
        /**
         * The number of leaves of this node.
         *
         * {@snippet lang=java :
         * import dev.solstice.tree.*;
         * Tree.structure(List.of(Array.of(1.0), "relu")).children().get(1).numLeaves()   // 0
         * }
         */
        @Override
        public int numLeaves() {
            return 0;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Static s && Objects.equals(s.value, value);
        }

        @Override
        public int hashCode() {
            return Objects.hashCode(value);
        }

        @Override
        public String toString() {
            return "static(" + value + ")";
        }
    }

    /**
     * A record: its class and one child per component.
     *
     * {@snippet lang=java :
     * import dev.solstice.tree.*;
     * var def = (TreeDef.RecordNode) Tree.structure(new Linear(2, 3, Prng.key(0)));
     * def.names()   // [weight, bias, inFeatures, outFeatures]
     * def.numLeaves()   // 2
     * }
     *
     * @param type the record class
     * @param names the component names
     * @param children the component structures
     */
    record RecordNode(Class<?> type, List<String> names, List<TreeDef> children) implements TreeDef {
        /**
         * The number of leaves of this node.
         *
         * {@snippet lang=java :
         * import dev.solstice.tree.*;
         * Tree.structure(new Linear(2, 3, Prng.key(0))).numLeaves()   // 2
         * }
         */
        @Override
        public int numLeaves() {
            return leavesOf(children);
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder(type.getSimpleName()).append('(');
            for (int i = 0; i < names.size(); i++) {
                b.append(i == 0 ? "" : ", ").append(names.get(i)).append('=').append(children.get(i));
            }
            return b.append(')').toString();
        }
    }

    /**
     * A {@link java.util.List}.
     *
     * {@snippet lang=java :
     * import dev.solstice.tree.*;
     * Tree.structure(List.of(Array.of(1.0), Array.of(2.0))) instanceof TreeDef.ListNode   // true
     * }
     *
     * @param children the element structures
     */
    record ListNode(List<TreeDef> children) implements TreeDef {
        /**
         * The number of leaves of this node.
         *
         * {@snippet lang=java :
         * import dev.solstice.tree.*;
         * Tree.structure(List.of(Array.of(1.0), Array.of(2.0))).numLeaves()   // 2
         * }
         */
        @Override
        public int numLeaves() {
            return leavesOf(children);
        }

        @Override
        public String toString() {
            return children.toString();
        }
    }

    /**
     * A {@link java.util.Map}, flattened in sorted key order (as JAX sorts dict keys).
     *
     * {@snippet lang=java :
     * import dev.solstice.tree.*;
     * var def = (TreeDef.MapNode) Tree.structure(Map.of("w", Array.of(1.0)));
     * def.keys()   // [w]
     * }
     *
     * @param keys the sorted keys
     * @param children the value structures, in key order
     */
    record MapNode(List<Object> keys, List<TreeDef> children) implements TreeDef {
        /**
         * The number of leaves of this node.
         *
         * {@snippet lang=java :
         * import dev.solstice.tree.*;
         * Tree.structure(Map.of("a", Array.of(1.0), "b", List.of())).numLeaves()   // 1
         * }
         */
        @Override
        public int numLeaves() {
            return leavesOf(children);
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder("{");
            for (int i = 0; i < keys.size(); i++) {
                b.append(i == 0 ? "" : ", ").append(keys.get(i)).append(": ").append(children.get(i));
            }
            return b.append('}').toString();
        }
    }

    /**
     * An {@link java.util.Optional}: empty, or one child.
     *
     * {@snippet lang=java :
     * import dev.solstice.tree.*;
     * Tree.structure(Optional.of(Array.of(1.0))).numLeaves()   // 1
     * }
     *
     * @param children no child (empty) or one
     */
    record OptionalNode(List<TreeDef> children) implements TreeDef {
        /**
         * The number of leaves of this node.
         *
         * {@snippet lang=java :
         * import dev.solstice.tree.*;
         * Tree.structure(Optional.of(Array.of(1.0))).numLeaves()   // 1
         * }
         */
        @Override
        public int numLeaves() {
            return leavesOf(children);
        }

        @Override
        public String toString() {
            return children.isEmpty() ? "Optional.empty" : "Optional[" + children.getFirst() + "]";
        }
    }

    /**
     * A Java array of objects (for example {@code Array[]} or {@code Object[][]}).
     *
     * {@snippet lang=java :
     * import dev.solstice.tree.*;
     * Tree.structure(new Array[] {Array.of(1.0), Array.of(2.0)}).numLeaves()   // 2
     * }
     *
     * @param componentType the array's component type
     * @param children the element structures
     */
    record ArrayNode(Class<?> componentType, List<TreeDef> children) implements TreeDef {
        /**
         * The number of leaves of this node.
         *
         * {@snippet lang=java :
         * import dev.solstice.tree.*;
         * Tree.structure(new Array[] {Array.of(1.0), Array.of(2.0)}).numLeaves()   // 2
         * }
         */
        @Override
        public int numLeaves() {
            return leavesOf(children);
        }

        @Override
        public String toString() {
            return componentType.getSimpleName() + children;
        }
    }

    /**
     * A node of a class registered with {@link Tree#register}.
     *
     * {@snippet lang=java :
     * import dev.solstice.tree.*;
     * class Box { final Array v; Box(Array v) { this.v = v; } }
     * Tree.register(Box.class, new NodeType<Box>() {
     *     public List<Object> children(Box b) { return List.of(b.v); }
     *     public Box rebuild(Object aux, List<Object> kids) { return new Box((Array) kids.get(0)); } });
     * Tree.structure(new Box(Array.of(1.0))) instanceof TreeDef.CustomNode   // true
     * }
     *
     * @param type the registered class
     * @param auxData its static data
     * @param names child names for paths (or null)
     * @param children the child structures
     */
    record CustomNode(Class<?> type, Object auxData, List<String> names, List<TreeDef> children) implements TreeDef {
        /**
         * The number of leaves of this node.
         *
         * {@snippet lang=java :
         * import dev.solstice.tree.*;
         * class Box { final Array v; Box(Array v) { this.v = v; } }
         * Tree.register(Box.class, new NodeType<Box>() {
         *     public List<Object> children(Box b) { return List.of(b.v); }
         *     public Box rebuild(Object aux, List<Object> kids) { return new Box((Array) kids.get(0)); } });
         * Tree.structure(new Box(Array.of(1.0))).numLeaves()   // 1
         * }
         */
        @Override
        public int numLeaves() {
            return leavesOf(children);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof CustomNode c && c.type == type && Objects.equals(c.auxData, auxData)
                    && c.children.equals(children);
        }

        @Override
        public int hashCode() {
            return Objects.hash(type, auxData, children);
        }

        @Override
        public String toString() {
            return type.getSimpleName() + children;
        }
    }
}
