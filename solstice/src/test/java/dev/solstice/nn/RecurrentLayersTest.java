package dev.solstice.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Eqx;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.Prng;
import dev.solstice.testing.Numeric;
import dev.solstice.tree.Tree;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** GroupNorm, GRUCell and LSTMCell against their equations in double loops, finite differences and vmap. */
class RecurrentLayersTest {

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** {@code W[rows, cols] @ x} in double. */
    private static double[] mv(double[] w, int rows, int cols, double[] x) {
        double[] y = new double[rows];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                y[i] += w[i * cols + j] * x[j];
            }
        }
        return y;
    }

    // ------------------------------------------------------------------ GroupNorm

    private static double[] groupNormLoop(double[] x, int channels, int groups, double eps, double[] w, double[] b) {
        int per = x.length / channels;
        int cpg = channels / groups;
        double[] out = new double[x.length];
        for (int g = 0; g < groups; g++) {
            int from = g * cpg * per;
            int to = (g + 1) * cpg * per;
            double mean = 0;
            for (int i = from; i < to; i++) {
                mean += x[i];
            }
            mean /= to - from;
            double var = 0;
            for (int i = from; i < to; i++) {
                var += (x[i] - mean) * (x[i] - mean);
            }
            var /= to - from;
            for (int i = from; i < to; i++) {
                int c = i / per;
                double v = (x[i] - mean) / Math.sqrt(var + eps);
                out[i] = w == null ? v : v * w[c] + b[c];
            }
        }
        return out;
    }

    @Test
    void groupNormMatchesTheLoopWithAndWithoutAffine() {
        Array x = Prng.normal(Prng.key(1), new int[] {6, 3, 2}, DType.FLOAT64);
        GroupNorm plain = new GroupNorm(3, 6, 1e-5, false, DType.FLOAT64);
        assertNull(plain.weight());
        assertArrayEquals(groupNormLoop(x.toDoubleArray(), 6, 3, 1e-5, null, null), plain.apply(x).toDoubleArray(), 1e-12);
        GroupNorm init = new GroupNorm(2, 6, 1e-3, true, DType.FLOAT64);
        assertArrayEquals(new double[] {1, 1, 1, 1, 1, 1}, init.weight().toDoubleArray());
        assertArrayEquals(new double[6], init.bias().toDoubleArray());
        double[] w = {0.5, -1, 2, 1.5, 0.25, 3};
        double[] b = {0.1, 0.2, -0.3, 0.4, -0.5, 0.6};
        GroupNorm affine = new GroupNorm(Array.of(w), Array.of(b), 2, 6, 1e-3, true);
        assertArrayEquals(groupNormLoop(x.toDoubleArray(), 6, 2, 1e-3, w, b), affine.apply(x).toDoubleArray(), 1e-12);
        // a channels-only example, and instance norm (groups = channels) on [4, 5]
        Array v = Prng.normal(Prng.key(2), new int[] {4}, DType.FLOAT64);
        assertArrayEquals(groupNormLoop(v.toDoubleArray(), 4, 2, 1e-5, null, null),
                new GroupNorm(2, 4, 1e-5, false, DType.FLOAT64).apply(v).toDoubleArray(), 1e-12);
        Array u = Prng.normal(Prng.key(3), new int[] {4, 5}, DType.FLOAT64);
        assertArrayEquals(groupNormLoop(u.toDoubleArray(), 4, 4, 1e-5, null, null),
                new GroupNorm(4, 4, 1e-5, true, DType.FLOAT64).apply(u).toDoubleArray(), 1e-12);
        assertEquals(DType.FLOAT32, new GroupNorm(1, 3).apply(Jnp.ones(DType.FLOAT32, 3, 2)).dtype());
    }

    @Test
    void groupNormGradientsAndBatching() {
        GroupNorm gn = new GroupNorm(Array.of(0.5, -1.0, 2.0, 1.5), Array.of(0.1, 0.2, -0.3, 0.4), 2, 4, 1e-5, true);
        Array xs = Prng.normal(Prng.key(4), new int[] {3, 4, 5}, DType.FLOAT64);
        Array c = Prng.normal(Prng.key(5), new int[] {3, 4, 5}, DType.FLOAT64);
        Function<Array, Array> loss = z -> Jnp.sum(Jnp.multiply(Jnp.square(Jax.vmap(gn::apply).apply(z)), c));
        Array g = Jax.grad(loss).apply(xs);
        Array dir = Prng.normal(Prng.key(6), xs.shape(), DType.FLOAT64);
        assertEquals(Numeric.centralDifference(loss, xs, dir, 1e-4)[0], Numeric.dot(g, dir), 1e-7);
        GroupNorm gw = Eqx.filterGrad((GroupNorm m) -> Jnp.sum(Jnp.multiply(Jnp.square(Jax.vmap(m::apply).apply(xs)), c))).apply(gn);
        Array dw = Prng.normal(Prng.key(7), new int[] {4}, DType.FLOAT64);
        double fd = Numeric.centralDifference(w -> Jnp.sum(Jnp.multiply(Jnp.square(Jax.vmap(
                new GroupNorm(w, gn.bias(), 2, 4, 1e-5, true)::apply).apply(xs)), c)), gn.weight(), dw, 1e-4)[0];
        assertEquals(fd, Numeric.dot(gw.weight(), dw), 1e-7);
        Array batched = Jax.vmap(gn::apply).apply(xs);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(gn.apply(xs.get(i)).toDoubleArray(), batched.get(i).toDoubleArray(), 1e-14);
        }
    }

    @Test
    void groupNormErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GroupNorm(4, 6));
        assertTrue(e.getMessage().contains("must divide"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new GroupNorm(-1, 6));
        assertThrows(IllegalArgumentException.class, () -> new GroupNorm(2, 0));
        assertThrows(IllegalArgumentException.class, () -> new GroupNorm(2, 4, -1, true));
        assertThrows(IllegalArgumentException.class, () -> new GroupNorm(2, 4).apply(Jnp.ones(DType.FLOAT32, 3, 2)));
        assertThrows(IllegalArgumentException.class, () -> new GroupNorm(2, 4).apply(Array.scalar(1f)));
    }

    // ------------------------------------------------------------------ GRU

    private static double[] gruLoop(GRUCell cell, double[] x, double[] h) {
        int n = cell.hiddenSize();
        double[] ig = mv(cell.weightIh().toDoubleArray(), 3 * n, cell.inputSize(), x);
        double[] hg = mv(cell.weightHh().toDoubleArray(), 3 * n, n, h);
        double[] b = cell.useBias() ? cell.bias().toDoubleArray() : new double[3 * n];
        double[] bn = cell.useBias() ? cell.biasN().toDoubleArray() : new double[n];
        double[] out = new double[n];
        for (int j = 0; j < n; j++) {
            double r = sigmoid(ig[j] + b[j] + hg[j]);
            double z = sigmoid(ig[n + j] + b[n + j] + hg[n + j]);
            double cand = Math.tanh(ig[2 * n + j] + b[2 * n + j] + r * (hg[2 * n + j] + bn[j]));
            out[j] = (1 - z) * cand + z * h[j];
        }
        return out;
    }

    @Test
    void gruIsInitialisedAsEquinoxAndMatchesItsEquations() {
        Array key = Prng.key(8);
        GRUCell cell = new GRUCell(3, 4, true, DType.FLOAT64, key);
        assertArrayEquals(new int[] {12, 3}, cell.weightIh().shape());
        assertArrayEquals(new int[] {12, 4}, cell.weightHh().shape());
        assertArrayEquals(new int[] {12}, cell.bias().shape());
        assertArrayEquals(new int[] {4}, cell.biasN().shape());
        Array[] k = Prng.split(key, 4);
        assertArrayEquals(Prng.uniform(k[0], new int[] {12, 3}, DType.FLOAT64, -0.5, 0.5).toDoubleArray(), cell.weightIh().toDoubleArray());
        assertArrayEquals(Prng.uniform(k[1], new int[] {12, 4}, DType.FLOAT64, -0.5, 0.5).toDoubleArray(), cell.weightHh().toDoubleArray());
        assertArrayEquals(Prng.uniform(k[2], new int[] {12}, DType.FLOAT64, -0.5, 0.5).toDoubleArray(), cell.bias().toDoubleArray());
        assertArrayEquals(Prng.uniform(k[3], new int[] {4}, DType.FLOAT64, -0.5, 0.5).toDoubleArray(), cell.biasN().toDoubleArray());
        Array x = Prng.normal(Prng.key(9), new int[] {3}, DType.FLOAT64);
        Array h = Prng.normal(Prng.key(10), new int[] {4}, DType.FLOAT64);
        assertArrayEquals(gruLoop(cell, x.toDoubleArray(), h.toDoubleArray()), cell.apply(x, h).toDoubleArray(), 1e-14);
        GRUCell noBias = new GRUCell(3, 4, false, DType.FLOAT64, key);
        assertNull(noBias.bias());
        assertNull(noBias.biasN());
        assertArrayEquals(gruLoop(noBias, x.toDoubleArray(), h.toDoubleArray()), noBias.apply(x, h).toDoubleArray(), 1e-14);
        // a short sequence from the zero state
        Array hs = cell.initialHidden();
        double[] hd = new double[4];
        for (int t = 0; t < 3; t++) {
            Array xt = Prng.normal(Prng.key(20 + t), new int[] {3}, DType.FLOAT64);
            hs = cell.apply(xt, hs);
            hd = gruLoop(cell, xt.toDoubleArray(), hd);
        }
        assertArrayEquals(hd, hs.toDoubleArray(), 1e-14);
        assertEquals(DType.FLOAT32, new GRUCell(3, 4, key).weightIh().dtype());
    }

    @Test
    void gruGradientsAndBatching() {
        GRUCell cell = new GRUCell(3, 4, true, DType.FLOAT64, Prng.key(11));
        Array xs = Prng.normal(Prng.key(12), new int[] {5, 3}, DType.FLOAT64);
        Array hs = Prng.normal(Prng.key(13), new int[] {5, 4}, DType.FLOAT64);
        Function<List<Array>, Array> step = a -> cell.apply(a.get(0), a.get(1));
        Array batched = Jax.vmap(step).apply(List.of(xs, hs));
        for (int b = 0; b < 5; b++) {
            assertArrayEquals(cell.apply(xs.get(b), hs.get(b)).toDoubleArray(), batched.get(b).toDoubleArray(), 1e-14);
        }
        Function<GRUCell, Array> loss = m -> Jnp.sum(Jnp.square(Jax.vmap((List<Array> a) -> m.apply(a.get(0), a.get(1)))
                .apply(List.of(xs, hs))));
        GRUCell g = Eqx.filterGrad(loss).apply(cell);
        for (String field : List.of("weightIh", "weightHh", "bias", "biasN")) {
            Function<GRUCell, Array> get = switch (field) {
                case "weightIh" -> GRUCell::weightIh;
                case "weightHh" -> GRUCell::weightHh;
                case "bias" -> GRUCell::bias;
                default -> GRUCell::biasN;
            };
            Array p = get.apply(cell);
            Array v = Prng.normal(Prng.key(field.hashCode()), p.shape(), DType.FLOAT64);
            double fd = Numeric.centralDifference(pp -> loss.apply(Eqx.treeAt(get, cell, pp)), p, v, 1e-4)[0];
            assertEquals(fd, Numeric.dot(get.apply(g), v), 1e-8, field);
        }
        // with respect to the hidden state
        Function<Array, Array> lh = h -> Jnp.sum(Jnp.square(cell.apply(xs.get(0), h)));
        Array v = Prng.normal(Prng.key(14), new int[] {4}, DType.FLOAT64);
        assertEquals(Numeric.centralDifference(lh, hs.get(0), v, 1e-4)[0], Numeric.dot(Jax.grad(lh).apply(hs.get(0)), v), 1e-9);
        assertEquals(4, Tree.leaves(cell).size());
    }

    // ------------------------------------------------------------------ LSTM

    private static double[][] lstmLoop(LSTMCell cell, double[] x, double[] h, double[] c) {
        int n = cell.hiddenSize();
        double[] a = mv(cell.weightIh().toDoubleArray(), 4 * n, cell.inputSize(), x);
        double[] r = mv(cell.weightHh().toDoubleArray(), 4 * n, n, h);
        double[] b = cell.useBias() ? cell.bias().toDoubleArray() : new double[4 * n];
        double[] h2 = new double[n];
        double[] c2 = new double[n];
        for (int j = 0; j < n; j++) {
            double i = sigmoid(a[j] + r[j] + b[j]);
            double f = sigmoid(a[n + j] + r[n + j] + b[n + j]);
            double g = Math.tanh(a[2 * n + j] + r[2 * n + j] + b[2 * n + j]);
            double o = sigmoid(a[3 * n + j] + r[3 * n + j] + b[3 * n + j]);
            c2[j] = f * c[j] + i * g;
            h2[j] = o * Math.tanh(c2[j]);
        }
        return new double[][] {h2, c2};
    }

    @Test
    void lstmIsInitialisedAsEquinoxAndMatchesItsEquations() {
        Array key = Prng.key(15);
        LSTMCell cell = new LSTMCell(3, 5, true, DType.FLOAT64, key);
        assertArrayEquals(new int[] {20, 3}, cell.weightIh().shape());
        assertArrayEquals(new int[] {20, 5}, cell.weightHh().shape());
        double lim = Math.sqrt(1.0 / 5);
        Array[] k = Prng.split(key, 3);
        assertArrayEquals(Prng.uniform(k[0], new int[] {20, 3}, DType.FLOAT64, -lim, lim).toDoubleArray(), cell.weightIh().toDoubleArray());
        assertArrayEquals(Prng.uniform(k[1], new int[] {20, 5}, DType.FLOAT64, -lim, lim).toDoubleArray(), cell.weightHh().toDoubleArray());
        assertArrayEquals(Prng.uniform(k[2], new int[] {20}, DType.FLOAT64, -lim, lim).toDoubleArray(), cell.bias().toDoubleArray());
        Array x = Prng.normal(Prng.key(16), new int[] {3}, DType.FLOAT64);
        LSTMCell.State s = new LSTMCell.State(Prng.normal(Prng.key(17), new int[] {5}, DType.FLOAT64),
                Prng.normal(Prng.key(18), new int[] {5}, DType.FLOAT64));
        double[][] e = lstmLoop(cell, x.toDoubleArray(), s.h().toDoubleArray(), s.c().toDoubleArray());
        LSTMCell.State out = cell.apply(x, s);
        assertArrayEquals(e[0], out.h().toDoubleArray(), 1e-14);
        assertArrayEquals(e[1], out.c().toDoubleArray(), 1e-14);
        LSTMCell noBias = new LSTMCell(3, 5, false, DType.FLOAT64, key);
        assertNull(noBias.bias());
        e = lstmLoop(noBias, x.toDoubleArray(), s.h().toDoubleArray(), s.c().toDoubleArray());
        assertArrayEquals(e[0], noBias.apply(x, s).h().toDoubleArray(), 1e-14);
        assertArrayEquals(new double[5], cell.initialState().c().toDoubleArray());
    }

    @Test
    void lstmGradientsAndBatching() {
        LSTMCell cell = new LSTMCell(3, 4, true, DType.FLOAT64, Prng.key(19));
        Array xs = Prng.normal(Prng.key(20), new int[] {5, 3}, DType.FLOAT64);
        LSTMCell.State ss = new LSTMCell.State(Prng.normal(Prng.key(21), new int[] {5, 4}, DType.FLOAT64),
                Prng.normal(Prng.key(22), new int[] {5, 4}, DType.FLOAT64));
        record In(Array x, LSTMCell.State s) {}
        LSTMCell.State batched = Jax.vmap((In a) -> cell.apply(a.x(), a.s())).apply(new In(xs, ss));
        for (int b = 0; b < 5; b++) {
            LSTMCell.State one = cell.apply(xs.get(b), new LSTMCell.State(ss.h().get(b), ss.c().get(b)));
            assertArrayEquals(one.h().toDoubleArray(), batched.h().get(b).toDoubleArray(), 1e-14);
            assertArrayEquals(one.c().toDoubleArray(), batched.c().get(b).toDoubleArray(), 1e-14);
        }
        Function<LSTMCell, Array> loss = m -> {
            LSTMCell.State o = Jax.vmap((In a) -> m.apply(a.x(), a.s())).apply(new In(xs, ss));
            return Jnp.add(Jnp.sum(Jnp.square(o.h())), Jnp.sum(Jnp.sin(o.c())));
        };
        LSTMCell g = Eqx.filterGrad(loss).apply(cell);
        List<Function<LSTMCell, Array>> fields = List.of(LSTMCell::weightIh, LSTMCell::weightHh, LSTMCell::bias);
        for (int f = 0; f < 3; f++) {
            Function<LSTMCell, Array> get = fields.get(f);
            Array p = get.apply(cell);
            Array v = Prng.normal(Prng.key(30 + f), p.shape(), DType.FLOAT64);
            double fd = Numeric.centralDifference(pp -> loss.apply(Eqx.treeAt(get, cell, pp)), p, v, 1e-4)[0];
            assertEquals(fd, Numeric.dot(get.apply(g), v), 1e-8, "field " + f);
        }
    }

    @Test
    void recurrentErrors() {
        Array key = Prng.key(0);
        assertThrows(IllegalArgumentException.class, () -> new GRUCell(-1, 4, key));
        assertThrows(IllegalArgumentException.class, () -> new GRUCell(3, 0, key));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LSTMCell(3, 4, Array.of(1, 2, 3)));
        assertTrue(e.getMessage().contains("PRNG key"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LSTMCell(3, 4, Array.of(1f, 2f)));
        assertThrows(IllegalArgumentException.class, () -> new LSTMCell(3, 4, true, DType.INT32, key));
        GRUCell cell = new GRUCell(3, 4, key);
        assertThrows(IllegalArgumentException.class, () -> cell.apply(Jnp.ones(DType.FLOAT32, 4), cell.initialHidden()));
        assertThrows(IllegalArgumentException.class, () -> cell.apply(Jnp.ones(DType.FLOAT32, 2, 3), cell.initialHidden()));
    }
}
