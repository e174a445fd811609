package dev.solstice.prim;

import dev.solstice.Array;

/**
 * The complementary error function {@code erfc(x) = 1 - erf(x)}, computed directly so that it keeps its
 * relative accuracy in the right tail, where {@code 1 - erf(x)} cancels to 0 (JAX's {@code lax.erfc}).
 * Derivative {@code -2/sqrt(pi) exp(-x^2)}.
 */
public record Erfc() implements ElementwiseUnary {
    @Override
    public double apply(double x) {
        return ErfFunction.erfc(x);
    }

    @Override
    public Array tangent(Array g, Array x, Array y) {
        return Ops.mul(g, Ops.mul(Ops.fullLike(x, -2 / Math.sqrt(Math.PI)), Ops.exp(Ops.neg(Ops.mul(x, x)))));
    }
}
