package dev.solstice.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.Eqx;
import dev.solstice.Jax;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** applyEvery and multiSteps against the plain optimiser run on the summed or averaged gradients. */
class AccumulationTest {
    record P(Array w, Array b) {}

    static P p(double w0, double w1, double b) {
        return new P(Array.of(w0, w1), Array.scalar(b));
    }

    static double[] vals(P p) {
        double[] w = p.w().toDoubleArray();
        return new double[] {w[0], w[1], p.b().item()};
    }

    /** Six fixed gradients. */
    static final List<P> GRADS = List.of(p(1, -2, 0.5), p(0.3, 4, -1), p(-2, 1, 2), p(0.7, 0.1, -0.2), p(5, -3, 1),
            p(-0.4, 0.6, 0.9));

    static double[] sum(int from, int to, double scale) {
        double[] s = new double[3];
        for (int k = from; k < to; k++) {
            double[] g = vals(GRADS.get(k));
            for (int i = 0; i < 3; i++) {
                s[i] += g[i] * scale;
            }
        }
        return s;
    }

    @Test
    void applyEveryEmitsTheSumOfKStepsOnTheKthAndZerosBetween() {
        double lr = 0.1;
        GradientTransformation<?> opt = Optim.chain(Optim.sgd(lr), Optim.applyEvery(3));
        P params = p(0, 0, 0);
        Object state = opt.init(params);
        for (int k = 0; k < 6; k++) {
            Update<?> u = Optim.update(opt, GRADS.get(k), state, params);
            state = u.state();
            double[] expected = k == 2 ? sum(0, 3, -lr) : k == 5 ? sum(3, 6, -lr) : new double[3];
            assertArrayEquals(expected, vals((P) u.updates()), 1e-15, "step " + k);
        }
        // the count cycles 0, 1, 2, 0: after six steps it is back to 0
        Optim.ChainState s = (Optim.ChainState) state;
        assertEquals(0, (int) ((Optim.ApplyEveryState) s.states().get(1)).count().item());
    }

    @Test
    void applyEveryOfOneIsTheIdentityAndNullLeavesPassThrough() {
        GradientTransformation<Optim.ApplyEveryState> every = Optim.applyEvery(1);
        P g = new P(Array.of(2.0, 3.0), null);
        Update<Optim.ApplyEveryState> u = every.update(g, every.init(p(0, 0, 0)), null);
        assertArrayEquals(new double[] {2.0, 3.0}, ((P) u.updates()).w().toDoubleArray(), 0);
        assertNull(((P) u.updates()).b());
        assertThrows(IllegalArgumentException.class, () -> Optim.applyEvery(0));
    }

    @Test
    void applyEveryStateCanBeVmappedOverAnEnsemble() {
        // three problems (one per row) stepped at once by vmap, against three separate runs of two steps
        GradientTransformation<?> opt = Optim.chain(Optim.nadam(0.1), Optim.applyEvery(2));
        Array ws = Array.of(new double[] {1, 2, 3, -1, 0.5, 0.25}, 3, 2);
        List<Array> gs = List.of(Array.of(new double[] {0.1, -0.2, 3, 1, -0.5, 2}, 3, 2),
                Array.of(new double[] {1, 0.4, -2, 0.3, 0.5, 1}, 3, 2));
        Object states = Jax.vmap((Array w) -> opt.init(w)).apply(ws);
        Function<List<Object>, List<Object>> step = in -> {
            Update<?> u = Optim.update(opt, in.get(1), in.get(2), in.get(0));
            return List.of(Eqx.applyUpdates(in.get(0), u.updates()), u.state());
        };
        Array batched = ws;
        for (Array g : gs) {
            List<Object> out = Jax.vmap(step).apply(List.of(batched, g, states));
            batched = (Array) out.get(0);
            states = out.get(1);
        }
        for (int r = 0; r < 3; r++) {
            Array w = ws.get(r);
            Object s = opt.init(w);
            for (Array g : gs) {
                Update<?> u = Optim.update(opt, g.get(r), s, w);
                w = Eqx.applyUpdates(w, u.updates());
                s = u.state();
            }
            assertArrayEquals(w.toDoubleArray(), batched.get(r).toDoubleArray(), 1e-12, "row " + r);
        }
        assertFalse(java.util.Arrays.equals(ws.toDoubleArray(), batched.toDoubleArray()));
    }

    @Test
    void multiStepsStepsTheOptimiserOnceOnTheMeanGradient() {
        double lr = 0.1;
        GradientTransformation<?> multi = Optim.multiSteps(Optim.adam(lr), 3);
        GradientTransformation<?> plain = Optim.adam(lr);
        P params = p(1, 2, 3);
        Object ms = multi.init(params);
        Object ps = plain.init(params);
        for (int k = 0; k < 6; k++) {
            Update<?> u = Optim.update(multi, GRADS.get(k), ms, params);
            ms = u.state();
            if (k % 3 == 2) {
                double[] mean = sum(k - 2, k + 1, 1.0 / 3);
                Update<?> pu = Optim.update(plain, p(mean[0], mean[1], mean[2]), ps, params);
                ps = pu.state();
                assertArrayEquals(vals((P) pu.updates()), vals((P) u.updates()), 1e-15, "step " + k);
                assertTrue(Optim.hasUpdated((Optim.MultiStepsState) ms));
            } else {
                assertArrayEquals(new double[3], vals((P) u.updates()), 0, "step " + k);
                assertFalse(Optim.hasUpdated((Optim.MultiStepsState) ms));
            }
        }
        Optim.MultiStepsState s = (Optim.MultiStepsState) ms;
        assertEquals(2, (int) s.gradientStep().item());
        assertEquals(0, (int) s.miniStep().item());
        // the wrapped Adam stepped twice, not six times
        Optim.ScaleByAdamState adam = (Optim.ScaleByAdamState) ((Optim.ChainState) s.innerOptState()).states().get(0);
        assertEquals(2, (int) adam.count().item());
    }

    @Test
    void multiStepsWithAGrowingScheduleAndSummedGradients() {
        double lr = 0.5;
        // one gradient for the first step, then two, then three: steps at calls 0, 2 and 5
        GradientTransformation<?> multi = Optim.multiSteps(Optim.sgd(lr), step -> step + 1, false);
        P params = p(0, 0, 0);
        Object state = multi.init(params);
        for (int k = 0; k < 6; k++) {
            Update<?> u = Optim.update(multi, GRADS.get(k), state, params);
            state = u.state();
            double[] expected = k == 0 ? sum(0, 1, -lr) : k == 2 ? sum(1, 3, -lr) : k == 5 ? sum(3, 6, -lr) : new double[3];
            assertArrayEquals(expected, vals((P) u.updates()), 1e-14, "step " + k);
        }
    }

    @Test
    void multiStepsOnHalfBatchesTrainsAsTheOptimiserOnTheWholeBatch() {
        // loss over four examples x_j: mean_j 0.5 |w - x_j|^2 + (b - c_j)^2; two half batches of two examples
        double[][] xs = {{1, 2}, {-1, 0.5}, {3, -2}, {0, 1}};
        double[] cs = {0.5, -1, 2, 0};
        Function<int[], Function<P, Array>> lossOn = idx -> q -> {
            Array total = Array.scalar(0.0);
            for (int j : idx) {
                total = total.add(q.w().sub(Array.of(xs[j])).pow(2).sum().mul(0.5)).add(q.b().sub(cs[j]).pow(2));
            }
            return total.div((double) idx.length);
        };
        Function<P, P> whole = Jax.grad(lossOn.apply(new int[] {0, 1, 2, 3}));
        List<Function<P, P>> halves = List.of(Jax.grad(lossOn.apply(new int[] {0, 1})), Jax.grad(lossOn.apply(new int[] {2, 3})));
        GradientTransformation<?> multi = Optim.multiSteps(Optim.nadam(0.05), 2);
        GradientTransformation<?> plain = Optim.nadam(0.05);
        P a = p(0.5, -0.5, 1);
        P b = a;
        Object sa = multi.init(a);
        Object sb = plain.init(b);
        for (int step = 0; step < 4; step++) {
            for (Function<P, P> half : halves) {
                Update<?> u = Optim.update(multi, half.apply(a), sa, a);
                a = Eqx.applyUpdates(a, u.updates());
                sa = u.state();
            }
            Update<?> u = Optim.update(plain, whole.apply(b), sb, b);
            b = Eqx.applyUpdates(b, u.updates());
            sb = u.state();
            assertArrayEquals(vals(b), vals(a), 1e-14, "step " + step);
        }
    }
}
