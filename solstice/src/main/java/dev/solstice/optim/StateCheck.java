package dev.solstice.optim;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import dev.solstice.tree.Tree;
import dev.solstice.tree.TreeDef;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;

/**
 * Checks, before an update, that a state has the structure its transformation's {@code init} gives for these
 * parameters: the same tree definition and, where both hold an array, the same shape and dtype. A state of
 * another transformation, or one made for other parameters, is refused with both structures named, instead
 * of failing somewhere inside the update (or, worse, broadcasting silently). The expected structure is learnt
 * by calling {@code init} once per transformation and parameter structure and kept (without arrays) while
 * the transformation is reachable.
 */
final class StateCheck {
    private StateCheck() {}

    /** A tree's structure and its leaves' avals (null where a leaf is null or not an array). */
    private record Signature(TreeDef def, List<Aval> avals) {
        static Signature of(Object tree) {
            Tree.FlattenedWith f = Tree.flattenWith(tree, Objects::isNull);
            List<Aval> avals = new ArrayList<>(f.leaves().size());
            for (Object leaf : f.leaves()) {
                avals.add(leaf instanceof Array a ? a.aval() : null);
            }
            return new Signature(f.def(), avals);
        }

        /** Same definition, and equal avals wherever both sides hold an array (a null leaf matches anything). */
        boolean admits(Signature actual) {
            if (!def.equals(actual.def) || avals.size() != actual.avals.size()) {
                return false;
            }
            for (int i = 0; i < avals.size(); i++) {
                Aval e = avals.get(i);
                Aval a = actual.avals.get(i);
                if (e != null && a != null && !e.equals(a)) {
                    return false;
                }
            }
            return true;
        }
    }

    private static final Map<GradientTransformation<?>, Map<Signature, Signature>> EXPECTED =
            Collections.synchronizedMap(new WeakHashMap<>());

    /**
     * Throws a clear {@link IllegalArgumentException} when {@code state} cannot be {@code t}'s state for
     * parameters shaped as {@code like} (the parameters, or the gradients when no parameters are passed).
     */
    static void require(GradientTransformation<?> t, Object state, Object like) {
        Signature actual = Signature.of(state);
        Signature expected = expected(t, like);
        if (!expected.admits(actual)) {
            throw new IllegalArgumentException("update: the state does not have the structure this transformation's"
                    + " init gives for these parameters: expected " + describe(expected) + ", got " + describe(actual)
                    + "; pass the state made by this transformation's init for these parameters (or returned by its"
                    + " last update)");
        }
    }

    private static Signature expected(GradientTransformation<?> t, Object like) {
        Signature params = Signature.of(like);
        Map<Signature, Signature> byParams = EXPECTED.computeIfAbsent(t, k -> Collections.synchronizedMap(new HashMap<>()));
        Signature known = byParams.get(params);
        if (known == null) {
            known = Signature.of(t.init(like));
            byParams.put(params, known);
        }
        return known;
    }

    private static String describe(Signature s) {
        String text = s.def() + " with leaves " + s.avals().stream().map(a -> a == null ? "null" : a.str()).toList();
        return text.length() <= 400 ? text : text.substring(0, 400) + "...";
    }
}
