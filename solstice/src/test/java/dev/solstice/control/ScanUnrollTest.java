package dev.solstice.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@code ScanOptions.unroll(k)}: the same results as {@code unroll(1)} bit for bit (values, grad, vmap, jit), and
 * both against the Java loop and float64 central differences; lengths that k divides and that leave a remainder.
 */
class ScanUnrollTest {
    private static final int[] UNROLLS = {1, 2, 3, 4, 7, 11, 50};
    private static final double[] XS = {0.3, -0.8, 1.1, 0.25, -0.4, 0.9, -1.3, 0.05, 0.6, -0.2};

    /** h' = tanh(h * w + x), y = h * h; returns {final carry, ys}. */
    private static List<Array> scan(Array w, Array h0, Array xs, ScanOptions options) {
        Scan<Array, Array> s = Lax.scan((Array h, Array x) -> {
            Array next = Jnp.tanh(Jnp.add(Jnp.multiply(h, w), x));
            return new ScanStep<>(next, Jnp.multiply(next, next));
        }, h0, xs, options);
        return List.of(s.carry(), s.ys());
    }

    private static double[] javaLoop(double w, double h0, double[] xs, boolean reverse) {
        double h = h0;
        double[] out = new double[xs.length + 1];
        for (int k = 0; k < xs.length; k++) {
            int t = reverse ? xs.length - 1 - k : k;
            h = Math.tanh(h * w + xs[t]);
            out[1 + t] = h * h;
        }
        out[0] = h;
        return out;
    }

    private static double[] flat(List<Array> r) {
        double[] c = r.get(0).toDoubleArray();
        double[] ys = r.get(1).toDoubleArray();
        double[] out = new double[c.length + ys.length];
        System.arraycopy(c, 0, out, 0, c.length);
        System.arraycopy(ys, 0, out, c.length, ys.length);
        return out;
    }

    @Test
    void valuesEqualUnrollOneBitForBitAndTheJavaLoop() {
        for (boolean reverse : new boolean[] {false, true}) {
            ScanOptions base = reverse ? ScanOptions.reverse() : ScanOptions.defaults();
            double[] want = javaLoop(0.7, 0.2, XS, reverse);
            double[] one = flat(scan(Array.scalar(0.7), Array.scalar(0.2), Array.of(XS), base));
            assertArrayEquals(want, one, 1e-15);
            for (int k : UNROLLS) {
                double[] got = flat(scan(Array.scalar(0.7), Array.scalar(0.2), Array.of(XS), base.unroll(k)));
                assertArrayEquals(one, got, 0, "unroll " + k + (reverse ? " reversed" : ""));
            }
        }
    }

    @Test
    void gradEqualsUnrollOneAndCentralDifferences() {
        Array xs = Array.of(XS);
        double w = 0.7;
        double h0 = 0.2;
        double eps = 1e-6;
        double fd = (sumAll(javaLoop(w + eps, h0, XS, false)) - sumAll(javaLoop(w - eps, h0, XS, false))) / (2 * eps);
        Function<Array, Array> one = gradOf(h0, xs, ScanOptions.defaults());
        double gOne = one.apply(Array.scalar(w)).item();
        assertEquals(fd, gOne, 1e-8);
        for (int k : UNROLLS) {
            ScanOptions o = ScanOptions.defaults().unroll(k);
            Function<Array, Array> g = gradOf(h0, xs, o);
            assertEquals(gOne, g.apply(Array.scalar(w)).item(), 0, "unroll " + k);
        }
    }

    /** d/dw of (final carry + sum of ys). */
    private static Function<Array, Array> gradOf(double h0, Array xs, ScanOptions o) {
        return Jax.grad((Array v) -> {
            List<Array> r = scan(v, Array.scalar(h0), xs, o);
            return Jnp.add(Jnp.sum(r.get(1)), r.get(0));
        });
    }

    private static double sumAll(double[] v) {
        double s = 0;
        for (double d : v) {
            s += d;
        }
        return s;
    }

    @Test
    void vmapAndJitEqualUnrollOne() {
        Array ws = Array.of(0.7, -0.3, 1.2);
        Array xs = Array.of(XS);
        for (int k : new int[] {2, 3, 4}) {
            ScanOptions o = ScanOptions.reverse().unroll(k);
            Function<Array, Array> carry = v -> scan(v, Array.scalar(0.1), xs, o).get(0);
            double[] batched = Jax.vmap(carry).apply(ws).toDoubleArray();
            for (int b = 0; b < 3; b++) {
                double wb = ws.toDoubleArray()[b];
                assertEquals(javaLoop(wb, 0.1, XS, true)[0], batched[b], 1e-15, "vmap, unroll " + k);
                assertEquals(scan(Array.scalar(wb), Array.scalar(0.1), xs, ScanOptions.reverse()).get(0).item(),
                        batched[b], 0, "vmap against unroll 1, unroll " + k);
            }
            Function<Array, Array> jitted = Jax.jit(carry);
            assertEquals(carry.apply(Array.scalar(0.7)).item(), jitted.apply(Array.scalar(0.7)).item(), 0);
            Function<Array, Array> jitGrad = Jax.jit(Jax.grad(carry));
            double want = Jax.grad((Array v) -> scan(v, Array.scalar(0.1), xs, ScanOptions.reverse()).get(0))
                    .apply(Array.scalar(0.7)).item();
            assertEquals(want, jitGrad.apply(Array.scalar(0.7)).item(), 0, "jit(grad), unroll " + k);
        }
    }

    @Test
    void theStagedScanKeepsTheUnrollAndABadUnrollIsRefused() {
        String jaxpr = Jax.makeJaxpr((Array v) -> scan(v, Array.scalar(0.1), Array.of(XS),
                ScanOptions.defaults().unroll(4)).get(0)).apply(Array.scalar(0.5)).toString();
        assertTrue(jaxpr.contains("unroll"), jaxpr);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ScanOptions.defaults().unroll(0));
        assertTrue(e.getMessage().contains("unroll must be at least 1"), e.getMessage());
    }
}
