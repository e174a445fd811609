package dev.solstice.tree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.solstice.Array;
import dev.solstice.testing.Numeric;
import java.util.Arrays;
import java.util.function.Function;

/**
 * Oracles for the tree tests that do not go through the code under test: arrays packed into and cut out of
 * float64 vectors by hand (never with {@link Tree#ravel}), and finite-difference gradients and Jacobians of
 * functions of such vectors (all in float64, by {@link Numeric#centralDifference}).
 */
public final class TreeOracles {
    private TreeOracles() {}

    /** The central-difference step used throughout. */
    public static final double H = 1e-3;

    /** A float64 vector. */
    public static Array vec(double... v) {
        return Array.of(v);
    }

    /** A float64 array of the given shape, filled row-major. */
    public static Array arr(int[] shape, double... v) {
        return Array.of(v, shape);
    }

    /** A float64 matrix, filled row-major. */
    public static Array mat(int rows, int cols, double... v) {
        return Array.of(v, rows, cols);
    }

    /** Shape literal. */
    public static int[] shape(int... s) {
        return s;
    }

    /** Concatenates the values of the arrays (row-major) into one float64 vector, by hand. */
    public static Array pack(Array... parts) {
        int n = 0;
        for (Array p : parts) {
            n += p.size();
        }
        double[] out = new double[n];
        int o = 0;
        for (Array p : parts) {
            double[] v = p.toDoubleArray();
            System.arraycopy(v, 0, out, o, v.length);
            o += v.length;
        }
        return Array.of(out);
    }

    /** A concrete float64 piece of a concrete vector: {@code size(shape)} values from {@code offset}. */
    public static Array piece(Array flat, int offset, int... shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        double[] v = flat.toDoubleArray();
        return Array.of(Arrays.copyOfRange(v, offset, offset + n), shape);
    }

    /** The gradient of a scalar function of a vector, element by element, by central differences. */
    public static double[] fdGradient(Function<Array, Array> f, Array x) {
        double[] g = new double[x.size()];
        for (int k = 0; k < g.length; k++) {
            g[k] = Numeric.centralDifference(f, x, basis(x.size(), k), H)[0];
        }
        return g;
    }

    /**
     * The Jacobian of a function of a vector by central differences, as a row-major {@code [out, in]} matrix
     * (out = the flattened output).
     */
    public static double[][] fdJacobian(Function<Array, Array> f, Array x) {
        int n = x.size();
        double[][] cols = new double[n][];
        for (int k = 0; k < n; k++) {
            cols[k] = Numeric.centralDifference(f, x, basis(n, k), H);
        }
        int m = cols.length == 0 ? f.apply(x).size() : cols[0].length;
        double[][] j = new double[m][n];
        for (int r = 0; r < m; r++) {
            for (int c = 0; c < n; c++) {
                j[r][c] = cols[c][r];
            }
        }
        return j;
    }

    /** Columns {@code [from, from + n)} of every row of a row-major matrix, flattened row-major. */
    public static double[] columns(double[][] m, int from, int n) {
        double[] out = new double[m.length * n];
        for (int r = 0; r < m.length; r++) {
            System.arraycopy(m[r], from, out, r * n, n);
        }
        return out;
    }

    /** Rows {@code [r0, r0 + nr)} and columns {@code [c0, c0 + nc)} of a square 2-D array, flattened row-major. */
    public static double[] block(Array matrix, int r0, int nr, int c0, int nc) {
        int cols = matrix.shape()[1];
        double[] v = matrix.toDoubleArray();
        double[] out = new double[nr * nc];
        for (int r = 0; r < nr; r++) {
            for (int c = 0; c < nc; c++) {
                out[r * nc + c] = v[(r0 + r) * cols + c0 + c];
            }
        }
        return out;
    }

    /** The k-th unit vector of length n, in float64. */
    public static Array basis(int n, int k) {
        double[] v = new double[n];
        v[k] = 1;
        return Array.of(v);
    }

    /** Concatenation of shapes. */
    public static int[] concat(int[] a, int[] b) {
        int[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    /** Asserts the shape of an array. */
    public static void assertShape(int[] expected, Object array, String what) {
        if (!(array instanceof Array a)) {
            fail(what + ": expected an array of shape " + Arrays.toString(expected) + " but got " + array);
            return;
        }
        assertArrayEquals(expected, a.shape(), what + ": shape");
    }

    /** Asserts that every element is exactly zero (0.0 or -0.0). */
    public static void assertAllZero(Array a, String what) {
        for (double v : a.toDoubleArray()) {
            assertTrue(v == 0.0, what + ": expected exact zeros, got " + a);
        }
    }
}
