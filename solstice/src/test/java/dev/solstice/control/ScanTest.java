package dev.solstice.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.Lax;
import dev.solstice.Scan;
import dev.solstice.ScanOptions;
import dev.solstice.ScanStep;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Lax.scan, Lax.foriLoop and Lax.map against Java loops (plain doubles, and the same computation unrolled with
 * Solstice operations, whose derivatives do not involve scan), under grad, Hessians, vmap and jit.
 */
class ScanTest {
    private static final double TOL = 1e-12;
    private static final double[] XS = {0.3, -0.8, 1.1, 0.25, -0.4};

    /** The recurrence h' = sin(h) * a + x, y = h * h, one step. */
    private static ScanStep<Array, Array> step(Array h, Array x, Array a) {
        Array next = Jnp.sin(h).mul(a).add(x);
        return new ScanStep<>(next, next.mul(next));
    }

    /** sum(ys) + final carry, scanned. */
    private static Array scanned(Array a, Array xs) {
        Scan<Array, Array> s = Lax.scan((Array h, Array x) -> step(h, x, a), Jnp.zerosLike(a), xs);
        return s.ys().sum().add(s.carry());
    }

    /** The same computation as a Java loop of Solstice operations. */
    private static Array unrolled(Array a, Array xs) {
        Array h = Jnp.zerosLike(a);
        Array total = Jnp.zerosLike(a);
        for (int t = 0; t < xs.shape()[0]; t++) {
            ScanStep<Array, Array> st = step(h, xs.get(t), a);
            h = st.carry();
            total = total.add(st.y());
        }
        return total.add(h);
    }

    private static double scannedRef(double a, double[] xs, boolean reverse) {
        double h = 0;
        double total = 0;
        for (int k = 0; k < xs.length; k++) {
            double x = xs[reverse ? xs.length - 1 - k : k];
            h = Math.sin(h) * a + x;
            total += h * h;
        }
        return total + h;
    }

    @Test
    void matchesTheJavaLoopForwardAndReversed() {
        double a = 0.7;
        assertEquals(scannedRef(a, XS, false), scanned(Array.scalar(a), Array.of(XS)).item(), TOL);
        Scan<Array, Array> r = Lax.scan((Array h, Array x) -> step(h, x, Array.scalar(a)), Array.scalar(0.0),
                Array.of(XS), ScanOptions.reverse());
        assertEquals(scannedRef(a, XS, true), r.ys().sum().add(r.carry()).item(), TOL);
        // reversed: ys are stacked in slice order, so ys[last] is the first step's output
        assertEquals(XS[XS.length - 1] * XS[XS.length - 1], r.ys().toDoubleArray()[XS.length - 1], TOL);
    }

    @Test
    void treeCarriesAndInputsAndLengthWithoutInputs() {
        // carry (sum, count), xs (u, v): sum += u * v, count += 1; ys = sum
        List<Array> xs = List.of(Array.of(1.0, 2.0, 3.0), Array.of(4.0, 5.0, 6.0));
        Scan<List<Array>, Array> s = Lax.scan((List<Array> c, List<Array> x) -> {
            Array sum = c.get(0).add(x.get(0).mul(x.get(1)));
            return new ScanStep<>(List.of(sum, c.get(1).add(Array.scalar(1))), sum);
        }, List.of(Array.scalar(0.0), Array.scalar(0)), xs);
        assertEquals(32.0, s.carry().get(0).item(), 0.0);
        assertEquals(3.0, s.carry().get(1).item(), 0.0);
        assertEquals(List.of(4.0, 14.0, 32.0), List.of(s.ys().toDoubleArray()[0], s.ys().toDoubleArray()[1],
                s.ys().toDoubleArray()[2]));
        Scan<Array, Array> n = Lax.scan((Array c, Object x) -> new ScanStep<>(c.mul(2.0), null), Array.scalar(1.0),
                null, ScanOptions.ofLength(10));
        assertEquals(1024.0, n.carry().item(), 0.0);
    }

    @Test
    void gradEqualsGradOfTheUnrolledLoopAndFiniteDifferences() {
        Array xs = Array.of(XS);
        for (double a : new double[] {0.7, -1.2}) {
            double g = Jax.grad((UnaryOperator<Array>) v -> scanned(v, xs)).apply(Array.scalar(a)).item();
            double u = Jax.grad((UnaryOperator<Array>) v -> unrolled(v, xs)).apply(Array.scalar(a)).item();
            double h = 1e-6;
            double fd = (scannedRef(a + h, XS, false) - scannedRef(a - h, XS, false)) / (2 * h);
            assertEquals(u, g, 1e-12);
            assertEquals(fd, g, 1e-7);
            // gradient with respect to the scanned inputs too
            double[] gx = Jax.grad((UnaryOperator<Array>) v -> scanned(Array.scalar(a), v)).apply(xs).toDoubleArray();
            double[] ux = Jax.grad((UnaryOperator<Array>) v -> unrolled(Array.scalar(a), v)).apply(xs).toDoubleArray();
            for (int t = 0; t < XS.length; t++) {
                assertEquals(ux[t], gx[t], 1e-12);
            }
        }
    }

    @Test
    void hessianInBothModeOrdersEqualsTheUnrolledOne() {
        Array xs = Array.of(XS);
        UnaryOperator<Array> f = v -> scanned(v, xs);
        UnaryOperator<Array> u = v -> unrolled(v, xs);
        Array a = Array.scalar(0.6);
        double want = Jax.jacfwd(Jax.jacrev(u)).apply(a).item();
        assertEquals(want, Jax.jacfwd(Jax.jacrev(f)).apply(a).item(), 1e-11);
        assertEquals(want, Jax.jacrev(Jax.jacfwd(f)).apply(a).item(), 1e-11);
        assertEquals(want, Jax.jacrev(Jax.jacrev(f)).apply(a).item(), 1e-11);
        assertEquals(want, Jax.jacfwd(Jax.jacfwd(f)).apply(a).item(), 1e-11);
    }

    @Test
    void vmapMatchesThePerExampleLoop() {
        double[] as = {0.7, -1.2, 0.1};
        Array xs = Array.of(XS);
        double[] got = Jax.vmap((UnaryOperator<Array>) v -> scanned(v, xs)).apply(Array.of(as)).toDoubleArray();
        double[] grads = Jax.vmap(Jax.grad((UnaryOperator<Array>) v -> scanned(v, xs))).apply(Array.of(as))
                .toDoubleArray();
        for (int i = 0; i < as.length; i++) {
            assertEquals(scannedRef(as[i], XS, false), got[i], TOL);
            assertEquals(Jax.grad((UnaryOperator<Array>) v -> unrolled(v, xs)).apply(Array.scalar(as[i])).item(),
                    grads[i], 1e-12);
        }
        // batched scanned inputs (batch on axis 1 of the xs: the scan axis stays first)
        double[][] rows = {XS, {0.5, 0.5, -0.5, 0.2, 0.0}};
        Array batch = Jnp.stack(List.of(Array.of(rows[0]), Array.of(rows[1])), 1);
        double[] r = Jax.vmap((UnaryOperator<Array>) v -> scanned(Array.scalar(0.7), v), 1, 0).apply(batch)
                .toDoubleArray();
        for (int i = 0; i < rows.length; i++) {
            assertEquals(scannedRef(0.7, rows[i], false), r[i], TOL);
        }
    }

    @Test
    void theBodyIsTracedOnceWhateverTheLength() {
        for (int length : new int[] {10, 1000}) {
            AtomicInteger calls = new AtomicInteger();
            Array xs = Jnp.ones(dev.solstice.DType.FLOAT64, length);
            Scan<Array, Array> s = Lax.scan((Array c, Array x) -> {
                calls.incrementAndGet();
                return new ScanStep<>(c.add(x), c);
            }, Array.scalar(0.0), xs);
            assertEquals(length, s.carry().item(), 0.0);
            assertEquals(1, calls.get(), "body traced " + calls.get() + " times for length " + length);
        }
    }

    @Test
    void foriLoopAndMapMatchJavaLoops() {
        // c = c * x + i for i in [2, 7)
        UnaryOperator<Array> f = x -> Lax.foriLoop(2, 7, (Array i, Array c) -> c.mul(x).add(Jnp.astype(i, x.dtype())),
                Array.scalar(1.0));
        double x = 1.3;
        double c = 1;
        double dc = 0;
        for (int i = 2; i < 7; i++) {
            dc = dc * x + c;
            c = c * x + i;
        }
        assertEquals(c, f.apply(Array.scalar(x)).item(), TOL);
        assertEquals(dc, Jax.grad(f).apply(Array.scalar(x)).item(), 1e-10);
        assertEquals(1.0, Lax.foriLoop(3, 3, (Array i, Array v) -> v.mul(2.0), Array.scalar(1.0)).item(), 0.0);
        double[] m = Lax.map((Array v) -> Jnp.exp(v).sum(), Jnp.reshape(Array.of(XS), 5, 1)).toDoubleArray();
        for (int t = 0; t < XS.length; t++) {
            assertEquals(Math.exp(XS[t]), m[t], TOL);
        }
    }

    @Test
    void aBodyThatChangesTheCarryNamesTheLeafAndBothAvals() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Lax.scan(
                (List<Array> c, Array x) -> new ScanStep<>(List.of(c.get(0), Jnp.astype(c.get(1), dev.solstice.DType.FLOAT32)), x),
                List.of(Array.scalar(0.0), Array.of(1.0, 2.0)), Array.of(XS)));
        assertTrue(e.getMessage().contains("Lax.scan") && e.getMessage().contains("[1]")
                && e.getMessage().contains("float32[2]") && e.getMessage().contains("float64[2]"), e.getMessage());
    }

    @Test
    void underJitEqualsEagerAndGradOfJitWorks() {
        Array xs = Array.of(XS);
        UnaryOperator<Array> f = a -> scanned(a, xs).add(Jax.grad((UnaryOperator<Array>) v -> scanned(v, xs)).apply(a));
        var jitted = Jax.jit(f);
        for (double a : new double[] {0.7, -0.3}) {
            assertEquals(f.apply(Array.scalar(a)).item(), jitted.apply(Array.scalar(a)).item(), 1e-12);
        }
        var jittedScan = Jax.jit((UnaryOperator<Array>) v -> scanned(v, xs));
        double g = Jax.grad((UnaryOperator<Array>) v -> jittedScan.apply(v)).apply(Array.scalar(0.7)).item();
        assertEquals(Jax.grad((UnaryOperator<Array>) v -> unrolled(v, xs)).apply(Array.scalar(0.7)).item(), g, 1e-12);
    }

    @Test
    void residualsComputedFromCapturesAloneAreHoistedNotStacked() {
        // h' = tanh((2 W) h + x), grad wrt h0 with W known: the transposed product needs 2 W at every step, which
        // depends on the capture only, so it is computed once instead of stacked 30 times
        int steps = 30;
        int n = 6;
        Array xs = Jnp.ones(dev.solstice.DType.FLOAT64, steps, n).mul(0.1);
        Array w = Jnp.reshape(Jnp.arange(n * n), n, n).astype(dev.solstice.DType.FLOAT64).mul(0.01);
        java.util.function.Function<Array, Array> scanned = h0 -> Lax.scan((Array h, Array x) -> {
            Array next = Jnp.tanh(Jnp.matmul(w.mul(2.0), h).add(x));
            return new ScanStep<>(next, next);
        }, h0, xs).ys().sum();
        java.util.function.Function<Array, Array> looped = h0 -> {
            Array h = h0;
            Array total = Jnp.zerosLike(h0.sum());
            for (int t = 0; t < steps; t++) {
                h = Jnp.tanh(Jnp.matmul(w.mul(2.0), h).add(xs.get(t)));
                total = total.add(h.sum());
            }
            return total;
        };
        Array h0 = Jnp.linspace(-0.5, 0.5, n);
        double[] got = Jax.grad(scanned).apply(h0).toDoubleArray();
        double[] want = Jax.grad(looped).apply(h0).toDoubleArray();
        for (int i = 0; i < n; i++) {
            assertEquals(want[i], got[i], 1e-12);
        }
        var program = Jax.makeJaxpr(Jax.grad(scanned)).apply(h0);
        assertEquals(0, perStepMatrices(program.program(), steps, n), program.toString());
        double[] jitted = Jax.jit(Jax.grad(scanned)).apply(h0).toDoubleArray();
        Array v = Jnp.linspace(1.0, -0.3, n);
        double[] hvp = Jax.jvp(Jax.grad(scanned), h0, v).tangent().toDoubleArray();
        double[] hvpWant = Jax.jvp(Jax.grad(looped), h0, v).tangent().toDoubleArray();
        Array batch = Jnp.stack(List.of(h0, h0.mul(-2.0)), 0);
        double[] vmapped = Jax.vmap(Jax.grad(scanned)).apply(batch).toDoubleArray();
        double[] second = Jax.grad(looped).apply(h0.mul(-2.0)).toDoubleArray();
        for (int i = 0; i < n; i++) {
            assertEquals(want[i], jitted[i], 1e-12);
            assertEquals(hvpWant[i], hvp[i], 1e-12);
            assertEquals(want[i], vmapped[i], 1e-12);
            assertEquals(second[i], vmapped[n + i], 1e-12);
        }
    }

    /** Outputs of equations (nested jit calls too) that stack an n x n matrix per step. */
    private static int perStepMatrices(dev.solstice.ir.Program p, int steps, int n) {
        int count = 0;
        for (var eqn : p.eqns()) {
            if (eqn.primitive() instanceof dev.solstice.transform.JitCall call) {
                count += perStepMatrices(call.program(), steps, n);
            }
            for (var out : eqn.outputs()) {
                count += out.aval().rank() == 3 && out.aval().dim(0) == steps && out.aval().size() / steps == n * n
                        ? 1 : 0;
            }
        }
        return count;
    }

    @Test
    void reverseModeStacksPerStepResidualsButNotCapturedWeights() {
        // h' = tanh(W h + x) over 50 steps; grad wrt W. The per-step residuals are vectors; W (8x8) is read by every
        // step but is a capture, so it must not be stored 50 times
        int steps = 50;
        int n = 8;
        Array xs = Jnp.ones(dev.solstice.DType.FLOAT64, steps, n).mul(0.1);
        java.util.function.UnaryOperator<Array> loss = w -> Lax.scan((Array h, Array x) -> {
            Array next = Jnp.tanh(Jnp.matmul(w, h).add(x));
            return new ScanStep<>(next, next);
        }, Jnp.zeros(dev.solstice.DType.FLOAT64, n), xs).ys().sum();
        var program = Jax.makeJaxpr(Jax.grad(loss)).apply(Jnp.ones(dev.solstice.DType.FLOAT64, n, n).mul(0.05));
        long stackedElements = 0;
        for (var eqn : program.program().eqns()) {
            if (eqn.primitive() instanceof dev.solstice.transform.ScanLoop) {
                for (var out : eqn.outputs()) {
                    if (out.aval().rank() > 0 && out.aval().dim(0) == steps) {
                        stackedElements += out.aval().size();
                        assertTrue(out.aval().size() / steps < n * n, "a per-step copy of the weights: " + out.aval().str());
                    }
                }
            }
        }
        assertTrue(stackedElements > 0 && stackedElements <= 4L * steps * n, "stacked " + stackedElements);
    }
}
