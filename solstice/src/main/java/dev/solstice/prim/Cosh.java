package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.core.Interpreters;

/** Hyperbolic cosine (JAX's {@code lax.cosh}); derivative sinh(x). */
public record Cosh() implements ElementwiseUnary {
    @Override
    public double apply(double x) {
        return Math.cosh(x);
    }

    @Override
    public Array tangent(Array g, Array x, Array y) {
        return Ops.mul(g, Interpreters.bind1(new Sinh(), x));
    }
}
