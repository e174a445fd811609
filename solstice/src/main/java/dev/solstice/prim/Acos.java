package dev.solstice.prim;

import dev.solstice.Array;

/** Inverse cosine (JAX's {@code lax.acos}), NaN outside [-1, 1]; derivative -1 / sqrt(1 - x^2). */
public record Acos() implements ElementwiseUnary {
    @Override
    public double apply(double x) {
        return Math.acos(x);
    }

    @Override
    public Array tangent(Array g, Array x, Array y) {
        return Ops.neg(Ops.mul(g, Ops.rsqrt(Ops.sub(Ops.fullLike(x, 1), Ops.mul(x, x)))));
    }
}
