package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.kernel.UnaryOp;

/** Exponential; d exp(x) = exp(x) dx, reusing the output. */
public record Exp() implements ElementwiseUnary {
    @Override
    public UnaryOp kernelOp() {
        return UnaryOp.EXP;
    }

    @Override
    public double apply(double x) {
        return Math.exp(x);
    }

    @Override
    public Array tangent(Array g, Array x, Array y) {
        return Ops.mul(g, y);
    }
}
