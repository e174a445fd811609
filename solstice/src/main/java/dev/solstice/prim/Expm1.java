package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.kernel.UnaryOp;

/** exp(x) - 1, accurate near 0; derivative exp(x) = y + 1. */
public record Expm1() implements ElementwiseUnary {
    @Override
    public UnaryOp kernelOp() {
        return UnaryOp.EXPM1;
    }

    @Override
    public double apply(double x) {
        return Math.expm1(x);
    }

    @Override
    public Array tangent(Array g, Array x, Array y) {
        return Ops.mul(g, Ops.add(y, Ops.fullLike(y, 1)));
    }
}
