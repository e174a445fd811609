package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.kernel.UnaryOp;

/** Hyperbolic tangent; derivative 1 - y^2. */
public record Tanh() implements ElementwiseUnary {
    @Override
    public UnaryOp kernelOp() {
        return UnaryOp.TANH;
    }

    @Override
    public double apply(double x) {
        return Math.tanh(x);
    }

    @Override
    public Array tangent(Array g, Array x, Array y) {
        return Ops.mul(g, Ops.sub(Ops.fullLike(y, 1), Ops.mul(y, y)));
    }
}
