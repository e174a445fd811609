package dev.solstice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@code x ** n} with an integer exponent array: the derivative in x where n = 0 is 0, also at x = 0, as JAX's
 * pow JVP gives for integer exponents (lax_autodiff_test.py testPowIntPowerAtZero and testPowIntPowerAtZero2,
 * jax#14397 and #17995). The expected values are closed forms: d/dx x^0 = 0, d/dx (x^0 + x^1) = 1.
 */
class PowIntegerExponentTest {

    @Test
    void gradOfXToAnIntegerZeroAtZeroIsZeroInEveryMode() {
        Array zero = Array.scalar(0);
        for (Array x : new Array[] {Array.scalar(0.0), Array.scalar(0f)}) {
            assertEquals(0.0, Jax.grad((Array v) -> Jnp.power(v, zero)).apply(x).item(), "grad at " + x.dtype());
            assertEquals(0.0, Jax.grad((Array v) -> v.pow(zero)).apply(x).item(), "fluent pow");
            assertEquals(0.0, Jax.jvp((Array v) -> Jnp.power(v, zero), x, Jnp.onesLike(x)).tangent().item(), "jvp");
            assertEquals(0.0, Jax.jacrev((Array v) -> Jnp.power(v, zero)).apply(x).item(), "jacrev");
            assertEquals(0.0, Jax.hessian((Array v) -> Jnp.power(v, zero)).apply(x).item(), "second derivative");
            assertEquals(1.0, Jnp.power(x, zero).item(), "0^0 = 1");
        }
        // integer_pow (a Java int exponent) and a floating exponent keep their conventions (KinkConventionTest)
        assertEquals(0.0, Jax.grad((Array v) -> Jnp.power(v, 0)).apply(Array.scalar(0.0)).item());
        assertTrue(Double.isNaN(Jax.grad((Array v) -> Jnp.power(v, 0.0)).apply(Array.scalar(0.0)).item()));
    }

    @Test
    void gradOfASumOfIntegerPowersIsTheClosedForm() {
        Array n = Array.of(0, 1); // arange(0, 2, dtype=int)
        Array nf = Array.of(0.0, 1.0);
        for (double x : new double[] {3.14, 0.0, -2.5}) {
            Array xs = Array.scalar(x);
            assertEquals(1.0, Jax.grad((Array z) -> Jnp.sum(Jnp.power(z, n))).apply(xs).item(), 1e-15, "int exponents at " + x);
            assertEquals(1.0, Jax.vmap((Array z) -> Jax.grad((Array w) -> Jnp.sum(Jnp.power(w, n))).apply(z))
                    .apply(Array.of(x, x)).toDoubleArray()[1], 1e-15, "under vmap at " + x);
            if (x != 0) {
                assertEquals(1.0, Jax.grad((Array z) -> Jnp.sum(Jnp.power(z, nf))).apply(xs).item(), 1e-15, "float exponents");
            }
        }
        // nonzero integer exponents keep n x^(n-1), at 0 and elsewhere
        Array k = Array.of(2, 3, -1);
        double[] g = Jax.jacrev((Array z) -> Jnp.power(z, k)).apply(Array.scalar(2.0)).toDoubleArray();
        assertEquals(4.0, g[0], 1e-15);
        assertEquals(12.0, g[1], 1e-15);
        assertEquals(-0.25, g[2], 1e-15);
        assertEquals(0.0, Jax.grad((Array z) -> Jnp.power(z, Array.scalar(2))).apply(Array.scalar(0.0)).item());
    }
}
