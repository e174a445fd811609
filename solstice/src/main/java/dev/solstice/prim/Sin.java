package dev.solstice.prim;

import dev.solstice.kernel.UnaryOp;

import dev.solstice.Array;

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
