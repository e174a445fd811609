package dev.solstice.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.ArrayRealVector;
import org.hipparchus.linear.LUDecomposition;
import org.hipparchus.linear.RealVector;
import org.junit.jupiter.api.Test;

/**
 * {@link TriangularSolveKernel} with one right-hand side (its row-wise vector path), for both triangles,
 * {@code A} and {@code Aᵀ}, unit and stored diagonals, on either side, against Hipparchus's general solve of
 * the triangular matrix written out in full; and a zero on the diagonal giving a non-finite result.
 */
class TriangularSolveVectorTest {

    @Test
    void oneRightHandSideAgreesWithHipparchus() {
        Random r = new Random(61);
        for (int n : new int[] {1, 2, 7, 33, 70}) {
            double[] a = new double[n * n];
            for (int i = 0; i < a.length; i++) {
                a[i] = (r.nextDouble() * 2 - 1) * 2 / n;      // small off the diagonal: well conditioned
            }
            for (int i = 0; i < n; i++) {
                a[i * n + i] = 1 + r.nextDouble();
            }
            double[] b = new double[n];
            for (int i = 0; i < n; i++) {
                b[i] = r.nextDouble() * 2 - 1;
            }
            for (boolean lower : new boolean[] {true, false}) {
                for (boolean transpose : new boolean[] {false, true}) {
                    for (boolean unit : new boolean[] {false, true}) {
                        double[][] op = new double[n][n];
                        for (int i = 0; i < n; i++) {
                            for (int j = 0; j < n; j++) {
                                int si = transpose ? j : i;
                                int sj = transpose ? i : j;
                                boolean kept = lower ? sj <= si : sj >= si;
                                op[i][j] = !kept ? 0 : si == sj && unit ? 1 : a[si * n + sj];
                            }
                        }
                        RealVector expected = new LUDecomposition(new Array2DRowRealMatrix(op, false)).getSolver()
                                .solve(new ArrayRealVector(b));
                        String what = "n=" + n + " lower=" + lower + " transpose=" + transpose + " unit=" + unit;
                        double[] left = b.clone();
                        TriangularSolveKernel.solve(a, 0, left, 0, n, 1, true, lower, transpose, unit);
                        // x op(A) = bᵀ on the right is op(A)ᵀ xᵀ = b
                        RealVector expectedRight = new LUDecomposition(new Array2DRowRealMatrix(op, false).transpose())
                                .getSolver().solve(new ArrayRealVector(b));
                        double[] right = b.clone();
                        TriangularSolveKernel.solve(a, 0, right, 0, 1, n, false, lower, transpose, unit);
                        for (int i = 0; i < n; i++) {
                            assertEquals(expected.getEntry(i), left[i], 1e-12, what + ": left x[" + i + "]");
                            assertEquals(expectedRight.getEntry(i), right[i], 1e-12, what + ": right x[" + i + "]");
                        }
                    }
                }
            }
        }
    }

    @Test
    void aZeroOnTheDiagonalGivesANonFiniteSolution() {
        double[] a = {1, 0, 0, 2, 0, 0, 3, 4, 5};
        double[] b = {1, 1, 1};
        TriangularSolveKernel.solve(a, 0, b, 0, 3, 1, true, true, false, false);
        assertEquals(1.0, b[0]);
        assertEquals(Double.POSITIVE_INFINITY, Math.abs(b[1]), "1 / 0");
    }
}
