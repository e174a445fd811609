package dev.solstice;

import dev.solstice.kernel.Parallel;

/**
 * Library-wide settings. The thread count starts from the system property {@code solstice.threads}, or all
 * available cores when it is unset. The default float dtype is {@link DType#FLOAT64} (as JAX with
 * {@code jax_enable_x64}); {@link #defaultFloat(DType)} switches it, much as JAX's x64 flag does.
 *
 * {@snippet lang=java :
 * Solstice.defaultFloat() == DType.FLOAT64    // true: unless switched
 * Solstice.threads() >= 1                     // true
 * }
 */
public final class Solstice {
    private Solstice() {}

    /** Volatile: a switch made on one thread is seen by every thread's next creation call. */
    private static volatile DType defaultFloat = DType.FLOAT64;

    /**
     * Sets the dtype that creation functions without a dtype use ({@code Jnp.ones(4)}, {@code Jnp.zeros(2, 3)},
     * {@code Jnp.full}, {@code Jnp.eye}, {@code Jnp.linspace}, floating {@code Jnp.arange}) and that
     * {@code Nn.oneHot(labels, n)} produces. It applies to arrays created after the call, on every thread;
     * existing arrays keep their dtype, and operations on them keep theirs. Random draws without a dtype stay
     * float32 ({@link Prng}'s documented default).
     *
     * {@snippet lang=java :
     * DType before = Solstice.defaultFloat();
     * Solstice.defaultFloat(DType.FLOAT32);
     * Jnp.ones(4)                         // float32[4]
     * Solstice.defaultFloat(before);
     * Solstice.defaultFloat(DType.INT32)  // throws IllegalArgumentException
     * }
     *
     * @param dtype {@link DType#FLOAT32} or {@link DType#FLOAT64}
     * @throws IllegalArgumentException if {@code dtype} is null or not floating
     */
    public static void defaultFloat(DType dtype) {
        if (dtype == null || !dtype.isFloating()) {
            throw new IllegalArgumentException("Solstice.defaultFloat(" + dtype + "): the default must be a floating"
                    + " dtype (float32 or float64)");
        }
        defaultFloat = dtype;
    }

    /**
     * The dtype creation functions use when none is given: float64 unless {@link #defaultFloat(DType)} changed it.
     *
     * {@snippet lang=java :
     * Jnp.zeros(2).dtype() == Solstice.defaultFloat()     // true
     * }
     */
    public static DType defaultFloat() {
        return defaultFloat;
    }

    /**
     * Sets how many threads large operations (matrix products, convolutions, big elementwise operations and
     * reductions) may use. Results do not depend on it: work is split into fixed parts, each computed in the
     * same order whatever the count.
     *
     * {@snippet lang=java :
     * int before = Solstice.threads();
     * Solstice.threads(1);
     * Jnp.ones(500, 500).matmul(Jnp.ones(500, 2)).get(0, 0)   // 500.0: the same with any thread count
     * Solstice.threads(before);
     * Solstice.threads(0)                         // throws IllegalArgumentException
     * }
     *
     * @param n the thread count, at least 1
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public static void threads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("Solstice.threads(" + n + "): the thread count must be at least 1");
        }
        Parallel.threads(n);
    }

    /**
     * The number of threads large operations may use.
     *
     * {@snippet lang=java :
     * Solstice.threads() > 0                      // true
     * }
     */
    public static int threads() {
        return Parallel.threads();
    }
}
