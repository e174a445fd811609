package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.kernel.UnaryOp;

/** Tangent; derivative 1 + tan(x)^2, reusing the output. */
public record Tan() implements ElementwiseUnary {
    @Override
    public UnaryOp kernelOp() {
        return UnaryOp.TAN;
    }

    @Override
    public double apply(double x) {
        return Math.tan(x);
    }

    @Override
    public Array tangent(Array g, Array x, Array y) {
        return Ops.mul(g, Ops.add(Ops.fullLike(y, 1), Ops.mul(y, y)));
    }
}
