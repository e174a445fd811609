package dev.solstice.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.Lax;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Lax.whileLoop against Java loops and closed forms, under forward mode, vmap and jit. */
class WhileLoopTest {
    private static final double TOL = 1e-12;

    /** (k, y) -> while k < 5: (k + 1, y * x): x^5 times y0, with x captured. */
    private static Array fifthPower(Array x) {
        List<Array> out = Lax.whileLoop((List<Array> c) -> Jnp.less(c.get(0), Array.scalar(5)),
                (List<Array> c) -> List.of(c.get(0).add(Array.scalar(1)), c.get(1).mul(x)),
                List.of(Array.scalar(0), Jnp.onesLike(x)));
        return out.get(1);
    }

    /** Counts doublings y -> 2y + 1 from 1 until y >= limit, returning (count, y). */
    private static List<Array> doublings(Array limit) {
        return Lax.whileLoop((List<Array> c) -> Jnp.less(c.get(1), limit),
                (List<Array> c) -> List.of(c.get(0).add(Array.scalar(1)), c.get(1).mul(2.0).add(1.0)),
                List.of(Array.scalar(0), Array.scalar(1.0)));
    }

    private static double[] doublingsRef(double limit) {
        int k = 0;
        double y = 1;
        while (y < limit) {
            k++;
            y = 2 * y + 1;
        }
        return new double[] {k, y};
    }

    @Test
    void matchesTheJavaLoop() {
        for (double limit : new double[] {0.5, 1, 7, 100, 1e6}) {
            List<Array> r = doublings(Array.scalar(limit));
            double[] want = doublingsRef(limit);
            assertEquals(DType.INT32, r.get(0).dtype());
            assertEquals(want[0], r.get(0).item(), 0.0);
            assertEquals(want[1], r.get(1).item(), 0.0);
        }
        assertEquals(Math.pow(1.3, 5), fifthPower(Array.scalar(1.3)).item(), TOL);
    }

    @Test
    void forwardModeDerivativesMatchTheClosedForm() {
        for (double x : new double[] {-0.7, 1.3}) {
            Array xa = Array.scalar(x);
            Array t = Jax.jvp((Array v) -> fifthPower(v), xa, Array.scalar(1.0)).tangent();
            assertEquals(5 * Math.pow(x, 4), t.item(), 1e-10);
            UnaryOperator<Array> f = WhileLoopTest::fifthPower;
            assertEquals(5 * Math.pow(x, 4), Jax.jacfwd(f).apply(xa).item(), 1e-10);
            assertEquals(20 * Math.pow(x, 3), Jax.jacfwd(Jax.jacfwd(f)).apply(xa).item(), 1e-9);
        }
    }

    @Test
    void vmapWithABatchedPredicateMatchesThePerExampleLoop() {
        double[] limits = {0.5, 7, 100, 3};
        Array r = Jax.vmap((UnaryOperator<Array>) l -> {
            List<Array> c = doublings(l);
            return Jnp.astype(c.get(0), DType.FLOAT64).mul(1000.0).add(c.get(1));
        }).apply(Array.of(limits));
        double[] got = r.toDoubleArray();
        for (int i = 0; i < limits.length; i++) {
            double[] want = doublingsRef(limits[i]);
            assertEquals(want[0] * 1000 + want[1], got[i], 0.0, "limit " + limits[i]);
        }
    }

    @Test
    void vmapWithASharedPredicateAndJvpUnderVmap() {
        double[] xs = {0.5, -1.1, 2.0};
        double[] got = Jax.vmap((UnaryOperator<Array>) WhileLoopTest::fifthPower).apply(Array.of(xs)).toDoubleArray();
        double[] d = Jax.vmap(Jax.jacfwd((UnaryOperator<Array>) WhileLoopTest::fifthPower)).apply(Array.of(xs))
                .toDoubleArray();
        for (int i = 0; i < xs.length; i++) {
            assertEquals(Math.pow(xs[i], 5), got[i], TOL);
            assertEquals(5 * Math.pow(xs[i], 4), d[i], 1e-10);
        }
    }

    @Test
    void reverseModeIsRefusedWithDirections() {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> Jax.grad((UnaryOperator<Array>) WhileLoopTest::fifthPower).apply(Array.scalar(1.0)));
        assertTrue(e.getMessage().contains("Lax.whileLoop") && e.getMessage().contains("foriLoop")
                && e.getMessage().contains("scan"), e.getMessage());
    }

    @Test
    void aBodyThatChangesTheCarryNamesTheLeafAndBothAvals() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Lax.whileLoop(
                (List<Array> c) -> Jnp.less(c.get(0), Array.scalar(3)),
                (List<Array> c) -> List.of(c.get(0).add(Array.scalar(1)), Jnp.concatenate(List.of(c.get(1), c.get(1)), 0)),
                List.of(Array.scalar(0), Array.of(1.0, 2.0))));
        assertTrue(e.getMessage().contains("Lax.whileLoop") && e.getMessage().contains("[1]")
                && e.getMessage().contains("float64[4]") && e.getMessage().contains("float64[2]"), e.getMessage());
    }

    @Test
    void underJitEqualsEager() {
        UnaryOperator<Array> f = l -> {
            List<Array> c = doublings(l);
            return c.get(1).add(fifthPower(l.mul(0.01)));
        };
        var jitted = Jax.jit(f);
        for (double l : new double[] {3, 50}) {
            assertEquals(f.apply(Array.scalar(l)).item(), jitted.apply(Array.scalar(l)).item(), 0.0);
        }
    }
}
