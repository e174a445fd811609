package dev.solstice.staging;

import static dev.solstice.testing.Numeric.assertClose;
import static dev.solstice.testing.Numeric.assertExactly;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jax;
import dev.solstice.Jitted;
import dev.solstice.JittedArray;
import dev.solstice.Jnp;
import dev.solstice.testing.Numeric;
import java.util.Random;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * jit composed with every other transformation, in every order: each equals the eager computation exactly
 * (the same kernels run in the same order), and derivatives also match float64 central differences.
 */
class JitCompositionTest {
    private static final double FD_STEP = 1e-3;
    private static final double FD_TOL = 1e-8;

    /** A scalar function with non-trivial first, second and mixed derivatives. */
    private static Array f(Array x) {
        return Jnp.sum(Jnp.tanh(x).mul(Jnp.sin(x)).add(x.mul(x).mul(x).mul(0.25)));
    }

    /** A vector function: each output depends on every input. */
    private static Array g(Array x) {
        return Jnp.exp(x.mul(-0.5)).mul(Jnp.sum(Jnp.cos(x)));
    }

    private static final UnaryOperator<Array> F = JitCompositionTest::f;
    private static final UnaryOperator<Array> G = JitCompositionTest::g;

    private static Array x() {
        return Numeric.random(new Random(7), DType.FLOAT64, -1.5, 1.5, 4);
    }

    private static Array basis(int n, int i) {
        double[] e = new double[n];
        e[i] = 1;
        return Array.of(e);
    }

    /** The gradient of a scalar function by central differences, one input at a time. */
    private static double[] fdGradient(UnaryOperator<Array> fn, Array x) {
        double[] grad = new double[x.size()];
        for (int i = 0; i < grad.length; i++) {
            grad[i] = Numeric.centralDifference(fn, x, basis(x.size(), i), FD_STEP)[0];
        }
        return grad;
    }

    /** The Jacobian of a vector function by central differences, row-major {@code [out, in]}. */
    private static double[] fdJacobian(UnaryOperator<Array> fn, Array x) {
        int n = x.size();
        double[][] cols = new double[n][];
        for (int i = 0; i < n; i++) {
            cols[i] = Numeric.centralDifference(fn, x, basis(n, i), FD_STEP);
        }
        int m = cols[0].length;
        double[] jac = new double[m * n];
        for (int o = 0; o < m; o++) {
            for (int i = 0; i < n; i++) {
                jac[o * n + i] = cols[i][o];
            }
        }
        return jac;
    }

    @Test
    void jitOfGradEqualsGradAndFiniteDifferences() {
        Array x = x();
        Array eager = Jax.grad(F).apply(x);
        Array jitted = Jax.jit(Jax.grad(F)).apply(x);
        assertExactly(eager.toDoubleArray(), jitted.toDoubleArray(), "jit(grad f)");
        assertClose(fdGradient(F, x), jitted.toDoubleArray(), FD_TOL, FD_TOL, "jit(grad f) vs central differences");
    }

    @Test
    void gradOfJitEqualsGradAndFiniteDifferences() {
        Array x = x();
        JittedArray jf = Jax.jit(F);
        Array eager = Jax.grad(F).apply(x);
        Array staged = Jax.grad(jf).apply(x);
        assertExactly(eager.toDoubleArray(), staged.toDoubleArray(), "grad(jit f)");
        assertClose(fdGradient(F, x), staged.toDoubleArray(), FD_TOL, FD_TOL, "grad(jit f) vs central differences");
        Jax.grad(jf).apply(x.mul(2.0));
        assertEquals(1, jf.traceCount(), "grad(jit f) again traces nothing new");
    }

    @Test
    void vmapOfJitEqualsEachRow() {
        Array xs = Numeric.random(new Random(3), DType.FLOAT64, -1, 1, 3, 4);
        Array batched = Jax.vmap(Jax.jit(G)).apply(xs);
        assertExactly(Jax.vmap(G).apply(xs).toDoubleArray(), batched.toDoubleArray(), "vmap(jit g) vs vmap(g)");
        for (int r = 0; r < 3; r++) {
            Array row = xs.get(r);
            assertExactly(g(row).toDoubleArray(), batched.get(r).toDoubleArray(), "vmap(jit g) row " + r);
        }
    }

    @Test
    void jitOfVmapOfGradEqualsEagerAndFiniteDifferences() {
        Array xs = Numeric.random(new Random(4), DType.FLOAT64, -1, 1, 3, 4);
        UnaryOperator<Array> perExample = Jax.vmap(Jax.grad(F));
        Array staged = Jax.jit(perExample).apply(xs);
        assertExactly(perExample.apply(xs).toDoubleArray(), staged.toDoubleArray(), "jit(vmap(grad f))");
        for (int r = 0; r < 3; r++) {
            assertClose(fdGradient(F, xs.get(r)), staged.get(r).toDoubleArray(), FD_TOL, FD_TOL, "row " + r);
        }
    }

    @Test
    void hessianOfJitEqualsEagerAndFiniteDifferencesOfTheGradient() {
        Array x = x();
        UnaryOperator<Array> h = Jax.hessian(Jax.jit(F));
        Array staged = h.apply(x);
        assertExactly(Jax.hessian(F).apply(x).toDoubleArray(), staged.toDoubleArray(), "hessian(jit f)");
        assertClose(fdJacobian(Jax.grad(F), x), staged.toDoubleArray(), 1e-7, 1e-7, "hessian(jit f) vs differences");
    }

    @Test
    void jitOfJitEqualsEager() {
        Array x = x();
        Jitted<Array, Array> inner = Jax.jit(G);
        Jitted<Array, Array> outer = Jax.jit(y -> inner.apply(y.mul(2.0)).add(1.0));
        assertExactly(g(x.mul(2.0)).add(1.0).toDoubleArray(), outer.apply(x).toDoubleArray(), "jit(jit g)");
        assertExactly(Jax.grad((Array y) -> Jnp.sum(g(y.mul(2.0)))).apply(x).toDoubleArray(),
                Jax.grad((Array y) -> Jnp.sum(outer.apply(y))).apply(x).toDoubleArray(), "grad(jit(jit g))");
    }

    @Test
    void jitClosingOverAnOuterGradsTracer() {
        Array x0 = Array.of(0.5, -2.0, 3.0);
        UnaryOperator<Array> dy = Jax.grad((Array y) -> Jnp.sum(Jax.jit((Array x) -> Jnp.sin(x.mul(y))).apply(x0)));
        Array y = Array.scalar(0.7);
        double expected = 0; // d/dy sum(sin(x y)) = sum(x cos(x y))
        for (double xi : x0.toDoubleArray()) {
            expected += xi * Math.cos(xi * 0.7);
        }
        assertEquals(expected, dy.apply(y).item(), 1e-14);
        UnaryOperator<Array> plain = Jax.grad((Array z) -> Jnp.sum(Jax.jit((Array x) -> x.mul(z)).apply(x0)));
        assertEquals(0.5 - 2.0 + 3.0, plain.apply(y).item(), 0.0);
    }

    @Test
    void forwardModeAndHigherOrderThroughJit() {
        Array x = x();
        Array v = Numeric.random(new Random(9), DType.FLOAT64, -1, 1, 4);
        JittedArray jg = Jax.jit(G);
        assertExactly(Jax.jvp(G, x, v).tangent().toDoubleArray(), Jax.jvp(jg, x, v).tangent().toDoubleArray(), "jvp(jit g)");
        UnaryOperator<Array> jacfwd = Jax.jacfwd(jg);
        UnaryOperator<Array> jacrev = Jax.jacrev(jg);
        assertExactly(Jax.jacfwd(G).apply(x).toDoubleArray(), jacfwd.apply(x).toDoubleArray(), "jacfwd(jit g)");
        assertExactly(Jax.jacrev(G).apply(x).toDoubleArray(), jacrev.apply(x).toDoubleArray(), "jacrev(jit g)");
        assertClose(fdJacobian(G, x), jacrev.apply(x).toDoubleArray(), FD_TOL, FD_TOL, "jacrev(jit g) vs differences");
        UnaryOperator<Array> cube = s -> Jnp.sin(s).mul(s).mul(s);
        UnaryOperator<Array> third = Jax.grad(Jax.grad(Jax.grad(Jax.jit(cube))));
        Array s = Array.scalar(0.8);
        assertExactly(Jax.grad(Jax.grad(Jax.grad(cube))).apply(s).toDoubleArray(), third.apply(s).toDoubleArray(),
                "grad(grad(grad(jit h)))");
        assertEquals(Numeric.centralDifference(Jax.grad(Jax.grad(cube)), s, Array.scalar(1), FD_STEP)[0], third.apply(s).item(), 1e-7);
    }

    @Test
    void jitAroundDerivativesOfJit() {
        Array x = x();
        JittedArray jf = Jax.jit(F);
        assertExactly(Jax.grad(F).apply(x).toDoubleArray(), Jax.jit(Jax.grad(jf)).apply(x).toDoubleArray(),
                "jit(grad(jit f))");
        UnaryOperator<Array> hessian = Jax.hessian(jf);
        assertExactly(Jax.hessian(F).apply(x).toDoubleArray(), Jax.jit(hessian).apply(x).toDoubleArray(),
                "jit(hessian(jit f))");
    }

    @Test
    void linearizeAndVjpOfJitEqualEager() {
        Array x = x();
        Array v = Numeric.random(new Random(11), DType.FLOAT64, -1, 1, 4);
        JittedArray jg = Jax.jit(G);
        assertExactly(Jax.linearize(G, x).jvp().apply(v).toDoubleArray(), Jax.linearize(jg, x).jvp().apply(v).toDoubleArray(),
                "linearize(jit g) forward");
        assertExactly(Jax.vjp(G, x).pullback().apply(v).toDoubleArray(), Jax.vjp(jg, x).pullback().apply(v).toDoubleArray(),
                "vjp(jit g)");
    }

    @Test
    void gradOfVmapOfJitAndVmapOfGradOfJit() {
        Array xs = Numeric.random(new Random(5), DType.FLOAT64, -1, 1, 3, 4);
        JittedArray jf = Jax.jit(F);
        assertExactly(Jax.vmap(Jax.grad(F)).apply(xs).toDoubleArray(), Jax.vmap(Jax.grad(jf)).apply(xs).toDoubleArray(),
                "vmap(grad(jit f))");
        UnaryOperator<Array> total = b -> Jnp.sum(Jax.vmap(F).apply(b));
        assertExactly(Jax.grad(total).apply(xs).toDoubleArray(),
                Jax.grad((Array b) -> Jnp.sum(Jax.vmap(jf).apply(b))).apply(xs).toDoubleArray(), "grad(vmap(jit f))");
    }
}
