package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.Zero;
import dev.solstice.kernel.UnaryOp;

/** Sign (-1, 0 or 1; NaN stays NaN); derivative zero everywhere. */
public record Sign() implements ElementwiseUnary {
    @Override
    public UnaryOp kernelOp() {
        return UnaryOp.SIGN;
    }

    @Override
    public double apply(double x) {
        return Math.signum(x);
    }

    @Override
    public int applyInt(int x) {
        return Integer.signum(x);
    }

    @Override
    public boolean accepts(DType t) {
        return t != DType.BOOL;
    }

    @Override
    public Array tangent(Array g, Array x, Array y) {
        return Zero.like(y);
    }
}
