package dev.solstice.spark;

import dev.solstice.Array;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.tree.Tree;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * An ensemble of K models of one structure trained together: their leaves stacked on a new leading axis (one
 * tree), the per-example loss summed over the members with {@code vmap} over that axis inside each partition.
 * The members do not interact: the gradient of the sum with respect to member k's slice is member k's own
 * gradient, and elementwise optimisers (SGD, Adam, ...) update each slice as if alone, so one data-parallel run
 * trains K independent models for the price of one pass over the data.
 */
public final class Ensemble {
    private Ensemble() {}

    /** The members' leaves stacked on a new leading axis: member k is slice k of every leaf. */
    public static <T> T stack(List<T> members) {
        return Tree.mapAll(leaves -> Jnp.stack(leaves, 0), members);
    }

    /** Member {@code k} of a stacked ensemble. */
    public static <T> T member(T stacked, int k) {
        return Tree.map(leaf -> leaf.get(k), stacked);
    }

    /** A factory of stacked ensembles of {@code members} models built by {@code factory}. */
    public static <T> ModelFactory<T> factory(ModelFactory<T> factory, int members) {
        return () -> {
            List<T> copies = new ArrayList<>();
            for (int k = 0; k < members; k++) {
                copies.add(factory.get());
            }
            return stack(copies);
        };
    }

    /** The ensemble's loss of one example: the sum of every member's loss (each member's gradient is its own). */
    public static <T> PerExampleLoss<T> summedLoss(PerExampleLoss<T> loss) {
        return (stacked, x, y) -> Jnp.sum(perMember(loss, stacked, x, y));
    }

    /** Each member's value of {@code metric} on one example, a vector of K. */
    static <T> Array perMember(PerExampleLoss<T> metric, T stacked, Array x, Array y) {
        Function<T, Array> one = m -> metric.apply(m, x, y);
        return Jax.vmap(one).apply(stacked);
    }

    /**
     * The mean of {@code metric} over {@code data} for each member of a stacked ensemble, in one Spark job.
     *
     * @param runner the ensemble's data-parallel runner
     * @param stacked the stacked ensemble
     * @param data the examples
     * @param metric a per-example metric of one member (a loss, or 1/0 per correct example)
     * @return one mean per member
     */
    public static <T> double[] evaluateEach(DataParallel<T> runner, T stacked, DataParallel.PreparedData data,
            PerExampleLoss<T> metric) {
        return runner.evaluateVector(stacked, data, (m, x, y) -> perMember(metric, m, x, y));
    }
}
