package dev.solstice.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Eqx;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.Prng;
import dev.solstice.tree.Tree;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** BatchNorm, State and makeWithState, inferenceMode: statistics against a direct computation. */
class BatchNormTest {
    private static final int BATCH = 4;
    private static final int CHANNELS = 2;
    private static final int LEN = 3;

    private static Array data() {
        double[] v = new double[BATCH * CHANNELS * LEN];
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.sin(1.3 * i) * (1 + i % 3);
        }
        return Array.of(v, BATCH, CHANNELS, LEN);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> run(BatchNorm bn, State state, Array xs) {
        Function<List<Object>, List<Object>> f = a -> {
            WithState r = bn.apply((Array) a.get(0), (State) a.get(1));
            return List.of(r.output(), r.state());
        };
        return Jax.vmap(f, Arrays.asList(0, null), Arrays.asList(0, null), "batch").apply(List.of(xs, state));
    }

    @Test
    void trainingNormalisesWithBatchStatisticsAndUpdatesTheRunningOnes() {
        ModelAndState<BatchNorm> ms = Eqx.makeWithState(new BatchNorm(CHANNELS, "batch", 1e-5, true, 0.9, false, DType.FLOAT64));
        BatchNorm bn = ms.model();
        assertEquals(List.of(), Tree.leaves(bn.stateIndex()));
        Array xs = data();
        List<Object> out = run(bn, ms.state(), xs);
        Array y = (Array) out.get(0);
        State next = (State) out.get(1);
        double[] v = xs.toDoubleArray();
        double[] expected = new double[v.length];
        double[] mean = new double[CHANNELS];
        double[] var = new double[CHANNELS];
        for (int c = 0; c < CHANNELS; c++) {
            for (int b = 0; b < BATCH; b++) {
                for (int l = 0; l < LEN; l++) {
                    mean[c] += v[(b * CHANNELS + c) * LEN + l] / (BATCH * LEN);
                }
            }
            for (int b = 0; b < BATCH; b++) {
                for (int l = 0; l < LEN; l++) {
                    double d = v[(b * CHANNELS + c) * LEN + l] - mean[c];
                    var[c] += d * d / (BATCH * LEN);
                }
            }
            for (int b = 0; b < BATCH; b++) {
                for (int l = 0; l < LEN; l++) {
                    int i = (b * CHANNELS + c) * LEN + l;
                    expected[i] = (v[i] - mean[c]) / Math.sqrt(var[c] + 1e-5);
                }
            }
        }
        assertArrayEquals(expected, y.toDoubleArray(), 1e-12);
        List<Array> running = next.get(bn.stateIndex());
        assertArrayEquals(new double[] {0.1 * mean[0], 0.1 * mean[1]}, running.get(0).toDoubleArray(), 1e-14);
        assertArrayEquals(new double[] {0.9 + 0.1 * var[0], 0.9 + 0.1 * var[1]}, running.get(1).toDoubleArray(), 1e-14);
        // inference mode uses the running statistics and leaves the state alone
        BatchNorm inf = Eqx.inferenceMode(bn, true);
        assertTrue(inf.inference());
        WithState r = inf.apply(xs.get(0), next);
        double[] x0 = xs.get(0).toDoubleArray();
        double[] rm = running.get(0).toDoubleArray();
        double[] rv = running.get(1).toDoubleArray();
        for (int c = 0; c < CHANNELS; c++) {
            for (int l = 0; l < LEN; l++) {
                assertEquals((x0[c * LEN + l] - rm[c]) / Math.sqrt(rv[c] + 1e-5), r.output().toDoubleArray()[c * LEN + l], 1e-12);
            }
        }
        assertEquals(next, r.state());
    }

    @Test
    void gradientsFlowThroughTheBatchStatistics() {
        ModelAndState<BatchNorm> ms = Eqx.makeWithState(new BatchNorm(CHANNELS, "batch", 1e-5, true, 0.9, false, DType.FLOAT64));
        Array xs = data();
        Array w = Array.of(0.3, -1.2, 0.7, 2.0, -0.5, 1.1, 0.4, 0.9, -0.8, 1.5, 0.2, -0.3, 0.6, -1.0, 0.1, 0.8, 1.3, -0.6,
                0.5, 0.05, -0.9, 1.7, -0.2, 0.35).reshape(BATCH, CHANNELS, LEN);
        Function<Array, Array> loss = x -> Jnp.sum(Jnp.multiply(w, (Array) run(ms.model(), ms.state(), x).get(0)));
        Array g = Jax.grad(loss::apply).apply(xs);
        Array v = Prng.normal(Prng.key(3), new int[] {BATCH, CHANNELS, LEN}, DType.FLOAT64);
        double[] fd = dev.solstice.testing.Numeric.centralDifference(loss, xs, v, 1e-4);
        assertEquals(fd[0], dev.solstice.testing.Numeric.dot(g, v), 1e-8);
    }

    @Test
    void modelsWithStateAndErrors() {
        record Net(Linear lin, BatchNorm bn, Dropout drop) implements Module {}
        Net net = new Net(new Linear(3, 2, Prng.key(0)), new BatchNorm(2, "b"), new Dropout(0.5));
        ModelAndState<Net> ms = Eqx.makeWithState(net);
        assertEquals(1, ms.state().values().size());
        Net inf = Eqx.inferenceMode(ms.model(), true);
        assertTrue(inf.bn().inference() && inf.drop().inference());
        assertThrows(IllegalArgumentException.class, () -> Eqx.makeWithState(ms.model()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ms.model().bn().apply(Jnp.ones(DType.FLOAT32, 2, 3), ms.state()));
        assertTrue(e.getMessage().contains("psum") && e.getMessage().contains("'b'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ms.model().bn().apply(Jnp.ones(DType.FLOAT32, 5), ms.state()));
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm(0, "b"));
    }
}
