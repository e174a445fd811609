package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.kernel.UnaryOp;

/** log(1 + x), accurate near 0; derivative 1 / (1 + x). */
public record Log1p() implements ElementwiseUnary {
    @Override
    public UnaryOp kernelOp() {
        return UnaryOp.LOG1P;
    }

    @Override
    public double apply(double x) {
        return Math.log1p(x);
    }

    @Override
    public Array tangent(Array g, Array x, Array y) {
        return Ops.div(g, Ops.add(x, Ops.fullLike(x, 1)));
    }
}
