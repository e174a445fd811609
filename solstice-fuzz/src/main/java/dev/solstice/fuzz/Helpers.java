package dev.solstice.fuzz;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jnp;
import dev.solstice.Lax;

/**
 * Small building blocks that make a step well defined on any operand (positive denominators, symmetric positive
 * definite matrices); {@link #SOURCE} is the same code as text, pasted into every reproducer.
 */
final class Helpers {
    private Helpers() {}

    /** {@code a^2 + 0.5}: at least 0.5, so log, sqrt, rsqrt and division stay away from their edges. */
    static Array pos(Array a) {
        return Jnp.add(Jnp.square(a), 0.5);
    }

    /** The first {@code n} elements of {@code a} in row-major order, as a vector. */
    static Array firstN(Array a, int n) {
        return Lax.sliceInDim(Jnp.ravel(a), 0, n, 0);
    }

    /** {@code M M^T / n + n I} with {@code M = tanh} of the first {@code n^2} elements: diagonally dominant SPD. */
    static Array spd(Array a, int n) {
        Array m = Jnp.tanh(Jnp.reshape(firstN(a, n * n), n, n));
        return Jnp.add(Jnp.divide(Jnp.matmul(m, Jnp.transpose(m)), n), Jnp.multiply(Jnp.eye(a.dtype(), n), n));
    }

    /** A 1-D valid convolution of all of {@code x} with the first {@code k} elements of {@code y}. */
    static Array conv(Array x, Array y, int k) {
        return Lax.conv(Jnp.reshape(x, 1, 1, x.size()), Jnp.reshape(firstN(y, k), 1, 1, k), new int[] {1}, "VALID");
    }

    /** Zeros shaped like one slice of {@code x} along axis 0: the initial carry of a scan over {@code x}. */
    static Array carry0(Array x) {
        return Jnp.zerosLike(Jnp.sum(x, 0));
    }

    /**
     * {@code a} in the common dtype of {@code a} and {@code b}: the lax operations take one dtype, and integer
     * programs mix int8 with the int32 their sums accumulate in (JAX's rule).
     */
    static Array common(Array a, Array b) {
        return Jnp.astype(a, DType.promote(a.dtype(), b.dtype()));
    }

    static final String SOURCE = """
                static Array pos(Array a) {
                    return Jnp.add(Jnp.square(a), 0.5);
                }

                static Array firstN(Array a, int n) {
                    return Lax.sliceInDim(Jnp.ravel(a), 0, n, 0);
                }

                static Array spd(Array a, int n) {
                    Array m = Jnp.tanh(Jnp.reshape(firstN(a, n * n), n, n));
                    return Jnp.add(Jnp.divide(Jnp.matmul(m, Jnp.transpose(m)), n), Jnp.multiply(Jnp.eye(a.dtype(), n), n));
                }

                static Array conv(Array x, Array y, int k) {
                    return Lax.conv(Jnp.reshape(x, 1, 1, x.size()), Jnp.reshape(firstN(y, k), 1, 1, k), new int[] {1}, "VALID");
                }

                static Array carry0(Array x) {
                    return Jnp.zerosLike(Jnp.sum(x, 0));
                }

                static Array common(Array a, Array b) {
                    return Jnp.astype(a, DType.promote(a.dtype(), b.dtype()));
                }
            """;
}
