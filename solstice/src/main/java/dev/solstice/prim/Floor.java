package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.core.Zero;
import dev.solstice.kernel.UnaryOp;

/** Rounds toward negative infinity; derivative zero everywhere. */
public record Floor() implements ElementwiseUnary {
    @Override
    public UnaryOp kernelOp() {
        return UnaryOp.FLOOR;
    }

    @Override
    public double apply(double x) {
        return Math.floor(x);
    }

    @Override
    public Array tangent(Array g, Array x, Array y) {
        return Zero.like(y);
    }
}
