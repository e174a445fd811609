package dev.solstice.transform;

import dev.solstice.tree.KeyPath;
import dev.solstice.tree.Tree;
import dev.solstice.tree.TreeDef;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What may be static in a jitted function's argument. A static value is part of the cache key, compared by
 * {@code equals}: a Java array has no value equality (every new array would trace anew), and an array leaf
 * would bake its values into the trace. Under {@code Jax.jit} only Java numbers and booleans are static
 * without being asked for; anything else must sit in a static argument ({@code JitOptions.staticArgs}).
 */
final class StaticChecks {
    private StaticChecks() {}

    /** Throws, naming the path, for the first leaf of {@code split} that cannot be what it is. */
    static void check(String op, boolean jitMode, ArgumentSplit split, Set<Object> staticKeys) {
        if (!staticKeys.isEmpty()) {
            checkStaticKeys(op, split, staticKeys);
        }
        split.walk(new TreePaths.Visitor() {
            @Override
            public void leaf(KeyPath path) {}

            @Override
            public void staticValue(KeyPath path, Object value) {
                checkHashable(op, path, value);
                if (jitMode && !(value instanceof Number || value instanceof Boolean || value instanceof Character)) {
                    throw new IllegalArgumentException(op + ": the leaf at " + TreePaths.show(path) + " is "
                            + TreePaths.describe(value) + ", which jit cannot trace: only arrays are traced (and Java"
                            + " numbers are static). Make the argument holding it static with JitOptions.staticArgs(...),"
                            + " or use Eqx.filterJit, which keeps every leaf that is not an array static");
                }
            }
        });
    }

    /** Static arguments must exist, hold no arrays and have value equality all through. */
    private static void checkStaticKeys(String op, ArgumentSplit split, Set<Object> staticKeys) {
        TreeDef top = split.top();
        if (top instanceof TreeDef.Leaf || top.children().isEmpty()) {
            throw new IllegalArgumentException(op + ": JitOptions.staticArgs names top-level entries " + staticKeys
                    + ", but the argument has none (its structure is " + top + "); pass a List, record or Map"
                    + " whose entries are the arguments");
        }
        List<Object> names = new ArrayList<>();
        for (int i = 0; i < top.children().size(); i++) {
            names.add(TreePaths.childName(top, i));
        }
        for (Object k : staticKeys) {
            boolean found = k instanceof Integer i ? i >= 0 && i < names.size() : names.contains(k);
            if (!found) {
                throw new IllegalArgumentException(op + ": JitOptions.staticArgs names " + TreePaths.describe(k)
                        + ", which the argument does not have: its top-level entries are " + describeEntries(names));
            }
        }
        for (int i = 0; i < split.parts().size(); i++) {
            if (split.parts().get(i) instanceof ArgumentSplit.StaticArg s) {
                KeyPath path = TreePaths.childPath(top, i, KeyPath.ROOT);
                checkHashable(op, path, s.value());
                Tree.FlattenedWith f = Tree.flattenWith(s.value(), o -> false);
                if (!f.leaves().isEmpty()) {
                    throw new IllegalArgumentException(op + ": the static argument " + path + " holds arrays; an array"
                            + " cannot be static (its values would be baked into the trace). Leave it traced");
                }
                TreePaths.walk(f.def(), path, new TreePaths.Visitor() {
                    @Override
                    public void leaf(KeyPath p) {}

                    @Override
                    public void staticValue(KeyPath p, Object value) {
                        checkHashable(op, p, value);
                    }
                });
            }
        }
    }

    private static String describeEntries(List<Object> names) {
        return names.stream().allMatch(n -> n == null) ? "positions 0 to " + (names.size() - 1) : names.toString();
    }

    /** A Java array has identity equality, so it cannot key a cache: refuse it, saying how to pass it. */
    private static void checkHashable(String op, KeyPath path, Object value) {
        if (value != null && value.getClass().isArray()) {
            throw new IllegalArgumentException(op + ": the leaf at " + TreePaths.show(path) + " is a Java "
                    + value.getClass().getComponentType().getSimpleName() + "[], which would be a static value, but"
                    + " Java arrays have no value equality (every call would trace anew). Pass an Array (traced),"
                    + " or a List or record of the values (static)");
        }
    }
}
