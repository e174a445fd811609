package dev.solstice.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Eqx;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.Nn;
import dev.solstice.Prng;
import dev.solstice.testing.Numeric;
import dev.solstice.tree.Tree;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The layers that need no new primitives, against plain double loops and finite differences. */
class BasicLayersTest {

    private static double[] matVec(double[] w, int rows, int cols, double[] x, double[] b) {
        double[] y = new double[rows];
        for (int i = 0; i < rows; i++) {
            double s = b == null ? 0 : b[i];
            for (int j = 0; j < cols; j++) {
                s += w[i * cols + j] * x[j];
            }
            y[i] = s;
        }
        return y;
    }

    @Test
    void linearIsInitialisedAsEquinoxAndAppliesWeightThenBias() {
        Array key = Prng.key(7);
        Linear l = new Linear(4, 3, key);
        assertArrayEquals(new int[] {3, 4}, l.weight().shape());
        assertArrayEquals(new int[] {3}, l.bias().shape());
        assertEquals(DType.FLOAT32, l.weight().dtype());
        Array[] k = Prng.split(key, 2);
        assertArrayEquals(Prng.uniform(k[0], new int[] {3, 4}, DType.FLOAT32, -0.5, 0.5).toFloatArray(), l.weight().toFloatArray());
        assertArrayEquals(Prng.uniform(k[1], new int[] {3}, DType.FLOAT32, -0.5, 0.5).toFloatArray(), l.bias().toFloatArray());
        Array x = Array.of(0.5f, -1f, 2f, 0.25f);
        double[] expected = matVec(Numeric.toF64(l.weight()).toDoubleArray(), 3, 4, x.toDoubleArray(), l.bias().toDoubleArray());
        assertArrayEquals(expected, l.apply(x).toDoubleArray(), 1e-6);
        Linear noBias = new Linear(4, 3, false, DType.FLOAT64, key);
        assertNull(noBias.bias());
        assertEquals(DType.FLOAT64, noBias.apply(Numeric.toF64(x)).dtype());
    }

    @Test
    void scalarFeatures() {
        Linear l = new Linear(Linear.SCALAR, Linear.SCALAR, Prng.key(1));
        assertArrayEquals(new int[] {1, 1}, l.weight().shape());
        Array y = l.apply(Array.scalar(2f));
        assertEquals(0, y.ndim());
        assertEquals(l.weight().toDoubleArray()[0] * 2 + l.bias().toDoubleArray()[0], y.item(), 1e-6);
        assertArrayEquals(new int[] {3}, new Linear(Linear.SCALAR, 3, Prng.key(2)).apply(Array.scalar(1f)).shape());
        assertEquals(0, new Linear(3, Linear.SCALAR, Prng.key(3)).apply(Array.of(1f, 2f, 3f)).ndim());
    }

    @Test
    void mlpHasEquinoxsLayersAndKeys() {
        Array key = Prng.key(0);
        MLP mlp = new MLP(6, 2, 5, 2, Nn::relu, key);
        assertEquals(3, mlp.layers().size());
        assertArrayEquals(new int[] {5, 6}, mlp.layers().get(0).weight().shape());
        assertArrayEquals(new int[] {5, 5}, mlp.layers().get(1).weight().shape());
        assertArrayEquals(new int[] {2, 5}, mlp.layers().get(2).weight().shape());
        Array[] keys = Prng.split(key, 3);
        assertArrayEquals(new Linear(5, 5, keys[1]).weight().toFloatArray(), mlp.layers().get(1).weight().toFloatArray());
        // forward pass against loops in double
        Array x = Array.of(1f, -1f, 0.5f, 2f, -0.25f, 0f);
        double[] h = x.toDoubleArray();
        for (int i = 0; i < 3; i++) {
            Linear l = mlp.layers().get(i);
            int[] s = l.weight().shape();
            h = matVec(l.weight().toDoubleArray(), s[0], s[1], h, l.bias().toDoubleArray());
            if (i < 2) {
                for (int j = 0; j < h.length; j++) {
                    h[j] = Math.max(h[j], 0);
                }
            }
        }
        assertArrayEquals(h, mlp.apply(x).toDoubleArray(), 1e-5);
        MLP depth0 = new MLP(3, 4, 99, 0, Nn::relu, key);
        assertEquals(1, depth0.layers().size());
        assertArrayEquals(new int[] {4, 3}, depth0.layers().get(0).weight().shape());
    }

    @Test
    void gradientsThroughAnMlpMatchFiniteDifferencesAndBatchingMatchesTheLoop() {
        MLP mlp = new MLP(3, 2, 4, 1, Jnp::tanh, Nn::sigmoid, true, true, DType.FLOAT64, Prng.key(3));
        Array xs = Prng.normal(Prng.key(4), new int[] {5, 3}, DType.FLOAT64);
        Function<MLP, Array> loss = m -> Jnp.sum(Jnp.square(Jax.vmap(m::apply).apply(xs)));
        MLP g = Eqx.filterGrad(loss).apply(mlp);
        Array w = mlp.layers().get(0).weight();
        Array v = Prng.normal(Prng.key(5), w.shape(), DType.FLOAT64);
        double[] fd = Numeric.centralDifference(ww -> loss.apply(Eqx.treeAt((MLP m) -> m.layers().get(0).weight(), mlp, ww)), w, v, 1e-4);
        assertEquals(fd[0], Numeric.dot(g.layers().get(0).weight(), v), 1e-9);
        Array batched = Jax.vmap(mlp::apply).apply(xs);
        for (int b = 0; b < 5; b++) {
            assertArrayEquals(mlp.apply(xs.get(b)).toDoubleArray(), batched.get(b).toDoubleArray(), 1e-15);
        }
        assertEquals(4, Tree.leaves(mlp).size());
    }

    @Test
    void normalisationsMatchDirectComputation() {
        Array x = Array.of(1.0, 2.0, 4.0, -3.0);
        double[] v = x.toDoubleArray();
        double mean = (1 + 2 + 4 - 3) / 4.0;
        double var = 0;
        double ms = 0;
        for (double d : v) {
            var += (d - mean) * (d - mean) / 4;
            ms += d * d / 4;
        }
        LayerNorm ln = new LayerNorm(new int[] {4}, 1e-5, true, true, DType.FLOAT64);
        double[] expected = new double[4];
        double[] expectedRms = new double[4];
        for (int i = 0; i < 4; i++) {
            expected[i] = (v[i] - mean) / Math.sqrt(var + 1e-5);
            expectedRms[i] = v[i] / Math.sqrt(ms + 1e-5);
        }
        assertArrayEquals(expected, ln.apply(x).toDoubleArray(), 1e-14);
        assertArrayEquals(expectedRms, new RMSNorm(new int[] {4}, 1e-5, true, true, DType.FLOAT64).apply(x).toDoubleArray(), 1e-14);
        assertThrows(IllegalArgumentException.class, () -> ln.apply(Array.of(1.0, 2.0)));
    }

    @Test
    void dropoutKeepsWithProbabilityOneMinusPAndScales() {
        Array x = Jnp.ones(DType.FLOAT32, 1000);
        Dropout d = new Dropout(0.3);
        Array key = Prng.key(11);
        Array y = d.apply(x, key);
        boolean[] mask = Prng.bernoulli(key, 0.7, new int[] {1000}).toBooleanArray();
        float[] out = y.toFloatArray();
        int kept = 0;
        for (int i = 0; i < 1000; i++) {
            assertEquals(mask[i] ? 1 / 0.7f : 0f, out[i], 1e-6);
            kept += mask[i] ? 1 : 0;
        }
        assertTrue(kept > 640 && kept < 760, "kept " + kept);
        assertSame(x, d.withInference(true).apply(x, key));
        assertThrows(IllegalArgumentException.class, () -> d.apply(x));
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1.5));
    }

    @Test
    void preluEmbeddingSequentialIdentityLambda() {
        Array x = Array.of(-2f, 3f);
        assertArrayEquals(new float[] {-0.5f, 3f}, new PReLU().apply(x).toFloatArray());
        Embedding e = new Embedding(5, 3, Prng.key(2));
        assertArrayEquals(e.weight().get(2).toFloatArray(), e.apply(Array.scalar(2)).toFloatArray());
        assertArrayEquals(e.weight().get(4).toFloatArray(), e.apply(Array.scalar(5)).toFloatArray(), "clamped as JAX");
        Array rows = Jax.vmap(e::apply).apply(Array.of(4, 0, 2));
        assertArrayEquals(e.weight().get(4).toFloatArray(), rows.get(0).toFloatArray());
        assertArrayEquals(e.weight().get(2).toFloatArray(), rows.get(2).toFloatArray());
        Array g = Jax.grad((Array w) -> Jnp.sum(new Embedding(w).apply(Array.scalar(1)))).apply(e.weight());
        assertArrayEquals(new float[] {0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0}, g.toFloatArray());
        Sequential s = new Sequential(new Identity(), new Lambda(Jnp::negative), new Lambda(Nn::relu));
        assertArrayEquals(new float[] {2f, 0f}, s.apply(x).toFloatArray());
        assertEquals(List.of(), Tree.leaves(s));
    }

    /**
     * After Equinox's test_nn.py test_embedding: with the table linspace(0.1, 10, 100) as 10 x 10, index -1 is the
     * last row, linspace(9.1, 10, 10). Out of range, JAX's indexing wraps a negative index once and clamps
     * the rest (x[-11] is x[0], x[10] is x[9]); the same under vmap and in the gradient.
     */
    @Test
    void embeddingReadsNegativeIndicesFromTheEndAndClampsAsEquinox() {
        double[] table = new double[100];
        for (int i = 0; i < 100; i++) {
            table[i] = 0.1 + i * (10 - 0.1) / 99;
        }
        Embedding e = new Embedding(Array.of(table, 10, 10));
        double[] last = java.util.Arrays.copyOfRange(table, 90, 100);
        for (int k = 0; k < 10; k++) {
            assertEquals(9.1 + k * 0.1, last[k], 1e-12, "the table of Equinox's test");
        }
        assertArrayEquals(last, e.apply(Array.scalar(-1)).toDoubleArray(), 0);
        assertArrayEquals(java.util.Arrays.copyOfRange(table, 30, 40), e.apply(Array.scalar(-7)).toDoubleArray(), 0);
        assertArrayEquals(java.util.Arrays.copyOfRange(table, 0, 10), e.apply(Array.scalar(-11)).toDoubleArray(), 0);
        assertArrayEquals(last, e.apply(Array.scalar(10)).toDoubleArray(), 0);
        Array rows = Jax.vmap(e::apply).apply(Array.of(-1, -10, 3, -11, 12));
        int[] expected = {9, 0, 3, 0, 9};
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(java.util.Arrays.copyOfRange(table, 10 * expected[i], 10 * expected[i] + 10),
                    rows.get(i).toDoubleArray(), 0, "vmapped index " + i);
        }
        Array g = Jax.grad((Array w) -> Jnp.sum(new Embedding(w).apply(Array.scalar(-2)))).apply(e.weight());
        double[] gv = g.toDoubleArray();
        for (int i = 0; i < 100; i++) {
            assertEquals(i / 10 == 8 ? 1 : 0, gv[i], 0, "gradient entry " + i);
        }
    }

    @Test
    void badConstructorArgumentsAreClearErrors() {
        Array key = Prng.key(0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Linear(-3, 2, key));
        assertTrue(e.getMessage().contains("Linear"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Linear(3, 2, Array.of(1.0, 2.0)));
        assertTrue(e.getMessage().contains("key") && e.getMessage().contains("float64[2]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new MLP(3, 2, 4, -1, Nn::relu, key));
        assertThrows(IllegalArgumentException.class, () -> new MLP(3, 2, 0, 2, Nn::relu, key));
        assertThrows(IllegalArgumentException.class, () -> new Embedding(0, 3, key));
    }
}
