package dev.solstice.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link EighKernel}'s blocked reduction at sizes around its panel ({@link EighKernel#PANEL} = 32: one panel,
 * a panel and a row, several panels, a short last panel) against Hipparchus's eigenvalues, with rows that are
 * already reduced inside a panel (the no-transformation step), and {@link PanelLoops} (plain and
 * Vector API) against plain loops written out here.
 */
class EighBlockedReductionTest {

    private static double[] symmetric(Random r, int n) {
        return EighAgainstHipparchus.symmetric(r, n);
    }

    /** Eigenvalues within a few ulps of the largest one (backward stable), values-only bitwise eigh's. */
    private static void check(double[] a, int n, String what) {
        EighAgainstHipparchus.check(a, n, what);
    }

    @Test
    void eigenvaluesAgreeWithHipparchusAroundThePanelSize() {
        Random r = new Random(41);
        for (int n : new int[] {31, 32, 33, 34, 63, 64, 65, 66, 97, 130, 170}) {
            check(symmetric(r, n), n, "random n=" + n);
        }
    }

    @Test
    void rowsAlreadyReducedInsideAPanelAndRankDeficientMatrices() {
        Random r = new Random(42);
        int n = 70;
        // rows and columns 20..29 and 50..54 zero: those steps have nothing to annihilate
        double[] a = symmetric(r, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i >= 20 && i < 30 || i >= 50 && i < 55 || j >= 20 && j < 30 || j >= 50 && j < 55) {
                    a[i * n + j] = 0;
                }
            }
        }
        check(a, n, "zero rows");
        // rank 3: B Bᵀ with B 70 x 3, so most eigenvalues are (numerically) zero
        double[] b = new double[n * 3];
        for (int i = 0; i < b.length; i++) {
            b[i] = r.nextDouble() * 2 - 1;
        }
        double[] low = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                low[i * n + j] = b[i * 3] * b[j * 3] + b[i * 3 + 1] * b[j * 3 + 1] + b[i * 3 + 2] * b[j * 3 + 2];
            }
        }
        check(low, n, "rank 3");
        double[] diagonal = new double[n * n];
        for (int i = 0; i < n; i++) {
            diagonal[i * n + i] = n - 2 * i;
        }
        check(diagonal, n, "diagonal");
    }

    private static List<PanelLoops> loops() {
        List<PanelLoops> all = new ArrayList<>();
        all.add(new PanelLoops());
        all.add(PanelLoops.get());
        return all;
    }

    @Test
    void loopsAgreeWithPlainLoops() {
        Random r = new Random(43);
        int n = 45;
        int stride = 50;
        double[] q = new double[n * n];
        double[] z = new double[7 * stride];
        double[] u = new double[n];
        for (int i = 0; i < q.length; i++) {
            q[i] = r.nextDouble() * 2 - 1;
        }
        for (int i = 0; i < z.length; i++) {
            z[i] = r.nextDouble() * 2 - 1;
        }
        for (int i = 0; i < n; i++) {
            u[i] = r.nextDouble() * 2 - 1;
        }
        for (PanelLoops loops : loops()) {
            String name = loops.getClass().getSimpleName();
            for (int i : new int[] {0, 1, 3, 4, 5, 8, 17, 45}) {
                double[] p = new double[n];
                loops.lowerSymmetricProduct(q, n, i, u, p);
                for (int j = 0; j < i; j++) {
                    double s = 0;
                    for (int c = 0; c < i; c++) {
                        s += (c <= j ? q[j * n + c] : q[c * n + j]) * u[c];
                    }
                    assertEquals(s, p[j], 1e-13, name + ": (A u)[" + j + "], i=" + i);
                }
                double dot = 0;
                for (int c = 0; c < i; c++) {
                    dot += z[3 + c] * u[c];
                }
                assertEquals(dot, loops.dot(z, 3, u, 0, i), 1e-13, name + ": dot, len " + i);
            }
            for (int rows : new int[] {1, 4, 7}) {
                for (int len : new int[] {1, 9, 45}) {
                    double[] out = new double[rows];
                    loops.rowProducts(z, 2, rows, stride, u, len, out);
                    double[] x = Arrays.copyOf(u, n);
                    loops.subtractCombination(z, 2, rows, stride, out, x, 0, len);
                    for (int s = 0; s < rows; s++) {
                        double e = 0;
                        for (int c = 0; c < len; c++) {
                            e += z[2 + s * stride + c] * u[c];
                        }
                        assertEquals(e, out[s], 1e-13, name + ": row product " + s);
                    }
                    for (int c = 0; c < n; c++) {
                        double e = u[c];
                        for (int s = 0; c < len && s < rows; s++) {
                            e -= out[s] * z[2 + s * stride + c];
                        }
                        assertEquals(e, x[c], 1e-13, name + ": combination " + c + ", rows " + rows + ", len " + len);
                    }
                }
            }
        }
    }
}
