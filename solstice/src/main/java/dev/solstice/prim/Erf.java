package dev.solstice.prim;

import dev.solstice.Array;

/** The error function; derivative 2 / sqrt(pi) exp(-x^2). */
public record Erf() implements ElementwiseUnary {
    @Override
    public double apply(double x) {
        return ErfFunction.erf(x);
    }

    @Override
    public Array tangent(Array g, Array x, Array y) {
        return Ops.mul(g, Ops.mul(Ops.fullLike(x, 2 / Math.sqrt(Math.PI)), Ops.exp(Ops.neg(Ops.mul(x, x)))));
    }
}
