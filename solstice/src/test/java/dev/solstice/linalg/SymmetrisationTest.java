package dev.solstice.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.Linalg;
import dev.solstice.prim.Ops;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Linalg.cholesky and eigh symmetrise their input as JAX does, (a + aᵀ) / 2, but skip the two passes for a
 * concrete input that is already symmetric: the results must be bit for bit those of the composite written out
 * here, for symmetric inputs, inputs symmetric but for the sign of a zero, inputs large enough to overflow when
 * doubled, float32, batches, and under grad (where the input is traced and the composite always runs).
 */
class SymmetrisationTest {

    private static Array explicitlySymmetrised(Array a) {
        int r = a.ndim();
        int[] perm = new int[r];
        for (int i = 0; i < r; i++) {
            perm[i] = i;
        }
        perm[r - 2] = r - 1;
        perm[r - 1] = r - 2;
        return Jnp.multiply(Jnp.add(a, Jnp.transpose(a, perm)), 0.5);
    }

    private static Array spd(int n, double diagonal, DType dtype) {
        double[] m = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                m[i * n + j] = i == j ? diagonal : Math.cos(i + j) / (1 + Math.abs(i - j));
            }
        }
        return Array.of(m, n, n).astype(dtype);
    }

    private static void assertSameBits(Array expected, Array actual, String what) {
        assertEquals(expected.aval(), actual.aval(), what);
        double[] e = expected.toDoubleArray();
        double[] a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            assertEquals(Double.doubleToRawLongBits(e[i]), Double.doubleToRawLongBits(a[i]), what + " element " + i);
        }
    }

    private static void check(Array a, String what) {
        assertSameBits(Ops.cholesky(explicitlySymmetrised(a)), Linalg.cholesky(a), "cholesky " + what);
        Array[] e = Ops.eigh(explicitlySymmetrised(a));
        assertSameBits(e[1], Linalg.eigh(a).eigenvalues(), "eigh values " + what);
        assertSameBits(e[0], Linalg.eigh(a).eigenvectors(), "eigh vectors " + what);
        assertSameBits(e[1], Linalg.eigvalsh(a), "eigvalsh " + what);
    }

    @Test
    void skippingTheSymmetrisationGivesTheCompositesBits() {
        check(spd(40, 8, DType.FLOAT64), "symmetric float64");
        check(spd(40, 8, DType.FLOAT32), "symmetric float32");
        check(Jnp.stack(java.util.List.of(spd(6, 4, DType.FLOAT64), spd(6, 5, DType.FLOAT64)), 0), "batch");
        double[] signedZero = {2, -0.0, 0.0, 3};
        check(Array.of(signedZero, 2, 2), "symmetric but for a zero's sign");
        double[] asymmetric = {4, 1, 1.5, 5};
        check(Array.of(asymmetric, 2, 2), "asymmetric");
        // doubling 1.5e308 overflows: the composite gives infinity on the diagonal, and so must Linalg
        double[] huge = {1.5e308, 1, 1, 1.5e308};
        check(Array.of(huge, 2, 2), "beyond half of the largest double");
        assertTrue(Double.isNaN(Linalg.cholesky(Array.of(huge, 2, 2)).toDoubleArray()[0])
                || Double.isInfinite(Linalg.cholesky(Array.of(huge, 2, 2)).toDoubleArray()[0]));
        float big = 2e38f;
        check(Array.of(new float[] {big, 1, 1, big}, 2, 2), "beyond half of the largest float");
    }

    @Test
    void derivativesStillSymmetriseTheTangent() {
        Array a = spd(5, 6, DType.FLOAT64);
        UnaryOperator<Array> viaLinalg = x -> Jnp.sum(Linalg.cholesky(x));
        UnaryOperator<Array> viaComposite = x -> Jnp.sum(Ops.cholesky(explicitlySymmetrised(x)));
        assertArrayEquals(Jax.grad(viaComposite).apply(a).toDoubleArray(), Jax.grad(viaLinalg).apply(a).toDoubleArray(), 0);
        Array g = Jax.grad(viaLinalg).apply(a);
        assertArrayEquals(g.toDoubleArray(), Jnp.transpose(g).toDoubleArray(), 0, "the gradient is symmetric");
    }
}
