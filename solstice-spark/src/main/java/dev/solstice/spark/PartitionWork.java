package dev.solstice.spark;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Eqx;
import dev.solstice.Jax;
import dev.solstice.Jitted;
import dev.solstice.Jnp;
import dev.solstice.ValueAndGrad;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What an executor computes on one partition's examples: the summed loss and its gradient with respect to the
 * model (the per-example loss vectorised with {@code vmap}, differentiated with {@code filterValueAndGrad}, the
 * whole compiled with {@code filterJit} once per job and executor JVM), Hessian-vector products of the summed
 * loss, and summed metrics. Sums, never means: partitions differ in size, and the driver divides by the total.
 */
final class PartitionWork {
    private PartitionWork() {}

    /** The model with one batch of examples: the input of the jitted partition gradient. */
    record Batch<T>(T model, Array features, Array targets) {}

    /** The summed loss of a batch and its gradient tree. */
    record LossAndGrad<T>(Array loss, T grad) {}

    /** The compiled partition gradients of the most recent jobs on this JVM, by job id (tasks share them). */
    private static final Map<String, Jitted<?, ?>> COMPILED = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Jitted<?, ?>> eldest) {
            return size() > 8;
        }
    };

    /** The summed per-example losses of a batch, vectorised over its rows. */
    static <T> Array summedLoss(PerExampleLoss<T> loss, T model, Array features, Array targets) {
        Function<List<Array>, Array> perExample = xy -> loss.apply(model, xy.get(0), xy.get(1));
        return Jnp.sum(Jax.vmap(perExample).apply(List.of(features, targets)));
    }

    @SuppressWarnings("unchecked")
    private static <T> Jitted<Batch<T>, LossAndGrad<T>> compiled(String job, PerExampleLoss<T> loss) {
        synchronized (COMPILED) {
            return (Jitted<Batch<T>, LossAndGrad<T>>) COMPILED.computeIfAbsent(job, k -> Eqx.filterJit((Batch<T> b) -> {
                ValueAndGrad<T> vg = Eqx.filterValueAndGrad((T m) -> summedLoss(loss, m, b.features(), b.targets()))
                        .apply(b.model());
                return new LossAndGrad<>(vg.value(), vg.grad());
            }));
        }
    }

    /** The features of a block as a [rows, width] array of {@code dtype} and its targets in float64. */
    static Array features(PartitionBlock b, DType dtype) {
        return Array.of(b.features(), b.rows(), b.featureWidth()).astype(dtype);
    }

    static Array targets(PartitionBlock b) {
        return Array.of(b.targets(), b.rows(), b.targetWidth());
    }

    /** Summed loss and flat gradient of {@code block} at the flat parameters. */
    static PartitionSum lossAndGradient(String job, ModelSpec<?> spec, PerExampleLoss<?> loss, PartitionBlock block,
            double[] params, DType featureDtype) {
        return typedLossAndGradient(job, spec, loss, block, params, featureDtype);
    }

    @SuppressWarnings("unchecked")
    private static <T> PartitionSum typedLossAndGradient(String job, ModelSpec<?> rawSpec, PerExampleLoss<?> rawLoss,
            PartitionBlock block, double[] params, DType featureDtype) {
        ModelSpec<T> spec = (ModelSpec<T>) rawSpec;
        PerExampleLoss<T> loss = (PerExampleLoss<T>) rawLoss;
        if (block.rows() == 0) {
            return new PartitionSum(block.partition(), new double[spec.size()], 0, 0);
        }
        T model = spec.unflatten(params);
        LossAndGrad<T> r = compiled(job, loss).apply(new Batch<>(model, features(block, featureDtype), targets(block)));
        return new PartitionSum(block.partition(), ModelSpec.flatten(r.grad()), r.loss().item(), block.rows());
    }

    /** The Hessian-vector products of the summed loss of {@code block} with each of {@code vectors}. */
    @SuppressWarnings("unchecked")
    static <T> PartitionSum hessianVectorProducts(ModelSpec<?> rawSpec, PerExampleLoss<?> rawLoss, PartitionBlock block,
            double[] params, double[][] vectors, DType featureDtype) {
        ModelSpec<T> spec = (ModelSpec<T>) rawSpec;
        PerExampleLoss<T> loss = (PerExampleLoss<T>) rawLoss;
        double[] out = new double[vectors.length * spec.size()];
        if (block.rows() > 0) {
            T model = spec.unflatten(params);
            Array x = features(block, featureDtype);
            Array y = targets(block);
            for (int k = 0; k < vectors.length; k++) {
                T hv = Jax.hvp((T m) -> summedLoss(loss, m, x, y), model, spec.unflatten(vectors[k]));
                System.arraycopy(ModelSpec.flatten(hv), 0, out, k * spec.size(), spec.size());
            }
        }
        return new PartitionSum(block.partition(), out, 0, block.rows());
    }

    /** The per-example vector metric of {@code block}'s examples, summed over the examples. */
    @SuppressWarnings("unchecked")
    static <T> PartitionSum metricVector(ModelSpec<?> rawSpec, PerExampleLoss<?> rawMetric, PartitionBlock block,
            double[] params, DType featureDtype) {
        ModelSpec<T> spec = (ModelSpec<T>) rawSpec;
        if (block.rows() == 0) {
            return new PartitionSum(block.partition(), new double[0], 0, 0);
        }
        PerExampleLoss<T> metric = (PerExampleLoss<T>) rawMetric;
        T model = spec.unflatten(params);
        Function<List<Array>, Array> perExample = xy -> metric.apply(model, xy.get(0), xy.get(1));
        Array perRow = Jax.vmap(perExample).apply(List.of(features(block, featureDtype), targets(block)));
        return new PartitionSum(block.partition(), Jnp.sum(perRow, 0).astype(DType.FLOAT64).toDoubleArray(), 0,
                block.rows());
    }
}
