package dev.solstice.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** MultiheadAttention against softmax(QK^T/sqrt d)V written out in double loops; RotaryPositionalEmbedding. */
class AttentionTest {

    /** {@code x [n, in] -> x W^T + b [n, out]} in double. */
    private static double[][] linear(Linear l, double[][] x) {
        int out = l.weight().shape()[0];
        int in = l.weight().shape()[1];
        double[] w = l.weight().toDoubleArray();
        double[] b = l.bias() == null ? new double[out] : l.bias().toDoubleArray();
        double[][] y = new double[x.length][out];
        for (int n = 0; n < x.length; n++) {
            for (int o = 0; o < out; o++) {
                double s = b[o];
                for (int i = 0; i < in; i++) {
                    s += w[o * in + i] * x[n][i];
                }
                y[n][o] = s;
            }
        }
        return y;
    }

    private static double[][] rows(Array x) {
        int n = x.shape()[0];
        int m = x.shape()[1];
        double[] v = x.toDoubleArray();
        double[][] r = new double[n][m];
        for (int i = 0; i < n; i++) {
            System.arraycopy(v, i * m, r[i], 0, m);
        }
        return r;
    }

    /**
     * The attention in double loops. mask: null, [q][kv] or [h][q][kv]; dropMask: null or [h][q][kv] keep flags
     * with keep probability keep.
     */
    private static double[] reference(MultiheadAttention a, Array query, Array key, Array value, boolean[][][] mask,
            boolean[][][] dropKeep, double keep) {
        double[][] q = linear(a.queryProj(), rows(query));
        double[][] k = linear(a.keyProj(), rows(key));
        double[][] v = linear(a.valueProj(), rows(value));
        int heads = a.numHeads();
        int dk = a.qkSize();
        int dv = a.voSize();
        int ql = q.length;
        int kl = k.length;
        double[][] joined = new double[ql][heads * dv];
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < ql; i++) {
                double[] logits = new double[kl];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < kl; j++) {
                    double s = 0;
                    for (int d = 0; d < dk; d++) {
                        s += q[i][h * dk + d] * k[j][h * dk + d];
                    }
                    logits[j] = s / Math.sqrt(dk);
                    if (mask == null || mask[h][i][j]) {
                        max = Math.max(max, logits[j]);
                    }
                }
                double z = 0;
                double[] w = new double[kl];
                for (int j = 0; j < kl; j++) {
                    w[j] = mask == null || mask[h][i][j] ? Math.exp(logits[j] - max) : 0;
                    z += w[j];
                }
                for (int j = 0; j < kl; j++) {
                    w[j] /= z;
                    if (dropKeep != null) {
                        w[j] = dropKeep[h][i][j] ? w[j] / keep : 0;
                    }
                }
                for (int d = 0; d < dv; d++) {
                    double s = 0;
                    for (int j = 0; j < kl; j++) {
                        s += w[j] * v[j][h * dv + d];
                    }
                    joined[i][h * dv + d] = s;
                }
            }
        }
        double[][] out = linear(a.outputProj(), joined);
        double[] flat = new double[ql * out[0].length];
        for (int i = 0; i < ql; i++) {
            System.arraycopy(out[i], 0, flat, i * out[0].length, out[0].length);
        }
        return flat;
    }

    private static MultiheadAttention full(double dropoutP) {
        return new MultiheadAttention(2, 6, 5, 7, 3, 4, 2, true, true, true, true, dropoutP, false, DType.FLOAT64, Prng.key(1));
    }

    private static Array normal(int seed, int... shape) {
        return Prng.normal(Prng.key(seed), shape, DType.FLOAT64);
    }

    @Test
    void initialisedAsEquinox() {
        Array key = Prng.key(9);
        MultiheadAttention a = new MultiheadAttention(4, 8, key);
        assertEquals(2, a.qkSize());
        assertEquals(2, a.voSize());
        assertEquals(8, a.keySize());
        assertEquals(8, a.valueSize());
        assertEquals(8, a.outputSize());
        assertNull(a.queryProj().bias());
        assertNull(a.outputProj().bias());
        assertEquals(0, a.dropout().p());
        Array[] k = Prng.split(key, 4);
        assertArrayEquals(new Linear(8, 8, false, DType.FLOAT32, k[0]).weight().toFloatArray(), a.queryProj().weight().toFloatArray());
        assertArrayEquals(new Linear(8, 8, false, DType.FLOAT32, k[1]).weight().toFloatArray(), a.keyProj().weight().toFloatArray());
        assertArrayEquals(new Linear(8, 8, false, DType.FLOAT32, k[2]).weight().toFloatArray(), a.valueProj().weight().toFloatArray());
        assertArrayEquals(new Linear(8, 8, false, DType.FLOAT32, k[3]).weight().toFloatArray(), a.outputProj().weight().toFloatArray());
        MultiheadAttention f = full(0);
        assertArrayEquals(new int[] {8, 6}, f.queryProj().weight().shape());
        assertArrayEquals(new int[] {8, 5}, f.keyProj().weight().shape());
        assertArrayEquals(new int[] {4, 7}, f.valueProj().weight().shape());
        assertArrayEquals(new int[] {3, 4}, f.outputProj().weight().shape());
        assertNotNull(f.valueProj().bias());
    }

    @Test
    void matchesTheWrittenOutAttention() {
        MultiheadAttention a = full(0);
        Array q = normal(2, 3, 6);
        Array k = normal(3, 4, 5);
        Array v = normal(4, 4, 7);
        Array out = a.apply(q, k, v);
        assertArrayEquals(new int[] {3, 3}, out.shape());
        assertArrayEquals(reference(a, q, k, v, null, null, 1), out.toDoubleArray(), 1e-13);
        // self-attention with Equinox's defaults, float32
        MultiheadAttention s = new MultiheadAttention(2, 4, Prng.key(5));
        Array x = Prng.normal(Prng.key(6), 5, 4);
        assertArrayEquals(reference(s, x, x, x, null, null, 1), s.apply(x, x, x).toDoubleArray(), 1e-5);
        assertEquals(DType.FLOAT32, s.apply(x, x, x).dtype());
    }

    @Test
    void masksHidePositionsSharedOrPerHead() {
        MultiheadAttention a = full(0);
        Array q = normal(2, 3, 6);
        Array k = normal(3, 4, 5);
        Array v = normal(4, 4, 7);
        boolean[] flat = {true, false, true, true, false, true, false, false, true, true, true, false};
        boolean[][][] m2 = new boolean[2][3][4];
        for (int h = 0; h < 2; h++) {
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 4; j++) {
                    m2[h][i][j] = flat[i * 4 + j];
                }
            }
        }
        Array mask = Array.of(flat, 3, 4);
        double[] masked = a.apply(q, k, v, mask).toDoubleArray();
        assertArrayEquals(reference(a, q, k, v, m2, null, 1), masked, 1e-13);
        assertTrue(Math.abs(masked[0] - reference(a, q, k, v, null, null, 1)[0]) > 1e-6, "the mask changed nothing");
        // per head: head 0 causal, head 1 the shared mask
        boolean[] flat3 = new boolean[24];
        boolean[][][] m3 = new boolean[2][3][4];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 4; j++) {
                m3[0][i][j] = j <= i;
                m3[1][i][j] = flat[i * 4 + j];
                flat3[i * 4 + j] = m3[0][i][j];
                flat3[12 + i * 4 + j] = m3[1][i][j];
            }
        }
        assertArrayEquals(reference(a, q, k, v, m3, null, 1), a.apply(q, k, v, Array.of(flat3, 2, 3, 4)).toDoubleArray(), 1e-13);
        // an all-true mask changes nothing
        assertArrayEquals(a.apply(q, k, v).toDoubleArray(),
                a.apply(q, k, v, Jnp.ones(DType.BOOL, 3, 4)).toDoubleArray(), 1e-15);
    }

    @Test
    void dropoutUsesOneKeyPerHeadAndInferenceTurnsItOff() {
        MultiheadAttention a = full(0.4);
        Array q = normal(2, 3, 6);
        Array k = normal(3, 4, 5);
        Array v = normal(4, 4, 7);
        Array key = Prng.key(77);
        Array[] keys = Prng.split(key, 2);
        boolean[][][] keep = new boolean[2][3][4];
        for (int h = 0; h < 2; h++) {
            boolean[] b = Prng.bernoulli(keys[h], 0.6, new int[] {3, 4}).toBooleanArray();
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 4; j++) {
                    keep[h][i][j] = b[i * 4 + j];
                }
            }
        }
        assertArrayEquals(reference(a, q, k, v, null, keep, 0.6), a.apply(q, k, v, null, key).toDoubleArray(), 1e-13);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.apply(q, k, v));
        assertTrue(e.getMessage().contains("key"), e.getMessage());
        MultiheadAttention inf = a.withInference(true);
        assertTrue(inf.dropout().inference());
        assertArrayEquals(reference(a, q, k, v, null, null, 1), inf.apply(q, k, v).toDoubleArray(), 1e-13);
        assertArrayEquals(inf.apply(q, k, v).toDoubleArray(), inf.apply(q, k, v, null, key).toDoubleArray(), 0);
    }

    @Test
    void shapesForEveryArgumentFormAndBatching() {
        MultiheadAttention a = full(0);
        for (int ql : new int[] {1, 2, 5}) {
            for (int kl : new int[] {1, 3}) {
                Array out = a.apply(normal(ql, ql, 6), normal(10 + kl, kl, 5), normal(20 + kl, kl, 7),
                        Jnp.ones(DType.BOOL, ql, kl));
                assertArrayEquals(new int[] {ql, 3}, out.shape());
            }
        }
        Array qs = normal(30, 4, 3, 6);
        Array ks = normal(31, 4, 2, 5);
        Array vs = normal(32, 4, 2, 7);
        Array batched = Jax.vmap((List<Array> x) -> a.apply(x.get(0), x.get(1), x.get(2))).apply(List.of(qs, ks, vs));
        assertArrayEquals(new int[] {4, 3, 3}, batched.shape());
        for (int b = 0; b < 4; b++) {
            assertArrayEquals(a.apply(qs.get(b), ks.get(b), vs.get(b)).toDoubleArray(), batched.get(b).toDoubleArray(), 1e-14);
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        MultiheadAttention a = full(0);
        Array q = normal(2, 3, 6);
        Array k = normal(3, 4, 5);
        Array v = normal(4, 4, 7);
        Array c = normal(5, 3, 3);
        Array mask = Array.of(new boolean[] {true, false, true, true, false, true, true, true, true, true, true, false}, 3, 4);
        Function<Array, Array> byQuery = x -> Jnp.sum(Jnp.multiply(a.apply(x, k, v, mask), c));
        Array dq = normal(6, 3, 6);
        assertEquals(Numeric.centralDifference(byQuery, q, dq, 1e-4)[0], Numeric.dot(Jax.grad(byQuery).apply(q), dq), 1e-8);
        Function<Array, Array> byKey = x -> Jnp.sum(Jnp.multiply(a.apply(q, x, v, mask), c));
        Array dk = normal(7, 4, 5);
        assertEquals(Numeric.centralDifference(byKey, k, dk, 1e-4)[0], Numeric.dot(Jax.grad(byKey).apply(k), dk), 1e-8);
        Function<MultiheadAttention, Array> loss = m -> Jnp.sum(Jnp.square(m.apply(q, k, v, mask)));
        MultiheadAttention g = Eqx.filterGrad(loss).apply(a);
        List<Function<MultiheadAttention, Array>> params = List.of(m -> m.queryProj().weight(), m -> m.keyProj().bias(),
                m -> m.valueProj().weight(), m -> m.outputProj().weight());
        for (int i = 0; i < params.size(); i++) {
            Function<MultiheadAttention, Array> get = params.get(i);
            Array p = get.apply(a);
            Array dir = normal(40 + i, p.shape());
            double fd = Numeric.centralDifference(pp -> loss.apply(Eqx.treeAt(get, a, pp)), p, dir, 1e-4)[0];
            assertEquals(fd, Numeric.dot(get.apply(g), dir), 1e-8, "parameter " + i);
        }
    }

    @Test
    void processHeadsWithRotaryEmbeddings() {
        MultiheadAttention a = new MultiheadAttention(2, 8, null, null, null, null, null, false, false, false, false, 0, false,
                DType.FLOAT64, Prng.key(3));
        RotaryPositionalEmbedding rope = new RotaryPositionalEmbedding(4, 10_000, DType.FLOAT64);
        Array x = normal(8, 5, 8);
        Function<Array, Array> perHead = Jax.vmap((Function<Array, Array>) rope::apply, 1, 1);
        Array out = a.apply(x, x, x, null, null, h -> new MultiheadAttention.Heads(perHead.apply(h.query()), perHead.apply(h.key()), h.value()));
        assertArrayEquals(new int[] {5, 8}, out.shape());
        assertArrayEquals(a.apply(x, x, x).toDoubleArray(), a.apply(x, x, x, null, null, h -> h).toDoubleArray(), 0);
        assertTrue(Math.abs(out.toDoubleArray()[9] - a.apply(x, x, x).toDoubleArray()[9]) > 1e-9);
        assertThrows(IllegalArgumentException.class, () -> a.apply(x, x, x, null, null,
                h -> new MultiheadAttention.Heads(Jnp.reshape(h.query(), 5, 1, 8), h.key(), h.value())));
    }

    @Test
    void attentionErrors() {
        Array key = Prng.key(0);
        assertThrows(IllegalArgumentException.class, () -> new MultiheadAttention(0, 8, key));
        assertThrows(IllegalArgumentException.class, () -> new MultiheadAttention(2, -8, key));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MultiheadAttention(16, 8, key));
        assertTrue(e.getMessage().contains("qkSize"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new MultiheadAttention(2, 8, -1, null, null, null, null, false, false,
                false, false, 0, false, DType.FLOAT32, key));
        assertThrows(IllegalArgumentException.class, () -> new MultiheadAttention(2, 8, null, null, null, null, null, false, false,
                false, false, 1.5, false, DType.FLOAT32, key));
        assertThrows(IllegalArgumentException.class, () -> new MultiheadAttention(2, 8, Array.of(1, 2, 3)));
        MultiheadAttention a = full(0);
        Array q = normal(2, 3, 6);
        Array k = normal(3, 4, 5);
        Array v = normal(4, 4, 7);
        assertThrows(IllegalArgumentException.class, () -> a.apply(q, k, normal(5, 3, 7)));
        assertThrows(IllegalArgumentException.class, () -> a.apply(k, k, v));
        assertThrows(IllegalArgumentException.class, () -> a.apply(q, k, v, Jnp.ones(DType.BOOL, 4, 3)));
        assertThrows(IllegalArgumentException.class, () -> a.apply(q, k, v, Jnp.ones(DType.BOOL, 3, 3, 4)));
        assertThrows(IllegalArgumentException.class, () -> a.apply(q, k, v, Jnp.ones(DType.FLOAT32, 3, 4)));
    }

    // ------------------------------------------------------------------ RoPE

    private static double[] ropeLoop(double[] x, int len, int size, double theta) {
        int d = size / 2;
        double[] out = new double[x.length];
        for (int t = 0; t < len; t++) {
            for (int j = 0; j < d; j++) {
                double a = t * Math.pow(theta, -2.0 * j / size);
                double lo = x[t * size + j];
                double hi = x[t * size + j + d];
                out[t * size + j] = lo * Math.cos(a) - hi * Math.sin(a);
                out[t * size + j + d] = hi * Math.cos(a) + lo * Math.sin(a);
            }
        }
        return out;
    }

    @Test
    void rotaryEmbeddingMatchesTheRotationAndDependsOnRelativePosition() {
        RotaryPositionalEmbedding rope = new RotaryPositionalEmbedding(6, 100, DType.FLOAT64);
        Array x = normal(50, 7, 6);
        assertArrayEquals(ropeLoop(x.toDoubleArray(), 7, 6, 100), rope.apply(x).toDoubleArray(), 1e-14);
        Array x32 = Jnp.astype(x, DType.FLOAT32);
        Array y32 = new RotaryPositionalEmbedding(6, 100).apply(x32);
        assertEquals(DType.FLOAT32, y32.dtype());
        assertArrayEquals(ropeLoop(x32.toDoubleArray(), 7, 6, 100), y32.toDoubleArray(), 1e-5);
        // <rope(q) at m, rope(k) at n> depends on m - n only: the same q and k at every position
        RotaryPositionalEmbedding r = new RotaryPositionalEmbedding(4, 10_000, DType.FLOAT64);
        double[] qv = {0.3, -1.2, 0.7, 2.0};
        double[] kv = {1.1, 0.4, -0.5, 0.9};
        double[] qs = new double[6 * 4];
        double[] ks = new double[6 * 4];
        for (int t = 0; t < 6; t++) {
            System.arraycopy(qv, 0, qs, t * 4, 4);
            System.arraycopy(kv, 0, ks, t * 4, 4);
        }
        double[] rq = r.apply(Array.of(qs, 6, 4)).toDoubleArray();
        double[] rk = r.apply(Array.of(ks, 6, 4)).toDoubleArray();
        for (int shift = 0; shift < 3; shift++) {
            double first = 0;
            for (int m = shift; m < 6; m++) {
                double dot = 0;
                for (int i = 0; i < 4; i++) {
                    dot += rq[m * 4 + i] * rk[(m - shift) * 4 + i];
                }
                if (m == shift) {
                    first = dot;
                }
                assertEquals(first, dot, 1e-12);
            }
        }
        // position 0 is unchanged, and the map is linear so its gradient is its transpose
        assertArrayEquals(java.util.Arrays.copyOf(x.toDoubleArray(), 6), java.util.Arrays.copyOf(rope.apply(x).toDoubleArray(), 6), 0);
        Array c = normal(51, 7, 6);
        Function<Array, Array> loss = z -> Jnp.sum(Jnp.multiply(Jnp.square(rope.apply(z)), c));
        Array dir = normal(52, 7, 6);
        assertEquals(Numeric.centralDifference(loss, x, dir, 1e-4)[0], Numeric.dot(Jax.grad(loss).apply(x), dir), 1e-9);
        assertArrayEquals(new int[] {0, 6}, rope.apply(Jnp.zeros(DType.FLOAT64, 0, 6)).shape());
    }

    @Test
    void rotaryEmbeddingErrors() {
        assertThrows(IllegalArgumentException.class, () -> new RotaryPositionalEmbedding(5));
        assertThrows(IllegalArgumentException.class, () -> new RotaryPositionalEmbedding(-2));
        assertThrows(IllegalArgumentException.class, () -> new RotaryPositionalEmbedding(4, 0));
        assertThrows(IllegalArgumentException.class, () -> new RotaryPositionalEmbedding(4, 10, DType.INT32));
        RotaryPositionalEmbedding rope = new RotaryPositionalEmbedding(4);
        assertThrows(IllegalArgumentException.class, () -> rope.apply(Jnp.ones(DType.FLOAT32, 3, 6)));
        assertThrows(IllegalArgumentException.class, () -> rope.apply(Jnp.ones(DType.FLOAT32, 4)));
    }
}
