package dev.solstice.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.solstice.Array;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.Lax;
import dev.solstice.Scan;
import dev.solstice.ScanStep;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Control flow nested in control flow and in jit, under grad, Hessians and vmap, against Java loops and ifs. */
class ControlFlowCompositionTest {
    private static final double[] XS = {0.9, -0.3, 0.5, -1.2, 0.05, 0.7};

    /** A scan whose body branches: h' = h > 0 ? h * a - x : sin(h + x) * a. */
    private static Array branchyScan(Array a, Array xs) {
        Scan<Array, Array> s = Lax.scan((Array h, Array x) -> new ScanStep<>(Lax.cond(Jnp.greater(h, 0.0),
                (Array v) -> v.mul(a).sub(x), (Array v) -> Jnp.sin(v.add(x)).mul(a), h), h), Array.scalar(0.2), xs);
        return s.carry().add(s.ys().sum());
    }

    private static double branchyRef(double a, double[] xs) {
        double h = 0.2;
        double total = 0;
        for (double x : xs) {
            total += h;
            h = h > 0 ? h * a - x : Math.sin(h + x) * a;
        }
        return h + total;
    }

    private static double fd(Function<Double, Double> f, double a) {
        double h = 1e-6;
        return (f.apply(a + h) - f.apply(a - h)) / (2 * h);
    }

    @Test
    void condInsideScanUnderGradVmapAndJit() {
        Array xs = Array.of(XS);
        double[] as = {0.8, 1.3, -0.6};
        UnaryOperator<Array> f = a -> branchyScan(a, xs);
        double[] vals = Jax.vmap(f).apply(Array.of(as)).toDoubleArray();
        double[] grads = Jax.vmap(Jax.grad(f)).apply(Array.of(as)).toDoubleArray();
        var jittedGrad = Jax.jit(Jax.grad(f)::apply);
        for (int i = 0; i < as.length; i++) {
            double a = as[i];
            assertEquals(branchyRef(a, XS), vals[i], 1e-12);
            double want = fd(v -> branchyRef(v, XS), a);
            assertEquals(want, grads[i], 1e-7);
            assertEquals(grads[i], ((Array) jittedGrad.apply(Array.scalar(a))).item(), 1e-12);
            assertEquals(grads[i], Jax.grad((UnaryOperator<Array>) v -> Jax.jit(f).apply(v)).apply(Array.scalar(a))
                    .item(), 1e-12);
        }
    }

    @Test
    void hessianOfAJittedCondEqualsTheClosedForm() {
        var g = Jax.jit((UnaryOperator<Array>) x -> Lax.cond(Jnp.less(x, 1.0), (Array v) -> v.mul(v).mul(v),
                (Array v) -> Jnp.log(v), x));
        UnaryOperator<Array> f = g::apply;
        for (double x : new double[] {0.5, 2.0}) {
            double want = x < 1 ? 6 * x : -1 / (x * x);
            assertEquals(want, ((Array) Jax.jacrev(Jax.jacfwd(f)).apply(Array.scalar(x))).item(), 1e-10);
            assertEquals(want, ((Array) Jax.jacfwd(Jax.jacrev(f)).apply(Array.scalar(x))).item(), 1e-10);
        }
    }

    @Test
    void switchWithABatchedIndexMatchesThePerExampleSwitch() {
        List<Function<Array, Array>> branches = List.of(v -> v.mul(2.0), v -> Jnp.sin(v), v -> v.mul(v));
        int[] idx = {2, 0, 1, 5, -1};
        double[] xs = {1.5, -2.0, 0.3, 0.7, 4.0};
        Function<List<Array>, Array> f = in -> Lax.switchCase(in.get(0), branches, in.get(1));
        Array got = Jax.vmap(f).apply(List.of(Array.of(idx), Array.of(xs)));
        Array grad = Jax.vmap(Jax.grad((UnaryOperator<Array>) x -> Lax.switchCase(Array.scalar(1), branches, x)))
                .apply(Array.of(xs));
        for (int i = 0; i < xs.length; i++) {
            int b = Math.clamp(idx[i], 0, 2);
            double x = xs[i];
            double want = b == 0 ? 2 * x : b == 1 ? Math.sin(x) : x * x;
            assertEquals(want, got.toDoubleArray()[i], 1e-12, "example " + i);
            assertEquals(Math.cos(x), grad.toDoubleArray()[i], 1e-12);
        }
    }

    @Test
    void foriLoopUnderVmapAndHessian() {
        // c = c * x + 1, five times: c = x^5 + x^4 + x^3 + x^2 + x + 1
        UnaryOperator<Array> f = x -> Lax.foriLoop(0, 5, (Array i, Array c) -> c.mul(x).add(1.0), Array.scalar(1.0));
        double[] xs = {0.5, -1.5};
        double[] v = Jax.vmap(f).apply(Array.of(xs)).toDoubleArray();
        for (int i = 0; i < xs.length; i++) {
            double x = xs[i];
            assertEquals(1 + x + x * x + x * x * x + x * x * x * x + Math.pow(x, 5), v[i], 1e-12);
            double d2 = 2 + 6 * x + 12 * x * x + 20 * x * x * x;
            assertEquals(d2, ((Array) Jax.hessian(f).apply(Array.scalar(x))).item(), 1e-10);
        }
    }
}
