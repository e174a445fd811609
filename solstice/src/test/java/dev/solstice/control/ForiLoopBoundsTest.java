package dev.solstice.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.Jax;
import dev.solstice.Jitted;
import dev.solstice.Jnp;
import dev.solstice.Lax;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@code Lax.foriLoop} with array bounds: concrete ones give the scan (reverse-differentiable), traced ones a while
 * loop (values, jvp and vmap against Java loops and closed forms; grad refused with a message naming static bounds).
 */
class ForiLoopBoundsTest {

    /** c' = c * x + i from c = 1, for i in [lo, hi). */
    private static Array loop(Array lo, Array hi, Array x) {
        return Lax.foriLoop(lo, hi, (Array i, Array c) -> Jnp.add(Jnp.multiply(c, x), Jnp.astype(i, x.dtype())),
                Array.scalar(1.0));
    }

    private static double javaLoop(int lo, int hi, double x) {
        double c = 1;
        for (int i = lo; i < hi; i++) {
            c = c * x + i;
        }
        return c;
    }

    /** d/dx of {@link #javaLoop}, by the same recurrence differentiated. */
    private static double javaLoopDx(int lo, int hi, double x) {
        double c = 1;
        double dc = 0;
        for (int i = lo; i < hi; i++) {
            dc = dc * x + c;
            c = c * x + i;
        }
        return dc;
    }

    @Test
    void tracedBoundsUnderJitRunAWhileLoopTracedOnce() {
        Jitted<List<Array>, Array> f = Jax.jit((List<Array> a) -> loop(a.get(0), a.get(1), a.get(2)));
        int[][] bounds = {{0, 5}, {2, 7}, {3, 3}, {6, 2}, {-2, 4}};
        for (int[] b : bounds) {
            double got = f.apply(List.of(Array.scalar(b[0]), Array.scalar(b[1]), Array.scalar(0.7))).item();
            assertEquals(javaLoop(b[0], b[1], 0.7), got, 1e-12, "bounds " + b[0] + ", " + b[1]);
        }
        assertEquals(1, f.traceCount(), "bounds are traced values, not static ones");
        String jaxpr = Jax.makeJaxpr((List<Array> a) -> loop(a.get(0), a.get(1), a.get(2)))
                .apply(List.of(Array.scalar(0), Array.scalar(3), Array.scalar(0.5))).toString();
        assertTrue(jaxpr.contains("while"), jaxpr);
    }

    @Test
    void concreteBoundsGiveTheReverseDifferentiableScan() {
        Function<Array, Array> g = Jax.grad((Array x) -> loop(Array.scalar(1), Array.scalar(6), x));
        assertEquals(javaLoopDx(1, 6, 0.8), g.apply(Array.scalar(0.8)).item(), 1e-12);
    }

    @Test
    void tracedBoundsDifferentiateInForwardModeAndRefuseReverseMode() {
        Function<List<Array>, Array> tangent = a -> Jax.jvp((Array x) -> loop(a.get(0), a.get(1), x), a.get(2),
                Array.scalar(1.0)).tangent();
        double got = Jax.jit(tangent).apply(List.of(Array.scalar(2), Array.scalar(7), Array.scalar(0.6))).item();
        assertEquals(javaLoopDx(2, 7, 0.6), got, 1e-12);
        double eps = 1e-6;
        assertEquals((javaLoop(2, 7, 0.6 + eps) - javaLoop(2, 7, 0.6 - eps)) / (2 * eps), got, 1e-7);
        Function<List<Array>, Array> grad = a -> Jax.grad((Array x) -> loop(a.get(0), a.get(1), x)).apply(a.get(2));
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> Jax.jit(grad)
                .apply(List.of(Array.scalar(0), Array.scalar(3), Array.scalar(0.5))));
        assertTrue(e.getMessage().contains("Lax.foriLoop with static bounds"), e.getMessage());
    }

    @Test
    void vmapOverTheUpperBoundRunsEachExamplesOwnSteps() {
        int[] his = {0, 3, 5, 1};
        Array out = Jax.vmap((Array hi) -> loop(Array.scalar(0), hi, Array.scalar(1.3))).apply(Array.of(his));
        for (int b = 0; b < his.length; b++) {
            assertEquals(javaLoop(0, his[b], 1.3), out.toDoubleArray()[b], 1e-12, "example " + b);
        }
    }

    @Test
    void boundsMustBeInt32Scalars() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> loop(Array.scalar(0), Array.of(1, 2), Array.scalar(1.0)));
        assertTrue(e.getMessage().contains("int32 scalars") && e.getMessage().contains("int32[2]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> loop(Array.scalar(0.0), Array.scalar(2), Array.scalar(1.0)));
    }
}
