package dev.solstice.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.solstice.Array;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.Lax;
import dev.solstice.Scan;
import dev.solstice.ScanStep;
import dev.solstice.core.Aval;
import dev.solstice.ir.ClosedProgram;
import dev.solstice.ir.Program;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Eager control flow reuses its compiled programs across calls (one canonical program per structure) and still reads
 * whatever its functions capture afresh on every call: results against Java loops and ifs.
 */
class ControlFlowCacheTest {

    /** State a function object reads when it runs, changed between calls (the case an identity cache gets wrong). */
    private Array weights = Array.of(1.0, 2.0, 3.0);
    private double scale = 2.0;

    private static double[] javaScaled(double[] x, double[] w, double s) {
        double[] r = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            r[i] = Math.sin(x[i]) * w[i] * s;
        }
        return r;
    }

    @Test
    void oneFunctionObjectReadingChangingFieldsGivesFreshResults() {
        double[] x = {0.3, -1.2, 2.5};
        Function<Array, Array> onTrue = v -> Jnp.multiply(Jnp.multiply(Jnp.sin(v), weights), scale);
        Function<Array, Array> onFalse = v -> Jnp.add(v, weights);
        for (int call = 0; call < 6; call++) {
            double[] w = {call, 1.5 * call - 2, 0.25 * call * call};
            weights = Array.of(w);
            scale = 0.5 + call;
            double[] got = Lax.cond(Array.scalar(true), onTrue, onFalse, Array.of(x)).toDoubleArray();
            assertArrayEquals(javaScaled(x, w, 0.5 + call), got, 1e-15, "call " + call);
            double[] other = Lax.cond(Array.scalar(false), onTrue, onFalse, Array.of(x)).toDoubleArray();
            for (int i = 0; i < x.length; i++) {
                assertEquals(x[i] + w[i], other[i], 0, "call " + call);
            }
        }
    }

    @Test
    void aCapturedArrayThatChangesIsAnOperandNotPartOfTheProgram() {
        Array[] held = {Array.of(1.0, 2.0)};
        Function<Array[], Array[]> f = a -> new Array[] {Jnp.multiply(a[0], held[0])};
        Aval[] avals = {new Aval(dev.solstice.DType.FLOAT64, 2)};
        ClosedProgram first = Staging.trace(f, avals);
        held[0] = Array.of(5.0, 7.0);
        ClosedProgram second = Staging.trace(f, avals);
        assertNotSame(first.program(), second.program());
        Program p1 = ControlFlowCache.canonical(first.program());
        assertSame(p1, ControlFlowCache.canonical(second.program()), "the same structure: one program");
        assertSame(held[0], second.consts().get(0), "the captured value stays the call's operand");
        // and a Lax.cond of that lambda follows the held array
        for (int call = 0; call < 4; call++) {
            held[0] = Array.of(call, -call);
            double[] got = Lax.cond(Array.scalar(1), (Array v) -> Jnp.multiply(v, held[0]), (Array v) -> v,
                    Array.of(3.0, 4.0)).toDoubleArray();
            assertArrayEquals(new double[] {3.0 * call, -4.0 * call}, got, 0);
        }
    }

    @Test
    void aJavaValueThatBecomesAParameterGivesAnotherProgram() {
        int[] power = {2};
        Function<Array[], Array[]> f = a -> new Array[] {Lax.integerPow(a[0], power[0])};
        Aval[] avals = {new Aval(dev.solstice.DType.FLOAT64)};
        Program square = ControlFlowCache.canonical(Staging.trace(f, avals).program());
        power[0] = 3;
        Program cube = ControlFlowCache.canonical(Staging.trace(f, avals).program());
        assertNotSame(square, cube, "integer_pow's exponent is part of the structure");
        for (int n = 1; n <= 4; n++) {
            power[0] = n;
            double got = Lax.cond(Array.scalar(true), (Array v) -> Lax.integerPow(v, power[0]), (Array v) -> v,
                    Array.scalar(1.5)).item();
            assertEquals(Math.pow(1.5, n), got, 1e-15, "power " + n);
        }
    }

    @Test
    void scanAndWhileReadTheirCapturesAfresh() {
        double[] xs = {0.5, -0.25, 1.0, 2.0};
        double[] decay = {0.9};
        for (int call = 0; call < 4; call++) {
            decay[0] = 0.9 - 0.2 * call;
            Scan<Array, Array> s = Lax.scan((Array c, Array x) -> {
                Array n = Jnp.add(Jnp.multiply(c, decay[0]), Jnp.tanh(x));
                return new ScanStep<>(n, n);
            }, Array.scalar(0.0), Array.of(xs));
            double c = 0;
            double[] ys = new double[xs.length];
            for (int t = 0; t < xs.length; t++) {
                c = c * decay[0] + Math.tanh(xs[t]);
                ys[t] = c;
            }
            assertEquals(c, s.carry().item(), 1e-15, "call " + call);
            assertArrayEquals(ys, s.ys().toDoubleArray(), 1e-15, "call " + call);
            double limit = 10.0 + 5 * call;
            Array end = Lax.whileLoop((Array v) -> Jnp.less(v, limit), (Array v) -> Jnp.multiply(v, 1.5),
                    Array.scalar(1.0));
            double want = 1.0;
            while (want < limit) {
                want *= 1.5;
            }
            assertEquals(want, end.item(), 0, "call " + call);
        }
    }

    @Test
    void derivedProgramsAreMemoisedAcrossCalls() {
        // d/dx of x > 0 ? sin(x) * w : x^3 * w (w captured), of a scan's final carry, of a while under jvp and vmap
        Function<Array, Array> cond = Jax.grad((Array x) -> Jnp.sum(Lax.cond(Jnp.greater(Jnp.sum(x), 0.0),
                (Array v) -> Jnp.multiply(Jnp.sin(v), weights), (Array v) -> Jnp.multiply(Lax.integerPow(v, 3),
                        weights), x)));
        Function<Array, Array> scan = Jax.grad((Array w) -> Jnp.sum(Lax.scan((Array c, Array x) ->
                new ScanStep<>(Jnp.tanh(Jnp.add(Jnp.multiply(c, w), x)), null), Array.of(0.1, 0.2),
                Array.of(new double[] {0.5, -0.3, 0.2, 0.7, -1.1, 0.4}, 3, 2)).carry()));
        Function<Array, Array> loop = (Array x) -> Lax.whileLoop((Array v) -> Jnp.less(Jnp.sum(v), 40.0),
                (Array v) -> Jnp.multiply(v, 1.5), x);
        Function<Array, Array> jvpWhile = x -> Jax.jvp(loop, x, Jnp.onesLike(x)).tangent();
        Function<Array, Array> vmapWhile = Jax.vmap(loop);
        Array x = Array.of(0.3, -0.2, 1.1);
        Array w = Array.of(0.9, -0.4);
        Array rows = Array.of(new double[] {1, 2, 3, 4}, 2, 2);
        Runnable all = () -> {
            cond.apply(x);
            scan.apply(w);
            jvpWhile.apply(x);
            vmapWhile.apply(rows);
        };
        all.run();
        int cached = ControlFlowCache.size();
        for (int call = 0; call < 3; call++) {
            weights = Array.of(call, 1.0, -call);
            double[] g = cond.apply(x).toDoubleArray();
            for (int i = 0; i < 3; i++) {
                assertEquals(Math.cos(x.toDoubleArray()[i]) * weights.toDoubleArray()[i], g[i], 1e-15);
            }
            all.run();
        }
        assertEquals(cached, ControlFlowCache.size(), "the same transformations again derive nothing new");
    }

    @Test
    void threadsWithTheirOwnCapturesShareOneProgram() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<double[]>> results = new ArrayList<>();
            for (int t = 0; t < 64; t++) {
                double k = t;
                results.add(pool.submit(() -> Lax.cond(Array.scalar(k % 2 == 0),
                        (Array v) -> Jnp.multiply(v, Array.of(k, k + 1)), (Array v) -> Jnp.subtract(v, k),
                        Array.of(1.0, 2.0)).toDoubleArray()));
            }
            for (int t = 0; t < 64; t++) {
                double[] want = t % 2 == 0 ? new double[] {t, 2.0 * (t + 1)} : new double[] {1.0 - t, 2.0 - t};
                assertArrayEquals(want, results.get(t).get(), 0, "task " + t);
            }
        } finally {
            pool.shutdown();
        }
    }
}
