package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.core.UndefinedPrimal;
import dev.solstice.core.Zero;
import java.util.function.Supplier;

/** Helpers of the JVP and transpose rules for symbolic zeros and linear inputs (JAX's add_tangents and kin). */
final class Tangents {
    private Tangents() {}

    /** {@code a + b} for tangents where a symbolic {@link Zero} adds nothing (both zero gives {@code a}). */
    static Array add(Array a, Array b) {
        if (Zero.isZero(b)) {
            return a;
        }
        return Zero.isZero(a) ? b : Ops.add(a, b);
    }

    /**
     * The tangent {@code rule} gives for input tangent {@code t}, or a symbolic zero of {@code out}'s aval
     * when {@code t} is one (the rule is not run).
     */
    static Array unlessZero(Array t, Array out, Supplier<Array> rule) {
        return Zero.isZero(t) ? Zero.like(out) : rule.get();
    }

    /**
     * The cotangent {@code rule} gives for transpose input {@code arg} when it is linear (an
     * {@link UndefinedPrimal}); a symbolic zero for a constant input, which has no cotangent.
     */
    static Array ifLinear(Array arg, Supplier<Array> rule) {
        return arg instanceof UndefinedPrimal ? rule.get() : Zero.like(arg);
    }
}
