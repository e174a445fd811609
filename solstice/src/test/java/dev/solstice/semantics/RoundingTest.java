package dev.solstice.semantics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.solstice.Array;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.Lax;
import org.junit.jupiter.api.Test;

/**
 * {@code lax.round} rounds halves away from zero by default; {@code jnp.round} rounds halves to even. The
 * expected values are the definitions applied by hand (and {@link Math#round}-free: Java's Math.round rounds
 * halves up, which is neither).
 */
class RoundingTest {
    private static final double[] X = {-3.5, -2.5, -1.5, -0.5, -0.49999999999999994, 0.5, 1.5, 2.5, 2.4, 2.6,
        4503599627370495.5, 1e300, Double.POSITIVE_INFINITY};

    @Test
    void laxRoundDefaultsToHalfAwayFromZero() {
        double[] expected = {-4, -3, -2, -1, -0.0, 1, 2, 3, 2, 3, 4503599627370496.0, 1e300, Double.POSITIVE_INFINITY};
        assertArrayEquals(expected, Lax.round(Array.of(X)).toDoubleArray());
        assertArrayEquals(expected, Lax.round(Array.of(X), Lax.RoundingMethod.AWAY_FROM_ZERO).toDoubleArray());
        assertArrayEquals(expected, Jax.jit((Array v) -> Lax.round(v)).apply(Array.of(X)).toDoubleArray());
        assertEquals(3f, Lax.round(Array.of(2.5f)).toFloatArray()[0]);
        assertEquals(-3f, Lax.round(Array.of(-2.5f)).toFloatArray()[0]);
    }

    @Test
    void jnpRoundAndTheEvenMethodRoundHalvesToEven() {
        double[] expected = {-4, -2, -2, -0.0, -0.0, 0, 2, 2, 2, 3, 4503599627370496.0, 1e300, Double.POSITIVE_INFINITY};
        assertArrayEquals(expected, Jnp.round(Array.of(X)).toDoubleArray());
        assertArrayEquals(expected, Lax.round(Array.of(X), Lax.RoundingMethod.TO_NEAREST_EVEN).toDoubleArray());
    }

    @Test
    void roundingHasAZeroDerivative() {
        assertArrayEquals(new double[3], Jax.grad((Array v) -> Jnp.sum(Lax.round(v))).apply(Array.of(0.5, 1.2, -2.5))
                .toDoubleArray());
        assertEquals(Double.NaN, Lax.round(Array.of(Double.NaN)).toDoubleArray()[0]);
    }
}
