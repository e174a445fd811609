package dev.solstice.linalg;

import static dev.solstice.linalg.LinalgTest.hip;
import static dev.solstice.linalg.LinalgTest.random;
import static dev.solstice.linalg.LinalgTest.spd;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.Linalg;
import dev.solstice.testing.Numeric;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.hipparchus.linear.EigenDecompositionSymmetric;
import org.junit.jupiter.api.Test;

/**
 * The {@link Linalg} options that mirror {@code jnp.linalg}'s: values-only {@code eigvalsh}, the QR modes, the SVD
 * options ({@code computeUv}, {@code hermitian}), {@code det}'s explicit 2x2 and 3x3 formulas and {@code solve}'s
 * batch broadcasting; against Hipparchus, closed forms, float64 central differences and loops over the batch.
 */
class LinalgOptionsTest {

    @Test
    void eigvalshAgreesWithHipparchusAndItsDerivativeWithTheClosedFormAndCentralDifferences() {
        Random r = new Random(21);
        Array a = random(r, 0, 6, 6);
        Array sym = Jnp.multiply(Jnp.add(a, Jnp.transpose(a)), 0.5);
        double[] expected = new EigenDecompositionSymmetric(hip(sym)).getEigenvalues();
        Arrays.sort(expected);
        Numeric.assertClose(expected, Linalg.eigvalsh(a).toDoubleArray(), 1e-13, 1e-12, "eigvalsh vs Hipparchus");
        assertArrayEquals(Linalg.eigh(a).eigenvalues().toDoubleArray(), Linalg.eigvalsh(a).toDoubleArray(),
                "the values-only path gives eigh's values bitwise");
        Array dA = random(r, 0, 6, 6);
        Numeric.assertClose(Numeric.centralDifference(Linalg::eigvalsh, a, dA, 1e-6),
                Jax.jvp(Linalg::eigvalsh, a, dA).tangent().toDoubleArray(), 1e-7, 1e-9, "eigvalsh JVP vs central differences");
        // grad of the sum of the eigenvalues is the identity (trace), also at a repeated eigenvalue
        Array repeated = Array.of(new double[] {2, 0, 0, 0, 2, 0, 0, 0, 5}, 3, 3);
        Numeric.assertClose(Jnp.eye(DType.FLOAT64, 3).toDoubleArray(),
                Jax.grad((Array x) -> Jnp.sum(Linalg.eigvalsh(x))).apply(repeated).toDoubleArray(), 1e-14, 1e-14,
                "d sum(w) = I at a repeated eigenvalue");
        // second order: the Hessian-vector product of the largest eigenvalue vs central differences of its gradient
        UnaryOperator<Array> gradTop = Jax.grad((Array x) -> Jnp.sum(Jnp.multiply(Linalg.eigvalsh(x), Array.of(0.0, 0, 0, 0, 0, 1))));
        Numeric.assertClose(Numeric.centralDifference(gradTop, a, dA, 1e-5),
                Jax.jvp(gradTop, a, dA).tangent().toDoubleArray(), 1e-6, 1e-8, "second derivative vs central differences");
        Array batch = Jnp.stack(List.of(a, spd(r, 6), sym), 0);
        Array vm = Jax.vmap(Linalg::eigvalsh, 0, 0).apply(batch);
        for (int b = 0; b < 3; b++) {
            assertArrayEquals(Linalg.eigvalsh(batch.get(b)).toDoubleArray(), vm.get(b).toDoubleArray(), "vmap member " + b);
        }
        assertArrayEquals(Linalg.eigvalsh(batch).toDoubleArray(), Jax.jit(Linalg::eigvalsh).apply(batch).toDoubleArray(), "jit");
        Array f32 = Linalg.eigvalsh(Jnp.astype(a, DType.FLOAT32));
        assertEquals(DType.FLOAT32, f32.dtype());
        Numeric.assertClose(expected, f32.toDoubleArray(), 2e-6, 1e-5, "float32");
    }

    @Test
    void qrModeRIsTheReducedRWithItsDerivativeAndRawIsRefused() {
        Random r = new Random(22);
        Array a = random(r, 2, 5, 3);
        dev.solstice.QrResult only = Linalg.qr(a, "r");
        assertEquals(null, only.q(), "mode r: no Q");
        double[] hipR = LinalgTest.flat(new org.hipparchus.linear.QRDecomposition(hip(a)).getR());
        double[] rr = only.r().toDoubleArray();
        assertArrayEquals(new int[] {3, 3}, only.r().shape());
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                // Hipparchus's R has LAPACK's signs up to a row sign; compare magnitudes row by row
                assertEquals(Math.abs(hipR[i * 3 + j]), Math.abs(rr[i * 3 + j]), 1e-12, "R[" + i + "," + j + "]");
            }
        }
        assertArrayEquals(Linalg.qr(a).r().toDoubleArray(), rr, "mode r gives the reduced R");
        Array v = random(r, 0, 5, 3);
        Numeric.assertClose(Numeric.centralDifference(x -> Linalg.qr(x, "r").r(), a, v, 1e-6),
                Jax.jvp((Array x) -> Linalg.qr(x, "r").r(), a, v).tangent().toDoubleArray(), 1e-7, 1e-9, "d R vs central differences");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Linalg.qr(a, "raw"));
        assertTrue(e.getMessage().contains("raw") && e.getMessage().contains("float64[5,3]"), e.getMessage());
    }

    @Test
    void svdOptionsValuesOnlyAndHermitianAgreeWithHipparchusAndReconstruct() {
        Random r = new Random(23);
        Array a = random(r, 0, 4, 6);
        dev.solstice.SvdResult valuesOnly = Linalg.svd(a, true, false, false);
        assertEquals(null, valuesOnly.u());
        assertEquals(null, valuesOnly.vh());
        double[] hipS = new org.hipparchus.linear.SingularValueDecomposition(hip(a)).getSingularValues();
        Numeric.assertClose(hipS, valuesOnly.s().toDoubleArray(), 1e-13, 1e-13, "computeUv = false vs Hipparchus");
        // hermitian: an indefinite symmetric matrix with a zero eigenvalue
        Array q = Linalg.qr(random(r, 0, 5, 5)).q();
        Array lambda = Array.of(-3.0, 0.5, 0.0, 2.2, -1.0);
        Array sym = Jnp.matmul(Jnp.multiply(q, Jnp.expandDims(lambda, 0)), Jnp.transpose(q));
        double[] expected = new org.hipparchus.linear.SingularValueDecomposition(hip(sym)).getSingularValues();
        dev.solstice.SvdResult h = Linalg.svd(sym, false, true, true);
        Numeric.assertClose(expected, h.s().toDoubleArray(), 1e-13, 1e-13, "hermitian s = |lambda| descending vs Hipparchus");
        Numeric.assertClose(expected, Linalg.svd(sym, false, false, true).s().toDoubleArray(), 1e-13, 1e-13, "hermitian values only");
        Array rebuilt = Jnp.matmul(Jnp.multiply(h.u(), Jnp.expandDims(h.s(), 0)), h.vh());
        Numeric.assertClose(sym.toDoubleArray(), rebuilt.toDoubleArray(), 1e-12, 1e-12, "U diag(s) Vh = a");
        Numeric.assertClose(Jnp.eye(DType.FLOAT64, 5).toDoubleArray(), Jnp.matmul(Jnp.transpose(h.u()), h.u()).toDoubleArray(),
                1e-13, 1e-13, "U orthonormal");
        // Vh's rows are U's columns times sign(lambda)
        double[] vh = h.vh().toDoubleArray();
        double[] u = h.u().toDoubleArray();
        double[] signs = {-1, 1, -1, 1};                      // lambda by |lambda| descending: -3, 2.2, -1, 0.5, then ~0
        for (int j = 0; j < 4; j++) {
            for (int i = 0; i < 5; i++) {
                assertEquals(signs[j] * u[i * 5 + j], vh[j * 5 + i], 1e-14, "Vh row " + j);
            }
        }
        // JAX's sign(0) = 0: an exactly zero eigenvalue gives a zero row of Vh; the exact tie |-3| = |3|: the stable
        // sort keeps eigh's ascending order (-3 before 3) and the reversal puts 3 first
        dev.solstice.SvdResult d = Linalg.svd(Array.of(new double[] {-3, 0, 0, 0, 0, 0, 0, 0, 3}, 3, 3), false, true, true);
        assertArrayEquals(new double[] {3, 3, 0}, d.s().toDoubleArray());
        assertArrayEquals(new double[] {0, 1, 0, 0, 0, 1, 1, 0, 0}, d.u().toDoubleArray());
        assertArrayEquals(new double[] {0, 0, 1, -1, 0, 0, 0, 0, 0}, d.vh().toDoubleArray(), 0.0);
        // derivative of the hermitian singular values vs central differences (distinct |lambda|)
        Array spread = Jnp.matmul(Jnp.multiply(q, Jnp.expandDims(Array.of(-3.0, 0.5, 1.7, 2.5, -1.0), 0)), Jnp.transpose(q));
        Array dA = random(r, 0, 5, 5);
        Array dSym = Jnp.add(dA, Jnp.transpose(dA));
        Numeric.assertClose(Numeric.centralDifference(x -> Linalg.svd(x, false, true, true).s(), spread, dSym, 1e-6),
                Jax.jvp((Array x) -> Linalg.svd(x, false, true, true).s(), spread, dSym).tangent().toDoubleArray(), 1e-7, 1e-9,
                "d s (hermitian) vs central differences");
        Array batch = Jnp.stack(List.of(sym, spread), 0);
        Array vm = Jax.vmap((Array x) -> Linalg.svd(x, false, true, true).vh(), 0, 0).apply(batch);
        assertArrayEquals(Linalg.svd(spread, false, true, true).vh().toDoubleArray(), vm.get(1).toDoubleArray(), "vmap");
        assertThrows(IllegalArgumentException.class, () -> Linalg.svd(a, false, true, true));
    }

    /** Random 2x2 and 3x3 matrices, and singular ones of rank n - 1 and (3x3) rank 1. */
    private static List<Array> smallMatrices(Random r) {
        Array rank1of2 = Jnp.matmul(random(r, 0, 2, 1), random(r, 0, 1, 2));
        Array rank2of3 = Jnp.matmul(random(r, 0, 3, 2), random(r, 0, 2, 3));
        Array rank1of3 = Jnp.matmul(random(r, 0, 3, 1), random(r, 0, 1, 3));
        return List.of(random(r, 0, 2, 2), random(r, 0, 3, 3), rank1of2, rank2of3, rank1of3);
    }

    @Test
    void smallDeterminantsByFormulaAgreeWithHipparchusAndTheirDerivativesWithCentralDifferences() {
        Random r = new Random(24);
        for (Array a : smallMatrices(r)) {
            int rank = new org.hipparchus.linear.SingularValueDecomposition(hip(a)).getRank();
            String what = a.aval().str() + " of rank " + rank;
            double expected = rank < a.shape()[0] ? 0 : new org.hipparchus.linear.LUDecomposition(hip(a), 0).getDeterminant();
            assertEquals(expected, Linalg.det(a).item(), 1e-14, what + ": det");
            Array g = Jax.grad(Linalg::det).apply(a);
            Numeric.assertClose(LinalgTest.cofactors(a), g.toDoubleArray(), 1e-13, 1e-14, what + ": grad = cofactor matrix");
            Array v = random(r, 0, a.shape());
            UnaryOperator<Array> det1 = x -> Jnp.reshape(Linalg.det(x), 1);
            Numeric.assertClose(Numeric.centralDifference(det1, a, v, 1e-5),
                    Jax.jvp(det1, a, v).tangent().toDoubleArray(), 1e-8, 1e-10, what + ": JVP vs central differences");
            UnaryOperator<Array> grad = Jax.grad(Linalg::det);
            Numeric.assertClose(Numeric.centralDifference(grad, a, v, 1e-5),
                    Jax.jvp(grad, a, v).tangent().toDoubleArray(), 1e-8, 1e-10, what + ": second derivative vs central differences");
            UnaryOperator<Array> hvp = x -> Jax.jvp(grad, x, v).tangent();
            Numeric.assertClose(Numeric.centralDifference(hvp, a, v, 1e-4),
                    Jax.jvp(hvp, a, v).tangent().toDoubleArray(), 1e-8, 1e-10, what + ": third derivative vs central differences");
        }
        Array batch = Jnp.stack(smallMatrices(r).subList(1, 5).stream().filter(x -> x.shape()[0] == 3).toList(), 0);
        Array dets = Linalg.det(batch);
        Array vm = Jax.vmap(Jax.grad(Linalg::det), 0, 0).apply(batch);
        for (int b = 0; b < batch.shape()[0]; b++) {
            assertEquals(Linalg.det(batch.get(b)).item(), dets.get(b).item(), 0, "batch member " + b);
            Numeric.assertClose(LinalgTest.cofactors(batch.get(b)), vm.get(b).toDoubleArray(), 1e-13, 1e-14, "vmap of grad " + b);
        }
        Array f32 = Jnp.astype(smallMatrices(r).get(1), DType.FLOAT32);
        assertEquals(DType.FLOAT32, Linalg.det(f32).dtype());
        assertEquals(new org.hipparchus.linear.LUDecomposition(hip(Jnp.astype(f32, DType.FLOAT64)), 0).getDeterminant(),
                Linalg.det(f32).item(), 1e-6, "float32");
    }

    @Test
    void solveBroadcastsBatchAxesAsJnpLinalgSolveAndAgreesWithTheLoop() {
        Random r = new Random(25);
        Array one = random(r, 3, 3, 3);
        Array many = random(r, 3, 2, 3, 3);
        Array grid = random(r, 3, 4, 1, 3, 3);
        // (a shape, b shape, x shape)
        int[][][] cases = {
            {{3, 3}, {3}, {3}},
            {{2, 3, 3}, {3}, {2, 3}},                 // b.ndim == 1: a vector for every matrix
            {{2, 3, 3}, {2, 3}, {2, 3}},              // b.ndim == a.ndim - 1: a batch of vectors
            {{3, 3}, {5, 3, 2}, {5, 3, 2}},           // one matrix, a batch of right-hand sides
            {{2, 3, 3}, {1, 3, 4}, {2, 3, 4}},        // a batch of matrices, one right-hand side matrix
            {{4, 1, 3, 3}, {1, 2, 3, 1}, {4, 2, 3, 1}},  // 1 broadcast against 2 and 4
            {{4, 1, 3, 3}, {1, 2, 3}, {4, 2, 3}},     // vectors with batch axes [1, 2] against [4, 1]
        };
        for (int[][] c : cases) {
            Array a = c[0].length == 2 ? one : c[0].length == 3 ? many : grid;
            Array b = random(r, 0, c[1]);
            Array x = Linalg.solve(a, b);
            assertArrayEquals(c[2], x.shape(), java.util.Arrays.toString(c[0]) + " \\ " + java.util.Arrays.toString(c[1]));
            boolean vector = c[1].length == 1 || c[1].length == c[0].length - 1;
            int n = 3;
            int k = vector ? 1 : c[1][c[1].length - 1];
            int count = x.size() / (n * k);
            int[] batch = java.util.Arrays.copyOf(c[2], c[2].length - (vector ? 1 : 2));
            double[] xv = x.toDoubleArray();
            for (int i = 0; i < count; i++) {
                int[] index = unravel(i, batch);
                Array ai = pick(a, index, c[0].length - 2);
                Array bi = pick(b, index, c[1].length - (vector ? 1 : 2));
                double[] expected = LinalgTest.flat(new org.hipparchus.linear.LUDecomposition(hip(ai)).getSolver()
                        .solve(hip(vector ? Jnp.reshape(bi, 3, 1) : bi)));
                Numeric.assertClose(expected, java.util.Arrays.copyOfRange(xv, i * n * k, (i + 1) * n * k), 1e-12, 1e-12,
                        "member " + i + " of " + java.util.Arrays.toString(c[0]) + " \\ " + java.util.Arrays.toString(c[1]));
            }
        }
        // derivatives through the broadcast: d/db and d/da of a batch solve vs central differences
        Array b = random(r, 0, 5, 3, 2);
        Array va = random(r, 0, 3, 3);
        Numeric.assertClose(Numeric.centralDifference(z -> Linalg.solve(z, b), one, va, 1e-6),
                Jax.jvp((Array z) -> Linalg.solve(z, b), one, va).tangent().toDoubleArray(), 1e-7, 1e-9, "d/da of a broadcast solve");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Linalg.solve(many, random(r, 0, 3, 3, 2)));
        assertTrue(e.getMessage().contains("float64[2,3,3]") && e.getMessage().contains("float64[3,3,2]"), e.getMessage());
    }

    private static int[] unravel(int i, int[] shape) {
        int[] index = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            index[d] = i % shape[d];
            i /= shape[d];
        }
        return index;
    }

    /** The matrix or vector of {@code x} at the broadcast batch index {@code index} ({@code x} has {@code batchRank} batch axes). */
    private static Array pick(Array x, int[] index, int batchRank) {
        Array out = x;
        for (int d = 0; d < batchRank; d++) {
            int len = x.shape()[d];
            out = out.get(len == 1 ? 0 : index[index.length - batchRank + d]);
        }
        return out;
    }
}
