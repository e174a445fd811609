package dev.solstice.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.Lax;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Lax.cond and Lax.switchCase against Java ifs and closed forms, under every transformation. */
class CondTest {
    private static final double TOL = 1e-12;

    /** x > 0 ? sin(x) * x : exp(x) / 2, staged as a cond. */
    private static Array piecewise(Array x) {
        return Lax.cond(Jnp.greater(x, 0.0), (Array v) -> Jnp.sin(v).mul(v), (Array v) -> Jnp.exp(v).div(2.0), x);
    }

    private static double piecewiseRef(double x) {
        return x > 0 ? Math.sin(x) * x : Math.exp(x) / 2;
    }

    private static double piecewiseD1(double x) {
        return x > 0 ? Math.cos(x) * x + Math.sin(x) : Math.exp(x) / 2;
    }

    private static double piecewiseD2(double x) {
        return x > 0 ? -Math.sin(x) * x + 2 * Math.cos(x) : Math.exp(x) / 2;
    }

    private static final double[] POINTS = {-1.3, -0.2, 0.4, 2.1};

    @Test
    void condMatchesJavaIf() {
        for (double x : POINTS) {
            assertEquals(piecewiseRef(x), piecewise(Array.scalar(x)).item(), TOL);
        }
    }

    @Test
    void switchClampsTheIndexAndCarriesTrees() {
        List<Function<List<Array>, List<Array>>> branches = List.of(
                (List<Array> t) -> List.of(t.get(0).add(t.get(1)), t.get(1)),
                (List<Array> t) -> List.of(t.get(0).mul(t.get(1)), t.get(0)),
                (List<Array> t) -> List.of(t.get(0).sub(t.get(1)), t.get(1).mul(2.0)));
        List<Array> operand = List.of(Array.of(1.0, 2.0), Array.of(3.0, 5.0));
        int[] indices = {-4, 0, 1, 2, 9};
        double[][] want = {{4, 7, 3, 5}, {4, 7, 3, 5}, {3, 10, 1, 2}, {-2, -3, 6, 10}, {-2, -3, 6, 10}};
        for (int k = 0; k < indices.length; k++) {
            List<Array> r = Lax.switchCase(Array.scalar(indices[k]), branches, operand);
            double[] got = {r.get(0).toDoubleArray()[0], r.get(0).toDoubleArray()[1], r.get(1).toDoubleArray()[0],
                r.get(1).toDoubleArray()[1]};
            for (int i = 0; i < 4; i++) {
                assertEquals(want[k][i], got[i], TOL, "index " + indices[k]);
            }
        }
    }

    @Test
    void gradAndJvpMatchTheClosedForm() {
        UnaryOperator<Array> g = Jax.grad((UnaryOperator<Array>) CondTest::piecewise);
        for (double x : POINTS) {
            assertEquals(piecewiseD1(x), g.apply(Array.scalar(x)).item(), TOL, "grad at " + x);
            Array t = Jax.jvp((Array v) -> piecewise(v), Array.scalar(x), Array.scalar(1.0)).tangent();
            assertEquals(piecewiseD1(x), t.item(), TOL, "jvp at " + x);
        }
    }

    @Test
    void gradFlowsIntoCapturedValues() {
        // f(y) = x > 0 ? x * y : y * y with x captured; the cond captures y from the enclosing grad
        for (double x : new double[] {-1.0, 2.0}) {
            Array xa = Array.scalar(x);
            UnaryOperator<Array> g = Jax.grad((UnaryOperator<Array>) y -> Lax.cond(Jnp.greater(xa, 0.0),
                    (Array v) -> v.mul(y), (Array v) -> y.mul(y), xa));
            double y = 1.7;
            assertEquals(x > 0 ? x : 2 * y, g.apply(Array.scalar(y)).item(), TOL);
        }
    }

    @Test
    void hessianInBothModeOrders() {
        UnaryOperator<Array> f = CondTest::piecewise;
        for (double x : POINTS) {
            Array xa = Array.scalar(x);
            assertEquals(piecewiseD2(x), Jax.jacfwd(Jax.jacrev(f)).apply(xa).item(), 1e-10, "fwd(rev) " + x);
            assertEquals(piecewiseD2(x), Jax.jacrev(Jax.jacfwd(f)).apply(xa).item(), 1e-10, "rev(fwd) " + x);
            assertEquals(piecewiseD2(x), Jax.jacrev(Jax.jacrev(f)).apply(xa).item(), 1e-10, "rev(rev) " + x);
            assertEquals(piecewiseD2(x), Jax.jacfwd(Jax.jacfwd(f)).apply(xa).item(), 1e-10, "fwd(fwd) " + x);
        }
    }

    @Test
    void vmapWithABatchedPredicateMatchesThePerExampleLoop() {
        Array xs = Array.of(POINTS);
        double[] got = Jax.vmap((UnaryOperator<Array>) CondTest::piecewise).apply(xs).toDoubleArray();
        double[] grads = Jax.vmap(Jax.grad((UnaryOperator<Array>) CondTest::piecewise)).apply(xs).toDoubleArray();
        for (int i = 0; i < POINTS.length; i++) {
            assertEquals(piecewiseRef(POINTS[i]), got[i], TOL);
            assertEquals(piecewiseD1(POINTS[i]), grads[i], TOL);
        }
    }

    @Test
    void vmapWithASharedPredicateMatchesThePerExampleLoop() {
        Array xs = Array.of(POINTS);
        for (boolean p : new boolean[] {true, false}) {
            Array pred = Array.scalar(p);
            double[] got = Jax.vmap((UnaryOperator<Array>) x -> Lax.cond(pred, (Array v) -> Jnp.sin(v).mul(v),
                    (Array v) -> Jnp.exp(v).div(2.0), x)).apply(xs).toDoubleArray();
            for (int i = 0; i < POINTS.length; i++) {
                double x = POINTS[i];
                assertEquals(p ? Math.sin(x) * x : Math.exp(x) / 2, got[i], TOL);
            }
        }
    }

    @Test
    void theUntakenBranchGivesNoNaNGradientUnderVmap() {
        // grad(sum(vmap(x -> x > 0 ? sqrt(x) : 0))) at [0, 4]: sqrt' is infinite at 0 but that branch is not taken
        UnaryOperator<Array> perExample = x -> Lax.cond(Jnp.greater(x, 0.0), (Array v) -> Jnp.sqrt(v),
                (Array v) -> Jnp.zerosLike(v), x);
        UnaryOperator<Array> g = Jax.grad((UnaryOperator<Array>) xs -> Jax.vmap(perExample).apply(xs).sum());
        double[] got = g.apply(Array.of(0.0, 4.0)).toDoubleArray();
        assertFalse(Double.isNaN(got[0]), "NaN leaked from the untaken branch");
        assertEquals(0.0, got[0], 0.0);
        assertEquals(0.25, got[1], TOL);
    }

    @Test
    void mismatchedBranchesNameTheBranchPathAndAvals() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Lax.cond(Array.scalar(true),
                (List<Array> t) -> List.of(t.get(0), t.get(1)), (List<Array> t) -> List.of(t.get(0), t.get(0)),
                List.of(Array.of(1.0, 2.0), Array.scalar(3.0))));
        assertTrue(e.getMessage().contains("Lax.cond") && e.getMessage().contains("onTrue")
                && e.getMessage().contains("[1]") && e.getMessage().contains("float64[2]")
                && e.getMessage().contains("float64[]"), e.getMessage());
        IllegalArgumentException s = assertThrows(IllegalArgumentException.class, () -> Lax.switchCase(
                Array.scalar(0), List.of((Array v) -> List.of(v), (Array v) -> List.of(v, v)), Array.scalar(1.0)));
        assertTrue(s.getMessage().contains("branch 1") && s.getMessage().contains("structure"), s.getMessage());
    }

    @Test
    void underJitEqualsEager() {
        UnaryOperator<Array> f = x -> piecewise(x).add(Jax.grad((UnaryOperator<Array>) CondTest::piecewise).apply(x));
        var jitted = Jax.jit(f);
        for (double x : POINTS) {
            assertEquals(f.apply(Array.scalar(x)).item(), jitted.apply(Array.scalar(x)).item(), TOL);
        }
    }
}
