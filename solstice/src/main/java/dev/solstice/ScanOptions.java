package dev.solstice;

/**
 * Options of {@link Lax#scan}: the direction, the number of steps when there are no inputs to scan over, and how
 * many steps each iteration of the loop runs.
 *
 * {@snippet lang=java :
 * Scan<Array, Array> s = Lax.scan((Array c, Array x) -> new ScanStep<>(c.add(x), c.add(x)),
 *         Array.scalar(0.0), Array.of(1.0, 2.0, 3.0), ScanOptions.reverse());
 * s.ys()                          // [6.0, 5.0, 3.0]: running sums from the end, in slice order
 * s.carry()                       // 6.0
 * }
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

    /**
     * The defaults: forward, length from the inputs, no unrolling.
     *
     * {@snippet lang=java :
     * ScanOptions.defaults()          // ScanOptions[reversed=false, length=-1, unroll=1]
     * }
     */
    public static ScanOptions defaults() {
        return new ScanOptions(false, -1);
    }

    /**
     * A scan from the last slice to the first.
     *
     * {@snippet lang=java :
     * ScanOptions.reverse().reversed()                // true
     * }
     */
    public static ScanOptions reverse() {
        return new ScanOptions(true, -1);
    }

    /**
     * A scan of {@code length} steps (required when xs is null).
     *
     * {@snippet lang=java :
     * Scan<Array, Array> s = Lax.scan((Array c, Array x) -> new ScanStep<>(c.mul(2.0), c),
     *         Array.scalar(1.0), null, ScanOptions.ofLength(4));
     * s.ys()                          // [1.0, 2.0, 4.0, 8.0]
     * }
     */
    public static ScanOptions ofLength(int length) {
        return new ScanOptions(false, length);
    }

    /**
     * These options with a length.
     *
     * {@snippet lang=java :
     * ScanOptions.reverse().withLength(5)             // ScanOptions[reversed=true, length=5, unroll=1]
     * }
     */
    public ScanOptions withLength(int n) {
        return new ScanOptions(reversed, n, unroll);
    }

    /**
     * These options with {@code k} copies of the body per loop iteration, as {@code lax.scan}'s {@code unroll}: fewer
     * iterations, and a compiled body that spans k steps (fusion across them); the results do not change.
     *
     * {@snippet lang=java :
     * Lax.scan((Array c, Array x) -> new ScanStep<>(c.add(x), null),
     *         Array.scalar(0.0), Array.of(1.0, 2.0, 3.0, 4.0, 5.0), ScanOptions.defaults().unroll(2)).carry()   // 15.0
     * ScanOptions.defaults().unroll(0)                // throws IllegalArgumentException
     * }
     */
    public ScanOptions unroll(int k) {
        return new ScanOptions(reversed, length, k);
    }
}
