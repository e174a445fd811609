package dev.solstice.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * CTC against a brute-force oracle: the probability of every path over the unpadded frames, summed over the
 * paths that collapse (merge repeats, drop blanks) to the label sequence.
 */
class CtcLossTest {
    static final int B = 4;
    static final int T = 4;
    static final int K = 3;
    static final int N = 2;
    static final int[][] LABELS = {{1, 2}, {1, 1}, {2, 0}, {2, 1}};
    static final double[][] LABEL_PADS = {{0, 0}, {0, 0}, {0, 1}, {0, 0}};
    static final double[][] FRAME_PADS = {{0, 0, 0, 0}, {0, 0, 0, 0}, {0, 0, 0, 1}, {0, 1, 0, 0}};

    static double[] logits() {
        double[] x = new double[B * T * K];
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.sin(1.7 * i + 0.3) * 1.5;
        }
        return x;
    }

    /** -log P(labels) of batch row b, by enumerating the K^frames paths. */
    static double bruteForce(double[] x, int b) {
        List<double[]> probs = new ArrayList<>(); // softmax of each unpadded frame
        for (int t = 0; t < T; t++) {
            if (FRAME_PADS[b][t] == 0) {
                double[] p = new double[K];
                double z = 0;
                for (int k = 0; k < K; k++) {
                    p[k] = Math.exp(x[(b * T + t) * K + k]);
                    z += p[k];
                }
                for (int k = 0; k < K; k++) {
                    p[k] /= z;
                }
                probs.add(p);
            }
        }
        List<Integer> target = new ArrayList<>();
        for (int n = 0; n < N; n++) {
            if (LABEL_PADS[b][n] == 0) {
                target.add(LABELS[b][n]);
            }
        }
        int frames = probs.size();
        double total = 0;
        int[] path = new int[frames];
        for (int code = 0; code < Math.pow(K, frames); code++) {
            int c = code;
            double p = 1;
            for (int t = 0; t < frames; t++) {
                path[t] = c % K;
                c /= K;
                p *= probs.get(t)[path[t]];
            }
            List<Integer> collapsed = new ArrayList<>();
            for (int t = 0; t < frames; t++) {
                if (path[t] != 0 && (t == 0 || path[t] != path[t - 1])) {
                    collapsed.add(path[t]);
                }
            }
            if (collapsed.equals(target)) {
                total += p;
            }
        }
        return -Math.log(total);
    }

    static double bruteSum(double[] x) {
        double s = 0;
        for (int b = 0; b < B; b++) {
            s += bruteForce(x, b);
        }
        return s;
    }

    static Array flat(double[][] v) {
        double[] out = new double[v.length * v[0].length];
        for (int i = 0; i < v.length; i++) {
            System.arraycopy(v[i], 0, out, i * v[0].length, v[0].length);
        }
        return Array.of(out, v.length, v[0].length);
    }

    static UnaryOperator<Array> perExample() {
        int[] labels = new int[B * N];
        for (int b = 0; b < B; b++) {
            System.arraycopy(LABELS[b], 0, labels, b * N, N);
        }
        Array l = Array.of(labels, B, N);
        return x -> Losses.ctcLoss(x, flat(FRAME_PADS), l, flat(LABEL_PADS));
    }

    static UnaryOperator<Array> summedLoss() {
        UnaryOperator<Array> f = perExample();
        return x -> Jnp.sum(f.apply(x));
    }

    @Test
    void valuesGradientsAndHessiansMatchTheBruteForceOracle() {
        double[] x = logits();
        Array xa = Array.of(x, B, T, K);
        double[] loss = perExample().apply(xa).toDoubleArray();
        for (int b = 0; b < B; b++) {
            assertEquals(bruteForce(x, b), loss[b], 1e-12, "row " + b);
        }
        double h = 1e-6;
        UnaryOperator<Array> f = summedLoss();
        double[] g = Jax.grad(f).apply(xa).toDoubleArray();
        for (int i = 0; i < x.length; i++) {
            double[] up = x.clone();
            double[] down = x.clone();
            up[i] += h;
            down[i] -= h;
            assertEquals((bruteSum(up) - bruteSum(down)) / (2 * h), g[i], 1e-7, "gradient " + i);
        }
        double[] hess = Jax.hessian(f).apply(xa).toDoubleArray();
        int n = x.length;
        double hh = 1e-5;
        for (int i = 0; i < n; i += 5) { // every fifth column against central differences of the gradient
            double[] up = x.clone();
            double[] down = x.clone();
            up[i] += hh;
            down[i] -= hh;
            double[] gu = Jax.grad(f).apply(Array.of(up, B, T, K)).toDoubleArray();
            double[] gd = Jax.grad(f).apply(Array.of(down, B, T, K)).toDoubleArray();
            for (int j = 0; j < n; j++) {
                assertEquals((gu[j] - gd[j]) / (2 * hh), hess[j * n + i], 1e-7, "Hessian[" + j + "," + i + "]");
            }
        }
    }

    @Test
    void float32StaysFloat32AndAnImpossibleSequenceStaysFinite() {
        Array x32 = Jnp.astype(Array.of(logits(), B, T, K), DType.FLOAT32);
        Array loss = perExample().apply(x32);
        assertEquals(DType.FLOAT32, loss.dtype());
        assertEquals(DType.FLOAT32, Jax.grad(summedLoss()).apply(x32).dtype());
        for (int b = 0; b < B; b++) {
            assertEquals(bruteForce(logits(), b), loss.toDoubleArray()[b], 1e-5);
        }
        // "1 1" needs three frames (1, blank, 1); two cannot hold it
        Array two = Array.of(new double[] {0.1, 0.2, 0.3, 0.3, 0.2, 0.1}, 1, 2, 3);
        UnaryOperator<Array> f = v -> Jnp.sum(Losses.ctcLoss(v, Jnp.zeros(1, 2), Array.of(new int[] {1, 1}, 1, 2), Jnp.zeros(1, 2)));
        double impossible = f.apply(two).item();
        assertTrue(impossible > 5e4 && Double.isFinite(impossible), "about -logEpsilon: " + impossible);
        for (double v : Jax.grad(f).apply(two).toDoubleArray()) {
            assertTrue(Double.isFinite(v));
        }
    }

    @Test
    void jitGivesTheEagerLossAndGradient() {
        Array xa = Array.of(logits(), B, T, K);
        UnaryOperator<Array> grad = Jax.grad(summedLoss())::apply;
        assertArrayEquals(perExample().apply(xa).toDoubleArray(), Jax.jit(perExample()).apply(xa).toDoubleArray(), 1e-12);
        assertArrayEquals(grad.apply(xa).toDoubleArray(), Jax.jit(grad).apply(xa).toDoubleArray(), 1e-12);
    }

    @Test
    void badInputNamesTheShapes() {
        Array x = Jnp.zeros(2, 3, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Losses.ctcLoss(x, Jnp.zeros(2, 3), Jnp.zeros(2, 2), Jnp.zeros(2, 2)));
        assertTrue(e.getMessage().contains("Losses.ctcLoss") && e.getMessage().contains("labels float64[2,2]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Losses.ctcLoss(x, Jnp.zeros(2, 3), Jnp.zeros(DType.INT32, 2, 2), Jnp.zeros(2, 2), 4, -1e5));
        assertTrue(e.getMessage().contains("blankId 4"), e.getMessage());
    }
}
