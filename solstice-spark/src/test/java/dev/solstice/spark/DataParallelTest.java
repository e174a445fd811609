package dev.solstice.spark;

import dev.solstice.curvature.TraceEstimate;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Eqx;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.Nn;
import dev.solstice.Prng;
import dev.solstice.nn.MLP;
import dev.solstice.optim.Losses;
import dev.solstice.optim.Optim;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data-parallel training on {@code local[2]} with 4 partitions against single-machine computation written
 * independently here (one vmap over all examples, no Spark): a float64 model, so sums in another order agree to
 * 1e-12; bitwise reproducibility; resuming from a checkpoint; curvature; bad rows.
 */
class DataParallelTest {
    private static final int FEATURES = 5;
    private static final int CLASSES = 3;
    private static JavaSparkContext sc;
    private static List<Example> examples;

    @BeforeAll
    static void start() {
        sc = LocalSpark.context("local[2]", "DataParallelTest");
        examples = synthetic(203, 11);
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    /** Gaussian features; the class is the arg-max of a fixed linear map plus noise. */
    static List<Example> synthetic(int n, long seed) {
        Random r = new Random(seed);
        double[][] w = new double[CLASSES][FEATURES];
        for (double[] row : w) {
            for (int j = 0; j < FEATURES; j++) {
                row[j] = r.nextGaussian();
            }
        }
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double[] x = new double[FEATURES];
            for (int j = 0; j < FEATURES; j++) {
                x[j] = r.nextGaussian();
            }
            int best = 0;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < CLASSES; c++) {
                double s = 0.3 * r.nextGaussian();
                for (int j = 0; j < FEATURES; j++) {
                    s += w[c][j] * x[j];
                }
                if (s > bestScore) {
                    bestScore = s;
                    best = c;
                }
            }
            out.add(Example.labelled(x, best));
        }
        return out;
    }

    static MLP model(long seed) {
        return new MLP(FEATURES, CLASSES, 8, 1, Jnp::tanh, x -> x, true, true, DType.FLOAT64, Prng.key(seed));
    }

    static PerExampleLoss<MLP> loss() {
        return (m, x, y) -> Losses.softmaxCrossEntropyWithIntegerLabels(m.apply(x),
                Jnp.reshape(y, new int[0]).astype(DType.INT32));
    }

    static DataParallel<MLP> runner(MLP m) {
        return DataParallel.create(sc, m, () -> model(0), loss());
    }

    /** The mean loss over all examples on this machine: one vmap, no partitions. */
    static Function<MLP, Array> localMeanLoss(List<Example> ex) {
        int n = ex.size();
        double[] x = new double[n * FEATURES];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(ex.get(i).features(), 0, x, i * FEATURES, FEATURES);
            y[i] = (int) ex.get(i).targets()[0];
        }
        Array xs = Array.of(x, n, FEATURES);
        Array ys = Array.of(y, n);
        return m -> {
            Function<List<Array>, Array> per = xy -> Losses.softmaxCrossEntropyWithIntegerLabels(m.apply(xy.get(0)), xy.get(1));
            return Jnp.mean(Jax.vmap(per).apply(List.of(xs, ys)));
        };
    }

    static double[] flat(Object tree) {
        return ModelSpec.flatten(tree);
    }

    static double maxAbsDiff(double[] a, double[] b) {
        assertEquals(a.length, b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    @Test
    void theDistributedGradientIsTheSingleMachineGradient() {
        MLP m = model(3);
        DataParallel<MLP> dp = runner(m);
        DataParallel.PreparedData data = dp.prepare(sc.parallelize(examples, 4), FEATURES);
        assertArrayEquals(new long[] {50, 51, 51, 51}, data.partitionSizes());
        Gradient<MLP> g = dp.gradient(m, data);
        Function<MLP, Array> local = localMeanLoss(examples);
        assertEquals(examples.size(), g.count());
        assertEquals(local.apply(m).item(), g.loss(), 1e-12);
        double diff = maxAbsDiff(flat(Eqx.filterGrad(local).apply(m)), flat(g.grad()));
        assertTrue(diff <= 1e-12, "max |distributed - local| = " + diff);
        data.release();
    }

    @Test
    void trainingIsBitwiseReproducibleAndResumesFromACheckpoint(@TempDir Path dir) {
        MLP m = model(4);
        DataParallel<MLP> dp = runner(m);
        DataParallel.PreparedData data = dp.prepare(sc.parallelize(examples, 4), FEATURES);
        TrainOptions two = TrainOptions.of(2, 32, 9);
        var a = dp.train(m, Optim.adam(1e-2), data, two, null);
        var b = dp.train(m, Optim.adam(1e-2), data, two, null);
        assertArrayEquals(flat(a.model()), flat(b.model()), "two runs must agree bit for bit");
        assertEquals(14, a.steps(), "7 steps of 32 per epoch over 203 examples");
        assertTrue(a.epochLoss()[1] < a.epochLoss()[0], "the loss falls: " + a.epochLoss()[0] + " -> " + a.epochLoss()[1]);
        // stop after 5 steps (a checkpoint every 5), then resume from the checkpoint to the end
        Path ckpt = dir.resolve("ckpt.safetensors");
        var first = dp.train(m, Optim.adam(1e-2), data, new TrainOptions(2, 32, 9, 5, ckpt), null);
        assertArrayEquals(flat(a.model()), flat(first.model()), "checkpointing changes nothing");
        var resumed = dp.train(model(99), Optim.adam(1e-2), data, two, dir.resolve("ckpt.safetensors"));
        // the last checkpoint was written after step 10: the resumed run redoes steps 11-14
        assertArrayEquals(flat(a.model()), flat(resumed.model()), "a resumed run ends where the uninterrupted one does");
        assertThrows(IllegalArgumentException.class, () -> dp.train(m, Optim.adam(1e-2), data, two, dir.resolve("none")));
        data.release();
    }

    @Test
    void distributedCurvatureEqualsTheSingleMachineOne() {
        MLP m = model(5);
        DataParallel<MLP> dp = runner(m);
        DataParallel.PreparedData data = dp.prepare(sc.parallelize(examples, 4), FEATURES);
        Function<MLP, Array> local = localMeanLoss(examples);
        MLP v = model(6);
        double diff = maxAbsDiff(flat(Jax.hvp(local, m, v)), flat(dp.hvp(m, data, v)));
        assertTrue(diff <= 1e-12, "hvp: max |distributed - local| = " + diff);
        Array key = Prng.key(2);
        TraceEstimate t = dp.hutchinsonTrace(m, data, 6, key);
        double[][] probes = dev.solstice.curvature.Curvature.rademacherProbes(key, 6, dp.spec().size());
        double sum = 0;
        for (double[] p : probes) {
            double[] hv = flat(Jax.hvp(local, m, dp.spec().unflatten(p)));
            for (int i = 0; i < p.length; i++) {
                sum += p[i] * hv[i];
            }
        }
        assertEquals(sum / 6, t.mean(), 1e-11);
        assertEquals(6, t.probes());
        data.release();
    }

    @Test
    void aRowOfTheWrongWidthIsNamedByPartitionAndRow() {
        List<Example> bad = new ArrayList<>(examples.subList(0, 40));
        bad.set(27, Example.labelled(new double[FEATURES - 1], 0));
        DataParallel<MLP> dp = runner(model(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> dp.prepare(sc.parallelize(bad, 4), FEATURES));
        // 40 rows in 4 partitions of 10: row 27 is row 7 of partition 2
        assertTrue(e.getMessage().contains("partition 2, row 7: 4 features, expected 5"), e.getMessage());
    }
}
