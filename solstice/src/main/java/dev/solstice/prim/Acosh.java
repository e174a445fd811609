package dev.solstice.prim;

import dev.solstice.Array;

/** Inverse hyperbolic cosine (JAX's {@code lax.acosh}), NaN below 1; derivative 1 / sqrt((x - 1)(x + 1)). */
public record Acosh() implements ElementwiseUnary {
    @Override
    public double apply(double x) {
        if (!(x >= 1)) {
            return Double.NaN;
        }
        if (x > 0x1p28) {
            return Math.log(x) + Math.log(2);
        }
        double t = x - 1; // exact near 1, where log(x + sqrt(x^2 - 1)) would cancel
        return Math.log1p(t + Math.sqrt(2 * t + t * t));
    }

    @Override
    public Array tangent(Array g, Array x, Array y) {
        Array one = Ops.fullLike(x, 1);
        return Ops.mul(g, Ops.rsqrt(Ops.mul(Ops.sub(x, one), Ops.add(x, one))));
    }
}
