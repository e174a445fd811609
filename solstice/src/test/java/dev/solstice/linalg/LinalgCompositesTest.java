package dev.solstice.linalg;

import static dev.solstice.linalg.LinalgTest.flat;
import static dev.solstice.linalg.LinalgTest.hip;
import static dev.solstice.linalg.LinalgTest.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.Linalg;
import dev.solstice.LstsqResult;
import dev.solstice.testing.Numeric;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.hipparchus.linear.QRDecomposition;
import org.hipparchus.linear.RealMatrix;
import org.hipparchus.linear.SingularValueDecomposition;
import org.junit.jupiter.api.Test;

/**
 * The SVD composites of {@link Linalg}: pinv (against Hipparchus's pseudo-inverse, the four Penrose identities,
 * its custom JVP against central differences including along a rank-preserving curve through a rank-deficient
 * matrix, second order in all four pairings), lstsq (against Hipparchus's QR least squares, residuals, rank,
 * minimum norm), matrix norms and cond (against naive loops and Hipparchus), vmap and jit.
 */
class LinalgCompositesTest {

    private static void assertPenrose(Array a, Array p, double tol, String what) {
        Array ap = Jnp.matmul(a, p);
        Array pa = Jnp.matmul(p, a);
        Numeric.assertClose(a.toDoubleArray(), Jnp.matmul(ap, a).toDoubleArray(), tol, tol, what + ": A P A = A");
        Numeric.assertClose(p.toDoubleArray(), Jnp.matmul(pa, p).toDoubleArray(), tol, tol, what + ": P A P = P");
        Numeric.assertClose(Jnp.transpose(ap).toDoubleArray(), ap.toDoubleArray(), tol, tol, what + ": A P symmetric");
        Numeric.assertClose(Jnp.transpose(pa).toDoubleArray(), pa.toDoubleArray(), tol, tol, what + ": P A symmetric");
    }

    /** {@code x yᵀ} for random {@code x [m, rank]}, {@code y [n, rank]}. */
    private static Array lowRank(Random r, int m, int n, int rank) {
        return Jnp.matmul(random(r, 0, m, rank), Jnp.transpose(random(r, 0, n, rank)));
    }

    @Test
    void pinvAgreesWithHipparchusAndSatisfiesThePenroseIdentities() {
        Random r = new Random(41);
        for (int[] shape : List.of(new int[] {5, 3}, new int[] {3, 5}, new int[] {4, 4})) {
            Array a = random(r, 0, shape);
            String what = java.util.Arrays.toString(shape);
            RealMatrix expected = new SingularValueDecomposition(hip(a)).getSolver().getInverse();
            Array p = Linalg.pinv(a);
            assertEquals(shape[1], p.shape()[0]);
            Numeric.assertClose(flat(expected), p.toDoubleArray(), 1e-12, 1e-12, what + ": pinv vs Hipparchus");
            assertPenrose(a, p, 1e-12, what);
            Array p32 = Linalg.pinv(Jnp.astype(a, DType.FLOAT32));
            assertEquals(DType.FLOAT32, p32.dtype());
            Numeric.assertClose(flat(expected), p32.toDoubleArray(), 1e-4, 1e-4, what + ": float32");
        }
        Array deficient = lowRank(r, 5, 4, 2);
        assertPenrose(deficient, Linalg.pinv(deficient), 1e-12, "rank 2 of 5x4");
        Array zero = Jnp.zeros(DType.FLOAT64, 3, 2);
        Numeric.assertClose(new double[6], Linalg.pinv(zero).toDoubleArray(), 0, 0, "pinv(0) = 0");
        // the cutoff: a singular value just under rtol times the largest is dropped
        Array diag = Array.of(new double[] {1, 0, 0, 1e-3}, 2, 2);
        assertEquals(1000.0, Linalg.pinv(diag).get(1).get(1).item(), 1e-9);
        assertEquals(0.0, Linalg.pinv(diag, 1e-2).get(1).get(1).item());
        Array batch = Jnp.stack(List.of(random(r, 0, 3, 2), random(r, 0, 3, 2)), 0);
        Array pb = Linalg.pinv(batch);
        for (int e = 0; e < 2; e++) {
            Numeric.assertClose(Linalg.pinv(batch.get(e)).toDoubleArray(), pb.get(e).toDoubleArray(), 1e-14, 1e-14, "batched");
        }
    }

    @Test
    void pinvDerivativeIsFiniteAndRightAtARankDeficientMatrix() {
        Random r = new Random(42);
        Array x = random(r, 0, 4, 2);
        Array y = random(r, 0, 3, 2);
        Array dx = random(r, 0, 4, 2);
        Array dy = random(r, 0, 3, 2);
        // A(e) = (x + e dx)(y + e dy)^T keeps rank 2, so pinv is smooth along it; its velocity at 0 is the tangent.
        UnaryOperator<Array> curve = e -> Linalg.pinv(Jnp.matmul(Jnp.add(x, Jnp.multiply(dx, e)), Jnp.transpose(Jnp.add(y, Jnp.multiply(dy, e)))));
        double[] fd = Numeric.centralDifference(curve, Array.scalar(0.0), Array.scalar(1.0), 1e-5);
        Array a = Jnp.matmul(x, Jnp.transpose(y));
        Array dA = Jnp.add(Jnp.matmul(dx, Jnp.transpose(y)), Jnp.matmul(x, Jnp.transpose(dy)));
        double[] jvp = Jax.jvp((Array z) -> Linalg.pinv(z), a, dA).tangent().toDoubleArray();
        for (double v : jvp) {
            assertTrue(Double.isFinite(v), "finite at a rank-deficient matrix (the SVD route would not be)");
        }
        Numeric.assertClose(fd, jvp, 1e-6, 1e-7, "custom JVP vs central differences along a rank-preserving curve");
        Array g = Jax.grad((Array z) -> Jnp.sum(Jnp.sin(Linalg.pinv(z)))).apply(a);
        for (double v : g.toDoubleArray()) {
            assertTrue(Double.isFinite(v), "finite gradient at a rank-deficient matrix");
        }
    }

    private static List<UnaryOperator<Array>> functions(Array b) {
        return List.of(
                z -> Linalg.pinv(z),
                z -> Linalg.pinv(dev.solstice.Lax.slice(z, new int[] {0, 0}, new int[] {4, 2}, new int[] {1, 1})),
                z -> Linalg.lstsq(z, b).solution(),
                z -> Linalg.lstsq(dev.solstice.Lax.slice(z, new int[] {0, 0}, new int[] {4, 3}, new int[] {1, 1}), b).solution(),
                z -> Jnp.reshape(Linalg.norm(z, 2), 1),
                z -> Jnp.reshape(Linalg.norm(z, -2), 1),
                z -> Jnp.reshape(Linalg.norm(z, "nuc"), 1),
                z -> Jnp.reshape(Linalg.norm(z, 1), 1),
                z -> Jnp.reshape(Linalg.norm(z, Double.NEGATIVE_INFINITY), 1),
                z -> Jnp.reshape(Linalg.cond(z), 1));
    }

    /** A 4x4 matrix with singular values well apart. */
    private static Array apart(Random r) {
        return Jnp.add(Jnp.multiply(random(r, 0, 4, 4), 0.3),
                Array.of(new double[] {1, 0, 0, 0, 0, 2.2, 0, 0, 0, 0, 3.4, 0, 0, 0, 0, 4.6}, 4, 4));
    }

    @Test
    void secondDerivativesAgreeInAllFourPairingsAndWithCentralDifferences() {
        Random r = new Random(43);
        Array a = apart(r);
        Array b = random(r, 0, 4, 2);
        Array v = random(r, 0, 4, 4);
        List<UnaryOperator<Array>> fs = functions(b);
        SecondOrderChecks.assertAgree(fs, a, v);
    }

    @Test
    void vmapAndJitAgreeWithTheLoopAndEager() {
        Random r = new Random(44);
        Array as = Jnp.stack(List.of(apart(r), apart(r), apart(r)), 0);
        List<UnaryOperator<Array>> fs = functions(random(r, 0, 4, 2));
        SecondOrderChecks.assertVmapAndJitAgree(fs, as);
    }

    @Test
    void lstsqAgreesWithHipparchusAndGivesTheMinimumNormSolution() {
        Random r = new Random(45);
        Array a = random(r, 0, 6, 3);
        Array b = random(r, 0, 6, 2);
        LstsqResult res = Linalg.lstsq(a, b);
        RealMatrix expected = new QRDecomposition(hip(a)).getSolver().solve(hip(b));
        Numeric.assertClose(flat(expected), res.solution().toDoubleArray(), 1e-12, 1e-12, "least squares vs Hipparchus QR");
        RealMatrix resid = hip(a).multiply(expected).subtract(hip(b));
        double[] rs = new double[2];
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 2; j++) {
                rs[j] += resid.getEntry(i, j) * resid.getEntry(i, j);
            }
        }
        Numeric.assertClose(rs, res.residuals().toDoubleArray(), 1e-12, 1e-12, "residuals");
        assertEquals(3.0, res.rank().item());
        assertEquals(DType.INT32, res.rank().dtype());
        Numeric.assertClose(new SingularValueDecomposition(hip(a)).getSingularValues(), res.singularValues().toDoubleArray(),
                1e-13, 1e-13, "singular values");
        // a vector b: solution [n], residuals [1]
        Array bv = random(r, 0, 6);
        LstsqResult rv = Linalg.lstsq(a, bv);
        assertEquals(List.of(3), java.util.Arrays.stream(rv.solution().shape()).boxed().toList());
        assertEquals(List.of(1), java.util.Arrays.stream(rv.residuals().shape()).boxed().toList());
        // rank-deficient and wide: the minimum-norm solution pinv(a) b
        Array deficient = lowRank(r, 4, 5, 2);
        Array bd = random(r, 0, 4, 1);
        LstsqResult rd = Linalg.lstsq(deficient, bd);
        assertEquals(2.0, rd.rank().item());
        RealMatrix minNorm = new SingularValueDecomposition(hip(deficient)).getSolver().getInverse().multiply(hip(bd));
        Numeric.assertClose(flat(minNorm), rd.solution().toDoubleArray(), 1e-10, 1e-10, "minimum-norm solution");
        // rcond drops a small singular value
        Array diag = Array.of(new double[] {1, 0, 0, 1e-3}, 2, 2);
        assertEquals(1.0, Linalg.lstsq(diag, Array.of(1.0, 1.0), 1e-2).rank().item());
        assertEquals(1000.0, Linalg.lstsq(diag, Array.of(1.0, 1.0), -1).solution().get(1).item(), 1e-9);
    }

    @Test
    void matrixNormsAndConditionNumbersAgreeWithNaiveLoopsAndHipparchus() {
        Random r = new Random(46);
        Array a = random(r, 0, 4, 3);
        double[] v = a.toDoubleArray();
        double[] col = new double[3];
        double[] row = new double[4];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 3; j++) {
                col[j] += Math.abs(v[i * 3 + j]);
                row[i] += Math.abs(v[i * 3 + j]);
            }
        }
        java.util.Arrays.sort(col);
        java.util.Arrays.sort(row);
        assertEquals(col[2], Linalg.norm(a, 1).item(), 1e-14);
        assertEquals(col[0], Linalg.norm(a, -1).item(), 1e-14);
        assertEquals(row[3], Linalg.norm(a, Double.POSITIVE_INFINITY).item(), 1e-14);
        assertEquals(row[0], Linalg.norm(a, Double.NEGATIVE_INFINITY).item(), 1e-14);
        SingularValueDecomposition d = new SingularValueDecomposition(hip(a));
        double[] s = d.getSingularValues();
        assertEquals(s[0], Linalg.norm(a, 2).item(), 1e-13);
        assertEquals(s[2], Linalg.norm(a, -2).item(), 1e-13);
        assertEquals(s[0] + s[1] + s[2], Linalg.norm(a, "nuc").item(), 1e-13);
        assertEquals(hip(a).getFrobeniusNorm(), Linalg.norm(a, "fro").item(), 1e-13);
        assertEquals(d.getConditionNumber(), Linalg.cond(a).item(), 1e-12 * d.getConditionNumber());
        assertEquals(1 / d.getConditionNumber(), Linalg.cond(a, -2).item(), 1e-13);
        Array sq = random(r, 2, 3, 3);
        RealMatrix inv = new org.hipparchus.linear.LUDecomposition(hip(sq)).getSolver().getInverse();
        assertEquals(hip(sq).getNorm1() * inv.getNorm1(), Linalg.cond(sq, 1).item(), 1e-12 * Linalg.cond(sq, 1).item());
        assertEquals(hip(sq).getNormInfty() * inv.getNormInfty(), Linalg.cond(sq, Double.POSITIVE_INFINITY).item(), 1e-11);
        // vectors keep the vector norms; batches of matrices give one norm each
        assertEquals(3.0, Linalg.norm(Array.of(1.0, -2.0), 1).item());
        Array batch = Jnp.stack(List.of(a, Jnp.multiply(a, 2.0)), 0);
        Numeric.assertClose(new double[] {s[0], 2 * s[0]}, Linalg.norm(batch, 2).toDoubleArray(), 1e-13, 1e-13, "batched 2-norm");
        // singular: +inf (from 0/0 or x/0); NaN input: NaN, as JAX
        assertEquals(Double.POSITIVE_INFINITY, Linalg.cond(Jnp.zeros(DType.FLOAT64, 2, 2)).item());
        assertEquals(Double.POSITIVE_INFINITY, Linalg.cond(Array.of(new double[] {1, 2, 2, 4}, 2, 2), 1).item());
        assertTrue(Double.isNaN(Linalg.cond(Array.of(new double[] {1, Double.NaN, 0, 1}, 2, 2)).item()));
    }

    @Test
    void badInputIsRefusedNamingTheOperationAndShapes() {
        Array a = Array.of(new double[6], 3, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Linalg.lstsq(a, Array.of(new double[2], 2)));
        assertTrue(e.getMessage().contains("lstsq") && e.getMessage().contains("float64[3,2]") && e.getMessage().contains("float64[2]"));
        e = assertThrows(IllegalArgumentException.class, () -> Linalg.lstsq(Array.of(new double[12], 2, 3, 2), Array.of(new double[3], 3)));
        assertTrue(e.getMessage().contains("float64[2,3,2]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Linalg.norm(a, 3));
        assertTrue(e.getMessage().contains("norm") && e.getMessage().contains("3.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Linalg.norm(a, "spectral"));
        assertTrue(e.getMessage().contains("spectral"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Linalg.cond(a, 1));
        assertTrue(e.getMessage().contains("cond") && e.getMessage().contains("square"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Linalg.pinv(Array.of(1.0, 2.0)));
        assertTrue(e.getMessage().contains("pinv"), e.getMessage());
    }
}
