package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.core.Zero;
import dev.solstice.kernel.UnaryOp;

/** Rounds toward positive infinity; derivative zero everywhere. */
public record Ceil() implements ElementwiseUnary {
    @Override
    public UnaryOp kernelOp() {
        return UnaryOp.CEIL;
    }

    @Override
    public double apply(double x) {
        return Math.ceil(x);
    }

    @Override
    public Array tangent(Array g, Array x, Array y) {
        return Zero.like(y);
    }
}
