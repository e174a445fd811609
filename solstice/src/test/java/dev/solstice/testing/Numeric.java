package dev.solstice.testing;

import static org.junit.jupiter.api.Assertions.fail;

import dev.solstice.Array;
import dev.solstice.DType;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Function;

/**
 * Independent numerical oracles and comparisons for tests: central differences in float64, dot products for
 * the adjoint test, random arrays, and closeness checks that print both values.
 */
public final class Numeric {
    private Numeric() {}

    /** Converts any array to float64 (a fresh concrete array). */
    public static Array toF64(Array x) {
        return Array.of(x.toDoubleArray(), x.shape());
    }

    /** {@code x + eps * v} in float64. */
    public static Array axpy(Array x, double eps, Array v) {
        double[] a = x.toDoubleArray();
        double[] b = v.toDoubleArray();
        double[] r = new double[a.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = a[i] + eps * b[i];
        }
        return Array.of(r, x.shape());
    }

    /**
     * The directional derivative of {@code f} at {@code x} along {@code v} by the fourth-order central
     * difference {@code (-f(x+2h) + 8f(x+h) - 8f(x-h) + f(x-2h)) / 12h}, all in float64.
     */
    public static double[] centralDifference(Function<Array, Array> f, Array x, Array v, double h) {
        double[] p2 = f.apply(axpy(x, 2 * h, v)).toDoubleArray();
        double[] p1 = f.apply(axpy(x, h, v)).toDoubleArray();
        double[] m1 = f.apply(axpy(x, -h, v)).toDoubleArray();
        double[] m2 = f.apply(axpy(x, -2 * h, v)).toDoubleArray();
        double[] r = new double[p1.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = (-p2[i] + 8 * p1[i] - 8 * m1[i] + m2[i]) / (12 * h);
        }
        return r;
    }

    /** The sum of elementwise products, in float64. */
    public static double dot(Array a, Array b) {
        double[] x = a.toDoubleArray();
        double[] y = b.toDoubleArray();
        if (x.length != y.length) {
            fail("dot of arrays of different sizes: " + a.aval() + " and " + b.aval());
        }
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += x[i] * y[i];
        }
        return s;
    }

    /** A random array of a dtype and shape: floats uniform in [lo, hi], ints in [-3, 3], fair bools. */
    public static Array random(Random r, DType t, double lo, double hi, int... shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + (hi - lo) * r.nextDouble();
        }
        Array d = Array.of(v, shape);
        return switch (t) {
            case FLOAT64 -> d;
            case FLOAT32 -> Array.of(d.toFloatArray(), shape);
            case INT32 -> {
                int[] iv = new int[n];
                for (int i = 0; i < n; i++) {
                    iv[i] = r.nextInt(7) - 3;
                }
                yield Array.of(iv, shape);
            }
            case BOOL -> {
                boolean[] bv = new boolean[n];
                for (int i = 0; i < n; i++) {
                    bv[i] = r.nextBoolean();
                }
                yield Array.of(bv, shape);
            }
            default -> throw new IllegalArgumentException("no random values of " + t + " here");
        };
    }

    /** Asserts {@code |a - e| <= atol + rtol |e|} elementwise (NaNs must match, infinities must be equal). */
    public static void assertClose(double[] expected, double[] actual, double rtol, double atol, String what) {
        if (expected.length != actual.length) {
            fail(what + ": expected " + expected.length + " values, got " + actual.length);
        }
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            boolean ok = Double.isNaN(e) ? Double.isNaN(a)
                    : Double.isInfinite(e) ? e == a
                    : Math.abs(a - e) <= atol + rtol * Math.abs(e);
            if (!ok) {
                fail(what + ": element " + i + " expected " + e + " but got " + a + " (rtol " + rtol + ", atol " + atol
                        + ")\n expected " + Arrays.toString(expected) + "\n actual   " + Arrays.toString(actual));
            }
        }
    }

    /** {@link #assertClose(double[], double[], double, double, String)} on arrays, also checking the shape. */
    public static void assertClose(Array expected, Array actual, double rtol, double atol, String what) {
        if (!Arrays.equals(expected.shape(), actual.shape())) {
            fail(what + ": expected shape " + Arrays.toString(expected.shape()) + " but got " + Arrays.toString(actual.shape()));
        }
        assertClose(expected.toDoubleArray(), actual.toDoubleArray(), rtol, atol, what);
    }

    /** Asserts exact equality, bit for bit except that 0.0 equals -0.0: for structural zeros and exact results. */
    public static void assertExactly(double[] expected, double[] actual, String what) {
        assertClose(expected, actual, 0, 0, what);
    }

    /**
     * A float64 array of distinct values at least {@code gap - jitter} apart, in shuffled order and centred on zero
     * ({@code gap * k} for a shuffled k, plus up to {@code jitter}): for sorts and running extremes, whose
     * central differences must not reorder the elements.
     */
    public static Array separated(Random r, double gap, double jitter, int... shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        java.util.List<Integer> k = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            k.add(i);
        }
        java.util.Collections.shuffle(k, r);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = gap * (k.get(i) - n / 2.0) + jitter * r.nextDouble();
        }
        return Array.of(v, shape);
    }
}
