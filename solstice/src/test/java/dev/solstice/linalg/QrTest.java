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
import dev.solstice.Lax;
import dev.solstice.Linalg;
import dev.solstice.QrResult;
import dev.solstice.testing.Numeric;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.hipparchus.linear.QRDecomposition;
import org.hipparchus.linear.RealMatrix;
import org.junit.jupiter.api.Test;

/**
 * {@link Linalg#qr}: against Hipparchus (whose Householder signs are LAPACK's wherever a column has rows below
 * the diagonal), the invariants (reconstruction, orthonormality, triangularity) in both modes and every
 * orientation, central differences to second order in all four mode pairings, vmap against the loop, jit
 * against eager, and the shapes without a derivative (as in JAX).
 */
class QrTest {

    private static void checkInvariants(Array a, QrResult f, boolean complete, double tol, String what) {
        int rank = a.ndim();
        int m = a.shape()[rank - 2];
        int n = a.shape()[rank - 1];
        int qc = complete ? m : Math.min(m, n);
        assertEquals(qc, f.q().shape()[rank - 1], what + ": Q columns");
        assertEquals(qc, f.r().shape()[rank - 2], what + ": R rows");
        double[] av = a.toDoubleArray();
        double[] q = f.q().toDoubleArray();
        double[] r = f.r().toDoubleArray();
        for (int b = 0; b < av.length / (m * n); b++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double x = 0;
                    for (int l = 0; l < qc; l++) {
                        x += q[b * m * qc + i * qc + l] * r[b * qc * n + l * n + j];
                    }
                    assertEquals(av[b * m * n + i * n + j], x, tol, what + ": Q R = a at " + i + "," + j);
                }
            }
            for (int i = 0; i < qc; i++) {
                for (int j = 0; j < Math.min(i, n); j++) {
                    assertEquals(0.0, r[b * qc * n + i * n + j], what + ": R upper triangular");
                }
                for (int c = 0; c < qc; c++) {
                    double dot = 0;
                    for (int l = 0; l < m; l++) {
                        dot += q[b * m * qc + l * qc + i] * q[b * m * qc + l * qc + c];
                    }
                    assertEquals(i == c ? 1 : 0, dot, tol, what + ": Q^T Q = I");
                }
            }
        }
    }

    @Test
    void agreesWithHipparchusAndReconstructsInBothModes() {
        Random r = new Random(31);
        for (int[] shape : List.of(new int[] {5, 3}, new int[] {3, 5}, new int[] {4, 4}, new int[] {1, 3}, new int[] {3, 1},
                new int[] {2, 4, 3})) {
            Array a = random(r, 0, shape);
            String what = java.util.Arrays.toString(shape);
            checkInvariants(a, Linalg.qr(a), false, 1e-13, what + " reduced");
            checkInvariants(a, Linalg.qr(a, "complete"), true, 1e-13, what + " complete");
            if (shape.length == 2 && shape[0] > shape[1]) {
                // Every column has rows below the diagonal: Hipparchus's signs are LAPACK's.
                QRDecomposition d = new QRDecomposition(hip(a));
                Numeric.assertClose(flat(d.getQ()), Linalg.qr(a, "complete").q().toDoubleArray(), 1e-13, 1e-13, what + ": Q");
                Numeric.assertClose(flat(d.getR()), Linalg.qr(a, "complete").r().toDoubleArray(), 1e-13, 1e-13, what + ": R");
                RealMatrix q32 = d.getQ().getSubMatrix(0, shape[0] - 1, 0, shape[1] - 1);
                QrResult f32 = Linalg.qr(Jnp.astype(a, DType.FLOAT32));
                assertEquals(DType.FLOAT32, f32.q().dtype());
                Numeric.assertClose(flat(q32), f32.q().toDoubleArray(), 1e-5, 1e-5, what + ": Q float32");
            }
        }
        // LAPACK's sign rule: beta = -sign(a_00) ||a_0||, and a column with nothing below the diagonal is kept.
        QrResult f = Linalg.qr(Array.of(new double[] {-3, 1, 4, 2}, 2, 2));
        assertEquals(5.0, f.r().get(0).get(0).item(), 1e-15);
        assertEquals(-0.6, f.q().get(0).get(0).item(), 1e-15);
        assertEquals(-2.0, Linalg.qr(Array.of(new double[] {1, 0, 0, -2}, 2, 2)).r().get(1).get(1).item(), 0);
        QrResult nan = Linalg.qr(Array.of(new double[] {1, 2, Double.NaN, 1}, 2, 2));
        for (Array x : List.of(nan.q(), nan.r())) {
            assertTrue(java.util.Arrays.stream(x.toDoubleArray()).anyMatch(Double::isNaN), "NaN below the diagonal propagates");
        }
        checkInvariants(Jnp.zeros(DType.FLOAT64, 3, 2), Linalg.qr(Jnp.zeros(DType.FLOAT64, 3, 2), "complete"), true, 0, "zero");
    }

    private static List<UnaryOperator<Array>> functions() {
        return List.of(
                z -> Linalg.qr(z).q(),
                z -> Linalg.qr(z).r(),
                z -> Linalg.qr(z, "complete").q(),
                z -> Linalg.qr(Lax.slice(z, new int[] {0, 0}, new int[] {4, 2}, new int[] {1, 1})).q(),
                z -> Linalg.qr(Lax.slice(z, new int[] {0, 0}, new int[] {4, 3}, new int[] {1, 1})).r());
    }

    @Test
    void secondDerivativesAgreeInAllFourPairingsAndWithCentralDifferences() {
        Random r = new Random(32);
        Array a = random(r, 3, 4, 4);
        Array v = random(r, 0, 4, 4);
        List<UnaryOperator<Array>> fs = functions();
        SecondOrderChecks.assertAgree(fs, a, v);
    }

    @Test
    void vmapAndJitAgreeWithTheLoopAndEager() {
        Random r = new Random(33);
        Array as = random(r, 3, 3, 4, 4);
        List<UnaryOperator<Array>> fs = functions();
        SecondOrderChecks.assertVmapAndJitAgree(fs, as);
    }

    @Test
    void shapesWithoutADerivativeAndBadInputAreRefusedClearly() {
        Random r = new Random(34);
        Array wide = random(r, 0, 2, 3);
        Array tall = random(r, 0, 3, 2);
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> Jax.jvp((Array z) -> Linalg.qr(z).q(), wide, wide));
        assertTrue(e.getMessage().contains("qr") && e.getMessage().contains("float64[2,3]"), e.getMessage());
        e = assertThrows(UnsupportedOperationException.class, () -> Jax.jvp((Array z) -> Linalg.qr(z, "complete").q(), tall, tall));
        assertTrue(e.getMessage().contains("complete"), e.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> Linalg.qr(tall, "raw"));
        assertTrue(bad.getMessage().contains("raw") && bad.getMessage().contains("float64[3,2]"), bad.getMessage());
        bad = assertThrows(IllegalArgumentException.class, () -> Linalg.qr(Array.of(1.0, 2.0)));
        assertTrue(bad.getMessage().contains("qr") && bad.getMessage().contains("float64[2]"), bad.getMessage());
    }
}
