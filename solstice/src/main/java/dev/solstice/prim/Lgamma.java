package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.core.Interpreters;

/**
 * log|Γ(x)| (JAX's {@code lax.lgamma}), +inf at the poles (non-positive integers); derivative digamma(x).
 */
public record Lgamma() implements ElementwiseUnary {
    @Override
    public double apply(double x) {
        return GammaFunctions.lgamma(x);
    }

    @Override
    public Array tangent(Array g, Array x, Array y) {
        return Ops.mul(g, Interpreters.bind1(new Digamma(), x));
    }
}
