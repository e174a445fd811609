package dev.solstice.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.QRDecomposition;
import org.hipparchus.linear.RealMatrix;
import org.hipparchus.linear.SingularValueDecomposition;
import org.junit.jupiter.api.Test;

/**
 * {@link SvdKernel} (bidiagonalisation and implicit-shift QR) at sizes up to 70 and on the inputs where the
 * bidiagonal iteration has special paths: rank deficiency, repeated and zero singular values, exact zeros on the
 * bidiagonal's diagonal, singular values down to 1e-12 of the largest, huge and tiny scales, vectors and
 * matrices of one row or column, full and reduced. Oracles: Hipparchus's {@code SingularValueDecomposition}
 * (values, and the vectors up to sign where the values are well separated), the reconstruction
 * {@code U diag(s) Vh = A}, orthonormality of {@code U} and {@code Vh}, and the documented sign rule.
 */
class SvdKernelTest {

    private static RealMatrix hip(double[] a, int m, int n) {
        double[][] x = new double[m][n];
        for (int i = 0; i < m; i++) {
            System.arraycopy(a, i * n, x[i], 0, n);
        }
        return new Array2DRowRealMatrix(x, false);
    }

    private static double[] random(Random r, int m, int n) {
        double[] a = new double[m * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextDouble() * 2 - 1;
        }
        return a;
    }

    /** A random {@code m x n} matrix with orthonormal columns ({@code m >= n}), from Hipparchus's QR. */
    private static RealMatrix orthonormal(Random r, int m, int n) {
        return new QRDecomposition(hip(random(r, m, m), m, m)).getQ().getSubMatrix(0, m - 1, 0, n - 1);
    }

    /** {@code Q1 diag(sigma) Q2ᵀ} for random orthonormal {@code Q1} ({@code m x k}) and {@code Q2} ({@code n x k}). */
    private static double[] withSingularValues(Random r, int m, int n, double... sigma) {
        int k = sigma.length;
        RealMatrix left = orthonormal(r, m, k);
        RealMatrix right = orthonormal(r, n, k);
        double[] a = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double x = 0;
                for (int l = 0; l < k; l++) {
                    x += left.getEntry(i, l) * sigma[l] * right.getEntry(j, l);
                }
                a[i * n + j] = x;
            }
        }
        return a;
    }

    /** Decomposes {@code a} reduced and full and checks everything the class Javadoc promises. */
    private static void check(double[] a, int m, int n, String what) {
        int k = Math.min(m, n);
        double[] expected = new SingularValueDecomposition(hip(a, m, n)).getSingularValues();
        double scale = Math.max(expected.length == 0 ? 0 : expected[0], Double.MIN_NORMAL);
        double[] valuesOnly = new double[k];
        SvdKernel.decompose(a, 0, m, n, false, false, valuesOnly, 0, null, 0, null, 0);
        for (boolean full : new boolean[] {false, true}) {
            String at = what + (full ? " full" : " reduced");
            int uc = full ? m : k;
            int vr = full ? n : k;
            double[] s = new double[k];
            double[] u = new double[m * uc];
            double[] vh = new double[vr * n];
            double[] copy = a.clone();
            SvdKernel.decompose(a, 0, m, n, true, full, s, 0, u, 0, vh, 0);
            assertArrayEquals(copy, a, at + ": input unchanged");
            assertArrayEquals(s, valuesOnly, at + ": values alone are bitwise the values with vectors");
            for (int l = 0; l < k; l++) {
                assertEquals(expected[l], s[l], 1e-14 * scale * Math.max(m, n), at + ": s[" + l + "] vs Hipparchus");
                assertTrue(s[l] >= 0 && (l == 0 || s[l] <= s[l - 1]), at + ": s descending and >= 0");
            }
            checkOrthonormalColumns(u, m, uc, at + ": U");
            double[] v = new double[n * vr];                   // Vhᵀ, to check its columns the same way
            for (int i = 0; i < vr; i++) {
                for (int j = 0; j < n; j++) {
                    v[j * vr + i] = vh[i * n + j];
                }
            }
            checkOrthonormalColumns(v, n, vr, at + ": Vhᵀ");
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double x = 0;
                    for (int l = 0; l < k; l++) {
                        x += u[i * uc + l] * s[l] * vh[l * n + j];
                    }
                    assertEquals(a[i * n + j], x, 1e-14 * scale * Math.max(m, n), at + ": U diag(s) Vh at " + i + "," + j);
                }
            }
            for (int l = 0; l < uc; l++) {
                assertTrue(largestPositive(u, m, uc, l), at + ": column " + l + " of U has its largest entry positive");
            }
            for (int l = k; l < vr; l++) {
                assertTrue(largestPositive(v, n, vr, l), at + ": completion row " + l + " of Vh has its largest entry positive");
            }
            checkVectorsAgainstHipparchus(a, m, n, s, u, uc, vh, at);
        }
    }

    private static void checkOrthonormalColumns(double[] x, int rows, int cols, String what) {
        for (int i = 0; i < cols; i++) {
            for (int j = 0; j <= i; j++) {
                double g = 0;
                for (int r = 0; r < rows; r++) {
                    g += x[r * cols + i] * x[r * cols + j];
                }
                assertEquals(i == j ? 1 : 0, g, 1e-14, what + " orthonormal at " + i + "," + j);
            }
        }
    }

    /** Whether column {@code l} of the row-major {@code rows x cols} matrix has its first largest-magnitude entry positive. */
    private static boolean largestPositive(double[] x, int rows, int cols, int l) {
        int big = 0;
        for (int r = 1; r < rows; r++) {
            if (Math.abs(x[r * cols + l]) > Math.abs(x[big * cols + l])) {
                big = r;
            }
        }
        return x[big * cols + l] > 0;
    }

    /** Where a singular value is nonzero and apart from its neighbours, its vectors are Hipparchus's up to one sign. */
    private static void checkVectorsAgainstHipparchus(double[] a, int m, int n, double[] s, double[] u, int uc, double[] vh,
            String what) {
        SingularValueDecomposition h = new SingularValueDecomposition(hip(a, m, n));
        RealMatrix hu = h.getU();
        RealMatrix hv = h.getV();
        int k = s.length;
        for (int l = 0; l < k; l++) {
            double gap = Math.min(l > 0 ? s[l - 1] - s[l] : Double.POSITIVE_INFINITY,
                    l < k - 1 ? s[l] - s[l + 1] : s[l]);
            if (s[l] == 0 || gap < 1e-3 * s[0]) {
                continue;
            }
            double du = 0;
            double dv = 0;
            for (int i = 0; i < m; i++) {
                du += u[i * uc + l] * hu.getEntry(i, l);
            }
            for (int j = 0; j < n; j++) {
                dv += vh[l * n + j] * hv.getEntry(j, l);
            }
            assertEquals(1, Math.abs(du), 1e-9, what + ": u_" + l + " vs Hipparchus");
            assertEquals(du, dv, 1e-9, what + ": v_" + l + " flipped with u_" + l);
        }
    }

    @Test
    void randomMatricesOfEveryOrientationAgreeWithHipparchus() {
        Random r = new Random(5);
        int[][] shapes = {{1, 1}, {1, 7}, {7, 1}, {2, 2}, {5, 3}, {3, 5}, {17, 17}, {40, 25}, {25, 40}, {70, 70}, {70, 3}};
        for (int[] shape : shapes) {
            check(random(r, shape[0], shape[1]), shape[0], shape[1], "random " + shape[0] + "x" + shape[1]);
        }
    }

    @Test
    void rankDeficientAndRepeatedSingularValues() {
        Random r = new Random(6);
        for (int[] shape : new int[][] {{9, 6}, {6, 9}, {8, 8}}) {
            int m = shape[0];
            int n = shape[1];
            check(withSingularValues(r, m, n, 4, 2, 1), m, n, "rank 3, " + m + "x" + n);
            check(withSingularValues(r, m, n, 3, 3, 3, 1, 1, 0.5), m, n, "repeated, " + m + "x" + n);
            check(withSingularValues(r, m, n, 2, 2, 0, 0, 0, 0), m, n, "repeated with zeros, " + m + "x" + n);
        }
        double[] ones = new double[5 * 4];
        java.util.Arrays.fill(ones, 1);
        check(ones, 5, 4, "all ones");
        check(withSingularValues(r, 30, 30, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1), 30, 30, "a rank-10 projection");
    }

    /** Lengths past two vector widths, odd and even, where the reflections' inner products take the wide loop. */
    @Test
    void rankDeficientAndRepeatedSingularValuesAtLargerSizes() {
        Random r = new Random(7);
        for (int[] shape : new int[][] {{41, 33}, {33, 41}, {64, 64}}) {
            int m = shape[0];
            int n = shape[1];
            double[] repeated = new double[20];
            for (int i = 0; i < repeated.length; i++) {
                repeated[i] = i < 8 ? 2 : i < 15 ? 1 : 0;           // 2 eight times, 1 seven times, then zeros
            }
            check(withSingularValues(r, m, n, repeated), m, n, "repeated with zeros, " + m + "x" + n);
            check(withSingularValues(r, m, n, 5, 3, 3, 1e-3), m, n, "rank 4, " + m + "x" + n);
        }
    }

    @Test
    void zeroMatrixAndExactZerosOnTheBidiagonal() {
        check(new double[12], 4, 3, "zero 4x3");
        check(new double[12], 3, 4, "zero 3x4");
        // already bidiagonal, so the reduction keeps its zero diagonal entries: the middle one and the last one
        double[] b = new double[6 * 6];
        double[] d = {2, -1, 0, 3, 0.5, 0};
        double[] e = {1, 0.7, -2, 1.5, 0.25};
        for (int i = 0; i < 6; i++) {
            b[i * 6 + i] = d[i];
            if (i < 5) {
                b[i * 6 + i + 1] = e[i];
            }
        }
        check(b, 6, 6, "bidiagonal with zero diagonal entries");
        double[] zeroColumn = random(new Random(7), 6, 4);
        for (int i = 0; i < 6; i++) {
            zeroColumn[i * 4 + 1] = 0;
        }
        check(zeroColumn, 6, 4, "a zero column");
        check(new double[] {0, 0, 3, 0, 0}, 1, 5, "1x5 with one nonzero");
    }

    @Test
    void badlyScaledAndExtremeMagnitudes() {
        Random r = new Random(8);
        check(withSingularValues(r, 7, 5, 1, 1e-3, 1e-6, 1e-9, 1e-12), 7, 5, "singular values down to 1e-12");
        check(withSingularValues(r, 5, 7, 1, 1e-3, 1e-6, 1e-9, 1e-12), 5, 7, "wide, singular values down to 1e-12");
        double[] graded = new double[6 * 6];                  // rows scaled from 1 to 1e-10
        double[] base = random(r, 6, 6);
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 6; j++) {
                graded[i * 6 + j] = base[i * 6 + j] * Math.pow(1e-2, i);
            }
        }
        check(graded, 6, 6, "graded rows");
        for (double magnitude : new double[] {1e200, 1e-200}) {
            double[] a = random(r, 5, 4);
            for (int i = 0; i < a.length; i++) {
                a[i] *= magnitude;
            }
            check(a, 5, 4, "entries near " + magnitude);
        }
    }

    /** The Jacobi fallback (taken only when the QR iteration runs out of steps) on its own: A V = U diag(s), V orthogonal. */
    @Test
    void jacobiFallbackAgreesWithHipparchus() {
        Random r = new Random(9);
        for (int[] shape : new int[][] {{6, 4}, {4, 6}, {5, 5}}) {
            int m = shape[0];
            int n = shape[1];
            int k = Math.min(m, n);
            int p = Math.max(m, n);
            double[] a = m == n ? random(r, m, n) : withSingularValues(r, m, n, 3, 1, 1e-6, 0);
            double[] values = new double[k];
            double[][] longSide = new double[k][];
            double[][] right = new double[k][];
            SvdKernel.jacobi(a, 0, m, n, 0, values, longSide, right);
            double[] expected = new SingularValueDecomposition(hip(a, m, n)).getSingularValues();
            double[] sorted = values.clone();
            java.util.Arrays.sort(sorted);
            for (int l = 0; l < k; l++) {
                assertEquals(expected[l], sorted[k - 1 - l], 1e-14 * expected[0] * p, m + "x" + n + ": s[" + l + "]");
                for (int l2 = 0; l2 < k; l2++) {
                    double g = 0;
                    for (int i = 0; i < k; i++) {
                        g += right[l][i] * right[l2][i];
                    }
                    assertEquals(l == l2 ? 1 : 0, g, 1e-14, m + "x" + n + ": V orthonormal");
                }
                for (int i = 0; i < p; i++) {                 // (tall orientation) times v_l = s_l times the long vector
                    double x = 0;
                    for (int c = 0; c < k; c++) {
                        x += (m >= n ? a[i * n + c] : a[c * n + i]) * right[l][c];
                    }
                    double y = longSide[l] == null ? 0 : values[l] * longSide[l][i];
                    assertEquals(x, y, 1e-14 * expected[0] * p, m + "x" + n + ": A v = s u");
                }
            }
        }
    }

    @Test
    void nonFiniteInputGivesNaNsEverywhere() {
        double[] a = {1, 2, Double.POSITIVE_INFINITY, 4, 5, 6};
        double[] s = new double[2];
        double[] u = new double[9];
        double[] vh = new double[4];
        SvdKernel.decompose(a, 0, 3, 2, true, true, s, 0, u, 0, vh, 0);
        for (double[] x : new double[][] {s, u, vh}) {
            for (double y : x) {
                assertTrue(Double.isNaN(y), "NaN expected");
            }
        }
    }
}
