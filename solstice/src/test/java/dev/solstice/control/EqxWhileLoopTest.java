package dev.solstice.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.Eqx;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.WhileKind;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Eqx.whileLoop's kinds against plain Java while loops (values), the same loop unrolled with
 * Solstice operations and float64 central differences (derivatives), under grad, jvp, vmap and jit.
 */
class EqxWhileLoopTest {
    private static final double TOL = 1e-12;
    static final double LIMIT = 10.0;
    private static final List<WhileKind> KINDS = List.of(WhileKind.LAX, WhileKind.BOUNDED, WhileKind.CHECKPOINTED);

    /** while (x < LIMIT && n < maxSteps) x = x * a + 0.1 * sin(x), in doubles; returns {x, n}. */
    static double[] javaLoop(double a, double x0, int maxSteps) {
        double x = x0;
        int n = 0;
        while (x < LIMIT && n < maxSteps) {
            x = x * a + 0.1 * Math.sin(x);
            n++;
        }
        return new double[] {x, n};
    }

    static Array step(Array x, Array a) {
        return x.mul(a).add(Jnp.sin(x).mul(0.1));
    }

    private static Array loop(Array a, Array x0, int maxSteps, WhileKind kind) {
        return Eqx.whileLoop((Array x) -> Jnp.less(x, LIMIT), (Array x) -> step(x, a), x0, maxSteps, kind);
    }

    /** The same loop with its iteration count fixed in Java: no control flow to differentiate. */
    static Array unrolled(Array a, Array x0, int iterations) {
        Array x = x0;
        for (int i = 0; i < iterations; i++) {
            x = step(x, a);
        }
        return x;
    }

    static double centralDifference(double a, double x0, int maxSteps) {
        double h = 1e-6;
        return (javaLoop(a + h, x0, maxSteps)[0] - javaLoop(a - h, x0, maxSteps)[0]) / (2 * h);
    }

    @Test
    void valuesMatchTheJavaLoopWhetherItStopsEarlyOrHitsMaxSteps() {
        // (x0, maxSteps): stops early (6 steps of 100, 300), hits maxSteps (5, 16, 20, 1), none at all (0, or x0 done)
        double[][] cases = {{1.1, 100}, {1.1, 300}, {1.1, 5}, {0.2, 16}, {1e-4, 20}, {1.1, 1}, {1.1, 0}, {12.0, 50}};
        for (WhileKind kind : KINDS) {
            for (double[] c : cases) {
                int max = (int) c[1];
                double want = javaLoop(1.5, c[0], max)[0];
                assertEquals(want, loop(Array.scalar(1.5), Array.scalar(c[0]), max, kind).item(), TOL,
                        kind + " x0=" + c[0] + " maxSteps=" + max);
            }
        }
        assertEquals(6, javaLoop(1.5, 1.1, 100)[1]);
        assertEquals(20, javaLoop(1.5, 1e-4, 20)[1]);
    }

    @Test
    void treeCarriesKeepTheirStructure() {
        // (x, count): count the doublings of x until it passes 100
        for (WhileKind kind : KINDS) {
            List<Array> r = Eqx.whileLoop((List<Array> c) -> Jnp.less(c.get(0), 100.0),
                    (List<Array> c) -> List.of(c.get(0).mul(2.0), c.get(1).add(Array.scalar(1))),
                    List.of(Array.scalar(3.0), Array.scalar(0)), 40, kind);
            assertEquals(192.0, r.get(0).item(), TOL);
            assertEquals(6, r.get(1).item(), TOL);
        }
    }

    @Test
    void gradThroughBoundedMatchesTheUnrolledLoopAndFiniteDifferences() {
        // stops early (2 levels: 100 -> 256), hits maxSteps with 2 levels (20 -> 256) and 1 level (5 -> 16)
        double[][] cases = {{1.1, 100}, {1e-4, 20}, {1.1, 5}};
        double a = 1.5;
        for (double[] c : cases) {
            int max = (int) c[1];
            int iterations = (int) javaLoop(a, c[0], max)[1];
            Array x0 = Array.scalar(c[0]);
            double got = Jax.grad((UnaryOperator<Array>) s -> loop(s, x0, max, WhileKind.BOUNDED))
                    .apply(Array.scalar(a)).item();
            double unrolledGrad = Jax.grad((UnaryOperator<Array>) s -> unrolled(s, x0, iterations))
                    .apply(Array.scalar(a)).item();
            assertEquals(unrolledGrad, got, 1e-10 * Math.max(1, Math.abs(unrolledGrad)), "maxSteps=" + max);
            double fd = centralDifference(a, c[0], max);
            assertEquals(fd, got, 1e-5 * Math.max(1, Math.abs(fd)), "maxSteps=" + max);
        }
    }

    @Test
    void gradThroughLaxIsRefusedWithTheWhileLoopError() {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> Jax.grad((UnaryOperator<Array>) s -> loop(s, Array.scalar(1.1), 100, WhileKind.LAX))
                        .apply(Array.scalar(1.5)));
        assertTrue(e.getMessage().contains("Lax.whileLoop") && e.getMessage().contains("reverse-mode"), e.getMessage());
    }

    @Test
    void jvpThroughBothKindsMatchesFiniteDifferences() {
        for (WhileKind kind : KINDS) {
            for (double[] c : new double[][] {{1.1, 100}, {1e-4, 20}}) {
                int max = (int) c[1];
                var r = Jax.jvp((Array s) -> loop(s, Array.scalar(c[0]), max, kind), Array.scalar(1.5),
                        Array.scalar(1.0));
                assertEquals(javaLoop(1.5, c[0], max)[0], r.primal().item(), TOL);
                double fd = centralDifference(1.5, c[0], max);
                assertEquals(fd, r.tangent().item(), 1e-5 * Math.max(1, Math.abs(fd)), kind + " maxSteps=" + max);
            }
        }
    }

    @Test
    void vmapOfBoundedStopsEachExampleAtItsOwnStep() {
        double[] x0s = {0.05, 1.1, 4.0, 9.5, 12.0};
        int max = 7; // the first example hits maxSteps, the others stop at different steps
        for (WhileKind kind : KINDS) {
            double[] got = Jax.vmap((UnaryOperator<Array>) x0 -> loop(Array.scalar(1.5), x0, max, kind))
                    .apply(Array.of(x0s)).toDoubleArray();
            for (int i = 0; i < x0s.length; i++) {
                assertEquals(javaLoop(1.5, x0s[i], max)[0], got[i], TOL, kind + " example " + i);
            }
        }
        // gradients per example, vmapped
        Array a = Array.scalar(1.5);
        double[] grads = Jax.vmap(Jax.grad((UnaryOperator<Array>) x0 -> loop(a, x0, max, WhileKind.BOUNDED)))
                .apply(Array.of(x0s)).toDoubleArray();
        for (int i = 0; i < x0s.length; i++) {
            int iterations = (int) javaLoop(1.5, x0s[i], max)[1];
            double want = Jax.grad((UnaryOperator<Array>) x0 -> unrolled(a, x0, iterations))
                    .apply(Array.scalar(x0s[i])).item();
            assertEquals(want, grads[i], 1e-10 * Math.max(1, Math.abs(want)), "example " + i);
        }
    }

    @Test
    void underVmapEveryKindStopsOnceNoExampleContinues() {
        // examples stop after 1 to 4 steps of at most 256 (BOUNDED: two levels of 16): the body runs 4 times, batched
        double[] x0s = {9.5, 4.0, 2.0, 8.0};
        int steps = (int) java.util.Arrays.stream(x0s).map(x -> javaLoop(1.5, x, 256)[1]).max().orElseThrow();
        assertEquals(4, steps);
        for (WhileKind kind : KINDS) {
            CountingIdentity counter = new CountingIdentity();
            Array a = Array.scalar(1.5);
            double[] got = Jax.vmap((UnaryOperator<Array>) x0 -> Eqx.whileLoop((Array x) -> Jnp.less(x, LIMIT),
                    (Array x) -> step(counter.apply(x), a), x0, 256, kind)).apply(Array.of(x0s)).toDoubleArray();
            for (int i = 0; i < x0s.length; i++) {
                assertEquals(javaLoop(1.5, x0s[i], 256)[0], got[i], TOL, kind + " example " + i);
            }
            assertEquals(steps, counter.evaluations(), kind + ": body evaluations");
        }
    }

    @Test
    void jitEqualsEager() {
        for (WhileKind kind : KINDS) {
            UnaryOperator<Array> f = s -> loop(s, Array.scalar(1e-4), 20, kind);
            assertEquals(f.apply(Array.scalar(1.5)).item(), Jax.jit(f).apply(Array.scalar(1.5)).item(), TOL);
        }
        java.util.function.Function<Array, Array> g = Jax.grad((UnaryOperator<Array>) s -> loop(s, Array.scalar(1.1), 100, WhileKind.BOUNDED));
        assertEquals(g.apply(Array.scalar(1.5)).item(), Jax.jit(g::apply).apply(Array.scalar(1.5)).item(), 1e-12);
    }

    @Test
    void badArgumentsAreRefusedClearly() {
        UnaryOperator<Array> body = x -> x;
        IllegalArgumentException neg = assertThrows(IllegalArgumentException.class,
                () -> Eqx.whileLoop((Array x) -> Jnp.less(x, 1.0), body, Array.scalar(0.0), -1, WhileKind.LAX));
        assertTrue(neg.getMessage().contains("Eqx.whileLoop") && neg.getMessage().contains("-1"), neg.getMessage());
        IllegalArgumentException ck = assertThrows(IllegalArgumentException.class, () -> Eqx.whileLoop(
                (Array x) -> Jnp.less(x, 1.0), body, Array.scalar(0.0), 5, WhileKind.CHECKPOINTED, 0));
        assertTrue(ck.getMessage().contains("checkpoints") && ck.getMessage().contains("0"), ck.getMessage());
    }
}
