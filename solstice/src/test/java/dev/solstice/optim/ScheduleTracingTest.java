package dev.solstice.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Eqx;
import dev.solstice.Jax;
import dev.solstice.Jitted;
import dev.solstice.Jnp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Schedules read at a traced step count (inside jit and vmap) against the same schedules at concrete counts,
 * and against Optax's formulas written out independently here.
 */
class ScheduleTracingTest {
    private static final int[] COUNTS = {0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 15, 19, 20, 21, 25, 30, 49, 50, 51, 99, 100,
        101, 109, 110, 111, 1000, 123456};

    /** Every factory, with boundaries among {@link #COUNTS}. */
    private static Map<String, Schedule> factories() {
        Map<String, Schedule> m = new LinkedHashMap<>();
        m.put("constant", Schedule.constant(0.3));
        m.put("linear", Schedule.linear(1.0, 0.1, 20));
        m.put("linear0", Schedule.linear(1.0, 0.1, 0));
        m.put("linearDelayed", Schedule.linear(0.5, 2.0, 10, 5));
        m.put("polynomial", Schedule.polynomial(1.0, 0.01, 2.5, 50, 10));
        m.put("cosineDecay", Schedule.cosineDecay(0.7, 100, 0.1));
        m.put("cosineDecayExp", Schedule.cosineDecay(0.7, 100, 0.05, 3.0));
        m.put("warmupCosine", Schedule.warmupCosineDecay(0.0, 1.0, 10, 110, 0.02));
        m.put("warmupCosineExp", Schedule.warmupCosineDecay(0.1, 1.0, 10, 110, 0.0, 1.7));
        m.put("warmupCosineNoWarmup", Schedule.warmupCosineDecay(0.1, 1.0, 0, 50, 0.0));
        m.put("exponential", Schedule.exponentialDecay(1.0, 10, 0.5, false));
        m.put("exponentialStair", Schedule.exponentialDecay(1.0, 10, 0.5, true));
        m.put("exponentialFull", Schedule.exponentialDecay(2.0, 7, 0.8, 5, true, 0.3));
        m.put("exponentialGrowth", Schedule.exponentialDecay(0.1, 3, 1.5, 2, false, 4.0));
        m.put("exponential0", Schedule.exponentialDecay(0.4, 0, 0.5, false));
        m.put("piecewise", Schedule.piecewiseConstant(1.0, Map.of(10, 0.1, 20, 0.5, 100, 3.0)));
        m.put("join", Schedule.join(new Schedule[] {Schedule.linear(0.0, 1.0, 10), Schedule.constant(1.0),
            Schedule.cosineDecay(1.0, 50, 0.0)}, new int[] {10, 50}));
        m.put("joinUnordered", Schedule.join(new Schedule[] {Schedule.constant(1.0), Schedule.linear(1.0, 0.0, 10),
            Schedule.constant(3.0)}, new int[] {20, 10}));
        return m;
    }

    @Test
    void everyFactoryTracesToItsConcreteValues() {
        for (Map.Entry<String, Schedule> e : factories().entrySet()) {
            Schedule s = e.getValue();
            var jitted = Jax.jit((Array c) -> s.at(c));
            for (int n : COUNTS) {
                double concrete = s.at(n);
                Array traced = jitted.apply(Array.scalar(n));
                assertEquals(DType.FLOAT64, traced.dtype(), e.getKey());
                assertEquals(0, traced.ndim(), e.getKey());
                assertEquals(concrete, traced.item(), 0.0, e.getKey() + " at " + n);
                // The eager array path at a concrete count is the double formula itself.
                assertEquals(concrete, s.at(Array.scalar(n)).item(), 0.0, e.getKey() + " at " + n);
            }
        }
    }

    @Test
    void tracedValuesMatchOptaxFormulasWrittenOut() {
        // cosine_decay_schedule(init=2, decay_steps=10, alpha=0.1), count 3 and past the end.
        assertTraced(2.0 * (0.9 * 0.5 * (1 + Math.cos(Math.PI * 3 / 10)) + 0.1), Schedule.cosineDecay(2.0, 10, 0.1), 3);
        assertTraced(0.2, Schedule.cosineDecay(2.0, 10, 0.1), 40);
        // polynomial_schedule(1, 0, power 2, 10 steps, begin 4) at 9: frac = 1 - 5/10.
        assertTraced(0.25, Schedule.polynomial(1.0, 0.0, 2.0, 10, 4), 9);
        assertTraced(1.0, Schedule.polynomial(1.0, 0.0, 2.0, 10, 4), 2);
        // warmup_cosine_decay_schedule(0, 1, warmup 4, decay 12, end 0.1): warmup at 1, decay at 8 (c = 4 of 8).
        Schedule wc = Schedule.warmupCosineDecay(0.0, 1.0, 4, 12, 0.1);
        assertTraced(0.25, wc, 1);
        assertTraced(1.0, wc, 4);
        assertTraced(0.9 * 0.5 * (1 + Math.cos(Math.PI * 4 / 8)) + 0.1, wc, 8);
        assertTraced(0.1, wc, 500);
        // exponential_decay(3, 4 steps, rate 0.5, begin 2, staircase, end 0.5) at 11: p = floor(9/4) = 2.
        Schedule ex = Schedule.exponentialDecay(3.0, 4, 0.5, 2, true, 0.5);
        assertTraced(0.75, ex, 11);
        assertTraced(3.0, ex, 1);
        assertTraced(0.5, ex, 100);
        assertTraced(3.0 * Math.pow(0.5, 9 / 4.0), Schedule.exponentialDecay(3.0, 4, 0.5, 2, false, Double.NaN), 11);
        // piecewise_constant_schedule(2, {5: 0.5, 8: 0.1}).
        Schedule pw = Schedule.piecewiseConstant(2.0, Map.of(5, 0.5, 8, 0.1));
        assertTraced(2.0, pw, 4);
        assertTraced(1.0, pw, 5);
        assertTraced(0.1, pw, 8);
        // join_schedules([constant 1, linear 1 -> 0 over 10], [5]) at 10: linear at 5.
        assertTraced(0.5, Schedule.join(new Schedule[] {Schedule.constant(1.0), Schedule.linear(1.0, 0.0, 10)}, new int[] {5}), 10);
    }

    private static void assertTraced(double expected, Schedule s, int count) {
        double traced = Jax.jit((Array c) -> s.at(c)).apply(Array.scalar(count)).item();
        assertEquals(expected, traced, 1e-14, "at " + count);
        assertEquals(expected, s.at(count), 1e-14, "concrete at " + count);
    }

    @Test
    void schedulesTraceUnderVmapOverCounts() {
        int[] counts = {0, 3, 10, 57, 109, 110, 400};
        for (Map.Entry<String, Schedule> e : factories().entrySet()) {
            Schedule s = e.getValue();
            double[] got = Jax.vmap((Array c) -> s.at(c)).apply(Array.of(counts)).toDoubleArray();
            for (int i = 0; i < counts.length; i++) {
                double want = s.at(counts[i]);
                assertEquals(want, got[i], 1e-15 * Math.max(1, Math.abs(want)), e.getKey() + " at " + counts[i]);
            }
        }
    }

    @Test
    void aLambdaScheduleInsideJitIsAClearError() {
        Schedule lambda = step -> 1.0 / (1 + step);
        assertEquals(0.25, lambda.at(Array.scalar(3)).item());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Jax.jit((Array c) -> lambda.at(c)).apply(Array.scalar(3)));
        assertTrue(e.getMessage().contains("lambda") && e.getMessage().contains("factories"), e.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> Schedule.constant(1.0).at(Array.scalar(1.0)));
        assertTrue(bad.getMessage().contains("int32 scalar"), bad.getMessage());
    }

    @Test
    void jittedAdamWithCosineDecayMatchesEagerOver20Steps() {
        GradientTransformation<?> adam = Optim.adam(Schedule.warmupCosineDecay(0.0, 0.1, 3, 15, 0.01));
        GradientTransformation<?> adamCos = Optim.adam(Schedule.cosineDecay(0.1, 15, 0.05));
        for (GradientTransformation<?> opt : List.of(adam, adamCos)) {
            Array target = Array.of(1.0, -2.0, 0.5);
            Function<List<Object>, List<Object>> step = in -> {
                Array p = (Array) in.get(0);
                Array g = Jax.grad((Array x) -> Jnp.sum(x.sub(target).mul(x.sub(target)).mul(x))).apply(p);
                Update<?> u = Optim.update(opt, g, in.get(1), p);
                return List.of(Eqx.applyUpdates(p, u.updates()), u.state());
            };
            Jitted<List<Object>, List<Object>> jitted = Eqx.filterJit(step);
            Array p0 = Array.of(0.3, 0.2, 2.0);
            List<Object> eager = List.of(p0, opt.init(p0));
            List<Object> traced = List.of(p0, opt.init(p0));
            for (int i = 0; i < 20; i++) {
                eager = step.apply(eager);
                traced = jitted.apply(traced);
                double[] a = ((Array) eager.get(0)).toDoubleArray();
                double[] b = ((Array) traced.get(0)).toDoubleArray();
                for (int j = 0; j < a.length; j++) {
                    assertEquals(a[j], b[j], 0.0, "step " + i + " element " + j);
                }
            }
            assertTrue(Math.abs(((Array) eager.get(0)).toDoubleArray()[0] - 0.3) > 1e-3, "the parameters moved");
        }
    }

    @Test
    void scaleByScheduleUnderVmapOverStates() {
        Schedule s = Schedule.warmupCosineDecay(0.0, 1.0, 4, 20, 0.1);
        var opt = Optim.scaleBySchedule(s);
        int[] counts = {0, 2, 4, 13, 30};
        Array grads = Jnp.ones(counts.length, 2);
        Function<List<Object>, Object> update = in -> Optim.update(opt, in.get(0),
                new Scaling.ScaleByScheduleState((Array) in.get(1)), null).updates();
        double[] got = ((Array) Jax.vmap(update).apply(List.of(grads, Array.of(counts)))).toDoubleArray();
        for (int i = 0; i < counts.length; i++) {
            assertEquals(s.at(counts[i]), got[2 * i], 1e-15, "count " + counts[i]);
            assertEquals(s.at(counts[i]), got[2 * i + 1], 1e-15, "count " + counts[i]);
        }
    }
    @Test
    void jittedMultiStepsWithAScheduleMatchesEager() {
        GradientTransformation<?> opt = Optim.multiSteps(Optim.adam(Schedule.cosineDecay(0.1, 6, 0.0)), 3);
        Array target = Array.of(1.0, -2.0);
        Function<List<Object>, List<Object>> step = in -> {
            Array p = (Array) in.get(0);
            Array k = (Array) in.get(2);
            Array g = Jax.grad((Array x) -> Jnp.sum(x.sub(target).mul(x.sub(target)).mul(k))).apply(p);
            Update<?> u = Optim.update(opt, g, in.get(1), p);
            return List.of(Eqx.applyUpdates(p, u.updates()), u.state(), k);
        };
        Jitted<List<Object>, List<Object>> jitted = Eqx.filterJit(step);
        Array p0 = Array.of(0.3, 0.2);
        List<Object> eager = List.of(p0, opt.init(p0), Array.scalar(1.0));
        List<Object> traced = List.of(p0, opt.init(p0), Array.scalar(1.0));
        for (int i = 0; i < 12; i++) {
            // A different loss scale on each call, so that the mean of the accumulated gradients matters.
            Array scale = Array.scalar(1.0 + i % 3);
            eager = step.apply(List.of(eager.get(0), eager.get(1), scale));
            traced = jitted.apply(List.of(traced.get(0), traced.get(1), scale));
            double[] a = ((Array) eager.get(0)).toDoubleArray();
            double[] b = ((Array) traced.get(0)).toDoubleArray();
            for (int j = 0; j < a.length; j++) {
                assertEquals(a[j], b[j], 0.0, "call " + i + " element " + j);
            }
            var se = (Optim.MultiStepsState) eager.get(1);
            var st = (Optim.MultiStepsState) traced.get(1);
            assertEquals(se.miniStep().item(), st.miniStep().item(), "call " + i);
            assertEquals(se.gradientStep().item(), st.gradientStep().item(), "call " + i);
            assertEquals(Optim.hasUpdated(se), Optim.hasUpdated(st), "call " + i);
        }
        assertEquals(4.0, ((Optim.MultiStepsState) traced.get(1)).gradientStep().item());
    }

    @Test
    void multiStepsWithAnEveryKFunctionInsideJitIsAClearError() {
        GradientTransformation<?> opt = Optim.multiSteps(Optim.sgd(0.1), step -> step + 1, true);
        Array p0 = Array.of(0.3);
        Jitted<List<Object>, List<Object>> jitted = Eqx.filterJit((List<Object> in) -> {
            Update<?> u = Optim.update(opt, in.get(0), in.get(1), in.get(0));
            return List.of(u.updates(), u.state());
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> jitted.apply(List.of(p0, opt.init(p0))));
        assertTrue(e.getMessage().contains("everyK") && e.getMessage().contains("fixed k"), e.getMessage());
    }
    @Test
    void vmapOverABatchOfAdamStatesMatchesEachRowEager() {
        GradientTransformation<?> opt = Optim.adam(Schedule.warmupCosineDecay(0.0, 0.1, 2, 8, 0.01));
        Array target = Array.of(1.0, -2.0);
        Function<List<Object>, List<Object>> step = in -> {
            Array p = (Array) in.get(0);
            Array g = Jax.grad((Array x) -> Jnp.sum(x.sub(target).mul(x.sub(target)).mul(x))).apply(p);
            Update<?> u = Optim.update(opt, g, in.get(1), p);
            return List.of(Eqx.applyUpdates(p, u.updates()), u.state());
        };
        double[][] starts = {{0.3, 0.2}, {2.0, -1.0}, {0.5, 0.5}};
        Array batch = Array.of(new double[] {0.3, 0.2, 2.0, -1.0, 0.5, 0.5}, 3, 2);
        Function<Array, Object> init = p -> opt.init(p);
        List<Object> batched = List.of(batch, Jax.vmap(init).apply(batch));
        var vstep = Jax.jit(Jax.vmap(step));
        for (int i = 0; i < 10; i++) {
            batched = vstep.apply(batched);
        }
        // The step counts are batched (one per row), so the schedule was read on a vmapped count.
        long counts = dev.solstice.tree.Tree.leaves(batched.get(1)).stream()
                .filter(a -> a.dtype() == DType.INT32 && a.ndim() == 1 && a.shape()[0] == 3).count();
        assertTrue(counts > 0, "batched int32 counts in " + batched.get(1));
        double[] got = ((Array) batched.get(0)).toDoubleArray();
        for (int r = 0; r < starts.length; r++) {
            Array p0 = Array.of(starts[r]);
            List<Object> eager = List.of(p0, opt.init(p0));
            for (int i = 0; i < 10; i++) {
                eager = step.apply(eager);
            }
            double[] want = ((Array) eager.get(0)).toDoubleArray();
            for (int j = 0; j < want.length; j++) {
                assertEquals(want[j], got[2 * r + j], 1e-12, "row " + r + " element " + j);
            }
        }
    }
}
