package dev.solstice.prim;

import dev.solstice.Array;

/** Inverse hyperbolic sine (JAX's {@code lax.asinh}); derivative 1 / sqrt(x^2 + 1). */
public record Asinh() implements ElementwiseUnary {
    @Override
    public double apply(double x) {
        double a = Math.abs(x);
        double r;
        if (a > 0x1p28) {
            r = Math.log(a) + Math.log(2); // x^2 + 1 would be x^2
        } else {
            // log(a + sqrt(a^2 + 1)) = log1p(a + a^2 / (1 + sqrt(1 + a^2))): no cancellation near 0
            r = Math.log1p(a + a * a / (1 + Math.sqrt(1 + a * a)));
        }
        return Math.copySign(r, x);
    }

    @Override
    public Array tangent(Array g, Array x, Array y) {
        return Ops.mul(g, Ops.rsqrt(Ops.add(Ops.mul(x, x), Ops.fullLike(x, 1))));
    }
}
