package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.core.Interpreters;

/**
 * The polygamma function ψ^(m)(x), the m-th derivative of digamma (JAX's {@code lax.polygamma}, here with the
 * order a static parameter since no derivative with respect to it exists); derivative ψ^(m+1)(x). At the poles
 * (non-positive integers) odd orders give +inf, even orders NaN.
 *
 * @param m the order, at least 1 (order 0 is {@link Digamma})
 */
public record Polygamma(int m) implements ElementwiseUnary {
    /** Checks the order. */
    public Polygamma {
        if (m < 1) {
            throw new IllegalArgumentException("polygamma: the order m must be at least 1 (use digamma for 0), got " + m);
        }
    }

    @Override
    public double apply(double x) {
        return GammaFunctions.polygamma(m, x);
    }

    @Override
    public Array tangent(Array g, Array x, Array y) {
        return Ops.mul(g, Interpreters.bind1(new Polygamma(m + 1), x));
    }
}
