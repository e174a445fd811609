package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.DType;

/**
 * The angle of the point (y, x) (JAX's {@code lax.atan2(x, y)}, the numerator first): atan(x / y) in the right
 * quadrant. d/dx = y / (x^2 + y^2), d/dy = -x / (x^2 + y^2) (NaN at the origin, as JAX).
 */
public record Atan2() implements ElementwiseBinary {
    @Override
    public double apply(double x, double y) {
        return Math.atan2(x, y);
    }

    @Override
    public Array tangentLhs(Array g, Array x, Array y, Array out) {
        return Ops.mul(g, Ops.div(y, Ops.add(Ops.mul(x, x), Ops.mul(y, y))));
    }

    @Override
    public Array tangentRhs(Array g, Array x, Array y, Array out) {
        return Ops.mul(g, Ops.div(Ops.neg(x), Ops.add(Ops.mul(x, x), Ops.mul(y, y))));
    }

    @Override
    public boolean accepts(DType t) {
        return t.isFloating();
    }
}
