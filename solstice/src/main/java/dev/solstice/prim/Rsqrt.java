package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.kernel.UnaryOp;

/** Reciprocal square root 1 / sqrt(x); derivative -0.5 y / x. */
public record Rsqrt() implements ElementwiseUnary {
    @Override
    public UnaryOp kernelOp() {
        return UnaryOp.RSQRT;
    }

    @Override
    public double apply(double x) {
        return 1 / Math.sqrt(x);
    }

    @Override
    public Array tangent(Array g, Array x, Array y) {
        return Ops.mul(g, Ops.mul(Ops.fullLike(x, -0.5), Ops.div(y, x)));
    }
}
