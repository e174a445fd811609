package dev.solstice.spark;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jnp;
import dev.solstice.Nn;
import dev.solstice.Prng;
import dev.solstice.data.Digits;
import dev.solstice.nn.MLP;
import dev.solstice.optim.Losses;
import java.util.ArrayList;
import java.util.List;

/**
 * The digits classifier of the local demo, set up for Spark: the same 64-64-10 relu MLP (float32), its
 * per-example softmax cross-entropy and accuracy, and the data as {@link Example}s split into training and
 * test sets.
 */
public final class DigitsOnSpark {
    private DigitsOnSpark() {}

    /** Hidden width, as the local demo's. */
    public static final int WIDTH = 64;

    /** A fresh model from {@code seed}; the factory executors use builds the same structure. */
    public static MLP model(long seed) {
        return new MLP(Digits.FEATURES, Digits.CLASSES, WIDTH, 1, Nn::relu, Prng.key(seed));
    }

    /** Builds a model of the demo's structure (values replaced by the shipped ones). */
    public static ModelFactory<MLP> factory() {
        return () -> model(0);
    }

    /** The softmax cross-entropy of one example (targets: the class index). */
    public static PerExampleLoss<MLP> loss() {
        return (m, x, y) -> Losses.softmaxCrossEntropyWithIntegerLabels(m.apply(x), label(y));
    }

    /** 1 when the arg-max of the logits is the label, else 0 (float64). */
    public static PerExampleLoss<MLP> accuracy() {
        return (m, x, y) -> Jnp.equal(Jnp.argmax(m.apply(x)), label(y)).astype(DType.FLOAT64);
    }

    private static Array label(Array targets) {
        return Jnp.reshape(targets, new int[0]).astype(DType.INT32);
    }

    /**
     * The digits as examples, split by a permutation drawn from {@code seed}: the first {@code testFraction} of
     * it is the test set.
     *
     * @return {training, test}
     */
    public static List<List<Example>> split(long seed, double testFraction) {
        Digits all = Digits.load();
        int[] perm = Prng.permutation(Prng.key(seed), all.size()).toIntArray();
        int nTest = (int) Math.round(all.size() * testFraction);
        double[] pixels = all.images().astype(DType.FLOAT64).toDoubleArray();
        int[] labels = all.labelArray();
        List<Example> train = new ArrayList<>();
        List<Example> test = new ArrayList<>();
        for (int i = 0; i < perm.length; i++) {
            int r = perm[i];
            double[] f = new double[Digits.FEATURES];
            System.arraycopy(pixels, r * Digits.FEATURES, f, 0, Digits.FEATURES);
            (i < nTest ? test : train).add(Example.labelled(f, labels[r]));
        }
        return List.of(train, test);
    }
}
