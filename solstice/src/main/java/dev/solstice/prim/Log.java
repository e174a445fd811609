package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.kernel.UnaryOp;

/** Natural logarithm; d log(x) = dx / x. */
public record Log() implements ElementwiseUnary {
    @Override
    public UnaryOp kernelOp() {
        return UnaryOp.LOG;
    }

    @Override
    public double apply(double x) {
        return Math.log(x);
    }

    @Override
    public Array tangent(Array g, Array x, Array y) {
        return Ops.div(g, x);
    }
}
