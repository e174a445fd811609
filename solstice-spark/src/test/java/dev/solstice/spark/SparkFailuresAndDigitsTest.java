package dev.solstice.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.nn.MLP;
import dev.solstice.optim.Optim;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * On {@code local[2,4]} (tasks retried up to 4 times): a task that throws is retried and the run ends bit for
 * bit where an undisturbed one does (the optimiser state lives on the driver and a step is a pure function of
 * the broadcast parameters and the partition); and bin/spark-demo's job reaches the README's accuracy with the
 * local demo's number of epochs, its distributed Hutchinson trace equal to the local one with the same probes.
 */
class SparkFailuresAndDigitsTest {
    private static JavaSparkContext sc;
    /** Failures still to inject (static: local mode runs tasks in this JVM). */
    static final AtomicInteger FAILURES_LEFT = new AtomicInteger();

    @BeforeAll
    static void start() {
        sc = LocalSpark.context("local[2,4]", "SparkFailuresAndDigitsTest");
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    @Test
    void aFailedTaskIsRetriedWithoutChangingTheResult() {
        List<Example> examples = DataParallelTest.synthetic(120, 5);
        PerExampleLoss<MLP> plain = DataParallelTest.loss();
        PerExampleLoss<MLP> flaky = (m, x, y) -> {
            if (FAILURES_LEFT.getAndDecrement() > 0) {
                throw new IllegalStateException("injected task failure");
            }
            return plain.apply(m, x, y);
        };
        MLP m = DataParallelTest.model(8);
        TrainOptions o = TrainOptions.of(1, 40, 3);
        FAILURES_LEFT.set(0);
        DataParallel<MLP> clean = DataParallel.create(sc, m, () -> DataParallelTest.model(0), plain);
        var expected = clean.train(m, Optim.adam(1e-2), clean.prepare(sc.parallelize(examples, 4), 5), o, null);
        FAILURES_LEFT.set(2);
        DataParallel<MLP> disturbed = DataParallel.create(sc, m, () -> DataParallelTest.model(0), flaky);
        var actual = disturbed.train(m, Optim.adam(1e-2), disturbed.prepare(sc.parallelize(examples, 4), 5), o, null);
        assertTrue(FAILURES_LEFT.get() < 0, "the injected failures happened");
        assertArrayEquals(ModelSpec.flatten(expected.model()), ModelSpec.flatten(actual.model()));
    }

    @Test
    void theDigitsDemoReachesTheReadmesAccuracy() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        SparkDemo.Result r = SparkDemo.run(sc, 4, 30, new PrintStream(buf, true, StandardCharsets.UTF_8));
        String text = buf.toString(StandardCharsets.UTF_8);
        assertTrue(r.testAccuracy() >= 0.95, text);
        assertTrue(r.gradientDifference() < 1e-6, "float32 model: partition sums vs one sum; " + text);
        assertEquals(r.localTrace().mean(), r.distributedTrace().mean(), 1e-4 * Math.abs(r.localTrace().mean()), text);
        assertTrue(text.contains("final test accuracy: "), text);
        assertTrue(text.contains("data-parallel gradient max abs difference vs single machine: "), text);
    }
}
