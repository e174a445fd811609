package dev.solstice.spark;

import dev.solstice.curvature.Curvature;
import dev.solstice.curvature.TraceEstimate;
import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Eqx;
import dev.solstice.Prng;
import dev.solstice.optim.GradientTransformation;
import dev.solstice.optim.Optim;
import dev.solstice.optim.Update;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;

/**
 * Data-parallel training and distributed evaluation of one model on a Spark RDD of {@link Example}s.
 *
 * <p>The model's structure travels once ({@link ModelSpec}: safetensors bytes and a factory, broadcast), the
 * parameters once per step as one flat {@code double[]} (broadcast, destroyed after the step). Each partition
 * computes the summed loss and gradient of its share of the batch (the per-example loss vectorised with
 * {@code vmap}, compiled with {@code filterJit}); the driver adds the partitions' sums in partition order (so
 * runs are bitwise reproducible, whatever order tasks finish in), divides by the number of examples and applies
 * the optimiser, whose state never leaves the driver. A step is a pure function of the broadcast parameters and
 * the partition, so a task Spark retries computes the same sum again.
 *
 * @param <T> the model tree type
 */
public final class DataParallel<T> {
    private final JavaSparkContext sc;
    private final ModelSpec<T> spec;
    private final Broadcast<ModelSpec<T>> shippedSpec;
    private final PerExampleLoss<T> loss;
    private final String job = UUID.randomUUID().toString();

    private DataParallel(JavaSparkContext sc, ModelSpec<T> spec, PerExampleLoss<T> loss) {
        this.sc = sc;
        this.spec = spec;
        this.shippedSpec = sc.broadcast(spec);
        this.loss = loss;
    }

    /**
     * A data-parallel runner for models of {@code model}'s structure.
     *
     * @param sc the Spark context (the caller owns it)
     * @param model a model of the structure to train (its values are not used after this call)
     * @param factory builds a model of that structure on an executor
     * @param loss the per-example loss
     * @param <T> the model tree type
     * @return the runner
     */
    public static <T> DataParallel<T> create(JavaSparkContext sc, T model, ModelFactory<T> factory, PerExampleLoss<T> loss) {
        return new DataParallel<>(sc, ModelSpec.of(model, factory), loss);
    }

    /** The shipped model structure. */
    public ModelSpec<T> spec() {
        return spec;
    }

    /**
     * The examples of {@code data} gathered into one cached block per partition, every row's width checked
     * against {@code featureWidth} (a row of another width fails the first job that reads it, naming its
     * partition and row).
     *
     * @param data the examples
     * @param featureWidth the model's input width
     * @return the prepared data
     */
    public PreparedData prepare(JavaRDD<Example> data, int featureWidth) {
        JavaRDD<PartitionBlock> blocks = data
                .mapPartitionsWithIndex((i, it) -> List.of(PartitionBlock.of(i, it, featureWidth)).iterator(), true)
                .persist(StorageLevel.MEMORY_ONLY());
        List<Long> counts = run(() -> blocks.map(b -> (long) b.rows()).collect());
        long total = counts.stream().mapToLong(Long::longValue).sum();
        return new PreparedData(blocks, counts.stream().mapToLong(Long::longValue).toArray(), total);
    }

    /**
     * Examples prepared for {@link DataParallel}: one cached block per partition.
     *
     * @param blocks the blocks
     * @param partitionSizes the examples of each partition
     * @param size the examples in all
     */
    public record PreparedData(JavaRDD<PartitionBlock> blocks, long[] partitionSizes, long size) {
        /** Releases the cached blocks. */
        public void release() {
            blocks.unpersist(false);
        }
    }

    /** The mean loss over all of {@code data} and its gradient, summed in partition order. */
    public Gradient<T> gradient(T model, PreparedData data) {
        PartitionSum s = lossAndGradient(ModelSpec.flatten(model), data.blocks());
        return new Gradient<>(s.scalar() / s.count(), spec.unflatten(scale(s.vector(), 1.0 / s.count())), s.count());
    }

    /** The mean of {@code metric} over all of {@code data} (a loss, or 1/0 per correct example for accuracy). */
    public double evaluate(T model, PreparedData data, PerExampleLoss<T> metric) {
        return evaluateVector(model, data, metric)[0];
    }

    /**
     * The mean over all of {@code data} of a vector-valued per-example {@code metric} (for example one value per
     * member of an {@link Ensemble}), summed in partition order.
     */
    public double[] evaluateVector(T model, PreparedData data, PerExampleLoss<T> metric) {
        Broadcast<double[]> params = sc.broadcast(ModelSpec.flatten(model));
        try {
            Broadcast<ModelSpec<T>> bSpec = shippedSpec;
            DType dtype = spec.dtype();
            List<PartitionSum> parts = run(() -> data.blocks()
                    .map(b -> PartitionWork.metricVector(bSpec.value(), metric, b, params.value(), dtype)).collect());
            int width = parts.stream().filter(p -> p.count() > 0).mapToInt(p -> p.vector().length).findFirst().orElse(0);
            PartitionSum s = PartitionSum.addInOrder(parts, width);
            return scale(s.vector(), 1.0 / s.count());
        } finally {
            params.destroy();
        }
    }

    /** The Hessian of the mean loss over {@code data} times {@code v} (a tree of the model's structure). */
    public T hvp(T model, PreparedData data, T v) {
        double[] hv = hessianVectorProducts(model, data, new double[][] {ModelSpec.flatten(v)})[0];
        return spec.unflatten(hv);
    }

    /**
     * Hutchinson's estimate of the trace of the Hessian of the mean loss over {@code data}, with {@code probes}
     * Rademacher vectors drawn from {@code key} ({@link Curvature#rademacherProbes}: the probes a local
     * {@link Curvature#hutchinsonTrace} draws from the same key), all computed in one Spark job.
     */
    public TraceEstimate hutchinsonTrace(T model, PreparedData data, int probes, Array key) {
        double[][] v = Curvature.rademacherProbes(key, probes, spec.size());
        double[][] hv = hessianVectorProducts(model, data, v);
        double[] q = new double[probes];
        for (int k = 0; k < probes; k++) {
            for (int i = 0; i < v[k].length; i++) {
                q[k] += v[k][i] * hv[k][i];
            }
        }
        return TraceEstimate.ofSamples(q, 0, q.length);
    }

    private double[][] hessianVectorProducts(T model, PreparedData data, double[][] vectors) {
        Broadcast<double[]> params = sc.broadcast(ModelSpec.flatten(model));
        Broadcast<double[][]> vs = sc.broadcast(vectors);
        try {
            Broadcast<ModelSpec<T>> bSpec = shippedSpec;
            PerExampleLoss<T> l = loss;
            DType dtype = spec.dtype();
            List<PartitionSum> parts = run(() -> data.blocks().map(b -> PartitionWork.hessianVectorProducts(bSpec.value(), l, b,
                    params.value(), vs.value(), dtype)).collect());
            PartitionSum s = PartitionSum.addInOrder(parts, vectors.length * spec.size());
            double[][] out = new double[vectors.length][];
            for (int k = 0; k < vectors.length; k++) {
                out[k] = scale(Arrays.copyOfRange(s.vector(), k * spec.size(), (k + 1) * spec.size()), 1.0 / s.count());
            }
            return out;
        } finally {
            params.destroy();
            vs.destroy();
        }
    }

    /**
     * Trains {@code model} with {@code optimizer} on {@code data}; see {@link TrainOptions}. When
     * {@code resumeFrom} names a checkpoint, training continues from its model, optimiser state and step, and
     * ends with the parameters an uninterrupted run would have.
     *
     * @param model the initial model (ignored when resuming)
     * @param optimizer the optimiser, applied on the driver
     * @param data the training examples
     * @param options epochs, batch size, seed, checkpoints
     * @param resumeFrom a checkpoint written by an earlier run with the same options, or null
     * @param <S> the optimiser state type
     * @return the trained model and what the run measured
     */
    public <S> TrainResult<T, S> train(T model, GradientTransformation<S> optimizer, PreparedData data, TrainOptions options,
            Path resumeFrom) {
        S state = optimizer.init(model);
        int start = 0;
        if (resumeFrom != null) {
            List<Object> restored = readCheckpoint(resumeFrom, model, state);
            @SuppressWarnings("unchecked")
            T m = (T) restored.get(0);
            @SuppressWarnings("unchecked")
            S st = (S) restored.get(1);
            model = m;
            state = st;
            start = (int) ((Array) restored.get(2)).item();
        }
        long[] sizes = data.partitionSizes();
        int stepsPerEpoch = (int) Math.max(1, (data.size() + options.batchSize() - 1) / options.batchSize());
        int total = options.epochs() * stepsPerEpoch;
        double[] epochLoss = new double[options.epochs()];
        for (int step = start; step < total; step++) {
            int epoch = step / stepsPerEpoch;
            int within = step % stepsPerEpoch;
            int[][] slices = localSlices(sizes, data.size(), options.batchSize(), within);
            PartitionSum s = stepSums(ModelSpec.flatten(model), data.blocks(), options.seed(), epoch, slices);
            if (s.count() == 0) {
                continue;
            }
            T grad = spec.unflatten(scale(s.vector(), 1.0 / s.count()));
            Update<S> u = Optim.update(optimizer, grad, state, model);
            model = Eqx.applyUpdates(model, u.updates());
            state = u.state();
            epochLoss[epoch] += s.scalar() / s.count() / stepsPerEpoch;
            if (options.checkpointEvery() > 0 && (step + 1) % options.checkpointEvery() == 0) {
                writeCheckpoint(options.checkpoint(), model, state, step + 1);
            }
        }
        return new TrainResult<>(model, state, total, epochLoss);
    }

    /** Each partition's rows {@code [from, to)} of its epoch order for the step {@code within} an epoch. */
    static int[][] localSlices(long[] sizes, long total, int batchSize, int within) {
        int[][] slices = new int[sizes.length][];
        for (int p = 0; p < sizes.length; p++) {
            int share = (int) Math.max(1, Math.round((double) sizes[p] * batchSize / total));
            long from = Math.min(sizes[p], (long) within * share);
            long to = Math.min(sizes[p], from + share);
            slices[p] = new int[] {(int) from, (int) to};
        }
        return slices;
    }

    private PartitionSum lossAndGradient(double[] flat, JavaRDD<PartitionBlock> blocks) {
        return stepSums(flat, blocks, 0, -1, null);
    }

    /** One job: every partition's summed loss and gradient (over its slice, or all its rows when slices is null). */
    private PartitionSum stepSums(double[] flat, JavaRDD<PartitionBlock> blocks, long seed, int epoch, int[][] slices) {
        Broadcast<double[]> params = sc.broadcast(flat);
        try {
            Broadcast<ModelSpec<T>> bSpec = shippedSpec;
            PerExampleLoss<T> l = loss;
            String id = job;
            DType dtype = spec.dtype();
            List<PartitionSum> parts = run(() -> blocks.map(b -> {
                PartitionBlock rows = slices == null ? b
                        : b.select(epochOrder(b.rows(), seed, epoch, b.partition()), slices[b.partition()][0],
                                slices[b.partition()][1]);
                return PartitionWork.lossAndGradient(id, bSpec.value(), l, rows, params.value(), dtype);
            }).collect());
            return PartitionSum.addInOrder(parts, spec.size());
        } finally {
            params.destroy();
        }
    }

    /** The order of a partition's rows in an epoch: a permutation fixed by seed, epoch and partition. */
    static int[] epochOrder(int rows, long seed, int epoch, int partition) {
        int[] order = new int[rows];
        Arrays.setAll(order, i -> i);
        Random r = new Random(seed * 1_000_003L + epoch * 8191L + partition);
        for (int i = rows - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    private static double[] scale(double[] v, double by) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * by;
        }
        return out;
    }

    private static void writeCheckpoint(Path file, Object model, Object state, int step) {
        try {
            Eqx.treeSerialiseLeaves(file, List.of(model, state, Array.scalar(step).astype(DType.INT32)));
        } catch (IOException e) {
            throw new UncheckedIOException("DataParallel.train: cannot write the checkpoint " + file, e);
        }
    }

    private static List<Object> readCheckpoint(Path file, Object model, Object state) {
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("DataParallel.train: no checkpoint at " + file + " to resume from");
        }
        try {
            return Eqx.treeDeserialiseLeaves(file, List.of(model, state, Array.scalar(0).astype(DType.INT32)));
        } catch (IOException e) {
            throw new UncheckedIOException("DataParallel.train: cannot read the checkpoint " + file, e);
        }
    }

    private static final Pattern ROW_ERROR = Pattern.compile("partition \\d+, row \\d+: [^\\n]*");

    /** Runs a Spark job; a bad row reported by a task becomes an IllegalArgumentException naming it. */
    private static <R> R run(java.util.function.Supplier<R> job) {
        try {
            return job.get();
        } catch (Exception e) { // SparkException is checked in Java's terms but thrown from Scala undeclared
            for (Throwable t = e; t != null; t = t.getCause()) {
                Matcher m = ROW_ERROR.matcher(String.valueOf(t.getMessage()));
                if (m.find()) {
                    throw new IllegalArgumentException("DataParallel: bad input in " + m.group(), e);
                }
            }
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("DataParallel: a Spark job failed: " + e.getMessage(), e);
        }
    }

}
