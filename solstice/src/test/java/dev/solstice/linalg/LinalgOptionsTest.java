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
}
