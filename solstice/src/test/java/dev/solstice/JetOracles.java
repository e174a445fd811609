package dev.solstice;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;

/** The oracle and comparison the Taylor-mode tests share (public for the tests of other packages). */
public final class JetOracles {
    private JetOracles() {}

    /** Independent normal entries of standard deviation {@code scale}, float64, of {@code shape}. */
    public static Array gaussian(Random random, double scale, int... shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextGaussian() * scale;
        }
        return Jnp.reshape(Array.of(v), shape);
    }

    /**
     * The k-th derivative at t = 0 of {@code f(x0 + sum_k series[k-1] t^k / k!)}, by k nested jvps in t: the
     * definition of the jet's output series, computed without any Taylor rule.
     */
    public static Array nestedJvp(UnaryOperator<Array> f, Array x0, List<Array> series, int k) {
        UnaryOperator<Array> g = t -> {
            Array x = x0;
            Array power = Array.scalar(1.0);
            double factorial = 1;
            for (int j = 1; j <= series.size(); j++) {
                power = power.mul(t);
                factorial *= j;
                x = x.add(series.get(j - 1).mul(power.mul(Array.scalar(1 / factorial))));
            }
            return f.apply(x);
        };
        UnaryOperator<Array> d = g;
        for (int i = 0; i < k; i++) {
            UnaryOperator<Array> inner = d;
            d = t -> Jax.jvp(inner, t, Array.scalar(1.0)).tangent();
        }
        return d.apply(Array.scalar(0.0));
    }

    /** Jax.jet of {@code f} at {@code x0} along {@code series} equals {@link #nestedJvp}, primal and every order. */
    public static void assertJetMatchesNestedJvp(String name, UnaryOperator<Array> f, Array x0, List<Array> series,
            double rtol) {
        Jet jet = Jax.jet(f, x0, series);
        assertClose(name + " primal", f.apply(x0), jet.primal(), 1e-15);
        assertEquals(series.size(), jet.series().size(), name);
        for (int k = 1; k <= series.size(); k++) {
            assertClose(name + " order " + k, nestedJvp(f, x0, series, k), jet.series().get(k - 1), rtol);
        }
    }

    /** Same aval, and every element within {@code rtol} of the largest expected magnitude (at least 1). */
    public static void assertClose(String what, Array expected, Array actual, double rtol) {
        assertEquals(expected.aval(), actual.aval(), what);
        double[] e = expected.toDoubleArray();
        double[] a = actual.toDoubleArray();
        double scale = 1;
        for (double v : e) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], rtol * scale, what + " element " + i);
        }
    }
}
