package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.Zero;

/** The identity whose derivative is zero: values pass, derivatives stop. */
public record StopGradient() implements ElementwiseUnary {
    @Override
    public double apply(double x) {
        return x;
    }

    @Override
    public int applyInt(int x) {
        return x;
    }

    @Override
    public long applyLong(long x) {
        return x;
    }

    @Override
    public boolean accepts(DType t) {
        return true;
    }

    @Override
    public Array tangent(Array g, Array x, Array y) {
        return Zero.like(y);
    }
}
