package dev.solstice.spark;

import dev.solstice.data.Digits;
import dev.solstice.nn.MLP;
import dev.solstice.optim.Optim;
import java.util.List;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Measures what the Spark issue's closing note reports: the context's start-up time, then for each partition
 * count the seconds per training step of the digits job (batch 64, after one warm-up epoch), and the bytes
 * shipped per step (the flat parameters; the structure travels once). Arguments: the master URL (default
 * {@code local[2]}) and the partition counts (default 1 2 4). Under {@code spark-submit} or with
 * {@code -Dspark.master} the configuration given there is used.
 */
public final class StepTiming {
    private StepTiming() {}

    /** Runs the measurement; see the class comment. */
    public static void main(String[] args) {
        String master = args.length > 0 ? args[0] : "local[2]";
        int[] partitions = args.length > 1 ? java.util.Arrays.stream(args, 1, args.length).mapToInt(Integer::parseInt).toArray()
                : new int[] {1, 2, 4};
        long t0 = System.nanoTime();
        SparkConf conf = LocalSpark.conf(master, "solstice-step-timing");
        String extra = System.getProperty("solstice.spark.executorClassPath");
        if (extra != null) {
            conf.set("spark.executor.extraClassPath", extra);
        }
        try (JavaSparkContext sc = LocalSpark.context(conf)) {
            double startup = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "%s: context up in %.2f s%n", master, startup);
            List<List<Example>> split = DigitsOnSpark.split(0, 0.2);
            for (int p : partitions) {
                MLP model = DigitsOnSpark.model(1);
                DataParallel<MLP> dp = DataParallel.create(sc, model, DigitsOnSpark.factory(), DigitsOnSpark.loss());
                DataParallel.PreparedData train = dp.prepare(sc.parallelize(split.get(0), p), Digits.FEATURES);
                dp.train(model, Optim.adam(1e-2), train, TrainOptions.of(1, 64, 0), null); // warm-up: compile, JIT
                long s0 = System.nanoTime();
                var r = dp.train(model, Optim.adam(1e-2), train, TrainOptions.of(2, 64, 0), null);
                double perStep = (System.nanoTime() - s0) / 1e9 / r.steps();
                System.out.printf(Locale.ROOT, "%s, %d partitions: %.1f ms per step (%d steps), %d bytes of parameters"
                        + " per step, %d bytes of structure once%n", master, p, 1e3 * perStep, r.steps(),
                        8L * dp.spec().size(), dp.spec().bytes());
                train.release();
            }
        }
    }
}
