package dev.solstice.prim;

import dev.solstice.Array;

/** Inverse tangent (JAX's {@code lax.atan}); derivative 1 / (1 + x^2). */
public record Atan() implements ElementwiseUnary {
    @Override
    public double apply(double x) {
        return Math.atan(x);
    }

    @Override
    public Array tangent(Array g, Array x, Array y) {
        return Ops.div(g, Ops.add(Ops.fullLike(x, 1), Ops.mul(x, x)));
    }
}
