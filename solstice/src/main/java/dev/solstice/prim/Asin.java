package dev.solstice.prim;

import dev.solstice.Array;

/** Inverse sine (JAX's {@code lax.asin}), NaN outside [-1, 1]; derivative 1 / sqrt(1 - x^2) (inf at ±1). */
public record Asin() implements ElementwiseUnary {
    @Override
    public double apply(double x) {
        return Math.asin(x);
    }

    @Override
    public Array tangent(Array g, Array x, Array y) {
        return Ops.mul(g, Ops.rsqrt(Ops.sub(Ops.fullLike(x, 1), Ops.mul(x, x))));
    }
}
