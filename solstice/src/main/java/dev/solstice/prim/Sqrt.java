package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.kernel.UnaryOp;

/** Square root; derivative 0.5 / sqrt(x), so +inf at 0 (JAX's convention). */
public record Sqrt() implements ElementwiseUnary {
    @Override
    public UnaryOp kernelOp() {
        return UnaryOp.SQRT;
    }

    @Override
    public double apply(double x) {
        return Math.sqrt(x);
    }

    @Override
    public Array tangent(Array g, Array x, Array y) {
        return Ops.mul(g, Ops.div(Ops.fullLike(y, 0.5), y));
    }
}
