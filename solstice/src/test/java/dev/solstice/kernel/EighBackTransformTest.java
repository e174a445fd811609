package dev.solstice.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.EigenDecompositionSymmetric;
import org.hipparchus.linear.QRDecomposition;
import org.hipparchus.linear.RealMatrix;
import org.hipparchus.linear.RealVector;
import org.junit.jupiter.api.Test;

/**
 * {@link EighKernel}'s blocked back-transformation (blocks of {@link EighKernel#BACK_BLOCK} reflectors, half as many
 * up to order {@link EighKernel#SMALL_ORDER}) and the fused, scaled rotations of its QL iteration
 * ({@link PanelLoops#rotateRows}, {@link PanelLoops#rotateScaledRows}) against Hipparchus: at sizes around the
 * block sizes, with repeated eigenvalues, a diagonal matrix and zero rows, the eigenvalues within a few {@code n}
 * ulps of the largest, {@code V diag(w) Vᵀ = A}, {@code Vᵀ V = I}, each eigenvector of a well separated
 * eigenvalue Hipparchus's (under the sign rule); and the rotation loops, plain and Vector API, against rotations
 * written out here.
 */
class EighBackTransformTest {

    private static double[] symmetric(Random r, int n) {
        return EighAgainstHipparchus.symmetric(r, n);
    }

    /** {@code Q diag(values) Qᵀ} with Q a random orthogonal matrix (Hipparchus's QR of a random matrix). */
    private static double[] withEigenvalues(Random r, double[] values) {
        int n = values.length;
        double[][] g = new double[n][n];
        for (double[] row : g) {
            for (int j = 0; j < n; j++) {
                row[j] = r.nextGaussian();
            }
        }
        RealMatrix q = new QRDecomposition(new Array2DRowRealMatrix(g, false)).getQ();
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += q.getEntry(i, k) * values[k] * q.getEntry(j, k);
                }
                a[i * n + j] = s;
                a[j * n + i] = s;
            }
        }
        return a;
    }

    private static void check(double[] a, int n, String what) {
        EighAgainstHipparchus.Checked checked = EighAgainstHipparchus.check(a, n, what);
        EigenDecompositionSymmetric oracle = checked.oracle();
        double[] expected = checked.expected();
        double scale = checked.scale();
        double[] v = checked.v();
        // each eigenvector whose eigenvalue is well separated: Hipparchus's, its largest component made positive
        for (int c = 0; c < n; c++) {
            double gap = Double.POSITIVE_INFINITY;
            for (int k = 0; k < n; k++) {
                if (k != c) {
                    gap = Math.min(gap, Math.abs(expected[k] - expected[c]));
                }
            }
            int big = 0;
            for (int k = 1; k < n; k++) {
                if (Math.abs(v[k * n + c]) > Math.abs(v[big * n + c])) {
                    big = k;
                }
            }
            assertTrue(v[big * n + c] > 0, what + ": eigenvector " + c + "'s largest component positive");
            if (gap < 1e-3 * scale) {
                continue;
            }
            RealVector h = oracleVector(oracle, expected[c]);
            double sign = Math.signum(h.getEntry(big));
            for (int k = 0; k < n; k++) {
                assertEquals(sign * h.getEntry(k), v[k * n + c], 1e3 * n * Math.ulp(1.0) * scale / gap,
                        what + ": eigenvector " + c + " component " + k);
            }
        }
    }

    private static RealVector oracleVector(EigenDecompositionSymmetric oracle, double value) {
        double[] all = oracle.getEigenvalues();
        int best = 0;
        for (int k = 1; k < all.length; k++) {
            if (Math.abs(all[k] - value) < Math.abs(all[best] - value)) {
                best = k;
            }
        }
        return oracle.getEigenvector(best);
    }

    @Test
    void randomMatricesAroundTheBlockSize() {
        Random r = new Random(51);
        for (int n : new int[] {1, 2, 3, 8, 9, 15, 16, 17, 18, 31, 32, 33, 34, 64, 65, 97, 128, 129, 130}) {
            check(symmetric(r, n), n, "random n=" + n);
        }
    }

    @Test
    void repeatedEigenvaluesDiagonalAndZeroRows() {
        Random r = new Random(52);
        int n = 67;
        double[] repeated = new double[n];
        for (int i = 0; i < n; i++) {
            repeated[i] = i < 20 ? 1 : i < 40 ? -2 : i < 45 ? 0 : i - 40;
        }
        check(withEigenvalues(r, repeated), n, "repeated eigenvalues");
        double[] diagonal = new double[n * n];
        for (int i = 0; i < n; i++) {
            diagonal[i * n + i] = (i % 5) - 2.5 + i * 1e-3;
        }
        check(diagonal, n, "diagonal");
        double[] zeroRows = symmetric(r, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i >= 30 && i < 36 || j >= 30 && j < 36 || i == n - 1 || j == n - 1 || i == 0 || j == 0) {
                    zeroRows[i * n + j] = 0;
                }
            }
        }
        check(zeroRows, n, "zero rows");
        check(new double[33 * 33], 33, "zero matrix");
    }

    @Test
    void rotationLoopsAgreeWithSingleRotations() {
        Random r = new Random(53);
        for (PanelLoops loops : new PanelLoops[] {new PanelLoops(), PanelLoops.get()}) {
            for (int n : new int[] {1, 7, 8, 13, 16, 37}) {
                for (int sweep = 1; sweep <= 21; sweep++) {
                    int l = 2;
                    int m = l + sweep;
                    double[][] rows = new double[m + 3][];
                    double[][] expected = new double[m + 3][];
                    for (int i = 0; i < rows.length; i++) {
                        rows[i] = new double[n];
                        for (int k = 0; k < n; k++) {
                            rows[i][k] = r.nextDouble() * 2 - 1;
                        }
                        expected[i] = rows[i].clone();
                    }
                    double[] cosines = new double[m + 3];
                    double[] sines = new double[m + 3];
                    for (int i = l; i < m; i++) {
                        double angle = r.nextDouble() * 2 * Math.PI;
                        cosines[i] = Math.cos(angle);
                        sines[i] = Math.sin(angle);
                    }
                    for (int i = m - 1; i >= l; i--) {
                        for (int k = 0; k < n; k++) {
                            double x = expected[i][k];
                            double y = expected[i + 1][k];
                            expected[i + 1][k] = sines[i] * x + cosines[i] * y;
                            expected[i][k] = cosines[i] * x - sines[i] * y;
                        }
                    }
                    loops.rotateRows(rows, n, l, m, cosines, sines);
                    for (int i = 0; i < rows.length; i++) {
                        for (int k = 0; k < n; k++) {
                            assertEquals(expected[i][k], rows[i][k], 1e-14, loops.getClass().getSimpleName()
                                    + ": n=" + n + " sweep=" + sweep + " row " + i + " column " + k);
                        }
                    }
                }
            }
        }
    }

    @Test
    void scaledRotationsAgreeWithPlainRotationsOfTheRowsTheyStandFor() {
        Random r = new Random(54);
        for (PanelLoops loops : new PanelLoops[] {new PanelLoops(), PanelLoops.get()}) {
            for (int n : new int[] {5, 16, 19}) {
                int rowsCount = 30;
                double[][] rows = new double[rowsCount][n];
                double[][] expected = new double[rowsCount][n];
                double[] scales = new double[rowsCount];
                for (int i = 0; i < rowsCount; i++) {
                    scales[i] = 1;
                    for (int k = 0; k < n; k++) {
                        rows[i][k] = r.nextDouble() * 2 - 1;
                        expected[i][k] = rows[i][k];
                    }
                }
                // 40 sweeps: random angles, cosines zero, tiny, and 2^-15 (scales shrink by up to 2^-30 a sweep,
                // so they are multiplied out along the way)
                for (int sweep = 0; sweep < 40; sweep++) {
                    int l = r.nextInt(5);
                    int m = rowsCount - 1 - r.nextInt(5);
                    double[] cosines = new double[rowsCount];
                    double[] sines = new double[rowsCount];
                    for (int i = l; i < m; i++) {
                        int kind = r.nextInt(40);
                        double c = kind == 0 ? 0 : kind == 1 ? 1e-9 : kind < 14 ? 0x1p-15 : Math.cos(r.nextDouble() * 7);
                        cosines[i] = r.nextBoolean() ? c : -c;
                        sines[i] = (r.nextBoolean() ? 1 : -1) * Math.sqrt(1 - c * c);
                    }
                    for (int i = m - 1; i >= l; i--) {
                        for (int k = 0; k < n; k++) {
                            double x = expected[i][k];
                            double y = expected[i + 1][k];
                            expected[i + 1][k] = sines[i] * x + cosines[i] * y;
                            expected[i][k] = cosines[i] * x - sines[i] * y;
                        }
                    }
                    loops.rotateScaledRows(rows, scales, n, l, m, cosines, sines);
                    for (int i = 0; i < rowsCount; i++) {
                        assertTrue(Math.abs(scales[i]) >= 0x1p-300, "scale " + i + " multiplied out in time");
                        for (int k = 0; k < n; k++) {
                            assertEquals(expected[i][k], scales[i] * rows[i][k], 1e-13,
                                    loops.getClass().getSimpleName() + ": n=" + n + " sweep " + sweep + " row " + i);
                        }
                    }
                }
            }
        }
    }
}
