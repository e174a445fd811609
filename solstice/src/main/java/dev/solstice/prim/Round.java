package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.core.Zero;
import dev.solstice.kernel.UnaryOp;

/** Rounds half to even, as jnp.round; derivative zero everywhere. */
public record Round() implements ElementwiseUnary {
    @Override
    public UnaryOp kernelOp() {
        return UnaryOp.ROUND;
    }

    @Override
    public double apply(double x) {
        return Math.rint(x);
    }

    @Override
    public Array tangent(Array g, Array x, Array y) {
        return Zero.like(y);
    }
}
