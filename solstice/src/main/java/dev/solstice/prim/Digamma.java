package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.core.Interpreters;

/**
 * The digamma function ψ(x) = d/dx log Γ(x) (JAX's {@code lax.digamma}), NaN at the poles (non-positive
 * integers) as XLA; derivative the trigamma function, {@code polygamma(1, x)}.
 */
public record Digamma() implements ElementwiseUnary {
    @Override
    public double apply(double x) {
        return GammaFunctions.digamma(x);
    }

    @Override
    public Array tangent(Array g, Array x, Array y) {
        return Ops.mul(g, Interpreters.bind1(new Polygamma(1), x));
    }
}
