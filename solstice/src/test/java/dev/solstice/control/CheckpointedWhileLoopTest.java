package dev.solstice.control;

import static dev.solstice.control.EqxWhileLoopTest.LIMIT;
import static dev.solstice.control.EqxWhileLoopTest.centralDifference;
import static dev.solstice.control.EqxWhileLoopTest.javaLoop;
import static dev.solstice.control.EqxWhileLoopTest.step;
import static dev.solstice.control.EqxWhileLoopTest.unrolled;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.Eqx;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.WhileKind;
import dev.solstice.ir.Atom;
import dev.solstice.ir.Const;
import dev.solstice.ir.Eqn;
import dev.solstice.testing.Numeric;
import dev.solstice.transform.Autodiff;
import dev.solstice.transform.CheckpointedWhileLinear;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Eqx.whileLoop CHECKPOINTED (treeverse): gradients against the same loop unrolled with its step count fixed in
 * Java and against float64 central differences of the Java loop, for every number of checkpoints; the number of
 * body evaluations of the backward pass against closed forms and the offline optimum; the stored carries (the
 * checkpoint count, not the step count); forward mode, Hessians, vmap, jit and a Newton iteration.
 */
class CheckpointedWhileLoopTest {
    private static Array loop(Array a, Array x0, int maxSteps, int checkpoints) {
        return Eqx.whileLoop((Array x) -> Jnp.less(x, LIMIT), (Array x) -> step(x, a), x0, maxSteps,
                WhileKind.CHECKPOINTED, checkpoints);
    }

    private static double grad(UnaryOperator<Array> f, double at) {
        return Jax.grad(f).apply(Array.scalar(at)).item();
    }

    private static void assertRel(double want, double got, double rtol, String what) {
        assertEquals(want, got, rtol * Math.max(1, Math.abs(want)), what);
    }

    @Test
    void gradientsMatchTheUnrolledLoopAndFiniteDifferencesForEveryCheckpointCount() {
        // (a, x0, maxSteps): stops early after 22 steps; hits maxSteps (12); no step at all (x0 past the limit)
        double[][] cases = {{1.1, 1.0, 100}, {1.05, 0.5, 12}, {1.1, 12.0, 30}, {1.1, 1.0, 1}};
        for (double[] c : cases) {
            double a = c[0];
            int max = (int) c[2];
            int steps = (int) javaLoop(a, c[1], max)[1];
            Array x0 = Array.scalar(c[1]);
            double want = grad(s -> unrolled(s, x0, steps), a);
            double fd = centralDifference(a, c[1], max);
            assertRel(fd, want, 1e-6, "the oracles agree");
            for (int k : new int[] {1, 2, 3, 5, 8, max, 1000}) {
                String what = "a=" + a + " x0=" + c[1] + " maxSteps=" + max + " steps=" + steps + " checkpoints=" + k;
                assertEquals(javaLoop(a, c[1], max)[0], loop(Array.scalar(a), x0, max, k).item(), 1e-12, what);
                assertRel(want, grad(s -> loop(s, x0, max, k), a), 1e-12, what);
            }
            double withDefault = grad(s -> Eqx.whileLoop((Array x) -> Jnp.less(x, LIMIT), (Array x) -> step(x, s), x0,
                    max, WhileKind.CHECKPOINTED), a);
            assertRel(want, withDefault, 1e-12, "default checkpoints, maxSteps=" + max);
        }
        assertEquals(22, javaLoop(1.1, 1.0, 100)[1]);
        assertEquals(12, javaLoop(1.05, 0.5, 12)[1]);
        assertEquals(0, javaLoop(1.1, 12.0, 30)[1]);
    }

    @Test
    void treeCarriesWithCapturesIntegersAndUndifferentiatedLeaves() {
        // carry (x, v, k, label): x and v differentiated (through a and w, captured), k an int counter, label a
        // float the body never changes; grad with respect to (a, w) and the initial x
        Function<List<Array>, Array> f = p -> {
            Array a = p.get(0);
            Array w = p.get(1);
            List<Array> end = Eqx.whileLoop((List<Array> c) -> Jnp.less(c.get(0), 5.0),
                    (List<Array> c) -> List.of(c.get(0).add(Jnp.tanh(c.get(1).mul(a))).add(0.3), c.get(1).mul(w),
                            c.get(2).add(Array.scalar(1)), c.get(3)),
                    List.of(p.get(2), Array.scalar(0.7), Array.scalar(0), Array.scalar(2.0)), 40, WhileKind.CHECKPOINTED,
                    3);
            return end.get(0).mul(end.get(1)).add(end.get(3)).add(Jnp.astype(end.get(2), dev.solstice.DType.FLOAT64));
        };
        List<Array> at = List.of(Array.scalar(0.9), Array.scalar(1.1), Array.scalar(0.2));
        // the Java loop's step count, then the same steps unrolled
        double x = 0.2;
        double v = 0.7;
        int n = 0;
        while (x < 5.0 && n < 40) {
            x = x + Math.tanh(v * 0.9) + 0.3;
            v = v * 1.1;
            n++;
        }
        int steps = n;
        Function<List<Array>, Array> g = p -> {
            Array xx = p.get(2);
            Array vv = Array.scalar(0.7);
            for (int i = 0; i < steps; i++) {
                Array nx = xx.add(Jnp.tanh(vv.mul(p.get(0)))).add(0.3);
                vv = vv.mul(p.get(1));
                xx = nx;
            }
            return xx.mul(vv).add(2.0).add((double) steps);
        };
        assertEquals(g.apply(at).item(), f.apply(at).item(), 1e-12);
        List<Array> want = Jax.grad(g).apply(at);
        List<Array> got = Jax.grad(f).apply(at);
        for (int i = 0; i < 3; i++) {
            assertRel(want.get(i).item(), got.get(i).item(), 1e-12, "leaf " + i);
        }
    }

    // ---- counting body evaluations ----------------------------------------------------------------------------

    /** Body evaluations of grad through a loop of exactly n steps (maxSteps n) with k checkpoints. */
    private static int evaluationsOfGrad(int n, int k) {
        CountingIdentity counter = new CountingIdentity();
        Array x0 = Array.scalar(0.01);
        Jax.grad((UnaryOperator<Array> ) a -> Eqx.whileLoop((Array x) -> Jnp.less(x, 1e300),
                (Array x) -> counter.apply(x).mul(a), x0, n, WhileKind.CHECKPOINTED, k)).apply(Array.scalar(1.01));
        return counter.evaluations();
    }

    /**
     * The least number of steps recomputed to reverse n steps with k slots, one of which holds the start, when the
     * checkpoints can be chosen knowing n (offline checkpointing, Griewank's recursion): a lower bound for any online
     * schedule. {@code sweepFree}: the steps are advanced by the forward pass anyway, so placing checkpoints on its
     * way costs nothing; later sweeps pay for each step.
     */
    private static long offlineOptimum(int n, int k, boolean sweepFree, long[][][] memo) {
        if (n <= 1) {
            return 0;
        }
        if (k == 1) {
            return (long) n * (n - 1) / 2; // every U-turn recomputes from the start
        }
        int f = sweepFree ? 1 : 0;
        if (memo[f][n][k] > 0) {
            return memo[f][n][k] - 1;
        }
        long best = Long.MAX_VALUE;
        for (int j = 1; j < n; j++) {
            // advance j steps and store the state there; reverse [j, n) with one slot fewer, then [0, j) with all
            long advance = sweepFree ? 0 : j;
            best = Math.min(best, advance + offlineOptimum(n - j, k - 1, sweepFree, memo)
                    + offlineOptimum(j, k, false, memo));
        }
        memo[f][n][k] = best + 1;
        return best;
    }

    @Test
    void backwardPassRecomputesAsTreeverseDoes() {
        long[][][] memo = new long[2][41][41];
        for (int n : new int[] {1, 2, 5, 17, 40}) {
            // forward pass n evaluations, each U-turn one, recomputation on top
            assertEquals(2 * n + n * (n - 1) / 2, evaluationsOfGrad(n, 1), "one checkpoint: all from the start, n=" + n);
            assertEquals(2 * n, evaluationsOfGrad(n, n), "a checkpoint per step: no recomputation, n=" + n);
            for (int k = 2; k < n; k++) {
                long recomputed = evaluationsOfGrad(n, k) - 2L * n;
                long optimum = offlineOptimum(n, k, true, memo);
                assertTrue(recomputed >= optimum && recomputed <= (long) n * (n - 1) / 2,
                        "n=" + n + " k=" + k + ": " + recomputed + " vs optimum " + optimum);
                if (n <= (k + 1) * (k + 2) / 2 - 1) {
                    // Stumm and Walther's range: the online schedule is as good as the offline one
                    assertEquals(optimum, recomputed, "n=" + n + " k=" + k);
                }
            }
        }
    }

    @Test
    void storedCarriesAreTheCheckpointCountNotTheStepCount() {
        Array w = Array.of(new double[] {0.3, -0.2, 0.5, 0.1});
        for (int k : new int[] {1, 4, 9}) {
            UnaryOperator<Array> f = v -> Eqx.whileLoop((Array x) -> Jnp.less(x.sum(), 1e300),
                    (Array x) -> Jnp.tanh(x.mul(v)).add(0.1), w, 500, WhileKind.CHECKPOINTED, k).sum();
            var lin = Autodiff.linearize("test", a -> new Array[] {f.apply(a[0])}, new Array[] {w});
            int buffers = 0;
            for (Eqn e : lin.program().eqns()) {
                if (e.primitive() instanceof CheckpointedWhileLinear) {
                    for (Atom in : e.inputs()) {
                        if (in instanceof Const c && c.value().ndim() == 2) {
                            assertEquals(List.of(k, 4), List.of(c.value().shape()[0], c.value().shape()[1]));
                            buffers++;
                        }
                    }
                }
            }
            assertEquals(1, buffers, "one buffer of k carries for the one carry leaf");
        }
    }

    // ---- forward mode, Hessians, vmap, jit ------------------------------------------------------------------------

    @Test
    void jvpAndJacfwdMatchFiniteDifferences() {
        for (int k : new int[] {1, 3, 50}) {
            for (double[] c : new double[][] {{1.1, 1.0, 100}, {1.05, 0.5, 12}}) {
                int max = (int) c[2];
                Array x0 = Array.scalar(c[1]);
                var r = Jax.jvp((Array s) -> loop(s, x0, max, k), Array.scalar(c[0]), Array.scalar(1.0));
                assertEquals(javaLoop(c[0], c[1], max)[0], r.primal().item(), 1e-12);
                double fd = centralDifference(c[0], c[1], max);
                assertRel(fd, r.tangent().item(), 1e-6, "jvp k=" + k + " maxSteps=" + max);
                assertRel(fd, Jax.jacfwd((UnaryOperator<Array>) s -> loop(s, x0, max, k)).apply(Array.scalar(c[0])).item(),
                        1e-6, "jacfwd");
            }
        }
    }

    /** A loop of two parameters (a, b): x <- x * a + b * sin(x), from x0, until x passes LIMIT. */
    private static Array twoParameters(Array p, Array x0, int max, int k) {
        Array a = p.get(0);
        Array b = p.get(1);
        UnaryOperator<Array> body = x -> x.mul(a).add(Jnp.sin(x).mul(b));
        return Eqx.whileLoop((Array x) -> Jnp.less(x, LIMIT), body, x0, max, WhileKind.CHECKPOINTED, k);
    }

    @Test
    void hessianThroughTheCheckpointedLoopMatchesTheUnrolledLoop() {
        Array p = Array.of(new double[] {1.1, 0.1});
        Array x0 = Array.scalar(1.0);
        int steps = (int) javaLoop(1.1, 1.0, 100)[1];
        UnaryOperator<Array> unrolled = q -> {
            Array x = x0;
            for (int i = 0; i < steps; i++) {
                x = x.mul(q.get(0)).add(Jnp.sin(x).mul(q.get(1)));
            }
            return x;
        };
        Array want = Jax.hessian(unrolled).apply(p);
        Array gradient = Jax.grad(unrolled).apply(p);
        for (int k : new int[] {1, 2, 4, 100}) {
            Array got = Jax.hessian((UnaryOperator<Array>) q -> twoParameters(q, x0, 100, k)).apply(p);
            Numeric.assertClose(want, got, 1e-10, 1e-10, "hessian k=" + k);
            // the gradient both ways: reverse (treeverse) and forward (jacfwd, a batched forward evaluation)
            UnaryOperator<Array> f = q -> twoParameters(q, x0, 100, k);
            Numeric.assertClose(gradient, Jax.grad(f).apply(p), 1e-12, 1e-12, "grad k=" + k);
            Numeric.assertClose(gradient, Jax.jacfwd(f).apply(p), 1e-12, 1e-12, "jacfwd k=" + k);
            // forward over forward
            Numeric.assertClose(want, Jax.jacfwd((UnaryOperator<Array>) Jax.jacfwd(f)::apply).apply(p), 1e-10, 1e-10,
                    "jacfwd(jacfwd) k=" + k);
            // a Hessian-vector product, forward over reverse
            Array v = Array.of(new double[] {0.3, -1.0});
            Array hvp = Jax.jvp(Jax.grad((UnaryOperator<Array>) q -> twoParameters(q, x0, 100, k)), p, v).tangent();
            Numeric.assertClose(Jnp.matmul(want, v), hvp, 1e-10, 1e-10, "hvp k=" + k);
        }
    }

    @Test
    void reverseOverReverseIsRefusedWithTheWhileLoopError() {
        // as in Equinox, the backward pass is a while loop: forward mode goes through it, reverse mode does not
        UnaryOperator<Array> f = q -> twoParameters(q, Array.scalar(1.0), 100, 3);
        UnsupportedOperationException e = org.junit.jupiter.api.Assertions.assertThrows(
                UnsupportedOperationException.class, () -> Jax.jacrev((UnaryOperator<Array>) Jax.jacrev(f)::apply).apply(Array.of(new double[] {1.1, 0.1})));
        assertTrue(e.getMessage().contains("reverse-mode"), e.getMessage());
    }

    @Test
    void vmapOfGradAndGradOfVmapMatchPerExampleLoops() {
        double[] x0s = {0.05, 1.0, 4.0, 9.5, 12.0};
        int max = 30; // the first example hits maxSteps, the others stop at different steps, the last at once
        Array a = Array.scalar(1.1);
        for (int k : new int[] {2, 5}) {
            double[] values = Jax.vmap((UnaryOperator<Array>) x0 -> loop(a, x0, max, k)).apply(Array.of(x0s))
                    .toDoubleArray();
            double[] perExample = Jax.vmap(Jax.grad((UnaryOperator<Array>) x0 -> loop(a, x0, max, k)))
                    .apply(Array.of(x0s)).toDoubleArray();
            double[] jitted = Jax.jit(Jax.vmap(Jax.grad((UnaryOperator<Array>) x0 -> loop(a, x0, max, k))))
                    .apply(Array.of(x0s)).toDoubleArray();
            Numeric.assertClose(perExample, jitted, 1e-12, 1e-12, "jit(vmap(grad)) k=" + k);
            double gradOfSum = Jax.grad((UnaryOperator<Array>) s -> Jax.vmap((UnaryOperator<Array>) x0 -> loop(s, x0,
                    max, k)).apply(Array.of(x0s)).sum()).apply(a).item();
            double sum = 0;
            for (int i = 0; i < x0s.length; i++) {
                int steps = (int) javaLoop(1.1, x0s[i], max)[1];
                double x0 = x0s[i];
                assertEquals(javaLoop(1.1, x0, max)[0], values[i], 1e-12, "value of example " + i);
                assertRel(grad(y -> unrolled(a, y, steps), x0), perExample[i], 1e-12, "vmap(grad) example " + i);
                sum += grad(s -> unrolled(s, Array.scalar(x0), steps), 1.1);
            }
            assertRel(sum, gradOfSum, 1e-12, "grad(vmap) k=" + k);
        }
    }

    @Test
    void jitEqualsEager() {
        Array x0 = Array.scalar(1.0);
        for (int k : new int[] {1, 3, 100}) {
            UnaryOperator<Array> f = s -> loop(s, x0, 100, k);
            Function<Array, Array> g = Jax.grad(f);
            assertEquals(f.apply(Array.scalar(1.1)).item(), Jax.jit(f).apply(Array.scalar(1.1)).item(), 1e-12);
            assertEquals(g.apply(Array.scalar(1.1)).item(), Jax.jit(g).apply(Array.scalar(1.1)).item(), 1e-12);
            // grad of a jitted loop
            Function<Array, Array> jitted = Jax.jit(f);
            assertEquals(g.apply(Array.scalar(1.1)).item(),
                    Jax.grad((UnaryOperator<Array>) s -> jitted.apply(s)).apply(Array.scalar(1.1)).item(), 1e-12);
        }
    }

    @Test
    void newtonIterationIsDifferentiatedThroughItsSteps() {
        // sqrt(p) by Newton's method from x = p, until |x^2 - p| < 1e-12 p: d/dp of the result is 1 / (2 sqrt p)
        UnaryOperator<Array> sqrt = p -> Eqx.whileLoop((Array x) -> Jnp.greater(Jnp.abs(x.mul(x).sub(p)), p.mul(1e-12)),
                (Array x) -> x.add(p.div(x)).mul(0.5), p, 50, WhileKind.CHECKPOINTED, 3);
        for (double p : new double[] {2.0, 10.0, 1e4}) {
            assertEquals(Math.sqrt(p), sqrt.apply(Array.scalar(p)).item(), 1e-12 * Math.sqrt(p));
            assertRel(0.5 / Math.sqrt(p), grad(sqrt, p), 1e-9, "d sqrt(p)/dp at " + p);
            assertRel(-0.25 / (p * Math.sqrt(p)), Jax.hessian(sqrt).apply(Array.scalar(p)).item(), 1e-6,
                    "second derivative at " + p);
        }
    }
}
