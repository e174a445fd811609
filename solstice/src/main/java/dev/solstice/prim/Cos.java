package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.kernel.UnaryOp;

/** Cosine; derivative -sin(x). */
public record Cos() implements ElementwiseUnary {
    @Override
    public UnaryOp kernelOp() {
        return UnaryOp.COS;
    }

    @Override
    public double apply(double x) {
        return Math.cos(x);
    }

    @Override
    public Array tangent(Array g, Array x, Array y) {
        return Ops.neg(Ops.mul(g, Ops.sin(x)));
    }
}
