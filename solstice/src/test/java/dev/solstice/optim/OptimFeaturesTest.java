package dev.solstice.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Eqx;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.tree.Tree;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Bias correction, decoupled decay, clipping, masks, schedules, state as a tree, errors, end to end. */
class OptimFeaturesTest {
    record P(Array w, Array b) {}

    static P p(double w0, double w1, double b) {
        return new P(Array.of(w0, w1), Array.scalar(b));
    }

    static double[] vals(Object tree) {
        List<Double> out = new ArrayList<>();
        for (Array a : Tree.leaves(tree)) {
            for (double d : a.toDoubleArray()) {
                out.add(d);
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    // ---- Adam's bias correction -----------------------------------------------------------------------------

    @Test
    void adamBiasCorrectionMakesTheFirstStepTheLearningRateWhateverTheGradientScale() {
        GradientTransformation<?> adam = Optim.adam(0.01);
        for (double scale : new double[] {1e-3, 1.0, 1e3}) {
            P g = p(scale, -2 * scale, 0.5 * scale);
            Update<?> u = Optim.update(adam, g, adam.init(p(0, 0, 0)), null);
            // mu = 0.1 g, nu = 0.001 g^2; corrected: g and g^2, so the step is -lr g / (|g| + eps)
            double[] expected = {-0.01 * scale / (scale + 1e-8), 0.01 * 2 * scale / (2 * scale + 1e-8),
                    -0.01 * 0.5 * scale / (0.5 * scale + 1e-8)};
            assertArrayEquals(expected, vals(u.updates()), 1e-15);
        }
    }

    @Test
    void adamStateHoldsTheUncorrectedMomentsAndTheCount() {
        GradientTransformation<Optim.ScaleByAdamState> s = Optim.scaleByAdam();
        Update<Optim.ScaleByAdamState> u1 = s.update(p(2, -4, 1), s.init(p(0, 0, 0)), null);
        assertEquals(DType.INT32, u1.state().count().dtype());
        assertEquals(1, (int) u1.state().count().item());
        assertArrayEquals(new double[] {0.2, -0.4, 0.1}, vals(u1.state().mu()), 1e-15);
        assertArrayEquals(new double[] {0.004, 0.016, 0.001}, vals(u1.state().nu()), 1e-15);
        // step 2 with g = 1 everywhere: bias correction divides by 1 - 0.9^2 and 1 - 0.999^2
        Update<Optim.ScaleByAdamState> u2 = s.update(p(1, 1, 1), u1.state(), null);
        assertEquals(2, (int) u2.state().count().item());
        double[] g1 = {2, -4, 1};
        double[] got = vals(u2.updates());
        for (int i = 0; i < 3; i++) {
            double m = 0.9 * 0.1 * g1[i] + 0.1;
            double v = 0.999 * 0.001 * g1[i] * g1[i] + 0.001;
            double expected = (m / (1 - 0.81)) / (Math.sqrt(v / (1 - 0.999 * 0.999)) + 1e-8);
            assertEquals(expected, got[i], 1e-13);
        }
    }

    // ---- AdamW: decoupled decay -------------------------------------------------------------------------------

    @Test
    void adamwDecaysTheParametersOutsideTheMomentsUnlikeL2InTheGradient() {
        double lr = 0.1;
        double wd = 0.5;
        P params = p(1.0, -3.0, 2.0);
        P g = p(0.2, 0.4, -0.1);
        Update<?> adamw = Optim.update(Optim.adamw(lr, 0.9, 0.999, 1e-8, wd), g, Optim.adamw(lr, 0.9, 0.999, 1e-8, wd).init(params), params);
        Update<?> adam = Optim.update(Optim.adam(lr), g, Optim.adam(lr).init(params), params);
        double[] x = vals(params);
        double[] a = vals(adam.updates());
        double[] w = vals(adamw.updates());
        for (int i = 0; i < 3; i++) {
            // decoupled: the Adam step plus -lr * wd * param exactly
            assertEquals(a[i] - lr * wd * x[i], w[i], 1e-15);
        }
        // L2 in the gradient: the decay goes through Adam's normalisation, so on the first step the update
        // is -lr * sign(g + wd x): a different (and here, for every leaf, wrong-sized) step
        P l2 = new P(g.w().add(params.w().mul(wd)), g.b().add(params.b().mul(wd)));
        double[] viaL2 = vals(Optim.update(Optim.adam(lr), l2, Optim.adam(lr).init(params), params).updates());
        for (int i = 0; i < 3; i++) {
            assertEquals(lr, Math.abs(viaL2[i]), 1e-7);
            assertNotEquals(viaL2[i], w[i], 1e-3);
        }
    }

    @Test
    void adamwDecayMaskLeavesUnselectedLeavesUndecayed() {
        P params = p(1.0, -3.0, 2.0);
        P g = p(0.2, 0.4, -0.1);
        GradientTransformation<?> masked = Optim.adamw(0.1, 0.5, (path, leaf) -> leaf.ndim() > 0);
        double[] m = vals(Optim.update(masked, g, masked.init(params), params).updates());
        double[] a = vals(Optim.update(Optim.adam(0.1), g, Optim.adam(0.1).init(params), params).updates());
        assertEquals(a[0] - 0.05 * 1.0, m[0], 1e-15);
        assertEquals(a[1] - 0.05 * -3.0, m[1], 1e-15);
        assertEquals(a[2], m[2], 1e-15); // the scalar b is not decayed, but still trained
    }

    // ---- clipByGlobalNorm ---------------------------------------------------------------------------------------

    @Test
    void clipByGlobalNormRescalesAllLeavesTogether() {
        Map<String, Object> g = Map.of("w", Array.of(3.0, 4.0), "b", Array.scalar(12.0)); // norm 13
        assertEquals(13.0, Optim.globalNorm(g).item(), 1e-15);
        GradientTransformation<?> clip = Optim.clipByGlobalNorm(6.5);
        Object u = Optim.update(clip, g, clip.init(g), null).updates();
        assertArrayEquals(new double[] {6.0, 1.5, 2.0}, vals(u), 1e-15); // map order: b, w
        GradientTransformation<?> loose = Optim.clipByGlobalNorm(20);
        assertArrayEquals(new double[] {12.0, 3.0, 4.0}, vals(Optim.update(loose, g, loose.init(g), null).updates()), 0);
        // null leaves are skipped and stay null
        P withNull = new P(Array.of(3.0, 4.0), null);
        Object v = Optim.update(Optim.clipByGlobalNorm(1), withNull, new Optim.EmptyState(), null).updates();
        assertArrayEquals(new double[] {0.6, 0.8}, ((P) v).w().toDoubleArray(), 1e-15);
        assertNull(((P) v).b());
    }

    // ---- masks ---------------------------------------------------------------------------------------------------

    @Test
    void trainOnlyFreezesTheUnselectedLeaves() {
        Function<P, Array> loss = q -> q.w().pow(2).sum().add(q.b().sub(3.0).pow(2));
        Function<P, P> grad = Jax.grad(loss);
        P start = p(1.0, -1.0, 0.0);
        for (GradientTransformation<?> opt : List.of(
                Optim.trainOnly(Optim.adam(0.1), new P(Array.scalar(true), Array.scalar(false))),
                Optim.trainOnly(Optim.adam(0.1), (path, leaf) -> path.toString().equals("w")))) {
            P q = start;
            Object state = opt.init(q);
            // no state for the frozen leaf: count, mu.w, nu.w
            assertEquals(3, Tree.leaves(state).size());
            for (int k = 0; k < 5; k++) {
                Update<?> u = Optim.update(opt, grad.apply(q), state, q);
                assertNull(((P) u.updates()).b());
                q = Eqx.applyUpdates(q, u.updates());
                state = u.state();
            }
            assertSame(start.b(), q.b());
            assertEquals(0.0, q.b().item(), 0);
            assertTrue(Math.abs(q.w().toDoubleArray()[0]) < 1.0);
        }
        // the trained leaf follows plain Adam on that leaf alone
        P q = start;
        GradientTransformation<?> opt = Optim.trainOnly(Optim.adam(0.1), new P(Array.scalar(true), Array.scalar(false)));
        Object s = opt.init(q);
        Array w = start.w();
        GradientTransformation<?> plain = Optim.adam(0.1);
        Object ps = plain.init(w);
        for (int k = 0; k < 3; k++) {
            Update<?> u = Optim.update(opt, grad.apply(q), s, q);
            q = Eqx.applyUpdates(q, u.updates());
            s = u.state();
            Update<?> pu = Optim.update(plain, w.mul(2.0), ps, w);
            w = Eqx.applyUpdates(w, pu.updates());
            ps = pu.state();
        }
        assertArrayEquals(w.toDoubleArray(), q.w().toDoubleArray(), 1e-15);
    }

    @Test
    void maskedPassesUnselectedUpdatesThroughAsOptax() {
        Map<String, Object> params = Map.of("a", Array.of(1.0, 2.0), "b", Array.of(-1.0));
        Map<String, Object> g = Map.of("a", Array.of(0.5, 0.5), "b", Array.of(2.0));
        GradientTransformation<?> opt = Optim.masked(Optim.scale(10), Map.of("a", true, "b", false));
        Object u = Optim.update(opt, g, opt.init(params), params).updates();
        assertArrayEquals(new double[] {5.0, 5.0, 2.0}, vals(u), 0);
        // a mask that is a prefix of the tree: one flag for a whole subtree
        Map<String, Object> nested = Map.of("enc", List.of(Array.of(1.0), Array.of(2.0)), "dec", Array.of(3.0));
        GradientTransformation<?> prefix = Optim.masked(Optim.setToZero(), Map.of("enc", true, "dec", false));
        assertArrayEquals(new double[] {3.0, 0.0, 0.0}, vals(Optim.update(prefix, nested, prefix.init(nested), nested).updates()), 0);
        // a mask of the wrong structure names both
        GradientTransformation<?> bad = Optim.masked(Optim.identity(), Map.of("a", true));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bad.init(params));
        assertTrue(e.getMessage().contains("mask") && e.getMessage().contains("tree"), e.getMessage());
    }

    // ---- schedules -------------------------------------------------------------------------------------------------

    @Test
    void schedulesAtSpecificSteps() {
        assertEquals(0.3, Schedule.constant(0.3).at(1000), 0);

        Schedule lin = Schedule.linear(1.0, 0.0, 10);
        assertEquals(1.0, lin.at(0), 1e-15);
        assertEquals(0.7, lin.at(3), 1e-15);
        assertEquals(0.0, lin.at(10), 1e-15);
        assertEquals(0.0, lin.at(50), 1e-15);
        Schedule delayed = Schedule.linear(2.0, 1.0, 4, 2);
        assertEquals(2.0, delayed.at(1), 1e-15);
        assertEquals(2.0, delayed.at(2), 1e-15);
        assertEquals(1.75, delayed.at(3), 1e-15);
        assertEquals(1.0, delayed.at(6), 1e-15);

        Schedule cos = Schedule.cosineDecay(2.0, 100, 0.1);
        assertEquals(2.0, cos.at(0), 1e-15);
        assertEquals(2.0 * (0.9 * 0.5 + 0.1), cos.at(50), 1e-14); // cos(pi/2) = 0
        assertEquals(2.0 * (0.9 * 0.5 * (1 + Math.cos(Math.PI * 0.25)) + 0.1), cos.at(25), 1e-14);
        assertEquals(0.2, cos.at(100), 1e-14);
        assertEquals(0.2, cos.at(1000), 1e-14);

        Schedule wc = Schedule.warmupCosineDecay(0.0, 1.0, 10, 110, 0.1);
        assertEquals(0.0, wc.at(0), 1e-15);
        assertEquals(0.5, wc.at(5), 1e-15);
        assertEquals(1.0, wc.at(10), 1e-15);
        assertEquals(0.9 * 0.5 + 0.1, wc.at(60), 1e-14); // halfway through the 100 decay steps
        assertEquals(0.1, wc.at(110), 1e-14);
        assertEquals(0.1, wc.at(500), 1e-14);
        Schedule wcSquared = Schedule.warmupCosineDecay(0.0, 1.0, 10, 110, 0.1, 2.0);
        assertEquals(0.9 * 0.25 + 0.1, wcSquared.at(60), 1e-14);
        assertEquals(1.0, wcSquared.at(10), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> Schedule.warmupCosineDecay(0, 1, 10, 10, 0));

        Schedule exp = Schedule.exponentialDecay(1.0, 10, 0.5, false);
        assertEquals(1.0, exp.at(0), 1e-15);
        assertEquals(Math.pow(0.5, 0.5), exp.at(5), 1e-15);
        assertEquals(0.25, exp.at(20), 1e-15);
        Schedule stairs = Schedule.exponentialDecay(1.0, 10, 0.5, true);
        assertEquals(1.0, stairs.at(9), 1e-15);
        assertEquals(0.5, stairs.at(10), 1e-15);
        assertEquals(0.5, stairs.at(19), 1e-15);
        Schedule floored = Schedule.exponentialDecay(1.0, 1, 0.5, 3, false, 0.1);
        assertEquals(1.0, floored.at(3), 1e-15);
        assertEquals(0.5, floored.at(4), 1e-15);
        assertEquals(0.1, floored.at(100), 1e-15);

        Schedule pw = Schedule.piecewiseConstant(1.0, Map.of(10, 0.1, 20, 0.5));
        assertEquals(1.0, pw.at(9), 1e-15);
        assertEquals(0.1, pw.at(10), 1e-15);
        assertEquals(0.05, pw.at(20), 1e-15);
        assertEquals(0.05, pw.at(1000), 1e-15);
    }

    @Test
    void scheduleStepCountsUpdatesFromZero() {
        GradientTransformation<Optim.ScaleByScheduleState> s = Optim.scaleByLearningRate(Schedule.linear(1.0, 0.0, 4));
        Optim.ScaleByScheduleState st = s.init(Array.of(1.0));
        double[] got = new double[5];
        for (int k = 0; k < 5; k++) {
            Update<Optim.ScaleByScheduleState> u = s.update(Array.of(1.0), st, null);
            got[k] = ((Array) u.updates()).toDoubleArray()[0];
            st = u.state();
        }
        assertArrayEquals(new double[] {-1.0, -0.75, -0.5, -0.25, 0.0}, got, 1e-15);
        assertEquals(5, (int) st.count().item());
    }

    // ---- state as a tree ---------------------------------------------------------------------------------------

    @Test
    void stateIsATreeThatKeepsItsStructure() {
        P params = p(1.0, 2.0, 3.0);
        GradientTransformation<?> opt = Optim.chain(Optim.clipByGlobalNorm(1.0), Optim.adamw(0.1),
                Optim.sgd(0.1, 0.9, true), Optim.rmsprop(0.1), Optim.adagrad(0.1), Optim.lion(0.1));
        Object state = opt.init(params);
        List<Array> leaves = Tree.leaves(state);
        // adam: count + 2 trees of 2 leaves; trace 2; rms 2; rss 2; lion: count + 2
        assertEquals(5 + 2 + 2 + 2 + 3, leaves.size());
        assertEquals(2, leaves.stream().filter(a -> a.dtype() == DType.INT32).count());
        Object next = Optim.update(opt, p(0.1, 0.2, 0.3), state, params).state();
        assertEquals(Tree.structure(state), Tree.structure(next));
        // the state can be rebuilt from its leaves (as after saving and loading)
        Object copy = Tree.unflatten(Tree.structure(next), Tree.leaves(next));
        Update<?> a = Optim.update(opt, p(0.3, 0.2, 0.1), next, params);
        Update<?> b = Optim.update(opt, p(0.3, 0.2, 0.1), copy, params);
        assertTrue(Eqx.treeEqual(a.updates(), b.updates()));
    }

    @Test
    void stateCanBeVmappedOverAnEnsemble() {
        // three independent problems (one per row) stepped at once by vmap, against three separate runs
        GradientTransformation<?> opt = Optim.adam(0.1);
        Array ws = Array.of(new double[] {1, 2, 3, -1, 0.5, 0.25}, 3, 2);
        Array gs = Array.of(new double[] {0.1, -0.2, 3, 1, -0.5, 2}, 3, 2);
        Object states = Jax.vmap((Array w) -> opt.init(w)).apply(ws);
        Function<List<Object>, List<Object>> step = in -> {
            Update<?> u = Optim.update(opt, in.get(1), in.get(2), in.get(0));
            return List.of(Eqx.applyUpdates(in.get(0), u.updates()), u.state());
        };
        List<Object> out = Jax.vmap(step).apply(List.of(ws, gs, states));
        double[] batched = ((Array) out.get(0)).toDoubleArray();
        for (int r = 0; r < 3; r++) {
            Array w = ws.get(r);
            Update<?> u = Optim.update(opt, gs.get(r), opt.init(w), w);
            double[] single = ((Array) Eqx.applyUpdates(w, u.updates())).toDoubleArray();
            assertArrayEquals(single, Arrays.copyOfRange(batched, 2 * r, 2 * r + 2), 1e-12);
        }
    }

    // ---- nulls, dtypes, errors -----------------------------------------------------------------------------------

    @Test
    void nullLeavesAreSkippedAndFloat32IsKept() {
        Map<String, Object> params = Map.of("a", Array.of(1.0f, 2.0f), "n", Array.of(1, 2));
        // an int leaf gets no state; a null gradient gives a null update and leaves the state as it was
        GradientTransformation<?> opt = Optim.adam(0.1);
        Object s0 = opt.init(params);
        assertEquals(3, Tree.leaves(s0).size());
        Map<String, Object> g = new java.util.TreeMap<>();
        g.put("a", Array.of(0.5f, -0.5f));
        g.put("n", null);
        Update<?> u = Optim.update(opt, g, s0, params);
        Map<?, ?> upd = (Map<?, ?>) u.updates();
        assertNull(upd.get("n"));
        assertEquals(DType.FLOAT32, ((Array) upd.get("a")).dtype());
        assertArrayEquals(new float[] {-0.1f, 0.1f}, ((Array) upd.get("a")).toFloatArray(), 1e-6f);
        Map<?, ?> applied = Eqx.applyUpdates(params, u.updates());
        assertSame(params.get("n"), applied.get("n"));
        // a null gradient for a trained leaf: no update, state unchanged there
        Map<String, Object> none = new java.util.TreeMap<>();
        none.put("a", null);
        none.put("n", null);
        Update<?> v = Optim.update(opt, none, u.state(), params);
        assertNull(((Map<?, ?>) v.updates()).get("a"));
        Optim.ChainState cs = (Optim.ChainState) v.state();
        Optim.ScaleByAdamState before = (Optim.ScaleByAdamState) ((Optim.ChainState) u.state()).states().get(0);
        Optim.ScaleByAdamState after = (Optim.ScaleByAdamState) cs.states().get(0);
        assertSame(((Map<?, ?>) before.mu()).get("a"), ((Map<?, ?>) after.mu()).get("a"));
    }

    @Test
    void mismatchedStructuresNameBoth() {
        Map<String, Object> params = Map.of("w", Array.of(1.0), "b", Array.of(2.0));
        Map<String, Object> grads = Map.of("w", Array.of(1.0));
        GradientTransformation<?> wd = Optim.addDecayedWeights(0.1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Optim.update(wd, grads, wd.init(params), params));
        assertTrue(e.getMessage().contains("addDecayedWeights") && e.getMessage().contains("grads")
                && e.getMessage().contains("params"), e.getMessage());
        GradientTransformation<?> adam = Optim.adam(0.1);
        IllegalArgumentException f = assertThrows(IllegalArgumentException.class,
                () -> Optim.update(adam, grads, adam.init(params), params));
        assertTrue(f.getMessage().contains("grads") && f.getMessage().contains("optimiser state"), f.getMessage());
        // an integer gradient is refused with its path
        IllegalArgumentException h = assertThrows(IllegalArgumentException.class,
                () -> Optim.update(Optim.sgd(0.1), Map.of("w", Array.of(1), "b", Array.of(2.0)), Optim.sgd(0.1).init(params),
                        params));
        assertTrue(h.getMessage().contains("int32") && h.getMessage().contains("w"), h.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Optim.update(wd, grads, new Optim.EmptyState(), null));
        // a state from another transformation
        IllegalArgumentException k = assertThrows(IllegalArgumentException.class,
                () -> Optim.update(Optim.scaleByAdam(), params, new Optim.EmptyState(), params));
        assertTrue(k.getMessage().contains("EmptyState"), k.getMessage());
    }

    // ---- end to end --------------------------------------------------------------------------------------------

    @Test
    void adamMinimisesAQuadraticWithJaxGrad() {
        // f(x, y) = (x - 3)^2 + 10 (y + 1)^2 + x y / 2, minimum where 2(x-3) + y/2 = 0 and 20(y+1) + x/2 = 0
        Function<Array, Array> f = v -> {
            Array x = v.get(0);
            Array y = v.get(1);
            return x.sub(3.0).pow(2).add(y.add(1.0).pow(2).mul(10.0)).add(x.mul(y).mul(0.5));
        };
        Function<Array, Array> grad = Jax.grad(f);
        GradientTransformation<?> opt = Optim.adam(0.05);
        Array v = Array.of(0.0, 0.0);
        Object s = opt.init(v);
        for (int k = 0; k < 2000; k++) {
            Update<?> u = Optim.update(opt, grad.apply(v), s, v);
            v = Eqx.applyUpdates(v, u.updates());
            s = u.state();
        }
        // solve the 2x2 system: [2 0.5; 0.5 20] (x, y) = (6, -20)
        double det = 2 * 20 - 0.25;
        double x = (6 * 20 - 0.5 * -20) / det;
        double y = (2 * -20 - 0.5 * 6) / det;
        assertArrayEquals(new double[] {x, y}, v.toDoubleArray(), 1e-4);
    }

    record Logistic(Array w, Array b) {}

    @Test
    void adamTrainsALogisticRegression() {
        // two separable clusters in 2-D
        double[] xs = {2, 1, 1.5, 2, 3, 1.5, 2.5, 2.5, -2, -1, -1.5, -2, -3, -1, -2.5, -2.5};
        double[] ys = {1, 1, 1, 1, 0, 0, 0, 0};
        Array x = Array.of(xs, 8, 2);
        Array y = Array.of(ys);
        Function<Logistic, Array> loss = m -> {
            Array z = x.matmul(m.w()).add(m.b());
            // mean of softplus(z) - y z: the logistic loss
            return Jnp.mean(Jnp.log1p(Jnp.exp(z)).sub(y.mul(z)));
        };
        Function<Logistic, Logistic> grad = Jax.grad(loss);
        GradientTransformation<?> opt = Optim.chain(Optim.clipByGlobalNorm(10), Optim.adamw(0.1));
        Logistic m = new Logistic(Array.of(0.0, 0.0), Array.scalar(0.0));
        Object s = opt.init(m);
        double first = loss.apply(m).item();
        for (int k = 0; k < 200; k++) {
            Update<?> u = Optim.update(opt, grad.apply(m), s, m);
            m = Eqx.applyUpdates(m, u.updates());
            s = u.state();
        }
        double last = loss.apply(m).item();
        assertEquals(Math.log(2), first, 1e-12);
        assertTrue(last < 0.05, "loss " + last);
        double[] z = x.matmul(m.w()).add(m.b()).toDoubleArray();
        for (int i = 0; i < 8; i++) {
            assertEquals(ys[i] == 1, z[i] > 0, "example " + i);
        }
    }
}
