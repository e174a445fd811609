package dev.solstice.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.solstice.Array;
import dev.solstice.CustomVjpFwd;
import dev.solstice.DType;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.JvpResult;
import dev.solstice.Lax;
import dev.solstice.LinearizeResult;
import dev.solstice.Nn;
import dev.solstice.ValueAndGradAux;
import dev.solstice.VjpResult;
import dev.solstice.WithAux;
import dev.solstice.core.DenseArray;
import dev.solstice.testing.Numeric;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * What the transformations mean, independent of any particular primitive: ownership of tangents by tag
 * (perturbation confusion), real zeros for outputs that do not depend on the input, closures over outer
 * tracers in every nesting order, custom rules under every mode, auxiliary outputs, linearize, and the
 * errors users get for misuse. Expected values are closed forms or central differences in float64.
 */
class TransformSemanticsTest {

    static Array s(double v) {
        return Array.scalar(v);
    }

    /** The first-derivative operators on scalar functions, each as a function of the point. */
    static Map<String, Function<UnaryOperator<Array>, Function<Array, Array>>> firstDerivativeOps() {
        Map<String, Function<UnaryOperator<Array>, Function<Array, Array>>> m = new LinkedHashMap<>();
        m.put("jvp", f -> x -> Jax.jvp(f, x, Jnp.onesLike(x)).tangent());
        m.put("grad", f -> Jax.grad(f));
        m.put("valueAndGrad", f -> x -> Jax.valueAndGrad(f).apply(x).grad());
        m.put("jacfwd", f -> Jax.jacfwd(f));
        m.put("jacrev", f -> Jax.jacrev(f));
        m.put("vjp", f -> x -> Jax.vjp(f, x).pullback().apply(Jnp.onesLike(x)));
        m.put("linearize", f -> x -> Jax.linearize(f, x).jvp().apply(Jnp.onesLike(x)));
        return m;
    }

    // ---- perturbation confusion ---------------------------------------------------------------------------

    @Test
    void perturbationConfusionSeedCase() {
        assertEquals(4.0, Jax.grad((Array x) -> x.mul(Jax.grad((Array y) -> x.mul(y)).apply(Array.scalar(3.0))))
                .apply(Array.scalar(2.0)).item());
    }

    /** d/dx [x * d/dy (x y) at y = 3] = 2x = 4 at x = 2, for every pair of outer and inner operators. */
    @Test
    void perturbationConfusionInEveryOrder() {
        var ops = firstDerivativeOps();
        for (var outer : ops.entrySet()) {
            for (var inner : ops.entrySet()) {
                UnaryOperator<Array> f = x -> x.mul(inner.getValue().apply(y -> x.mul(y)).apply(s(3.0)));
                assertEquals(4.0, outer.getValue().apply(f).apply(s(2.0)).item(), outer.getKey() + " over " + inner.getKey());
                // Siskind and Pearlmutter's example: d/dx [x * d/dy (x + y)] = 1, not 2
                UnaryOperator<Array> g = x -> x.mul(inner.getValue().apply(y -> x.add(y)).apply(s(1.0)));
                assertEquals(1.0, outer.getValue().apply(g).apply(s(2.0)).item(), "x + y: " + outer.getKey() + " over " + inner.getKey());
            }
        }
    }

    // ---- nested closures over outer tracers ---------------------------------------------------------------

    /**
     * d/dx of (d/dy g(x, y) at y0) for g = sin(x y) + x^2 y^3, every pair of operators, against the closed
     * form cos(xy) - xy sin(xy) + 6 x y^2.
     */
    @Test
    void mixedPartialsThroughClosuresInEveryOrder() {
        double x0 = 0.7;
        double y0 = -1.3;
        double expected = Math.cos(x0 * y0) - x0 * y0 * Math.sin(x0 * y0) + 6 * x0 * y0 * y0;
        var ops = firstDerivativeOps();
        for (var outer : ops.entrySet()) {
            for (var inner : ops.entrySet()) {
                UnaryOperator<Array> dgdy = x -> inner.getValue()
                        .apply(y -> Jnp.add(Jnp.sin(x.mul(y)), Jnp.multiply(Jnp.square(x), Jnp.power(y, 3))))
                        .apply(s(y0));
                double got = outer.getValue().apply(dgdy).apply(s(x0)).item();
                assertEquals(expected, got, 1e-14, outer.getKey() + " over " + inner.getKey());
            }
        }
    }

    /** Three levels, each closing over all the enclosing variables: d^3/dx dy dz exp(x y z). */
    @Test
    void threeLevelsOfClosures() {
        double x0 = 0.4;
        double y0 = -0.9;
        double z0 = 1.3;
        double p = x0 * y0 * z0;
        double expected = Math.exp(p) * (1 + 3 * p + p * p);
        var ops = firstDerivativeOps();
        String[] names = {"jvp", "grad", "jacfwd", "jacrev", "linearize"};
        for (String a : names) {
            for (String b : names) {
                for (String c : names) {
                    UnaryOperator<Array> f = x -> ops.get(b).apply(
                            (Array y) -> ops.get(c).apply((Array z) -> Jnp.exp(x.mul(y).mul(z))).apply(s(z0))).apply(s(y0));
                    assertEquals(expected, ops.get(a).apply(f).apply(s(x0)).item(), 1e-13, a + " / " + b + " / " + c);
                }
            }
        }
    }

    /** A closure over an outer tracer inside a Hessian of a vector function. */
    @Test
    void hessianClosingOverAnOuterVariable() {
        // h(a) = sum of the Hessian of sum(a * x^3) w.r.t. x at x0 = sum(6 a x0); d/da = 6 sum(x0)
        Array x0 = Array.of(0.5, -1.0, 2.0);
        UnaryOperator<Array> h = a -> Jnp.sum(Jax.hessian((Array x) -> Jnp.sum(Jnp.multiply(a, Jnp.power(x, 3)))).apply(x0));
        assertEquals(6 * 1.5, h.apply(s(1.0)).item(), 1e-14);
        assertEquals(6 * 1.5, Jax.grad(u(h)).apply(s(1.0)).item(), 1e-14);
        assertEquals(6 * 1.5, Jax.jvp(h, s(1.0), s(1.0)).tangent().item(), 1e-14);
    }

    // ---- outputs that do not depend on the input --------------------------------------------------------

    /**
     * A constant output, a closed-over array, and a fresh scalar: every transformation gives real zeros of
     * the right shape, never the value itself.
     */
    @Test
    void independentOutputsGiveZerosOfTheRightShape() {
        Array closed = Array.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Array x = Array.of(0.5, -1.5);
        Map<String, UnaryOperator<Array>> fs = new LinkedHashMap<>();
        fs.put("closed-over array", v -> closed);
        fs.put("fresh constant", v -> Array.of(new double[] {7, 8, 9, 10, 11, 12}, 2, 3));
        fs.put("zerosLike-shaped constant", v -> Jnp.add(Jnp.ones(DType.FLOAT64, 2, 3), 4.0));
        fs.put("stopGradient", v -> Jnp.add(Lax.stopGradient(Jnp.sum(v)), Jnp.zeros(DType.FLOAT64, 2, 3)));
        for (var e : fs.entrySet()) {
            UnaryOperator<Array> f = e.getValue();
            String n = e.getKey();
            JvpResult<Array> j = Jax.jvp(f, x, Array.of(1.0, 1.0));
            assertZeros(new int[] {2, 3}, j.tangent(), n + " jvp");
            VjpResult<Array, Array> v = Jax.vjp(f, x);
            assertZeros(new int[] {2}, v.pullback().apply(Jnp.onesLike(closed)), n + " vjp");
            LinearizeResult<Array, Array> l = Jax.linearize(f, x);
            assertZeros(new int[] {2, 3}, l.jvp().apply(Array.of(1.0, 1.0)), n + " linearize");
            assertZeros(new int[] {2, 3, 2}, Jax.jacfwd(f).apply(x), n + " jacfwd");
            assertZeros(new int[] {2, 3, 2}, Jax.jacrev(f).apply(x), n + " jacrev");
            assertZeros(new int[] {2, 3, 2, 2}, Jax.jacfwd(Jax.jacrev(f)).apply(x), n + " jacfwd(jacrev)");
            assertZeros(new int[] {2, 3, 2, 2}, Jax.jacrev(Jax.jacfwd(f)).apply(x), n + " jacrev(jacfwd)");
            UnaryOperator<Array> scalar = v2 -> Jnp.sum(f.apply(v2));
            assertZeros(new int[] {2}, Jax.grad(scalar).apply(x), n + " grad");
            assertZeros(new int[] {2, 2}, Jax.hessian(scalar).apply(x), n + " hessian");
            assertZeros(new int[] {2, 2}, Jax.jacfwd(Jax.grad(scalar)).apply(x), n + " jacfwd(grad)");
            assertEquals(Jnp.sum(f.apply(x)).item(), Jax.valueAndGrad(scalar).apply(x).value().item(), n + " value");
        }
        // the value of the closed-over array is untouched
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, closed.toDoubleArray());
    }

    /**
     * The value of an outer transformation returned from an inner one is a constant to the inner one: its
     * inner derivative is 0 (a buggy pass-through would return x^2 and make the outer derivative 3x^2).
     */
    @Test
    void outerValuesAreConstantsToInnerTransforms() {
        var ops = firstDerivativeOps();
        for (var inner : ops.entrySet()) {
            UnaryOperator<Array> f = x -> x.mul(inner.getValue().apply(y -> x.mul(x)).apply(s(1.0)));
            for (var outer : ops.entrySet()) {
                assertEquals(0.0, outer.getValue().apply(f).apply(s(2.0)).item(), outer.getKey() + " over " + inner.getKey());
            }
            assertEquals(0.0, f.apply(s(2.0)).item(), inner.getKey() + " alone");
        }
        // jacfwd/jacrev/hessian of array outputs owned by the outer transformation
        UnaryOperator<Array> g = a -> Jnp.sum(Jax.jacfwd((Array y) -> Jnp.multiply(a, Jnp.ones(DType.FLOAT64, 3))).apply(Array.of(1.0, 2.0)));
        assertEquals(0.0, Jax.grad(u(g)).apply(s(2.0)).item());
        UnaryOperator<Array> jrev = Jax.jacrev((Array y) -> Jnp.multiply(s(2.0), Jnp.ones(DType.FLOAT64, 3)));
        UnaryOperator<Array> g2 = a -> Jnp.sum(Jax.jacrev((Array y) -> Jnp.multiply(a, Jnp.ones(DType.FLOAT64, 3))).apply(Array.of(1.0, 2.0)));
        assertZeros(new int[] {3, 2}, jrev.apply(Array.of(1.0, 2.0)), "jacrev of a constant");
        assertEquals(0.0, Jax.grad(u(g2)).apply(s(2.0)).item());
        UnaryOperator<Array> g3 = a -> Jnp.sum(Jax.hessian((Array y) -> Jnp.sum(Jnp.multiply(a, a))).apply(Array.of(1.0, 2.0)));
        assertEquals(0.0, Jax.grad(u(g3)).apply(s(2.0)).item());
        assertEquals(0.0, g3.apply(s(2.0)).item());
    }

    /** A pullback can be called many times and inside other transformations. */
    @Test
    void pullbackReusedAndDifferentiated() {
        VjpResult<Array, Array> r = Jax.vjp((Array x) -> Jnp.sin(x), Array.of(0.1, 0.2));
        double[] a = r.pullback().apply(Array.of(1.0, 1.0)).toDoubleArray();
        double[] b = r.pullback().apply(Array.of(2.0, 0.0)).toDoubleArray();
        assertArrayEquals(new double[] {Math.cos(0.1), Math.cos(0.2)}, a, 1e-16);
        assertArrayEquals(new double[] {2 * Math.cos(0.1), 0}, b, 1e-16);
        // the pullback is linear in the cotangent: differentiate through it
        UnaryOperator<Array> viaPullback = c -> Jnp.sum(r.pullback().apply(c));
        assertArrayEquals(new double[] {Math.cos(0.1), Math.cos(0.2)}, Jax.grad(u(viaPullback)).apply(Array.of(3.0, -1.0)).toDoubleArray(), 1e-16);
    }

    // ---- custom rules ----------------------------------------------------------------------------------------

    static final UnaryOperator<Array> PLAIN_SOFTPLUS = x -> Jnp.log1p(Jnp.exp(x));
    static final UnaryOperator<Array> CUSTOM_SOFTPLUS = Jax.customJvp(PLAIN_SOFTPLUS,
            (x, t) -> new JvpResult<>(Jnp.log1p(Jnp.exp(x)), Jnp.multiply(t, Nn.sigmoid(x))));

    /** A customJvp softplus-like function agrees with the plain one and with closed forms in every mode to order 3. */
    @Test
    void customJvpUnderEveryMode() {
        for (double x0 : new double[] {-1.2, 0, 0.7}) {
            double sg = 1 / (1 + Math.exp(-x0));
            double[] exact = {sg, sg * (1 - sg), sg * (1 - sg) * (1 - 2 * sg)};
            for (int k = 1; k <= 3; k++) {
                for (var m : derivatives(CUSTOM_SOFTPLUS::apply, k).entrySet()) {
                    double got = m.getValue().apply(s(x0)).item();
                    assertEquals(exact[k - 1], got, 1e-15, "custom softplus d^" + k + " at " + x0 + " by " + m.getKey());
                }
                for (var m : derivatives(PLAIN_SOFTPLUS, k).entrySet()) {
                    assertEquals(exact[k - 1], m.getValue().apply(s(x0)).item(), 1e-14, "plain softplus d^" + k + " by " + m.getKey());
                }
            }
        }
        UnaryOperator<Array> h = Jax.hessian((Array x) -> CUSTOM_SOFTPLUS.apply(x));
        assertEquals(0.25, h.apply(s(0.0)).item(), 1e-16);
        // on a vector: Hessian of the sum is diagonal sigmoid'
        Array v = Array.of(-1.0, 0.0, 2.0);
        double[] hv = Jax.hessian((Array x) -> Jnp.sum(CUSTOM_SOFTPLUS.apply(x))).apply(v).toDoubleArray();
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double sg = 1 / (1 + Math.exp(-v.toDoubleArray()[i]));
                assertEquals(i == j ? sg * (1 - sg) : 0, hv[i * 3 + j], 1e-15, "hessian " + i + "," + j);
            }
        }
    }

    /** The rule, not the function, is differentiated: a deliberately different rule shows through every mode. */
    @Test
    void customJvpRuleIsWhatGetsDifferentiated() {
        // f = x^3 with the rule t * x: f' = x, f'' = 1, f''' = 0
        UnaryOperator<Array> f = Jax.customJvp(x -> Jnp.power(x, 3), (x, t) -> new JvpResult<>(Jnp.power(x, 3), Jnp.multiply(t, x)));
        double[] expected = {2.0, 1.0, 0.0};
        for (int k = 1; k <= 3; k++) {
            for (var m : derivatives(f::apply, k).entrySet()) {
                assertEquals(expected[k - 1], m.getValue().apply(s(2.0)).item(), 0, "d^" + k + " by " + m.getKey());
            }
        }
        assertEquals(8.0, f.apply(s(2.0)).item(), "the value is f's");
        // a rule that closes over an outer variable
        UnaryOperator<Array> outer = a -> Jax.grad((Array x) -> Jax.customJvp(y -> Jnp.multiply(a, y),
                (y, t) -> new JvpResult<>(Jnp.multiply(a, y), Jnp.multiply(t, Jnp.square(a)))).apply(x)).apply(s(1.0));
        assertEquals(9.0, outer.apply(s(3.0)).item());
        assertEquals(6.0, Jax.grad(u(outer)).apply(s(3.0)).item());
        assertEquals(6.0, Jax.jacfwd(u(outer)).apply(s(3.0)).item());
    }

    static UnaryOperator<Array> customSin() {
        return Jax.customVjp(Jnp::sin, x -> new CustomVjpFwd(Jnp.sin(x), Jnp.cos(x)),
                (res, ct) -> Jnp.multiply(ct, res.getFirst()));
    }

    /** customVjp works under reverse mode to any order (the backward function is itself differentiated). */
    @Test
    void customVjpUnderReverseMode() {
        UnaryOperator<Array> f = customSin();
        UnaryOperator<Array> g = f;
        double x0 = 0.5;
        assertEquals(Math.sin(x0), f.apply(s(x0)).item(), 1e-16);
        assertEquals(Math.cos(x0), Jax.grad(g).apply(s(x0)).item(), 1e-16);
        assertEquals(Math.cos(x0), Jax.jacrev(g).apply(s(x0)).item(), 1e-16);
        assertEquals(Math.cos(x0), Jax.vjp(g, s(x0)).pullback().apply(s(1.0)).item(), 1e-16);
        assertEquals(-Math.sin(x0), Jax.jacrev(Jax.jacrev(g)).apply(s(x0)).item(), 1e-16);
        assertEquals(-Math.sin(x0), Jax.grad(Jax.grad(g)).apply(s(x0)).item(), 1e-16);
        assertEquals(-Math.cos(x0), Jax.grad(Jax.grad(Jax.grad(g))).apply(s(x0)).item(), 1e-16);
        // the custom rule is used: a bwd that doubles the cotangent doubles the gradient
        UnaryOperator<Array> doubled = Jax.customVjp(Jnp::sin, x -> new CustomVjpFwd(Jnp.sin(x), Jnp.cos(x)),
                (res, ct) -> Jnp.multiply(Jnp.multiply(ct, res.getFirst()), 2.0));
        assertEquals(2 * Math.cos(x0), Jax.grad(doubled).apply(s(x0)).item(), 1e-16);
        // vectors
        Array v = Array.of(0.1, -0.4);
        UnaryOperator<Array> jr = Jax.jacrev(g);
        assertArrayEquals(new double[] {Math.cos(0.1), 0, 0, Math.cos(-0.4)}, jr.apply(v).toDoubleArray(), 1e-16);
    }

    /** Forward mode through a customVjp function is an error that says so, as in JAX. */
    @Test
    void customVjpUnderForwardModeThrows() {
        UnaryOperator<Array> g = customSin();
        Map<String, Executable> calls = new LinkedHashMap<>();
        calls.put("jvp", () -> Jax.jvp(g, s(0.5), s(1.0)));
        calls.put("jacfwd", () -> Jax.jacfwd(g).apply(s(0.5)));
        calls.put("linearize then jvp", () -> Jax.linearize(g, s(0.5)).jvp().apply(s(1.0)));
        calls.put("jvp of a composition", () -> Jax.jvp((Array x) -> Jnp.exp(g.apply(Jnp.square(x))), s(0.5), s(1.0)));
        assertForwardModeErrors(calls);
    }

    /**
     * Forward over reverse (hessian = jacfwd(jacrev), jacfwd(grad), jvp of grad): JAX raises "can't apply
     * forward-mode autodiff (jvp) to a custom_vjp function" (jax#16049). Solstice differentiates bwd in forward
     * mode (the reverse pass is ordinary code) and returns the true second derivative of the function bwd
     * defines (-sin x here), in every one of these orders.
     */
    @Test
    void customVjpForwardOverReverseIsCorrect() {
        UnaryOperator<Array> g = customSin();
        Map<String, Function<Array, Array>> calls = new LinkedHashMap<>();
        calls.put("hessian", Jax.hessian(g));
        calls.put("jacfwd(grad)", Jax.jacfwd(Jax.grad(g)));
        calls.put("jacfwd(jacrev)", Jax.jacfwd(Jax.jacrev(g)));
        calls.put("jvp(grad)", x -> Jax.jvp(Jax.grad(g), x, s(1.0)).tangent());
        for (var c : calls.entrySet()) {
            assertEquals(-Math.sin(0.5), c.getValue().apply(s(0.5)).item(), 1e-16, c.getKey());
        }
    }

    /**
     * Forward over reverse of a customVjp function differentiates its fwd and bwd (the reverse pass is
     * ordinary code), so it works, and gives the true second derivative when bwd is the true gradient. If
     * fwd calls the customVjp function itself, the outer forward mode meets that call and says so.
     */
    @Test
    void customVjpForwardOverReverseDifferentiatesFwdAndBwdUnlessFwdCallsTheFunction() {
        UnaryOperator<Array> g = customSin();
        assertEquals(-Math.sin(0.5), Jax.hessian(g).apply(s(0.5)).item(), 1e-16, "hessian");
        @SuppressWarnings("unchecked")
        UnaryOperator<Array>[] self = new UnaryOperator[1];
        self[0] = Jax.customVjp(Jnp::sin, x -> new CustomVjpFwd(self[0].apply(x), Jnp.cos(x)),
                (r, ct) -> Jnp.multiply(ct, r.get(0)));
        UnaryOperator<Array> h = self[0]::apply;
        assertEquals(Math.cos(0.5), Jax.grad(h).apply(s(0.5)).item(), 1e-16, "grad still works");
        assertForwardModeErrors(Map.of("hessian with fwd calling f", () -> Jax.hessian(h).apply(s(0.5))));
    }

    static void assertForwardModeErrors(Map<String, Executable> calls) {
        for (var c : calls.entrySet()) {
            Throwable t = assertThrows(RuntimeException.class, c.getValue(), c.getKey());
            String msg = t.getMessage() == null ? "" : t.getMessage().toLowerCase();
            assertTrue(msg.contains("forward"), c.getKey() + ": message should mention forward mode: " + t.getMessage());
        }
    }

    // ---- auxiliary outputs and linearize --------------------------------------------------------------------

    record Stats(Array doubled, List<Array> parts, String label) {}

    @Test
    void valueAndGradWithAux() {
        Array x = Array.of(1.0, -2.0, 0.5);
        Function<Array, ValueAndGradAux<Array, Stats>> vg = Jax.valueAndGradWithAux(v -> new WithAux<>(
                Jnp.sum(Jnp.square(v)), new Stats(Jnp.multiply(v, 2.0), List.of(Jnp.sin(v), Jnp.sum(v)), "tag")));
        ValueAndGradAux<Array, Stats> r = vg.apply(x);
        assertEquals(5.25, r.value().item(), 1e-15);
        assertArrayEquals(new double[] {2, -4, 1}, r.grad().toDoubleArray(), 0);
        assertNotNull(r.aux());
        assertArrayEquals(new double[] {2, -4, 1}, r.aux().doubled().toDoubleArray(), 0);
        assertArrayEquals(new double[] {Math.sin(1), Math.sin(-2), Math.sin(0.5)}, r.aux().parts().get(0).toDoubleArray(), 1e-16);
        assertEquals(-0.5, r.aux().parts().get(1).item(), 0);
        assertEquals("tag", r.aux().label());
        // aux arrays are plain values, usable after the transformation ended
        assertTrue(r.aux().doubled() instanceof DenseArray, "aux array should be concrete: " + r.aux().doubled().getClass());
        assertEquals(DenseArray.class, r.aux().parts().get(0).getClass());
        // list aux and null aux
        var withList = Jax.valueAndGradWithAux((Array v) -> new WithAux<>(Jnp.sum(v), List.of(v))).apply(x);
        assertArrayEquals(x.toDoubleArray(), withList.aux().getFirst().toDoubleArray(), 0);
        var withNull = Jax.valueAndGradWithAux((Array v) -> new WithAux<Object>(Jnp.sum(v), null)).apply(x);
        assertArrayEquals(new double[] {1, 1, 1}, withNull.grad().toDoubleArray(), 0);
        // nested: gradient of a function that uses valueAndGradWithAux inside, aux from the outer variable
        UnaryOperator<Array> outer = a -> {
            var inner = Jax.valueAndGradWithAux((Array v) -> new WithAux<>(Jnp.sum(Jnp.multiply(a, Jnp.square(v))), a)).apply(x);
            return Jnp.sum(inner.grad());
        };
        // grad of a * sum(x^2) w.r.t. x is 2 a x, summed: 2 a sum(x) = -a; d/da = -1
        assertEquals(-1.0, Jax.grad(outer::apply).apply(s(3.0)).item(), 1e-15);
    }

    /** linearize evaluates the tangent map without re-running f, and equals jvp and central differences. */
    @Test
    void linearizeEqualsJvpAndDoesNotRerun() {
        AtomicInteger calls = new AtomicInteger();
        UnaryOperator<Array> f = v -> {
            calls.incrementAndGet();
            return Jnp.multiply(Jnp.sin(v), Jnp.sum(Jnp.exp(v)));
        };
        Array x = Array.of(0.3, -0.7, 1.1);
        LinearizeResult<Array, Array> lin = Jax.linearize(f, x);
        int afterLinearize = calls.get();
        assertArrayEquals(f.apply(x).toDoubleArray(), lin.primal().toDoubleArray(), 0);
        List<Array> tangents = List.of(Array.of(1.0, 0.0, 0.0), Array.of(0.2, -1.0, 0.5), Array.of(0.0, 0.0, 3.0));
        calls.set(afterLinearize);
        List<Array> results = new ArrayList<>();
        for (Array t : tangents) {
            results.add(lin.jvp().apply(t));
        }
        assertEquals(afterLinearize, calls.get(), "linearize's jvp must not call f again");
        for (int i = 0; i < tangents.size(); i++) {
            Array t = tangents.get(i);
            Array viaJvp = Jax.jvp(f, x, t).tangent();
            Numeric.assertClose(viaJvp, results.get(i), 1e-15, 1e-15, "linearize vs jvp along " + t);
            double[] fd = Numeric.centralDifference(f, x, t, 1e-3);
            Numeric.assertClose(fd, results.get(i).toDoubleArray(), 1e-9, 1e-9, "linearize vs central differences along " + t);
        }
        // linearize on float32 keeps float32
        LinearizeResult<Array, Array> l32 = Jax.linearize(f, Array.of(0.3f, -0.7f, 1.1f));
        assertEquals(DType.FLOAT32, l32.jvp().apply(Array.of(1f, 0f, 0f)).dtype());
    }

    // ---- errors ---------------------------------------------------------------------------------------------

    /** Asserts the exception type and that the message names the operation and each shape (spaces ignored). */
    static <T extends Throwable> T assertFails(Class<T> type, Executable e, String... fragments) {
        T t = assertThrows(type, e);
        String msg = t.getMessage();
        assertNotNull(msg, "exception without a message");
        String squashed = msg.replace(" ", "");
        for (String f : fragments) {
            if (!squashed.contains(f.replace(" ", ""))) {
                fail("message should mention '" + f + "': " + msg);
            }
        }
        return t;
    }

    @Test
    void gradOfNonScalarOutput() {
        assertFails(IllegalArgumentException.class, () -> Jax.grad((Array x) -> Jnp.sin(x)).apply(Array.of(1.0, 2.0, 3.0)), "grad", "[3]");
        assertFails(IllegalArgumentException.class, () -> Jax.valueAndGrad((Array x) -> Jnp.reshape(Jnp.sum(x), 1)).apply(Array.of(1.0, 2.0)),
                "valueAndGrad", "[1]");
        assertFails(IllegalArgumentException.class, () -> Jax.grad((Array x) -> Jnp.argmax(x)).apply(Array.of(1.0, 2.0)), "grad", "int32");
    }

    @Test
    void differentiatingWithRespectToIntegers() {
        Array ints = Array.of(1, 2, 3);
        assertFails(IllegalArgumentException.class, () -> Jax.grad((Array x) -> Jnp.sum(Jnp.astype(x, DType.FLOAT64))).apply(ints),
                "grad", "int32", "[3]");
        assertFails(IllegalArgumentException.class, () -> Jax.jacfwd((Array x) -> Jnp.astype(x, DType.FLOAT64)).apply(ints), "jacfwd", "int32");
        assertFails(IllegalArgumentException.class, () -> Jax.jacrev((Array x) -> Jnp.astype(x, DType.FLOAT64)).apply(ints), "jacrev", "int32");
        assertFails(IllegalArgumentException.class, () -> Jax.jvp((Array x) -> x, ints, ints), "jvp", "int32");
        assertFails(IllegalArgumentException.class, () -> Jax.vjp((Array x) -> x, ints), "vjp", "int32");
    }

    @Test
    void jvpWithAMismatchedTangent() {
        Array x = Array.of(1.0, 2.0, 3.0);
        assertFails(IllegalArgumentException.class, () -> Jax.jvp((Array v) -> Jnp.sin(v), x, Array.of(1.0, 2.0)), "jvp", "[2]", "[3]");
        assertFails(IllegalArgumentException.class, () -> Jax.jvp((Array v) -> Jnp.sin(v), x, Array.of(1f, 2f, 3f)), "jvp", "float32", "float64");
        assertFails(IllegalArgumentException.class, () -> Jax.linearize((Array v) -> Jnp.sin(v), x).jvp().apply(Array.of(1.0)),
                "linearize", "[1]", "[3]");
    }

    @Test
    void pullbackWithAMismatchedCotangent() {
        VjpResult<Array, Array> r = Jax.vjp((Array v) -> Jnp.sum(Jnp.sin(v), 1), Array.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3));
        assertFails(IllegalArgumentException.class, () -> r.pullback().apply(Array.of(1.0, 2.0, 3.0)), "vjp", "[3]", "[2]");
        assertFails(IllegalArgumentException.class, () -> r.pullback().apply(Array.of(1f, 2f)), "vjp", "float32", "float64");
    }

    @Test
    void customJvpRuleWithAWrongTangent() {
        UnaryOperator<Array> bad = Jax.customJvp(Jnp::sin, (x, t) -> new JvpResult<>(Jnp.sin(x), Jnp.sum(t)));
        assertFails(IllegalArgumentException.class, () -> Jax.jvp(bad::apply, Array.of(1.0, 2.0, 3.0), Array.of(1.0, 1.0, 1.0)),
                "customJvp", "[3]", "[]");
        assertFails(IllegalArgumentException.class, () -> Jax.grad((Array x) -> Jnp.sum(bad.apply(x))).apply(Array.of(1.0, 2.0, 3.0)),
                "customJvp", "[3]");
        UnaryOperator<Array> badDtype = Jax.customJvp(Jnp::sin, (x, t) -> new JvpResult<>(Jnp.sin(x), Jnp.astype(t, DType.FLOAT32)));
        assertFails(IllegalArgumentException.class, () -> Jax.jvp(badDtype::apply, Array.of(1.0, 2.0), Array.of(1.0, 1.0)),
                "customJvp", "float32", "float64");
        UnaryOperator<Array> nullRule = Jax.customJvp(Jnp::sin, (x, t) -> null);
        assertFails(IllegalArgumentException.class, () -> Jax.jvp(nullRule::apply, s(1.0), s(1.0)), "customJvp");
    }

    @Test
    void laxBinaryOperandsMustMatch() {
        Array a = Array.of(1.0, 2.0);
        Array b = Array.of(1.0, 2.0, 3.0);
        assertFails(IllegalArgumentException.class, () -> Lax.add(a, b), "add", "[2]", "[3]");
        assertFails(IllegalArgumentException.class, () -> Lax.mul(a, Array.of(1f, 2f)), "mul", "float64", "float32");
        assertFails(IllegalArgumentException.class, () -> Lax.max(Array.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3), b), "max", "[2,3]", "[3]");
        assertFails(IllegalArgumentException.class, () -> Lax.select(Array.of(true, false), a, b), "select", "[2]", "[3]");
        assertFails(IllegalArgumentException.class, () -> Lax.pow(a, Array.of(1, 2)), "pow", "int32");
        // also when traced
        assertFails(IllegalArgumentException.class, () -> Jax.grad((Array x) -> Jnp.sum(Lax.add(x, b))).apply(a), "add", "[2]", "[3]");
    }

    @Test
    void jnpBroadcastingFailure() {
        Array a = Array.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Array b = Array.of(1.0, 2.0, 3.0, 4.0);
        assertFails(IllegalArgumentException.class, () -> Jnp.add(a, b), "add", "[2,3]", "[4]");
        assertFails(IllegalArgumentException.class, () -> Jnp.multiply(b, a), "multiply", "[2,3]", "[4]");
        assertFails(IllegalArgumentException.class, () -> Jnp.where(Array.of(true, false), a, a), "where", "[2]", "[2,3]");
        assertFails(IllegalArgumentException.class, () -> Jnp.broadcastTo(a, 3, 3), "broadcastTo", "[2,3]", "[3,3]");
        assertFails(IllegalArgumentException.class, () -> Jax.grad((Array x) -> Jnp.sum(Jnp.multiply(x, b))).apply(a), "multiply", "[2,3]", "[4]");
    }

    @Test
    void matmulAndDotGeneralShapeErrors() {
        Array m23 = Array.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Array m45 = Jnp.ones(DType.FLOAT64, 4, 5);
        assertFails(IllegalArgumentException.class, () -> Jnp.matmul(m23, m45), "matmul", "[2,3]", "[4,5]");
        assertFails(IllegalArgumentException.class, () -> Jnp.matmul(s(2.0), m23), "matmul", "[]", "[2,3]");
        assertFails(IllegalArgumentException.class, () -> Jnp.matmul(m23, Array.of(1.0, 2.0)), "matmul", "[2,3]", "[2]");
        assertFails(IllegalArgumentException.class, () -> Jnp.dot(m23, m45), "dot", "[2,3]", "[4,5]");
        assertFails(IllegalArgumentException.class,
                () -> Lax.dotGeneral(m23, m45, new int[] {1}, new int[] {0}, new int[0], new int[0]), "dot_general", "[2,3]", "[4,5]");
        assertFails(IllegalArgumentException.class,
                () -> Lax.dotGeneral(m23, m45, new int[] {2}, new int[] {0}, new int[0], new int[0]), "dot_general", "[2,3]");
        assertFails(IllegalArgumentException.class,
                () -> Lax.dotGeneral(m23, Jnp.ones(DType.FLOAT64, 3, 5), new int[] {1}, new int[] {0}, new int[] {0}, new int[] {1}),
                "dot_general", "[2,3]", "[3,5]");
        assertFails(IllegalArgumentException.class, () -> Jax.grad((Array x) -> Jnp.sum(Jnp.matmul(x, m45))).apply(m23), "matmul", "[2,3]", "[4,5]");
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    static void assertZeros(int[] shape, Array a, String what) {
        assertArrayEquals(shape, a.shape(), what + ": shape");
        for (double v : a.toDoubleArray()) {
            if (v != 0) {
                fail(what + ": expected zeros, got " + a);
            }
        }
    }

    /** k-th derivative of a scalar function by all the compositions (shared with the other derivative tests). */
    static Map<String, Function<Array, Array>> derivatives(UnaryOperator<Array> f, int k) {
        return dev.solstice.AdOracles.derivatives(f, k, true);
    }

    /** An array function typed as the array overloads of Jax expect. */
    static UnaryOperator<Array> u(UnaryOperator<Array> f) {
        return f::apply;
    }
}
