package dev.solstice.tree;

/**
 * One step of a path into a tree: a record component, a list or array index, or a map key.
 *
 * {@snippet lang=java :
 * import dev.solstice.tree.*;
 * record Params(Array w, List<Array> bs) {}
 * var leaves = Tree.leavesWithPath(new Params(Array.of(1.0), List.of(Array.of(2.0))));
 * leaves.get(1).path().keys()   // [.bs, [0]]
 * }
 */
public sealed interface PathKey {

    /**
     * A record component (or custom node child) by name: prints as {@code .name}.
     *
     * {@snippet lang=java :
     * import dev.solstice.tree.*;
     * new PathKey.Field("weight").toString()   // .weight
     * }
     */
    record Field(String name) implements PathKey {
        @Override
        public String toString() {
            return "." + name;
        }
    }

    /**
     * A position in a list, a Java array or an optional: prints as {@code [i]}.
     *
     * {@snippet lang=java :
     * import dev.solstice.tree.*;
     * new PathKey.Index(2).toString()   // [2]
     * }
     */
    record Index(int index) implements PathKey {
        @Override
        public String toString() {
            return "[" + index + "]";
        }
    }

    /**
     * A map key: prints as {@code ["k"]} for strings, {@code [k]} otherwise.
     *
     * {@snippet lang=java :
     * import dev.solstice.tree.*;
     * new PathKey.Key("w").toString()   // ["w"]
     * }
     */
    record Key(Object key) implements PathKey {
        @Override
        public String toString() {
            return key instanceof CharSequence s ? "[\"" + s + "\"]" : "[" + key + "]";
        }
    }
}
