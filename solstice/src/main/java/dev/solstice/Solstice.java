package dev.solstice;

import dev.solstice.kernel.Parallel;

/**
 * Library-wide settings. The thread count starts from the system property {@code solstice.threads}, or all
 * available cores when it is unset.
 */
public final class Solstice {
    private Solstice() {}

    /**
     * Sets how many threads large operations (matrix products, convolutions, big elementwise operations and
     * reductions) may use. Results do not depend on it: work is split into fixed parts, each computed in the
     * same order whatever the count.
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

    /** The number of threads large operations may use. */
    public static int threads() {
        return Parallel.threads();
    }
}
