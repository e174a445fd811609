package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.kernel.UnaryOp;

/** The logistic sigmoid 1 / (1 + exp(-x)); derivative y (1 - y), so 0.25 at 0. */
public record Logistic() implements ElementwiseUnary {
    @Override
    public UnaryOp kernelOp() {
        return UnaryOp.LOGISTIC;
    }

    @Override
    public double apply(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }

    @Override
    public Array tangent(Array g, Array x, Array y) {
        return Ops.mul(g, Ops.mul(y, Ops.sub(Ops.fullLike(y, 1), y)));
    }
}
