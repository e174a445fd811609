package dev.solstice.prim;

import dev.solstice.Array;

/** Inverse hyperbolic tangent (JAX's {@code lax.atanh}), ±inf at ±1, NaN beyond; derivative 1 / ((1 + x)(1 - x)). */
public record Atanh() implements ElementwiseUnary {
    @Override
    public double apply(double x) {
        double a = Math.abs(x);
        if (!(a <= 1)) {
            return Double.NaN;
        }
        // atanh a = log1p(2a / (1 - a)) / 2, accurate for small a too since log1p keeps relative precision
        return Math.copySign(0.5 * Math.log1p(2 * a / (1 - a)), x);
    }

    @Override
    public Array tangent(Array g, Array x, Array y) {
        Array one = Ops.fullLike(x, 1);
        return Ops.div(Ops.div(g, Ops.sub(one, x)), Ops.add(one, x));
    }
}
