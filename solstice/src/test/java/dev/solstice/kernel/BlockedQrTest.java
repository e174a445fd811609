package dev.solstice.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.QRDecomposition;
import org.hipparchus.linear.RealMatrix;
import org.junit.jupiter.api.Test;

/**
 * {@link QrKernel} at sizes around its panel ({@code BLOCK} = 16: a panel less a column, one panel, a panel and a
 * column, two panels and a column, tall and wide, reduced and complete) against Hipparchus's
 * {@link QRDecomposition}, which follows the same sign rule on a full-rank matrix ({@code R_jj = -sign(a_jj)
 * ||a_j..||}), so that {@code R} and {@code Q} agree with their signs; and, with no reference to compare to,
 * the reconstruction {@code Q R = A}, {@code Qᵀ Q = I} and {@code R}'s zero lower part on a rank-deficient
 * matrix, a zero column in a later panel, and an upper triangular matrix, which LAPACK's rule leaves as it is
 * ({@code Q = I}, {@code R = A} exactly: every {@code tau} is zero).
 */
class BlockedQrTest {
    private static final int[][] SHAPES = {
        {15, 15}, {16, 16}, {17, 17}, {33, 33}, {32, 32}, {65, 65}, {100, 17}, {17, 100}, {97, 64}, {64, 97},
        {130, 70}
    };

    private static double[] random(Random r, int m, int n) {
        double[] a = new double[m * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextDouble() * 2 - 1;
        }
        return a;
    }

    private record Qr(double[] q, double[] r, int qCols) {}

    private static Qr decompose(double[] a, int m, int n, boolean complete) {
        int qCols = complete ? m : Math.min(m, n);
        double[] q = new double[m * qCols];
        double[] r = new double[qCols * n];
        double[] copy = a.clone();
        QrKernel.decompose(copy, 0, m, n, qCols, q, 0, r, 0);
        assertTrue(java.util.Arrays.equals(copy, a), "the input is left unchanged");
        return new Qr(q, r, qCols);
    }

    /** Q R = A, Qᵀ Q = I and R zero below its diagonal, to {@code tol} relative to the largest |a_ij|. */
    private static void assertFactors(double[] a, int m, int n, Qr f, double tol, String what) {
        int qc = f.qCols();
        double scale = 0;
        for (double v : a) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < qc; p++) {
                    s += f.q()[i * qc + p] * f.r()[p * n + j];
                }
                assertEquals(a[i * n + j], s, tol * Math.max(scale, 1e-300), what + ": (Q R)_" + i + j);
            }
        }
        for (int c = 0; c < qc; c++) {
            for (int d = 0; d < qc; d++) {
                double s = 0;
                for (int i = 0; i < m; i++) {
                    s += f.q()[i * qc + c] * f.q()[i * qc + d];
                }
                assertEquals(c == d ? 1 : 0, s, tol, what + ": (Qᵀ Q)_" + c + d);
            }
        }
        for (int i = 0; i < qc; i++) {
            for (int j = 0; j < Math.min(i, n); j++) {
                assertEquals(0.0, f.r()[i * n + j], what + ": R below the diagonal at " + i + "," + j);
            }
        }
    }

    @Test
    void agreesWithHipparchusAroundThePanelSize() {
        Random rnd = new Random(61);
        for (int[] shape : SHAPES) {
            int m = shape[0];
            int n = shape[1];
            double[] a = random(rnd, m, n);
            double[][] rows = new double[m][n];
            for (int i = 0; i < m; i++) {
                System.arraycopy(a, i * n, rows[i], 0, n);
            }
            QRDecomposition hip = new QRDecomposition(new Array2DRowRealMatrix(rows, false));
            RealMatrix hq = hip.getQ();
            RealMatrix hr = hip.getR();
            for (boolean complete : new boolean[] {false, true}) {
                String what = m + "x" + n + (complete ? " complete" : " reduced");
                Qr f = decompose(a, m, n, complete);
                assertFactors(a, m, n, f, 1e-12, what);
                int k = Math.min(m, n);
                int qc = f.qCols();
                // with m <= n the last reflection has nothing below the diagonal: LAPACK leaves it out (tau = 0,
                // R's last diagonal element keeps its sign), Hipparchus reflects it to minus itself
                double[] sign = new double[k];
                for (int i = 0; i < k; i++) {
                    sign[i] = i == m - 1 ? -1 : 1;
                }
                for (int i = 0; i < k; i++) {
                    for (int j = i; j < n; j++) {
                        assertEquals(sign[i] * hr.getEntry(i, j), f.r()[i * n + j], 1e-11, what + ": R_" + i + "," + j);
                    }
                }
                // Q's first k columns are determined by A (and the sign rule); the rest, in complete mode, are not
                for (int i = 0; i < m; i++) {
                    for (int c = 0; c < k; c++) {
                        assertEquals(sign[c] * hq.getEntry(i, c), f.q()[i * qc + c], 1e-11,
                                what + ": Q_" + i + "," + c);
                    }
                }
            }
        }
    }

    /** {@code QR(s A) = Q (s R)}: the norms must neither overflow at 1e200 nor lose their terms at 1e-200. */
    @Test
    void scalingTheMatrixScalesOnlyR() {
        Random rnd = new Random(65);
        int m = 50;
        int n = 40;
        double[] a = random(rnd, m, n);
        Qr f = decompose(a, m, n, false);
        for (double s : new double[] {0x1p660, 0x1p-660}) {
            double[] sa = a.clone();
            for (int i = 0; i < sa.length; i++) {
                sa[i] *= s;
            }
            Qr g = decompose(sa, m, n, false);
            for (int i = 0; i < g.q().length; i++) {
                assertEquals(f.q()[i], g.q()[i], 1e-13, "Q at scale " + s);
            }
            for (int i = 0; i < g.r().length; i++) {
                assertEquals(f.r()[i], g.r()[i] / s, 1e-13, "R / scale at scale " + s);
            }
        }
    }

    @Test
    void reconstructsRankDeficientMatrices() {
        Random rnd = new Random(62);
        int[][] shapes = {{70, 70}, {100, 40}, {40, 100}};
        for (int[] shape : shapes) {
            int m = shape[0];
            int n = shape[1];
            int rank = 20;
            double[] b = random(rnd, m, rank);
            double[] c = random(rnd, rank, n);
            double[] a = new double[m * n];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < rank; p++) {
                        s += b[i * rank + p] * c[p * n + j];
                    }
                    a[i * n + j] = s;
                }
            }
            for (boolean complete : new boolean[] {false, true}) {
                Qr f = decompose(a, m, n, complete);
                assertFactors(a, m, n, f, 1e-12, m + "x" + n + " rank " + rank);
                int k = Math.min(m, n);
                for (int i = rank + 1; i < k; i++) {
                    assertEquals(0, f.r()[i * n + i], 1e-12, "R_ii past the rank at " + i);
                }
            }
        }
    }

    @Test
    void aZeroColumnInALaterPanelGivesAZeroColumnOfR() {
        Random rnd = new Random(63);
        int m = 90;
        int n = 75;
        double[] a = random(rnd, m, n);
        int zero = 45;
        for (int i = 0; i < m; i++) {
            a[i * n + zero] = 0;
        }
        for (boolean complete : new boolean[] {false, true}) {
            Qr f = decompose(a, m, n, complete);
            assertFactors(a, m, n, f, 1e-12, "zero column");
            for (int i = 0; i < f.qCols(); i++) {
                assertEquals(0.0, Math.abs(f.r()[i * n + zero]), "R's column " + zero + " at row " + i);
            }
        }
    }

    @Test
    void anUpperTriangularMatrixIsLeftAsItIs() {
        Random rnd = new Random(64);
        int[][] shapes = {{70, 70}, {80, 66}, {66, 80}};
        for (int[] shape : shapes) {
            int m = shape[0];
            int n = shape[1];
            double[] a = random(rnd, m, n);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < Math.min(i, n); j++) {
                    a[i * n + j] = 0;
                }
            }
            Qr f = decompose(a, m, n, true);
            for (int i = 0; i < m; i++) {
                for (int c = 0; c < m; c++) {
                    assertEquals(i == c ? 1.0 : 0.0, f.q()[i * m + c], "Q_" + i + "," + c);
                }
                for (int j = 0; j < n; j++) {
                    assertEquals(a[i * n + j], f.r()[i * n + j], "R_" + i + "," + j);
                }
            }
        }
    }
}
