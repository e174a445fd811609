package dev.solstice.nn;

import dev.solstice.Lax;
import java.util.Arrays;

/**
 * The padding of a convolution or pooling layer, as Equinox accepts it: one int for every side, explicit
 * (before, after) pairs per spatial axis, or {@code "SAME"}, {@code "SAME_LOWER"} or {@code "VALID"}, resolved
 * against the input's size at call time.
 *
 * {@snippet lang=java :
 * Padding p = Padding.of(1, 2);
 * Arrays.toString(p.lo())   // [1, 1]
 * }
 *
 * @param lo padding before each spatial axis (unused with a mode)
 * @param hi padding after each spatial axis (unused with a mode)
 * @param mode {@code null} for explicit padding, else {@code SAME}, {@code SAME_LOWER} or {@code VALID}
 */
public record Padding(int[] lo, int[] hi, String mode) {
    /** No padding. */
    public static final Padding VALID = new Padding(null, null, "VALID");
    /** Output length ceil(in / stride), extra padding after. */
    public static final Padding SAME = new Padding(null, null, "SAME");
    /** As SAME, extra padding before. */
    public static final Padding SAME_LOWER = new Padding(null, null, "SAME_LOWER");

    /** Copies and checks. */
    public Padding {
        if (mode == null && (lo == null || hi == null || lo.length != hi.length)) {
            throw new IllegalArgumentException("Padding: explicit padding needs before and after lists of one length");
        }
        if (mode != null && !mode.equals("VALID") && !mode.equals("SAME") && !mode.equals("SAME_LOWER")) {
            throw new IllegalArgumentException("Padding: mode must be SAME, SAME_LOWER or VALID, got " + mode);
        }
        lo = lo == null ? null : lo.clone();
        hi = hi == null ? null : hi.clone();
        for (int[] a : new int[][] {lo, hi}) {
            if (a != null && Arrays.stream(a).anyMatch(v -> v < 0)) {
                throw new IllegalArgumentException("Padding: negative padding " + Arrays.toString(a));
            }
        }
    }

    /**
     * The same padding on both sides of every one of {@code n} spatial axes.
     *
     * {@snippet lang=java :
     * Padding p = Padding.of(1, 2);
     * Arrays.toString(p.lo()) + " " + Arrays.toString(p.hi())   // [1, 1] [1, 1]
     * }
     */
    public static Padding of(int p, int n) {
        int[] a = new int[n];
        Arrays.fill(a, p);
        return new Padding(a, a, null);
    }

    /**
     * Explicit padding before and after each spatial axis.
     *
     * {@snippet lang=java :
     * Padding p = Padding.of(new int[] {0, 1}, new int[] {2, 1});
     * Arrays.toString(p.hi())   // [2, 1]
     * }
     */
    public static Padding of(int[] before, int[] after) {
        return new Padding(before, after, null);
    }

    /** {@code {lo, hi}} for inputs of spatial size {@code in}, windows {@code window} (dilated) and strides. */
    int[][] resolve(String layer, int[] in, int[] window, int[] dilation, int[] strides) {
        if (mode != null) {
            return Lax.padding(in, window, dilation, strides, mode);
        }
        if (lo.length != in.length) {
            throw new IllegalArgumentException(layer + ": padding has " + lo.length + " axes but the input has " + in.length
                    + " spatial axes");
        }
        return new int[][] {lo.clone(), hi.clone()};
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Padding p && Arrays.equals(p.lo, lo) && Arrays.equals(p.hi, hi) && java.util.Objects.equals(p.mode, mode);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(lo) * 31 + Arrays.hashCode(hi) + java.util.Objects.hashCode(mode);
    }

    @Override
    public String toString() {
        return mode != null ? mode : "Padding(" + Arrays.toString(lo) + ", " + Arrays.toString(hi) + ")";
    }
}
