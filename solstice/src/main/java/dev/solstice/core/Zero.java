package dev.solstice.core;

import dev.solstice.Array;

/**
 * A symbolic zero tangent or cotangent (JAX's {@code ad.Zero}): a zero of a known aval that no computation
 * has to produce. Derivative rules receive and return it in place of a tangent or cotangent that is
 * structurally zero, and skip the work it would cost; the aval is the primal's (an integer or bool value's
 * tangent is always a zero of its own aval, as JAX's {@code float0}). It is never computed with, and
 * every user-facing transformation {@link #instantiate}s it into real zeros at its boundary, so a zero is
 * never mistaken for a missing value or passed through as something else.
 */
public final class Zero extends Symbolic {

    private Zero(Aval aval) {
        super(aval);
    }

    /** A symbolic zero of {@code aval}. */
    public static Zero of(Aval aval) {
        return new Zero(aval);
    }

    /** A symbolic zero of {@code x}'s aval. */
    public static Zero like(Array x) {
        return new Zero(x.aval());
    }

    /** True when {@code x} is a symbolic zero. */
    public static boolean isZero(Array x) {
        return x instanceof Zero;
    }

    /** {@code x} itself, or real zeros of its aval when it is a symbolic zero. */
    public static Array instantiate(Array x) {
        return x instanceof Zero z ? DenseArray.full(z.aval(), 0) : x;
    }

    /** {@link #instantiate} applied to each element, in a new array. */
    public static Array[] instantiateAll(Array[] xs) {
        Array[] out = new Array[xs.length];
        for (int i = 0; i < xs.length; i++) {
            out[i] = instantiate(xs[i]);
        }
        return out;
    }

    @Override
    String what() {
        return "a symbolic zero";
    }

    @Override
    String remedy() {
        return "a rule must skip it or turn it into real zeros first (Zero.instantiate)";
    }

    @Override
    public String toString() {
        return "Zero(" + aval().str() + ")";
    }
}
