package dev.solstice.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Every loss against plain double formulas written here independently of the library (values), central
 * differences of those formulas (gradients) and central differences of the gradient (Hessians), in float64 at
 * ordinary points; float32 keeps float32; the classification losses at logits of +-1e4 in both dtypes.
 */
class LossesTest {
    /** Per-output reference values of a loss, from the flattened inputs of a [rows, cols] case. */
    interface Reference {
        double[] apply(double[] x, double[] t, int cols);
    }

    /** A loss of its first argument with the second fixed, its inputs and its independent reference. */
    record Case(String name, BinaryOperator<Array> loss, double[] x, double[] t, Reference ref) {}

    static final int ROWS = 2;
    static final int COLS = 3;

    static double softplus(double z) {
        return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
    }

    static double logSumExp(double[] x, int from, int n) {
        double m = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            m = Math.max(m, x[from + j]);
        }
        double s = 0;
        for (int j = 0; j < n; j++) {
            s += Math.exp(x[from + j] - m);
        }
        return m + Math.log(s);
    }

    /** An elementwise reference. */
    static Reference each(java.util.function.DoubleBinaryOperator f) {
        return (x, t, cols) -> {
            double[] out = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                out[i] = f.applyAsDouble(x[i], t[i]);
            }
            return out;
        };
    }

    /** A reference that reduces each row of length {@code cols}. */
    interface RowFunction {
        double apply(double[] x, double[] t, int from, int n);
    }

    static Reference rows(RowFunction f) {
        return (x, t, cols) -> {
            double[] out = new double[x.length / cols];
            for (int r = 0; r < out.length; r++) {
                out[r] = f.apply(x, t, r * cols, cols);
            }
            return out;
        };
    }

    static double cosine(double[] a, double[] b, int from, int n, double eps) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int j = from; j < from + n; j++) {
            dot += a[j] * b[j];
            na += a[j] * a[j];
            nb += b[j] * b[j];
        }
        return dot / (Math.sqrt(Math.max(na, eps)) * Math.sqrt(Math.max(nb, eps)));
    }

    static List<Case> cases() {
        double[] logits = {0.3, -1.2, 2.1, -0.4, 0.9, 0.05};
        double[] probs = {0.7, 0.2, 0.1, 0.15, 0.05, 0.8};
        double[] logProbs = {Math.log(0.5), Math.log(0.3), Math.log(0.2), Math.log(0.1), Math.log(0.6), Math.log(0.3)};
        double[] klTargets = {0.6, 0.4, 0.0, 0.25, 0.25, 0.5}; // a zero target: 0 log 0 = 0
        double[] preds = {0.3, -1.9, 2.6, -0.4, 0.95, 0.05};
        double[] targets = {0.1, 0.2, 0.5, 1.1, 0.2, -1.3}; // errors 0.2, -2.1, 2.1, -1.5, 0.75, 1.35
        double[] signs = {1, -1, 1, -1, 1, -1}; // margins p*t: 0.3, 1.9, 2.6, 0.4, 0.95, -0.05 (none at the kink 1)
        double[] small = {0.1, -0.2, 0.15, 2.0, 1.0, -0.5}; // the first row's squared norm 0.0725 < epsilon 0.5
        return List.of(
                new Case("softmaxCrossEntropy", Losses::softmaxCrossEntropy, logits, probs, rows((x, t, f, n) -> {
                    double lse = logSumExp(x, f, n);
                    double s = 0;
                    for (int j = f; j < f + n; j++) {
                        s += t[j] * (lse - x[j]);
                    }
                    return s;
                })),
                new Case("sigmoidBinaryCrossEntropy", Losses::sigmoidBinaryCrossEntropy, logits, probs,
                        each((x, t) -> t * softplus(-x) + (1 - t) * softplus(x))),
                new Case("hingeLoss", Losses::hingeLoss, preds, signs, each((x, t) -> Math.max(0, 1 - x * t))),
                new Case("klDivergence", Losses::klDivergence, logProbs, klTargets, rows((x, t, f, n) -> {
                    double s = 0;
                    for (int j = f; j < f + n; j++) {
                        s += t[j] == 0 ? 0 : t[j] * (Math.log(t[j]) - x[j]);
                    }
                    return s;
                })),
                new Case("klDivergenceWithLogTargets", Losses::klDivergenceWithLogTargets, logProbs,
                        new double[] {-0.2, -2.0, -3.0, -1.0, -0.9, -1.6}, rows((x, t, f, n) -> {
                            double s = 0;
                            for (int j = f; j < f + n; j++) {
                                s += Math.exp(t[j]) * (t[j] - x[j]);
                            }
                            return s;
                        })),
                new Case("squaredError", Losses::squaredError, preds, targets, each((x, t) -> (x - t) * (x - t))),
                new Case("l2Loss", Losses::l2Loss, preds, targets, each((x, t) -> 0.5 * (x - t) * (x - t))),
                new Case("huberLoss", (p, t) -> Losses.huberLoss(p, t, 1.0), preds, targets, each((x, t) -> {
                    double e = Math.abs(x - t);
                    return e <= 1 ? 0.5 * e * e : e - 0.5;
                })),
                new Case("huberLoss(delta 2)", (p, t) -> Losses.huberLoss(p, t, 2.0), preds, targets, each((x, t) -> {
                    double e = Math.abs(x - t);
                    return e <= 2 ? 0.5 * e * e : 2 * (e - 1);
                })),
                new Case("logCosh", Losses::logCosh, preds, targets, each((x, t) -> Math.log(Math.cosh(x - t)))),
                new Case("cosineSimilarity", Losses::cosineSimilarity, preds, targets,
                        rows((x, t, f, n) -> cosine(x, t, f, n, 0))),
                new Case("cosineDistance(epsilon 0.5)", (p, t) -> Losses.cosineDistance(p, t, 0.5), small, targets,
                        rows((x, t, f, n) -> 1 - cosine(x, t, f, n, 0.5))));
    }

    static Array arr(double[] v, DType dtype) {
        return Jnp.astype(Array.of(v, ROWS, COLS), dtype);
    }

    static double sumRef(Case c, double[] x) {
        double s = 0;
        for (double v : c.ref.apply(x, c.t, COLS)) {
            s += v;
        }
        return s;
    }

    static UnaryOperator<Array> summed(Case c) {
        Array t = arr(c.t, DType.FLOAT64);
        return x -> Jnp.sum(c.loss.apply(x, t));
    }

    static void assertClose(double[] expected, double[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(expected[i] - actual[i]);
            assertTrue(err <= tol * Math.max(1, Math.abs(expected[i])),
                    what + "[" + i + "]: expected " + expected[i] + ", got " + actual[i]);
        }
    }

    @Test
    void valuesMatchTheFormulasInFloat64() {
        for (Case c : cases()) {
            Array out = c.loss.apply(arr(c.x, DType.FLOAT64), arr(c.t, DType.FLOAT64));
            assertEquals(DType.FLOAT64, out.dtype(), c.name);
            double[] ref = c.ref.apply(c.x, c.t, COLS);
            int[] shape = ref.length == c.x.length ? new int[] {ROWS, COLS} : new int[] {ROWS};
            assertArrayEquals(shape, out.shape(), c.name + ": per example, no mean");
            assertClose(ref, out.toDoubleArray(), 1e-14, c.name);
        }
    }

    @Test
    void gradientsMatchCentralDifferencesOfTheFormulas() {
        double h = 1e-6;
        for (Case c : cases()) {
            double[] g = Jax.grad(summed(c)).apply(arr(c.x, DType.FLOAT64)).toDoubleArray();
            double[] fd = new double[c.x.length];
            for (int i = 0; i < fd.length; i++) {
                double[] up = c.x.clone();
                double[] down = c.x.clone();
                up[i] += h;
                down[i] -= h;
                fd[i] = (sumRef(c, up) - sumRef(c, down)) / (2 * h);
            }
            assertClose(fd, g, 1e-7, c.name + " gradient");
        }
    }

    @Test
    void hessiansMatchCentralDifferencesOfTheGradient() {
        double h = 1e-5;
        for (Case c : cases()) {
            UnaryOperator<Array> f = summed(c);
            Function1 grad = x -> Jax.grad(f).apply(arr(x, DType.FLOAT64)).toDoubleArray();
            double[] hess = Jax.hessian(f).apply(arr(c.x, DType.FLOAT64)).toDoubleArray();
            int n = c.x.length;
            assertEquals(n * n, hess.length, c.name);
            for (int i = 0; i < n; i++) {
                double[] up = c.x.clone();
                double[] down = c.x.clone();
                up[i] += h;
                down[i] -= h;
                double[] gu = grad.apply(up);
                double[] gd = grad.apply(down);
                for (int j = 0; j < n; j++) {
                    double fd = (gu[j] - gd[j]) / (2 * h);
                    assertEquals(fd, hess[j * n + i], 1e-7, c.name + " Hessian[" + j + "," + i + "]");
                }
            }
        }
    }

    interface Function1 {
        double[] apply(double[] x);
    }

    @Test
    void float32StaysFloat32InValueAndGradientWhateverTheSecondArgumentsDtype() {
        for (Case c : cases()) {
            Array t64 = arr(c.t, DType.FLOAT64); // float64 labels must not promote float32 logits
            UnaryOperator<Array> f = x -> Jnp.sum(c.loss.apply(x, t64));
            Array x32 = arr(c.x, DType.FLOAT32);
            Array out = c.loss.apply(x32, t64);
            assertEquals(DType.FLOAT32, out.dtype(), c.name);
            assertClose(c.ref.apply(c.x, c.t, COLS), out.toDoubleArray(), 2e-6, c.name + " float32");
            assertEquals(DType.FLOAT32, Jax.grad(f).apply(x32).dtype(), c.name + " gradient");
            assertEquals(DType.FLOAT32, Jax.hessian(f).apply(x32).dtype(), c.name + " Hessian");
        }
    }

    @Test
    void integerLabelsAgreeWithOneHotLabelsAndOptaxsPublishedExample() {
        // optax's docstring example: softmax_cross_entropy_with_integer_labels gives [0.2761297 2.951799]
        Array logits = Array.of(new float[] {1.2f, -0.8f, -0.5f, 0.9f, -1.2f, 1.1f}, 2, 3);
        Array loss = Losses.softmaxCrossEntropyWithIntegerLabels(logits, Array.of(0, 1));
        assertEquals(DType.FLOAT32, loss.dtype());
        assertArrayEquals(new float[] {0.2761297f, 2.951799f}, loss.toFloatArray(), 1e-6f);
        Array oneHot = Array.of(new float[] {1, 0, 0, 0, 1, 0}, 2, 3);
        assertArrayEquals(loss.toFloatArray(), Losses.softmaxCrossEntropy(logits, oneHot).toFloatArray(), 1e-6f);

        double[] x = {0.3, -1.2, 2.1, -0.4, 0.9, 0.05};
        Array labels = Array.of(2, 0);
        UnaryOperator<Array> f = l -> Jnp.sum(Losses.softmaxCrossEntropyWithIntegerLabels(l, labels));
        UnaryOperator<Array> g = l -> Jnp.sum(Losses.softmaxCrossEntropy(l, Array.of(new double[] {0, 0, 1, 1, 0, 0}, 2, 3)));
        Array xa = arr(x, DType.FLOAT64);
        assertClose(Jax.grad(g).apply(xa).toDoubleArray(), Jax.grad(f).apply(xa).toDoubleArray(), 1e-15, "gradient");
        // the Hessian of each row is diag(p) - p p^T, p = softmax of the row
        double[] hess = Jax.hessian(f).apply(xa).toDoubleArray();
        for (int r = 0; r < ROWS; r++) {
            double lse = logSumExp(x, r * COLS, COLS);
            for (int i = 0; i < COLS; i++) {
                for (int j = 0; j < COLS; j++) {
                    double pi = Math.exp(x[r * COLS + i] - lse);
                    double pj = Math.exp(x[r * COLS + j] - lse);
                    double expected = (i == j ? pi : 0) - pi * pj;
                    int a = r * COLS + i;
                    int b = r * COLS + j;
                    assertEquals(expected, hess[a * ROWS * COLS + b], 1e-15, "H[" + a + "," + b + "]");
                }
            }
        }
    }

    @Test
    void integerLabelsKeepFloat32PrecisionAtLargeLogitsAndGiveNaNOutOfRange() {
        // logits near 1e4 in float32: log(1 + e) needs the shift before the label's logit is taken
        Array logits = Array.of(new float[] {10001f, 10000f}, 1, 2);
        float loss = Losses.softmaxCrossEntropyWithIntegerLabels(logits, Array.of(1)).toFloatArray()[0];
        assertEquals(Math.log1p(Math.E), loss, 1e-6);
        Array bad = Losses.softmaxCrossEntropyWithIntegerLabels(Array.of(new double[] {1, 2, 3, 4}, 2, 2), Array.of(2, -1));
        assertTrue(Double.isNaN(bad.toDoubleArray()[0]) && Double.isNaN(bad.toDoubleArray()[1]), "out-of-range labels give NaN");
    }

    @Test
    void perExampleLossesWorkUnderVmapAndJit() {
        double[] x = {0.3, -1.2, 2.1, -0.4, 0.9, 0.05};
        Array xa = arr(x, DType.FLOAT64);
        Array labels = Array.of(1, 2);
        Array direct = Losses.softmaxCrossEntropyWithIntegerLabels(xa, labels);
        java.util.function.Function<List<Array>, Array> perExample =
                xy -> Losses.softmaxCrossEntropyWithIntegerLabels(xy.get(0), xy.get(1));
        Array mapped = Jax.vmap(perExample).apply(List.of(xa, labels));
        assertClose(direct.toDoubleArray(), mapped.toDoubleArray(), 1e-15, "vmap");
        UnaryOperator<Array> f = l -> Jnp.mean(Losses.softmaxCrossEntropyWithIntegerLabels(l, labels));
        UnaryOperator<Array> grad = Jax.grad(f)::apply;
        assertClose(grad.apply(xa).toDoubleArray(), Jax.jit(grad).apply(xa).toDoubleArray(), 1e-15, "jit");
    }
}
