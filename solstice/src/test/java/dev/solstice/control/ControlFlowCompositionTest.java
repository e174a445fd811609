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
        UnaryOperator<Array> f = g; // a jitted array function is an array function
        for (double x : new double[] {0.5, 2.0}) {
            double want = x < 1 ? 6 * x : -1 / (x * x);
            assertEquals(want, Jax.jacrev(Jax.jacfwd(f)).apply(Array.scalar(x)).item(), 1e-10);
            assertEquals(want, Jax.jacfwd(Jax.jacrev(f)).apply(Array.scalar(x)).item(), 1e-10);
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
            assertEquals(d2, Jax.hessian(f).apply(Array.scalar(x)).item(), 1e-10);
        }
    }

    /** Newton's iteration for sqrt(s) until |y*y - s| < 1e-12, counting steps: (y, steps). */
    private static List<Array> newtonSqrt(Array s) {
        return Lax.whileLoop((List<Array> c) -> Jnp.greater(Jnp.abs(c.get(0).mul(c.get(0)).sub(s)), 1e-12),
                (List<Array> c) -> List.of(c.get(0).add(s.div(c.get(0))).mul(0.5), c.get(1).add(Array.scalar(1))),
                List.of(Jnp.maximum(s, Jnp.onesLike(s)), Array.scalar(0)));
    }

    private static int newtonSteps(double s) {
        double y = Math.max(s, 1);
        int k = 0;
        while (Math.abs(y * y - s) > 1e-12) {
            y = (y + s / y) * 0.5;
            k++;
        }
        return k;
    }

    @Test
    void whileWithABatchedPredicateUnderJitAndForwardModeDerivative() {
        double[] ss = {2.0, 9.0, 0.25, 1e4};
        Function<Array, List<Array>> batched = Jax.vmap((Function<Array, List<Array>>) s -> newtonSqrt(s));
        var jitted = Jax.jit(batched);
        List<Array> eager = batched.apply(Array.of(ss));
        List<Array> compiled = jitted.apply(Array.of(ss));
        // implicit forward mode: the iteration's derivative converges to d sqrt(s)/ds = 1 / (2 sqrt(s))
        double[] d = Jax.vmap(Jax.jacfwd((UnaryOperator<Array>) s -> newtonSqrt(s).get(0))).apply(Array.of(ss))
                .toDoubleArray();
        for (int i = 0; i < ss.length; i++) {
            assertEquals(Math.sqrt(ss[i]), eager.get(0).toDoubleArray()[i], 1e-9);
            assertEquals(newtonSteps(ss[i]), eager.get(1).toIntArray()[i], "steps for " + ss[i]);
            assertEquals(eager.get(0).toDoubleArray()[i], compiled.get(0).toDoubleArray()[i], 0.0);
            assertEquals(eager.get(1).toIntArray()[i], compiled.get(1).toIntArray()[i]);
            assertEquals(1 / (2 * Math.sqrt(ss[i])), d[i], 1e-9);
        }
    }

    @Test
    void reverseScanGradEqualsTheReversedUnrolledLoop() {
        Array xs = Array.of(XS);
        UnaryOperator<Array> scanned = a -> {
            Scan<Array, Array> s = Lax.scan((Array h, Array x) -> new ScanStep<>(Jnp.tanh(h.mul(a).add(x)), h.mul(x)),
                    Array.scalar(0.1), xs, dev.solstice.ScanOptions.reverse());
            return s.carry().add(s.ys().mul(Array.of(1.0, 2.0, 3.0, 4.0, 5.0, 6.0)).sum());
        };
        UnaryOperator<Array> unrolled = a -> {
            Array h = Array.scalar(0.1);
            Array total = Array.scalar(0.0);
            for (int t = XS.length - 1; t >= 0; t--) {
                total = total.add(h.mul(xs.get(t)).mul(t + 1.0));
                h = Jnp.tanh(h.mul(a).add(xs.get(t)));
            }
            return h.add(total);
        };
        for (double a : new double[] {0.4, -1.1}) {
            assertEquals(unrolled.apply(Array.scalar(a)).item(), scanned.apply(Array.scalar(a)).item(), 1e-12);
            assertEquals(Jax.grad(unrolled).apply(Array.scalar(a)).item(),
                    Jax.grad(scanned).apply(Array.scalar(a)).item(), 1e-12);
        }
    }
}
