package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.kernel.UnaryOp;

/** Sine; derivative cos(x). */
public record Sin() implements ElementwiseUnary {
    @Override
    public UnaryOp kernelOp() {
        return UnaryOp.SIN;
    }

    @Override
    public double apply(double x) {
        return Math.sin(x);
    }

    @Override
    public Array tangent(Array g, Array x, Array y) {
        return Ops.mul(g, Ops.cos(x));
    }
}
