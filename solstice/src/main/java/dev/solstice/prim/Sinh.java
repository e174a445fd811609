package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.core.Interpreters;

/** Hyperbolic sine (JAX's {@code lax.sinh}); derivative cosh(x). */
public record Sinh() implements ElementwiseUnary {
    @Override
    public double apply(double x) {
        return Math.sinh(x);
    }

    @Override
    public Array tangent(Array g, Array x, Array y) {
        return Ops.mul(g, Interpreters.bind1(new Cosh(), x));
    }
}
