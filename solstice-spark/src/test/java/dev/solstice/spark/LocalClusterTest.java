package dev.solstice.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.nn.MLP;
import dev.solstice.optim.Optim;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * On {@code local-cluster[2,1,1024]} (two real executor JVMs, profile {@code local-cluster}): every value
 * crosses a JVM boundary (the broadcast spec and parameters, the blocks, the partition sums), and killing one
 * executor in the middle of training does not change the result: its tasks and cached blocks are recomputed
 * from the lineage, and the driver's sums do not depend on where a partition ran.
 */
@EnabledIfSystemProperty(named = "solstice.spark.localCluster", matches = "true")
class LocalClusterTest {

    private static JavaSparkContext cluster() {
        SparkConf conf = LocalSpark.conf("local-cluster[2,1,1024]", "LocalClusterTest")
                .set("spark.executor.extraClassPath", System.getProperty("solstice.spark.executorClassPath"))
                .set("spark.task.maxFailures", "8");
        return LocalSpark.context(conf);
    }

    private static double[] train(JavaSparkContext sc, List<Example> examples, Runnable midway) {
        MLP m = DataParallelTest.model(12);
        DataParallel<MLP> dp = DataParallel.create(sc, m, () -> DataParallelTest.model(0), DataParallelTest.loss());
        DataParallel.PreparedData data = dp.prepare(sc.parallelize(examples, 4), 5);
        MLP half = dp.train(m, Optim.adam(1e-2), data, TrainOptions.of(1, 20, 3), null).model();
        midway.run();
        // the second half continues from the first half's model with a fresh optimiser (any fixed recipe will do)
        return ModelSpec.flatten(dp.train(half, Optim.adam(1e-2), data, TrainOptions.of(2, 20, 4), null).model());
    }

    /** Kills one executor JVM started by this one (a CoarseGrainedExecutorBackend child process). */
    private static boolean killOneExecutor() {
        Optional<ProcessHandle> executor = ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend")).findFirst();
        executor.ifPresent(ProcessHandle::destroyForcibly);
        return executor.isPresent();
    }

    @Test
    void killingAnExecutorMidRunDoesNotChangeTheResult() {
        List<Example> examples = DataParallelTest.synthetic(160, 17);
        double[] undisturbed;
        double[] disturbed;
        AtomicBoolean killed = new AtomicBoolean();
        try (JavaSparkContext sc = cluster()) {
            undisturbed = train(sc, examples, () -> {});
            disturbed = train(sc, examples, () -> killed.set(killOneExecutor()));
        }
        assertTrue(killed.get(), "an executor JVM was found and killed");
        assertArrayEquals(undisturbed, disturbed);
        // and both equal the in-process local[2] run, whose executors share the driver's objects
        try (JavaSparkContext sc = LocalSpark.context("local[2]", "LocalClusterTest-reference")) {
            assertArrayEquals(undisturbed, train(sc, examples, () -> {}));
        }
    }
}
