package dev.solstice.spark;

import dev.solstice.curvature.Curvature;
import dev.solstice.curvature.TraceEstimate;
import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Eqx;
import dev.solstice.Jnp;
import dev.solstice.Prng;
import dev.solstice.data.Digits;
import dev.solstice.nn.MLP;
import dev.solstice.optim.Optim;
import dev.solstice.tree.Tree;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code bin/spark-demo}: the local demo's digits classifier trained data-parallel on Spark ({@code local[2]},
 * 4 partitions by default), with the checks that make it trustworthy: the distributed gradient against the
 * single-machine gradient of the same examples, the final test accuracy, and Hutchinson's Hessian trace
 * computed distributed and locally with the same probes.
 *
 * <p>Options: {@code --master URL} (default {@code local[2]}; ignored under {@code spark-submit}, whose
 * configuration is used as it is), {@code --partitions P} (4), {@code --epochs E} (30).
 */
public final class SparkDemo {
    private SparkDemo() {}

    /** Runs the demo; see the class comment for the options. */
    public static void main(String[] args) {
        String master = "local[2]";
        int partitions = 4;
        int epochs = 30;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--master" -> master = value;
                case "--partitions" -> partitions = Integer.parseInt(value);
                case "--epochs" -> epochs = Integer.parseInt(value);
                default -> throw new IllegalArgumentException("bin/spark-demo: unknown option " + args[i]
                        + "; the options are --master URL, --partitions P, --epochs E");
            }
            i++;
        }
        // spark-submit passes its configuration as system properties, spark.master among them
        boolean submitted = System.getProperty("spark.master") != null;
        try (JavaSparkContext sc = submitted ? new JavaSparkContext(new SparkConf().setAppName("solstice-spark-demo"))
                : LocalSpark.context(master, "solstice-spark-demo")) {
            run(sc, partitions, epochs, System.out);
        }
    }

    /** What a run measured. */
    record Result(double gradientDifference, double testAccuracy, TraceEstimate distributedTrace, TraceEstimate localTrace) {}

    static Result run(JavaSparkContext sc, int partitions, int epochs, PrintStream out) {
        long t0 = System.nanoTime();
        List<List<Example>> split = DigitsOnSpark.split(0, 0.2);
        MLP model = DigitsOnSpark.model(1);
        DataParallel<MLP> dp = DataParallel.create(sc, model, DigitsOnSpark.factory(), DigitsOnSpark.loss());
        JavaRDD<Example> trainRdd = sc.parallelize(split.get(0), partitions);
        DataParallel.PreparedData train = dp.prepare(trainRdd, Digits.FEATURES);
        DataParallel.PreparedData test = dp.prepare(sc.parallelize(split.get(1), partitions), Digits.FEATURES);
        out.printf(Locale.ROOT, "Solstice on Spark: %s, %d partitions, %d training and %d test examples, %d parameters"
                + " (structure shipped once: %d bytes of safetensors; %d bytes of parameters per step)%n", sc.master(),
                partitions, train.size(), test.size(), dp.spec().size(), dp.spec().bytes(), 8L * dp.spec().size());

        Gradient<MLP> distributed = dp.gradient(model, train);
        MLP local = localGradient(model, split.get(0));
        double diff = maxAbsDifference(distributed.grad(), local);
        out.printf(Locale.ROOT, "data-parallel gradient max abs difference vs single machine: %.3e%n", diff);

        long s0 = System.nanoTime();
        TrainResult<MLP, Optim.ChainState> r = dp.train(model, Optim.adam(1e-2), train, TrainOptions.of(epochs, 64, 0), null);
        double seconds = (System.nanoTime() - s0) / 1e9;
        out.printf(Locale.ROOT, "trained %d epochs, %d steps in %.1f s (%.1f ms per step); final training loss %.4f%n",
                epochs, r.steps(), seconds, 1e3 * seconds / r.steps(), r.epochLoss()[epochs - 1]);
        double acc = dp.evaluate(r.model(), test, DigitsOnSpark.accuracy());
        out.printf(Locale.ROOT, "final test accuracy: %.4f%n", acc);

        Array key = Prng.key(7);
        int probes = 16;
        TraceEstimate dt = dp.hutchinsonTrace(r.model(), train, probes, key);
        TraceEstimate lt = localTrace(r.model(), split.get(0), probes, key);
        out.printf(Locale.ROOT, "Hutchinson trace of the training loss's Hessian (%d probes), distributed: %.6f +- %.6f%n",
                probes, dt.mean(), dt.standardError());
        out.printf(Locale.ROOT, "Hutchinson trace of the training loss's Hessian (%d probes), local:       %.6f +- %.6f%n",
                probes, lt.mean(), lt.standardError());
        out.printf(Locale.ROOT, "total %.1f s%n", (System.nanoTime() - t0) / 1e9);
        train.release();
        test.release();
        return new Result(diff, acc, dt, lt);
    }

    /** The features of {@code examples} as [n, 64] float32 and their labels as float64 [n, 1]. */
    static Array[] stacked(List<Example> examples) {
        int n = examples.size();
        int d = examples.getFirst().features().length;
        double[] x = new double[n * d];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(examples.get(i).features(), 0, x, i * d, d);
            y[i] = examples.get(i).targets()[0];
        }
        return new Array[] {Array.of(x, n, d).astype(DType.FLOAT32), Array.of(y, n, 1)};
    }

    /** The mean loss over {@code examples} on this machine: one vmap over all of them, no Spark. */
    static Function<MLP, Array> localMeanLoss(List<Example> examples) {
        Array[] xy = stacked(examples);
        return m -> Jnp.divide(PartitionWork.summedLoss(DigitsOnSpark.loss(), m, xy[0], xy[1]), (double) examples.size());
    }

    /** The single-machine gradient of the mean loss over {@code examples}, without Spark. */
    static MLP localGradient(MLP model, List<Example> examples) {
        return Eqx.filterGrad(localMeanLoss(examples)).apply(model);
    }

    /** Hutchinson's trace estimate of the mean loss over {@code examples} on this machine, with the same probes. */
    static TraceEstimate localTrace(MLP model, List<Example> examples, int probes, Array key) {
        return Curvature.hutchinsonTrace(localMeanLoss(examples), model, probes, key);
    }

    /** The largest absolute difference between two trees' leaves. */
    static double maxAbsDifference(Object a, Object b) {
        double[] x = Tree.ravel(a).flat().astype(DType.FLOAT64).toDoubleArray();
        double[] y = Tree.ravel(b).flat().astype(DType.FLOAT64).toDoubleArray();
        double m = 0;
        for (int i = 0; i < x.length; i++) {
            m = Math.max(m, Math.abs(x[i] - y[i]));
        }
        return m;
    }
}
