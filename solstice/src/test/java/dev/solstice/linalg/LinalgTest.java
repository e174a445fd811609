package dev.solstice.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.Linalg;
import dev.solstice.LuFactors;
import dev.solstice.SlogDet;
import dev.solstice.testing.Numeric;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.CholeskyDecomposition;
import org.hipparchus.linear.LUDecomposition;
import org.hipparchus.linear.RealMatrix;
import org.junit.jupiter.api.Test;

/**
 * The {@link Linalg} facade against Hipparchus (decompositions, determinants), residuals (solve, inverse),
 * closed-form gradients ({@code d logdet(A)/dA = A⁻ᵀ}, {@code d tr(A⁻¹)/dA = -(A⁻²)ᵀ}), central differences
 * to second order in all four mode pairings, vmap against the loop, jit against eager, degenerate inputs
 * (JAX's NaNs, zeros and infinities) and the refusals.
 */
class LinalgTest {

    static Array random(Random r, double shift, int... shape) {
        int n = shape[shape.length - 1];
        double[] v = new double[dev.solstice.core.Shapes.size(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextDouble() * 2 - 1 + ((i % (n * n)) % (n + 1) == 0 ? shift : 0);
        }
        return Array.of(v, shape);
    }

    /** {@code M Mᵀ + n I}, symmetric positive definite. */
    static Array spd(Random r, int n) {
        Array m = random(r, 0, n, n);
        return Jnp.add(Jnp.matmul(m, Jnp.transpose(m)), Jnp.multiply(Jnp.eye(DType.FLOAT64, n), (double) n));
    }

    static RealMatrix hip(Array a) {
        int n = a.shape()[0];
        int c = a.shape()[1];
        double[] v = a.toDoubleArray();
        double[][] m = new double[n][c];
        for (int i = 0; i < n; i++) {
            System.arraycopy(v, i * c, m[i], 0, c);
        }
        return new Array2DRowRealMatrix(m, false);
    }

    static double[] flat(RealMatrix m) {
        int n = m.getRowDimension();
        int c = m.getColumnDimension();
        double[] v = new double[n * c];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < c; j++) {
                v[i * c + j] = m.getEntry(i, j);
            }
        }
        return v;
    }

    @Test
    void choleskyAgreesWithHipparchusInBothDtypes() {
        Random r = new Random(1);
        Array a = spd(r, 6);
        double[] expected = flat(new CholeskyDecomposition(hip(a)).getL());
        Numeric.assertClose(expected, Linalg.cholesky(a).toDoubleArray(), 1e-13, 1e-13, "cholesky float64");
        Array l32 = Linalg.cholesky(Jnp.astype(a, DType.FLOAT32));
        assertEquals(DType.FLOAT32, l32.dtype());
        Numeric.assertClose(expected, l32.toDoubleArray(), 2e-6, 2e-6, "cholesky float32");
    }

    @Test
    void eighAgreesWithHipparchusAndReconstructs() {
        Random r = new Random(8);
        Array a = spd(r, 7);
        double[] expected = new org.hipparchus.linear.EigenDecompositionSymmetric(hip(a)).getEigenvalues();
        java.util.Arrays.sort(expected);
        dev.solstice.EighResult e = Linalg.eigh(a);
        Numeric.assertClose(expected, e.eigenvalues().toDoubleArray(), 1e-13, 1e-12, "eigenvalues ascending");
        Array v = e.eigenvectors();
        Array rebuilt = Jnp.matmul(Jnp.multiply(v, Jnp.expandDims(e.eigenvalues(), 0)), Jnp.transpose(v));
        Numeric.assertClose(a.toDoubleArray(), rebuilt.toDoubleArray(), 1e-12, 1e-12, "V diag(w) V^T = a");
        Numeric.assertClose(Jnp.eye(DType.FLOAT64, 7).toDoubleArray(), Jnp.matmul(Jnp.transpose(v), v).toDoubleArray(),
                1e-13, 1e-13, "V^T V = I");
        // d w_i = v_i^T dA v_i
        Array dA = random(r, 0, 7, 7);
        Array sym = Jnp.multiply(Jnp.add(dA, Jnp.transpose(dA)), 0.5);
        double[] dw = Jax.jvp((Array z) -> Linalg.eigh(z).eigenvalues(), a, dA).tangent().toDoubleArray();
        double[] closed = dev.solstice.prim.MatrixOps.diagonal(Jnp.matmul(Jnp.transpose(v), Jnp.matmul(sym, v))).toDoubleArray();
        Numeric.assertClose(closed, dw, 1e-12, 1e-12, "d lambda_i = v_i^T dA v_i");
        Numeric.assertClose(expected, Linalg.eigh(Jnp.astype(a, DType.FLOAT32)).eigenvalues().toDoubleArray(), 2e-6, 1e-4,
                "eigenvalues float32");
    }

    @Test
    void choleskyOfANonPositiveDefiniteMatrixIsNaNsAsJaxGives() {
        Array a = Array.of(new double[] {1, 2, 2, 1}, 2, 2);
        for (double v : Linalg.cholesky(a).toDoubleArray()) {
            assertTrue(Double.isNaN(v), "JAX returns NaNs for a matrix that is not positive definite");
        }
    }

    @Test
    void rectangularLuReconstructsThePermutedMatrix() {
        Random r = new Random(2);
        for (int[] shape : List.of(new int[] {3, 5}, new int[] {5, 3}, new int[] {2, 4, 4})) {
            Array a = random(r, 0, shape);
            LuFactors f = Linalg.lu(a);
            int m = shape[shape.length - 2];
            int n = shape[shape.length - 1];
            int k = Math.min(m, n);
            int count = a.size() / (m * n);
            double[] lu = f.lu().toDoubleArray();
            double[] av = a.toDoubleArray();
            int[] perm = f.permutation().toIntArray();
            int[] piv = f.pivots().toIntArray();
            for (int b = 0; b < count; b++) {
                int[] replay = new int[m];
                for (int i = 0; i < m; i++) {
                    replay[i] = i;
                }
                for (int i = 0; i < k; i++) {
                    int t = replay[i];
                    replay[i] = replay[piv[b * k + i]];
                    replay[piv[b * k + i]] = t;
                }
                for (int i = 0; i < m; i++) {
                    assertEquals(replay[i], perm[b * m + i], "pivots replayed give the permutation");
                    for (int j = 0; j < n; j++) {
                        double s = 0;
                        for (int q = 0; q <= Math.min(i, Math.min(j, k - 1)); q++) {
                            double l = q == i ? 1 : lu[b * m * n + i * n + q];
                            s += l * lu[b * m * n + q * n + j];
                        }
                        assertEquals(av[b * m * n + perm[b * m + i] * n + j], s, 1e-13, "(P A)[" + i + "," + j + "] = (L U)");
                        if (j < i && j < k) {
                            assertTrue(Math.abs(lu[b * m * n + i * n + j]) <= 1, "partial pivoting bounds L by 1");
                        }
                    }
                }
            }
            Array v = random(r, 0, shape);
            Function<Array, Array> fl = z -> Linalg.lu(z).lu();
            Numeric.assertClose(Numeric.centralDifference(fl, a, v, 1e-4), Jax.jvp(fl, a, v).tangent().toDoubleArray(),
                    1e-7, 1e-8, "lu JVP " + java.util.Arrays.toString(shape));
        }
    }

    @Test
    void solveInverseAndDeterminantsAgreeWithResidualsAndHipparchus() {
        Random r = new Random(3);
        Array a = random(r, 0, 5, 5);
        Array b = random(r, 0, 5, 2);
        Array x = Linalg.solve(a, b);
        Numeric.assertClose(b.toDoubleArray(), Jnp.matmul(a, x).toDoubleArray(), 1e-12, 1e-12, "a solve(a, b) = b");
        Array bv = random(r, 0, 2, 5);
        Array av = Jnp.stack(List.of(a, Jnp.transpose(a)), 0);
        Array xv = Linalg.solve(av, bv);
        assertEquals(List.of(2, 5), java.util.Arrays.stream(xv.shape()).boxed().toList());
        Numeric.assertClose(bv.toDoubleArray(), Jnp.squeeze(Jnp.matmul(av, Jnp.expandDims(xv, 2)), 2).toDoubleArray(),
                1e-12, 1e-12, "batched solve with vectors");
        Numeric.assertClose(Jnp.eye(DType.FLOAT64, 5).toDoubleArray(), Jnp.matmul(a, Linalg.inv(a)).toDoubleArray(),
                1e-12, 1e-12, "a inv(a) = I");
        double det = new LUDecomposition(hip(a)).getDeterminant();
        assertEquals(det, Linalg.det(a).item(), 1e-12 * Math.abs(det) + 1e-14, "det vs Hipparchus");
        SlogDet s = Linalg.slogdet(a);
        assertEquals(Math.signum(det), s.sign().item());
        assertEquals(Math.log(Math.abs(det)), s.logAbsDet().item(), 1e-12, "log|det|");
        // a row swap flips the sign
        Array swapped = Jnp.stack(List.of(a.get(1), a.get(0), a.get(2), a.get(3), a.get(4)), 0);
        assertEquals(-Math.signum(det), Linalg.slogdet(swapped).sign().item());
    }

    @Test
    void singularMatricesGiveJaxsZerosAndInfinities() {
        Array a = Array.of(new double[] {1, 2, 2, 4}, 2, 2);
        SlogDet s = Linalg.slogdet(a);
        assertEquals(0.0, s.sign().item());
        assertEquals(Double.NEGATIVE_INFINITY, s.logAbsDet().item());
        assertEquals(0.0, Linalg.det(a).item());
        for (double v : Linalg.lu(a).lu().toDoubleArray()) {
            assertTrue(Double.isFinite(v), "getrf completes on a singular matrix without NaNs");
        }
        for (double v : Linalg.inv(a).toDoubleArray()) {
            assertTrue(!Double.isFinite(v) || Math.abs(v) > 1e15 || v == 0 || Double.isNaN(v), "inverse of a singular matrix");
        }
    }

    @Test
    void closedFormGradients() {
        Random r = new Random(4);
        Array a = random(r, 0, 4, 4);
        Array gLogdet = Jax.grad((Array z) -> Linalg.slogdet(z).logAbsDet()).apply(a);
        Array invT = Jnp.transpose(Linalg.inv(a));
        Numeric.assertClose(invT.toDoubleArray(), gLogdet.toDoubleArray(), 1e-11, 1e-12, "d logdet/dA = A^-T");
        Array gTrace = Jax.grad((Array z) -> dev.solstice.prim.MatrixOps.trace(Linalg.inv(z))).apply(a);
        Array inv2T = Jnp.negative(Jnp.matmul(invT, invT));
        Numeric.assertClose(inv2T.toDoubleArray(), gTrace.toDoubleArray(), 1e-10, 1e-11, "d tr(A^-1)/dA = -(A^-2)^T");
        Array gDet = Jax.grad(Linalg::det).apply(a);
        Numeric.assertClose(Jnp.multiply(invT, Linalg.det(a)).toDoubleArray(), gDet.toDoubleArray(), 1e-10, 1e-12,
                "d det/dA = det A^-T");
    }

    /** The cofactor matrix {@code C_ij = (-1)^(i+j) det(minor_ij)}, by Hipparchus's LU on each minor. */
    static double[] cofactors(Array a) {
        int n = a.shape()[0];
        RealMatrix m = hip(a);
        double[] c = new double[n * n];
        for (int i = 0; i < n; i++) {
            int row = i;
            int[] rows = java.util.stream.IntStream.range(0, n).filter(k -> k != row).toArray();
            for (int j = 0; j < n; j++) {
                int col = j;
                int[] cols = java.util.stream.IntStream.range(0, n).filter(k -> k != col).toArray();
                double minor = new LUDecomposition(m.getSubMatrix(rows, cols), 0).getDeterminant();
                c[i * n + j] = ((i + j) % 2 == 0 ? 1 : -1) * minor;
            }
        }
        return c;
    }

    @Test
    void detGradientAtSingularMatricesIsTheCofactorMatrixAsJaxsCustomRuleGives() {
        Random r = new Random(9);
        Array x = random(r, 0, 4, 3);
        Array rank3 = Jnp.matmul(x, random(r, 0, 3, 4));
        Array g = Jax.grad(Linalg::det).apply(rank3);
        Numeric.assertClose(cofactors(rank3), g.toDoubleArray(), 1e-10, 1e-12, "grad det at rank n-1 = cofactors");
        double[] cof = cofactors(rank3);
        assertTrue(java.util.Arrays.stream(cof).anyMatch(v -> Math.abs(v) > 1e-3), "a nonzero cofactor matrix");
        Array v = random(r, 0, 4, 4);
        Numeric.assertClose(Numeric.centralDifference(z -> Jnp.reshape(Linalg.det(z), 1), rank3, v, 1e-4),
                Jax.jvp(Linalg::det, rank3, v).tangent().toDoubleArray(), 1e-8, 1e-10, "det JVP at a singular matrix vs central differences");
        Array rank2 = Jnp.matmul(random(r, 0, 4, 2), random(r, 0, 2, 4));
        Numeric.assertClose(new double[16], Jax.grad(Linalg::det).apply(rank2).toDoubleArray(), 0, 1e-12, "rank n-2: zero gradient");
        Array a = random(r, 0, 4, 4);
        Numeric.assertClose(cofactors(a), Jax.grad(Linalg::det).apply(a).toDoubleArray(), 1e-10, 1e-12, "nonsingular: cofactors");
        Array batch = Jnp.stack(List.of(rank3, a), 0);
        Array gb = Jax.vmap(Jax.grad(Linalg::det), 0, 0).apply(batch);
        Numeric.assertClose(g.toDoubleArray(), gb.get(0).toDoubleArray(), 1e-12, 1e-14, "vmap of grad det, singular member");
        Array single = Array.of(new double[] {5}, 1, 1);
        assertEquals(1.0, Jax.grad(Linalg::det).apply(single).item(), 0, "1x1");
        // second order at the singular matrix: d(grad det) along v vs central differences of the gradient
        Numeric.assertClose(Numeric.centralDifference(Jax.grad(Linalg::det), rank3, v, 1e-4),
                Jax.jvp(Jax.grad(Linalg::det), rank3, v).tangent().toDoubleArray(), 1e-7, 1e-9, "Hessian of det at a singular matrix");
    }

    /** Functions of a 4x4 matrix through every facade function, for the derivative checks. */
    private static List<UnaryOperator<Array>> functions(Array b) {
        return List.of(
                z -> Linalg.cholesky(Jnp.add(Jnp.matmul(z, Jnp.transpose(z)), Jnp.eye(DType.FLOAT64, 4))),
                z -> Linalg.triangularSolve(z, b, true, true, false),
                z -> Linalg.triangularSolve(z, b, false, false, true),
                z -> Linalg.lu(z).lu(),
                z -> Linalg.solve(z, b),
                z -> Linalg.inv(z),
                z -> Jnp.reshape(Linalg.slogdet(z).logAbsDet(), 1),
                z -> Jnp.reshape(Linalg.det(z), 1),
                z -> Linalg.matrixPower(z, 3),
                z -> Linalg.matrixPower(z, -2),
                z -> Jnp.reshape(Linalg.norm(z), 1),
                z -> Linalg.norm(z, 3, 1),
                z -> Linalg.eigh(Jnp.add(z, Jnp.transpose(z))).eigenvalues(),
                z -> Linalg.eigh(Jnp.add(z, Jnp.multiply(Jnp.transpose(z), 0.5))).eigenvectors());
    }

    @Test
    void secondDerivativesAgreeInAllFourPairingsAndWithCentralDifferences() {
        Random r = new Random(5);
        Array a = random(r, 3, 4, 4);
        Array b = random(r, 0, 4, 4);
        Array v = random(r, 0, 4, 4);
        List<UnaryOperator<Array>> fs = functions(b);
        SecondOrderChecks.assertAgree(fs, a, v);
    }

    @Test
    void vmapAndJitAgreeWithTheLoopAndEager() {
        Random r = new Random(6);
        Array as = random(r, 3, 3, 4, 4);
        Array b = random(r, 0, 4, 4);
        List<UnaryOperator<Array>> fs = functions(b);
        SecondOrderChecks.assertVmapAndJitAgree(fs, as);
    }

    @Test
    void normsAndPowersAgreeWithNaiveLoops() {
        Random r = new Random(7);
        Array x = random(r, 0, 3, 5);
        double[] xv = x.toDoubleArray();
        for (double ord : new double[] {1, 2, 3, -1.5, 0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            double[] expected = new double[3];
            for (int i = 0; i < 3; i++) {
                double s = ord == Double.NEGATIVE_INFINITY ? Double.MAX_VALUE : 0;
                for (int j = 0; j < 5; j++) {
                    double a = Math.abs(xv[i * 5 + j]);
                    s = ord == Double.POSITIVE_INFINITY ? Math.max(s, a) : ord == Double.NEGATIVE_INFINITY ? Math.min(s, a)
                            : ord == 0 ? s + (a != 0 ? 1 : 0) : s + Math.pow(a, ord);
                }
                expected[i] = Double.isInfinite(ord) || ord == 0 ? s : Math.pow(s, 1 / ord);
            }
            Numeric.assertClose(expected, Linalg.norm(x, ord, -1).toDoubleArray(), 1e-13, 1e-13, "norm ord " + ord);
        }
        double fro = 0;
        for (double v : xv) {
            fro += v * v;
        }
        assertEquals(Math.sqrt(fro), Linalg.norm(x).item(), 1e-13);
        Array a = random(r, 2, 3, 3);
        Numeric.assertClose(Jnp.matmul(a, Jnp.matmul(a, Jnp.matmul(a, Jnp.matmul(a, a)))).toDoubleArray(),
                Linalg.matrixPower(a, 5).toDoubleArray(), 1e-12, 1e-12, "a^5");
        Numeric.assertClose(Jnp.eye(DType.FLOAT64, 3).toDoubleArray(), Linalg.matrixPower(a, 0).toDoubleArray(), 0, 0, "a^0");
        Numeric.assertClose(Jnp.eye(DType.FLOAT64, 3).toDoubleArray(),
                Jnp.matmul(Linalg.matrixPower(a, -3), Linalg.matrixPower(a, 3)).toDoubleArray(), 1e-12, 1e-12, "a^-3 a^3");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable e, String... mentions) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        for (String m : mentions) {
            assertTrue(ex.getMessage().contains(m), "message should mention " + m + ": " + ex.getMessage());
        }
    }

    @Test
    void badInputIsRefusedNamingTheOperationShapesAndDtypes() {
        Array rect = Array.of(new double[6], 2, 3);
        Array sq = Array.of(new double[9], 3, 3);
        assertMessage(() -> Linalg.cholesky(rect), "cholesky", "float64[2,3]", "square");
        assertMessage(() -> Linalg.inv(rect), "inv", "float64[2,3]");
        assertMessage(() -> Linalg.solve(sq, Array.of(new double[4], 4)), "solve", "float64[3,3]", "float64[4]");
        assertMessage(() -> Linalg.solve(sq, Jnp.astype(Array.of(new double[3], 3), DType.FLOAT32)), "solve", "float32[3]");
        assertMessage(() -> Linalg.triangularSolve(sq, Array.of(new double[8], 4, 2), true, true, false),
                "triangular_solve", "float64[3,3]", "float64[4,2]");
        assertMessage(() -> Linalg.lu(Jnp.astype(sq, DType.INT32)), "lu", "int32[3,3]", "floating");
        assertMessage(() -> Linalg.lu(Array.of(new double[3], 3)), "lu", "float64[3]");
        assertMessage(() -> Linalg.det(Jnp.astype(rect, DType.FLOAT32)), "det", "float32[2,3]", "square");
        assertMessage(() -> Linalg.eigh(rect), "eigh", "float64[2,3]");
    }
}
