package dev.solstice;

/**
 * Options of {@link Lax#scan}: the direction, and the number of steps when there are no inputs to scan over.
 *
 * @param reversed whether the steps run from the last slice to the first (outputs are still stacked in slice order)
 * @param length the number of steps, or -1 to take it from the inputs' leading axis
 */
public record ScanOptions(boolean reversed, int length) {

    /** The defaults: forward, length from the inputs. */
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
        return new ScanOptions(reversed, n);
    }
}
