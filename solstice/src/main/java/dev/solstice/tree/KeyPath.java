package dev.solstice.tree;

import java.util.ArrayList;
import java.util.List;

/**
 * The path from a tree's root to one of its leaves, printed readably: {@code layers[0].weight},
 * {@code cache["k"]}.
 *
 * {@snippet lang=java :
 * import dev.solstice.tree.*;
 * KeyPath path = KeyPath.ROOT.then(new PathKey.Field("layers")).then(new PathKey.Index(0));
 * path.toString()   // layers[0]
 * path.keys().size()   // 2
 * }
 *
 * @param keys the steps from the root
 */
public record KeyPath(List<PathKey> keys) {
    /** The empty path (the root). */
    public static final KeyPath ROOT = new KeyPath(List.of());

    /** Copies the steps. */
    public KeyPath {
        keys = List.copyOf(keys);
    }

    /**
     * This path extended by one step.
     *
     * {@snippet lang=java :
     * import dev.solstice.tree.*;
     * KeyPath.ROOT.then(new PathKey.Key("w")).toString()   // ["w"]
     * }
     */
    public KeyPath then(PathKey key) {
        List<PathKey> k = new ArrayList<>(keys);
        k.add(key);
        return new KeyPath(k);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (PathKey k : keys) {
            b.append(k);
        }
        String s = b.toString();
        return s.startsWith(".") ? s.substring(1) : s;
    }
}
