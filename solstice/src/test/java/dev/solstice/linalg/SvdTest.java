package dev.solstice.linalg;

import static dev.solstice.linalg.LinalgTest.hip;
import static dev.solstice.linalg.LinalgTest.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.Linalg;
import dev.solstice.SvdResult;
import dev.solstice.testing.Numeric;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.hipparchus.linear.SingularValueDecomposition;
import org.junit.jupiter.api.Test;

/**
 * {@link Linalg#svd} and {@link Linalg#svdvals}: values against Hipparchus, the invariants (reconstruction,
 * orthonormality, descending order, the documented sign choice) for reduced and full matrices of every
 * orientation, the closed form {@code d s_i = u_iᵀ dA v_i}, central differences to second order in all
 * four mode pairings, vmap against the loop, jit against eager, and the degenerate cases as JAX has them.
 */
class SvdTest {

    private static final List<int[]> SHAPES = List.of(new int[] {5, 3}, new int[] {3, 5}, new int[] {4, 4},
            new int[] {1, 4}, new int[] {4, 1}, new int[] {2, 3, 2});

    /** Checks {@code U diag(s) Vh = a}, orthonormality, order and signs for every matrix of the batch. */
    private static void checkInvariants(Array a, SvdResult r, boolean full, double tol, String what) {
        int rank = a.ndim();
        int m = a.shape()[rank - 2];
        int n = a.shape()[rank - 1];
        int k = Math.min(m, n);
        int uc = full ? m : k;
        int vr = full ? n : k;
        assertEquals(k, r.s().shape()[rank - 2], what + ": s length");
        assertEquals(uc, r.u().shape()[rank - 1], what + ": U columns");
        assertEquals(vr, r.vh().shape()[rank - 2], what + ": Vh rows");
        double[] av = a.toDoubleArray();
        double[] u = r.u().toDoubleArray();
        double[] s = r.s().toDoubleArray();
        double[] vh = r.vh().toDoubleArray();
        for (int b = 0; b < av.length / (m * n); b++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double x = 0;
                    for (int l = 0; l < k; l++) {
                        x += u[b * m * uc + i * uc + l] * s[b * k + l] * vh[b * vr * n + l * n + j];
                    }
                    assertEquals(av[b * m * n + i * n + j], x, tol, what + ": U diag(s) Vh = a at " + i + "," + j);
                }
            }
            for (int l = 0; l < k; l++) {
                assertTrue(s[b * k + l] >= 0 && (l == 0 || s[b * k + l] <= s[b * k + l - 1]), what + ": s descending, >= 0");
            }
            for (int c = 0; c < uc; c++) {
                int big = 0;
                for (int d = 0; d < uc; d++) {
                    double dot = 0;
                    for (int i = 0; i < m; i++) {
                        dot += u[b * m * uc + i * uc + c] * u[b * m * uc + i * uc + d];
                    }
                    assertEquals(c == d ? 1 : 0, dot, tol, what + ": U^T U = I");
                }
                for (int i = 1; i < m; i++) {
                    if (Math.abs(u[b * m * uc + i * uc + c]) > Math.abs(u[b * m * uc + big * uc + c])) {
                        big = i;
                    }
                }
                assertTrue(u[b * m * uc + big * uc + c] > 0, what + ": largest component of u_" + c + " positive");
            }
            for (int c = 0; c < vr; c++) {
                for (int d = 0; d < vr; d++) {
                    double dot = 0;
                    for (int j = 0; j < n; j++) {
                        dot += vh[b * vr * n + c * n + j] * vh[b * vr * n + d * n + j];
                    }
                    assertEquals(c == d ? 1 : 0, dot, tol, what + ": Vh Vh^T = I");
                }
            }
        }
    }

    @Test
    void valuesAgreeWithHipparchusAndTheFactorsReconstructInBothForms() {
        Random r = new Random(21);
        for (int[] shape : SHAPES) {
            Array a = random(r, 0, shape);
            String what = java.util.Arrays.toString(shape);
            for (boolean full : new boolean[] {false, true}) {
                checkInvariants(a, Linalg.svd(a, full), full, 1e-13, what + (full ? " full" : " reduced"));
            }
            if (shape.length == 2) {
                double[] expected = new SingularValueDecomposition(hip(a)).getSingularValues();
                Numeric.assertClose(expected, Linalg.svdvals(a).toDoubleArray(), 1e-13, 1e-14, what + ": svdvals vs Hipparchus");
                Numeric.assertClose(expected, Linalg.svd(a, true).s().toDoubleArray(), 1e-13, 1e-14, what + ": s vs Hipparchus");
                Array a32 = Jnp.astype(a, DType.FLOAT32);
                assertEquals(DType.FLOAT32, Linalg.svdvals(a32).dtype());
                Numeric.assertClose(expected, Linalg.svdvals(a32).toDoubleArray(), 1e-6, 1e-6, what + ": float32");
                checkInvariants(a32, Linalg.svd(a32, true), true, 2e-6, what + " float32 full");
            }
        }
    }

    @Test
    void rankDeficientAndDegenerateMatricesStillGiveOrthonormalFactors() {
        Random r = new Random(22);
        Array x = random(r, 0, 6, 2);
        Array y = random(r, 0, 2, 4);
        Array rank2 = Jnp.matmul(x, y);                                 // 6x4 of rank 2: two zero singular values
        for (boolean full : new boolean[] {false, true}) {
            checkInvariants(rank2, Linalg.svd(rank2, full), full, 1e-13, "rank 2" + (full ? " full" : ""));
            checkInvariants(Jnp.transpose(rank2), Linalg.svd(Jnp.transpose(rank2), full), full, 1e-13, "rank 2 wide");
            Array zero = Jnp.zeros(DType.FLOAT64, 3, 2);
            checkInvariants(zero, Linalg.svd(zero, full), full, 0, "zero");
            Array identity = Jnp.eye(DType.FLOAT64, 3);
            SvdResult e = Linalg.svd(identity, full);
            checkInvariants(identity, e, full, 1e-15, "identity");
        }
        double[] s = Linalg.svdvals(rank2).toDoubleArray();
        assertTrue(s[2] < 1e-14 && s[3] < 1e-14, "two zero singular values: " + java.util.Arrays.toString(s));
        Array nan = Array.of(new double[] {1, Double.NaN, 0, 1}, 2, 2);
        for (double v : Linalg.svd(nan, false).u().toDoubleArray()) {
            assertTrue(Double.isNaN(v), "NaN input gives NaNs");
        }
    }

    @Test
    void singularValueDerivativeIsTheClosedFormAndFiniteAtRepeatedValues() {
        Random r = new Random(23);
        for (int[] shape : List.of(new int[] {5, 3}, new int[] {3, 5})) {
            Array a = random(r, 0, shape);
            Array dA = random(r, 0, shape);
            SvdResult f = Linalg.svd(a, false);
            Array closed = dev.solstice.prim.MatrixOps.diagonal(Jnp.matmul(Jnp.transpose(f.u()), Jnp.matmul(dA, Jnp.transpose(f.vh()))));
            Numeric.assertClose(closed.toDoubleArray(), Jax.jvp(Linalg::svdvals, a, dA).tangent().toDoubleArray(), 1e-12, 1e-12,
                    "d s_i = u_i^T dA v_i");
            Numeric.assertClose(closed.toDoubleArray(), Jax.jvp((Array z) -> Linalg.svd(z, false).s(), a, dA).tangent().toDoubleArray(),
                    1e-12, 1e-12, "d s from the full primitive");
        }
        // Repeated singular values (the identity): d s stays finite; U's derivative is NaN/inf as JAX's.
        Array identity = Jnp.eye(DType.FLOAT64, 3);
        Array dA = random(r, 0, 3, 3);
        double[] ds = Jax.jvp(Linalg::svdvals, identity, dA).tangent().toDoubleArray();
        for (double v : ds) {
            assertTrue(Double.isFinite(v), "d svdvals finite at repeated singular values");
        }
        double[] du = Jax.jvp((Array z) -> Linalg.svd(z, false).u(), identity, dA).tangent().toDoubleArray();
        assertTrue(java.util.Arrays.stream(du).anyMatch(v -> !Double.isFinite(v)), "dU not finite at repeated values, as JAX");
        // A zero singular value of a non-square matrix: the part of dU outside the span divides by it (JAX's rule).
        Array rank1 = Array.of(new double[] {1, 2, 2, 4, 3, 6}, 3, 2);
        Array d1 = random(r, 0, 3, 2);
        for (double v : Jax.jvp(Linalg::svdvals, rank1, d1).tangent().toDoubleArray()) {
            assertTrue(Double.isFinite(v), "d svdvals finite at a zero singular value");
        }
        double[] du1 = Jax.jvp((Array z) -> Linalg.svd(z, false).u(), rank1, d1).tangent().toDoubleArray();
        assertTrue(java.util.Arrays.stream(du1).anyMatch(v -> !Double.isFinite(v) || Math.abs(v) > 1e10),
                "dU infinite at a zero singular value of a tall matrix, as JAX");
        // The norm's gradient through svdvals: d s_0 / dA = u_0 v_0^T.
        Array a = random(r, 0, 4, 3);
        SvdResult f = Linalg.svd(a, false);
        Array g = Jax.grad((Array z) -> Linalg.svdvals(z).get(0)).apply(a);
        Array outer = Jnp.matmul(dev.solstice.Lax.slice(f.u(), new int[] {0, 0}, new int[] {4, 1}, new int[] {1, 1}), dev.solstice.Lax.slice(f.vh(), new int[] {0, 0}, new int[] {1, 3}, new int[] {1, 1}));
        Numeric.assertClose(outer.toDoubleArray(), g.toDoubleArray(), 1e-12, 1e-12, "grad s_0 = u_0 v_0^T");
    }

    @Test
    void fullMatricesOfANonSquareMatrixHaveNoDerivativeAsInJax() {
        Array a = random(new Random(24), 0, 4, 3);
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> Jax.jvp((Array z) -> Linalg.svd(z, true).u(), a, a));
        assertTrue(e.getMessage().contains("svd") && e.getMessage().contains("float64[4,3]"), e.getMessage());
    }

    /** Functions through every output of the reduced decomposition, of tall, wide and square matrices. */
    private static List<UnaryOperator<Array>> functions() {
        return List.of(
                z -> Linalg.svdvals(z),
                z -> Linalg.svd(z, false).u(),
                z -> Linalg.svd(z, false).vh(),
                z -> Linalg.svd(dev.solstice.Lax.slice(z, new int[] {0, 0}, new int[] {4, 2}, new int[] {1, 1}), false).u(),
                z -> Linalg.svd(dev.solstice.Lax.slice(z, new int[] {0, 0}, new int[] {2, 4}, new int[] {1, 1}), false).vh(),
                z -> Linalg.svd(dev.solstice.Lax.slice(z, new int[] {0, 0}, new int[] {2, 4}, new int[] {1, 1}), false).u(),
                z -> Linalg.svd(z, true).vh());
    }

    /** A 4x4 matrix with singular values well apart. */
    private static Array apart(Random r) {
        Array a = random(r, 0, 4, 4);
        return Jnp.add(Jnp.multiply(a, 0.3), Array.of(new double[] {1, 0, 0, 0, 0, 2.2, 0, 0, 0, 0, 3.4, 0, 0, 0, 0, 4.6}, 4, 4));
    }

    @Test
    void secondDerivativesAgreeInAllFourPairingsAndWithCentralDifferences() {
        Random r = new Random(25);
        Array a = apart(r);
        Array v = random(r, 0, 4, 4);
        List<UnaryOperator<Array>> fs = functions();
        SecondOrderChecks.assertAgree(fs, a, v);
    }

    @Test
    void vmapAndJitAgreeWithTheLoopAndEager() {
        Random r = new Random(26);
        Array as = Jnp.stack(List.of(apart(r), apart(r), apart(r)), 0);
        List<UnaryOperator<Array>> fs = functions();
        SecondOrderChecks.assertVmapAndJitAgree(fs, as);
        // leading batch axes of the primitive itself agree with the loop
        SvdResult batch = Linalg.svd(as, false);
        for (int e = 0; e < 3; e++) {
            assertArrayEquals(Linalg.svd(as.get(e), false).u().toDoubleArray(), batch.u().get(e).toDoubleArray(), 1e-14);
        }
    }

    @Test
    void badInputIsRefusedNamingTheOperationAndShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Linalg.svd(Array.of(1.0, 2.0), false));
        assertTrue(e.getMessage().contains("svd") && e.getMessage().contains("float64[2]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Linalg.svdvals(Jnp.astype(Array.of(new double[4], 2, 2), DType.INT32)));
        assertTrue(e.getMessage().contains("svdvals") && e.getMessage().contains("int32[2,2]"), e.getMessage());
    }
}
