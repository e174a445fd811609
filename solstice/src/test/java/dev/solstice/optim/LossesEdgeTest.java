package dev.solstice.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Losses at logits and errors of +-1e4 in float32 and float64 (finite values, gradients and Hessians equal to
 * hand-computed limits), and the errors bad input raises.
 */
class LossesEdgeTest {
    static final double BIG = 1e4;
    static final DType[] DTYPES = {DType.FLOAT32, DType.FLOAT64};

    /**
     * The loss summed over its outputs, evaluated at {@code x} of a dtype: its per-example values, gradient and
     * Hessian must match the expected values, with every Hessian entry finite and 0 (all these points saturate).
     */
    static void check(String name, DType dtype, UnaryOperator<Array> perExample, double[] x, int[] shape,
            double[] values, double[] gradient) {
        Array xa = Jnp.astype(Array.of(x, shape), dtype);
        UnaryOperator<Array> summed = v -> Jnp.sum(perExample.apply(v));
        Array out = perExample.apply(xa);
        Array g = Jax.grad(summed).apply(xa);
        Array h = Jax.hessian(summed).apply(xa);
        String what = name + " " + dtype;
        assertEquals(dtype, out.dtype(), what);
        assertEquals(dtype, g.dtype(), what);
        double tol = dtype == DType.FLOAT32 ? 1e-3 : 1e-9; // float32 spacing at 1e4 is about 1e-3
        assertArrayEquals(values, out.toDoubleArray(), tol, what + " values");
        assertArrayEquals(gradient, g.toDoubleArray(), 1e-7, what + " gradient");
        for (double v : h.toDoubleArray()) {
            assertEquals(0.0, v, 1e-7, what + " Hessian");
        }
    }

    @Test
    void softmaxCrossEntropyAtExtremeLogits() {
        double[] logits = {BIG, -BIG, 0, -BIG, -BIG, BIG};
        double[] values = {2 * BIG, 2 * BIG}; // logsumexp is the max; the label's logit is -1e4
        double[] gradient = {1, -1, 0, -1, 0, 1}; // softmax (one-hot at the max) minus the labels
        for (DType d : DTYPES) {
            Array oneHot = Array.of(new double[] {0, 1, 0, 1, 0, 0}, 2, 3);
            check("softmaxCrossEntropy", d, l -> Losses.softmaxCrossEntropy(l, oneHot), logits, new int[] {2, 3}, values, gradient);
            Array labels = Array.of(1, 0);
            check("softmaxCrossEntropyWithIntegerLabels", d, l -> Losses.softmaxCrossEntropyWithIntegerLabels(l, labels),
                    logits, new int[] {2, 3}, values, gradient);
        }
    }

    @Test
    void sigmoidBinaryCrossEntropyAtExtremeLogits() {
        double[] logits = {BIG, BIG, BIG, -BIG, -BIG, -BIG};
        Array labels = Array.of(1, 0, 0.5, 1, 0, 0.5);
        double[] values = {0, BIG, BIG / 2, BIG, 0, BIG / 2};
        double[] gradient = {0, 1, 0.5, -1, 0, -0.5}; // sigmoid(x) - label
        for (DType d : DTYPES) {
            check("sigmoidBinaryCrossEntropy", d, l -> Losses.sigmoidBinaryCrossEntropy(l, labels), logits,
                    new int[] {6}, values, gradient);
        }
    }

    @Test
    void regressionLossesAtLargeErrors() {
        double[] x = {BIG, -BIG};
        Array zero = Array.of(0.0, 0.0);
        for (DType d : DTYPES) {
            check("logCosh", d, p -> Losses.logCosh(p, zero), x, new int[] {2},
                    new double[] {BIG - Math.log(2), BIG - Math.log(2)}, new double[] {1, -1});
            check("logCosh (no targets)", d, Losses::logCosh, x, new int[] {2},
                    new double[] {BIG - Math.log(2), BIG - Math.log(2)}, new double[] {1, -1});
            check("huberLoss", d, p -> Losses.huberLoss(p, zero, 1.0), x, new int[] {2},
                    new double[] {BIG - 0.5, BIG - 0.5}, new double[] {1, -1});
        }
    }

    @Test
    void logCoshIsTwiceDifferentiableAtZero() {
        UnaryOperator<Array> f = e -> Jnp.sum(Losses.logCosh(e));
        Array zero = Array.of(0.0);
        assertArrayEquals(new double[] {0}, Jax.grad(f).apply(zero).toDoubleArray(), 0.0);
        assertArrayEquals(new double[] {1}, Jax.hessian(f).apply(zero).toDoubleArray(), 1e-15); // 1 - tanh(0)^2
    }

    @Test
    void klDivergenceWithAZeroTargetHasFiniteGradientsInBothArguments() {
        Array logPredictions = Array.of(-BIG, 0);
        Array targets = Array.of(0.0, 1.0);
        assertArrayEquals(new double[] {0}, Losses.klDivergence(Jnp.reshape(logPredictions, 1, 2), Jnp.reshape(targets, 1, 2)).toDoubleArray(), 0.0);
        UnaryOperator<Array> inTargets = t -> Losses.klDivergence(logPredictions, t);
        for (double v : Jax.grad(inTargets).apply(targets).toDoubleArray()) {
            assertTrue(Double.isFinite(v), "d/dtargets finite at a zero target");
        }
        UnaryOperator<Array> inPredictions = p -> Losses.klDivergence(p, targets);
        assertArrayEquals(new double[] {0, -1}, Jax.grad(inPredictions).apply(logPredictions).toDoubleArray(), 0.0);
    }

    static void assertMessage(Runnable call, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message '" + e.getMessage() + "' names " + p);
        }
    }

    @Test
    void badInputNamesTheLossTheShapesAndTheDtypes() {
        Array logits = Jnp.zeros(DType.FLOAT32, 3, 5);
        assertMessage(() -> Losses.softmaxCrossEntropy(logits, Jnp.zeros(DType.FLOAT32, 3, 4)),
                "Losses.softmaxCrossEntropy", "float32[3,4]", "float32[3,5]");
        assertMessage(() -> Losses.softmaxCrossEntropyWithIntegerLabels(logits, Jnp.zeros(DType.FLOAT32, 3)),
                "Losses.softmaxCrossEntropyWithIntegerLabels", "int32[3]", "float32[3]", "float32[3,5]");
        assertMessage(() -> Losses.softmaxCrossEntropyWithIntegerLabels(logits, Array.of(0, 1, 2, 3)),
                "Losses.softmaxCrossEntropyWithIntegerLabels", "int32[4]", "float32[3,5]");
        assertMessage(() -> Losses.sigmoidBinaryCrossEntropy(Array.of(1, 2), Array.of(1, 0)),
                "Losses.sigmoidBinaryCrossEntropy", "logits must be floating", "int32[2]");
        assertMessage(() -> Losses.softmaxCrossEntropy(Array.scalar(1.0), Array.scalar(1.0)),
                "Losses.softmaxCrossEntropy", "(class) axis", "float64[]");
        assertMessage(() -> Losses.squaredError(Array.of(1.0, 2.0, 3.0), Array.of(1.0, 2.0, 3.0, 4.0)),
                "Losses.squaredError", "float64[4]", "float64[3]");
        assertMessage(() -> Losses.huberLoss(Array.of(1.0), Array.of(0.0), 0.0), "Losses.huberLoss", "delta");
        assertMessage(() -> Losses.cosineSimilarity(Array.of(1.0), Array.of(0.0), -1), "Losses.cosineSimilarity", "epsilon");
    }

    @Test
    void targetsThatBroadcastAreAccepted() {
        Array p = Array.of(new double[] {1, 2, 3, 4}, 2, 2);
        assertArrayEquals(new double[] {0, 1, 4, 9}, Losses.squaredError(p, Array.scalar(1.0)).toDoubleArray());
        assertArrayEquals(new double[] {0, 0, 4, 4}, Losses.squaredError(p, Array.of(1.0, 2.0)).toDoubleArray());
    }
}
