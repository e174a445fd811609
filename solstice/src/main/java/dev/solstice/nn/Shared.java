package dev.solstice.nn;

import dev.solstice.Array;
import dev.solstice.tree.KeyPath;
import dev.solstice.tree.Tree;
import dev.solstice.tree.TreeAt;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Ties nodes of a tree together (Equinox's {@code eqx.nn.Shared}): a tree is a tree, so one array placed in
 * two layers would be two parameters, updated apart by an optimiser. A {@code Shared} stores the tree with the
 * tied nodes ({@code where}) removed, so the tied array is held once: gradients, optimiser states and saved
 * files see one copy. {@link #apply()} gives the tree back with {@code get}'s nodes in their place, and since
 * both uses then read one array, reverse mode sums their gradients into it.
 *
 * <p>A removed array becomes {@code null} (an empty node); a removed subtree becomes a copy of itself whose
 * arrays are {@code null}. So a tied array must sit in a record component (a layer's {@code weight}, say),
 * or be part of a tied record; an element of a list cannot be selected once removed, and {@link #of} says so.
 *
 * <pre>{@code
 * record Lm(Shared<Pair<Embedding, Linear>> tied) implements Module {
 *     Array logits(Array token) {
 *         Pair<Embedding, Linear> p = tied.apply();          // p.second().weight() is p.first().weight()
 *         return p.second().apply(p.first().apply(token));
 *     }
 * }
 * Embedding embed = new Embedding(vocab, width, k1);
 * Linear head = new Linear(width, vocab, k2);                 // weight [vocab, width], as the embedding's
 * Lm lm = new Lm(Shared.of(new Pair<>(embed, head), p -> p.second().weight(), p -> p.first().weight()));
 * Lm grads = Eqx.filterGrad((Lm m) -> Jnp.sum(m.logits(Array.scalar(3)))).apply(lm);
 * Array g = grads.tied().tree().first().weight();              // both uses' gradients, summed
 * }</pre>
 *
 * <p>Build one with {@link #of} or {@link #ofAll}, which remove the tied nodes and check the ties; the
 * canonical constructor stores its tree as given (it is what rebuilding a tree, for a gradient or an
 * optimiser update, calls) and is for a tree whose tied nodes are already removed.
 * {@link dev.solstice.Eqx#treeCheck} finds an array held twice by mistake.
 *
 * {@snippet lang=java :
 * Linear a = new Linear(2, 2, Prng.key(0));
 * Linear b = new Linear(2, 2, Prng.key(1));
 * var tied = Shared.of(List.of(a, b), l -> l.get(1).weight(), l -> l.get(0).weight());
 * var both = tied.apply();
 * both.get(1).weight() == both.get(0).weight()   // true
 * both.get(1).apply(Array.of(1f, 1f))   // Array(float32[2], [-0.10134375, -0.8530554 ])
 * }
 *
 * @param <T> the type of the tree
 * @param tree the tree with the tied nodes removed
 * @param where selects the tied nodes, those that {@code get}'s results replace
 * @param get reads, from {@link #tree()}, the nodes that take {@code where}'s places, one per selected node; it
 *     may transform them (a transpose, say) as long as shapes and dtypes match the nodes they replace
 */
public record Shared<T>(T tree, Function<T, List<?>> where, Function<T, List<?>> get) implements Module {

    /** Stores the parts as given; see the class comment for why this does not remove anything. */
    public Shared {
        Objects.requireNonNull(where, "Shared: where is null");
        Objects.requireNonNull(get, "Shared: get is null");
    }

    /**
     * Ties the one node {@code where} selects to the node {@code get} reads: the tree is stored without the
     * former, and {@link #apply()} puts {@code get}'s result in its place.
     *
     * <pre>{@code
     * Shared<Pair<Embedding, Linear>> s = Shared.of(new Pair<>(embed, head),
     *         p -> p.second().weight(), p -> p.first().weight());
     * s.tree().second().weight();          // null: held once, in the embedding
     * s.apply().second().weight();         // the embedding's weight
     * }</pre>
     *
     * {@snippet lang=java :
     * Linear a = new Linear(2, 2, Prng.key(0));
     * Linear b = new Linear(2, 2, Prng.key(1));
     * var tied = Shared.of(List.of(a, b), l -> l.get(1).weight(), l -> l.get(0).weight());
     * tied.tree().get(1).weight() == null   // true
     * }
     *
     * @throws IllegalArgumentException when the two nodes differ in structure, shape or dtype, or when
     *     {@code get} reads a removed node
     */
    public static <T> Shared<T> of(T tree, Function<T, ?> where, Function<T, ?> get) {
        Objects.requireNonNull(where, "Shared.of: where is null");
        Objects.requireNonNull(get, "Shared.of: get is null");
        return ofAll(tree, t -> Collections.singletonList(where.apply(t)), t -> Collections.singletonList(get.apply(t)));
    }

    /**
     * Ties several nodes at once: the i-th node {@code where} lists is replaced by the i-th node {@code get}
     * lists.
     *
     * <pre>{@code
     * Shared<List<Linear>> s = Shared.ofAll(List.of(a, b),
     *         l -> List.of(l.get(1).weight(), l.get(1).bias()), l -> List.of(l.get(0).weight(), l.get(0).bias()));
     * }</pre>
     *
     * {@snippet lang=java :
     * Linear a = new Linear(2, 2, Prng.key(0));
     * Linear b = new Linear(2, 2, Prng.key(1));
     * var tied = Shared.ofAll(List.of(a, b), l -> List.of(l.get(1).weight(), l.get(1).bias()),
     *         l -> List.of(l.get(0).weight(), l.get(0).bias()));
     * tied.apply().get(1).bias() == tied.apply().get(0).bias()   // true
     * }
     *
     * @throws IllegalArgumentException when the lists differ in length, a pair of nodes differs in structure,
     *     shape or dtype, or {@code get} reads a removed node
     */
    public static <T> Shared<T> ofAll(T tree, Function<T, List<?>> where, Function<T, List<?>> get) {
        Objects.requireNonNull(tree, "Shared: the tree is null");
        List<?> tied = where.apply(tree);
        T stripped = TreeAt.apply(where, tree, (i, old) -> Tree.map(a -> null, old), "Shared.of");
        Shared<T> shared = new Shared<>(stripped, where, get);
        List<?> supplied;
        try {
            supplied = get.apply(stripped);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Shared.of: get failed on the tree without the tied nodes (" + e
                    + "); get must read nodes that where does not select", e);
        }
        checkTies(tied, supplied);
        try {
            shared.apply();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Shared.of: a tied node cannot be selected once removed (" + e.getMessage()
                    + "); tie arrays held in record components (a layer's weight) or whole records", e);
        }
        return shared;
    }

    /**
     * The tree with {@code get}'s nodes in the places {@code where} selects: the tree as it was before tying,
     * except that the tied places now hold the very nodes {@code get} reads (or what it computes from them).
     *
     * {@snippet lang=java :
     * Linear a = new Linear(2, 2, Prng.key(0));
     * var tied = Shared.of(List.of(a, new Linear(2, 2, Prng.key(1))), l -> l.get(1).weight(), l -> l.get(0).weight());
     * tied.apply().get(1).weight() == a.weight()   // true
     * }
     */
    public T apply() {
        List<?> supplied = get.apply(tree);
        return TreeAt.apply(where, tree, (i, old) -> supplied.get(i), "Shared", supplied.size());
    }

    /** The nodes to tie and the nodes that replace them agree in number, structure, shapes and dtypes. */
    private static void checkTies(List<?> tied, List<?> supplied) {
        if (tied.size() != supplied.size()) {
            throw new IllegalArgumentException("Shared.of: where selects " + tied.size() + " nodes but get gives "
                    + supplied.size());
        }
        for (int i = 0; i < tied.size(); i++) {
            Tree.Flattened a = Tree.flatten(tied.get(i));
            Tree.Flattened b = Tree.flatten(supplied.get(i));
            boolean same = a.def().equals(b.def());
            for (int j = 0; same && j < a.leaves().size(); j++) {
                same = sameAval(a.leaves().get(j), b.leaves().get(j));
            }
            if (!same) {
                throw new IllegalArgumentException("Shared.of: tied node " + i + " and the node get gives for it differ"
                        + " (they must have one structure and the same shapes and dtypes):\n  where: " + describe(a)
                        + "\n  get:   " + describe(b));
            }
        }
    }

    private static boolean sameAval(Array x, Array y) {
        return x.dtype() == y.dtype() && Arrays.equals(x.shape(), y.shape());
    }

    private static String describe(Tree.Flattened f) {
        if (f.leaves().size() == 1 && f.def().equals(Tree.structure(f.leaves().getFirst()))) {
            return f.leaves().getFirst().aval().str();
        }
        StringBuilder b = new StringBuilder(f.def().toString());
        List<KeyPath> paths = Tree.leafPaths(f.def());
        for (int j = 0; j < f.leaves().size(); j++) {
            b.append(j == 0 ? " with " : ", ").append(paths.get(j)).append(": ").append(f.leaves().get(j).aval().str());
        }
        return b.toString();
    }
}
