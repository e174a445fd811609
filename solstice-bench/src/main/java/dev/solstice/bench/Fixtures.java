package dev.solstice.bench;

import dev.solstice.Array;

/** Deterministic inputs and result checks shared by the benchmarks: no randomness, same data every run. */
final class Fixtures {
    private Fixtures() {}

    /** A deterministic float64 array of the given shape: {@code 0.3 sin(1.7 k + 10 phase)}, k = 0 .. size-1. */
    static Array det(int size, double phase, int... shape) {
        double[] v = new double[size];
        for (int k = 0; k < size; k++) {
            v[k] = 0.3 * Math.sin(k * 1.7 + phase * 10);
        }
        return Array.of(v, shape);
    }

    /** The largest absolute elementwise difference; infinite when the lengths differ or a NaN appears. */
    static double maxAbsDiff(double[] a, double[] b) {
        if (a.length != b.length) {
            return Double.POSITIVE_INFINITY;
        }
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            double d = Math.abs(a[i] - b[i]);
            m = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(m, d);
        }
        return m;
    }

    /** The largest absolute element. */
    static double maxAbs(double[] a) {
        double m = 0;
        for (double d : a) {
            m = Math.max(m, Math.abs(d));
        }
        return m;
    }

    /**
     * Fails the benchmark's setup when a result disagrees with its oracle, so that no figure is reported for
     * code that computes the wrong thing. Checks correctness only, never timings.
     */
    static void require(boolean ok, String what, double error) {
        if (!ok) {
            throw new IllegalStateException("benchmark setup: " + what + " disagrees with its oracle (max error "
                    + error + "): the benchmark would time a wrong computation; fix the library (or the oracle) first");
        }
    }
}
