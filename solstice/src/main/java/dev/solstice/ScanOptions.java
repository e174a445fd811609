package dev.solstice;

/**
 * Options of {@link Lax#scan}: the direction, the number of steps when there are no inputs to scan over, and how
 * many steps each iteration of the loop runs.
 *
 * @param reversed whether the steps run from the last slice to the first (outputs are still stacked in slice order)
 * @param length the number of steps, or -1 to take it from the inputs' leading axis
 * @param unroll how many copies of the body one iteration runs (at least 1): {@code length / unroll} iterations of
 *     the copies, then the remaining steps one at a time; the results are those of {@code unroll == 1}, bit for bit
 */
public record ScanOptions(boolean reversed, int length, int unroll) {

    /** Checks that {@code unroll} is at least 1. */
    public ScanOptions {
        if (unroll < 1) {
            throw new IllegalArgumentException("ScanOptions: unroll must be at least 1, got " + unroll);
        }
    }

    /** Options without unrolling. */
    public ScanOptions(boolean reversed, int length) {
        this(reversed, length, 1);
    }

    /** The defaults: forward, length from the inputs, no unrolling. */
    public static ScanOptions defaults() {
        return new ScanOptions(false, -1);
    }

    /** A scan from the last slice to the first. */
    public static ScanOptions reverse() {
        return new ScanOptions(true, -1);
    }

    /** A scan of {@code length} steps (required when xs is null). */
    public static ScanOptions ofLength(int length) {
        return new ScanOptions(false, length);
    }

    /** These options with a length. */
    public ScanOptions withLength(int n) {
        return new ScanOptions(reversed, n, unroll);
    }

    /**
     * These options with {@code k} copies of the body per loop iteration, as {@code lax.scan}'s {@code unroll}: fewer
     * iterations, and a compiled body that spans k steps (fusion across them); the results do not change.
     */
    public ScanOptions unroll(int k) {
        return new ScanOptions(reversed, length, k);
    }
}
