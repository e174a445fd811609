package dev.solstice.core;

import dev.solstice.Array;

/**
 * The marker a transpose rule receives for an input in which the primitive is linear (JAX's
 * {@code ad.UndefinedPrimal}): its value is what the transposition solves for, so only its aval is known.
 * The other inputs of the rule are ordinary arrays (constants). It is never computed with.
 */
public final class UndefinedPrimal extends Symbolic {

    private UndefinedPrimal(Aval aval) {
        super(aval);
    }

    /** The marker for a linear input of {@code aval}. */
    public static UndefinedPrimal of(Aval aval) {
        return new UndefinedPrimal(aval);
    }

    /** True when {@code x} marks a linear input. */
    public static boolean isUndefined(Array x) {
        return x instanceof UndefinedPrimal;
    }

    @Override
    String what() {
        return "an undefined primal (a linear input of a transpose rule)";
    }

    @Override
    String remedy() {
        return "a transpose rule may only read its aval";
    }

    @Override
    public String toString() {
        return "UndefinedPrimal(" + aval().str() + ")";
    }
}
