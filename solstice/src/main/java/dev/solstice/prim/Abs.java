package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.kernel.UnaryOp;

/** Absolute value; derivative {@code select(x >= 0, g, -g)}, so +1 at 0 (JAX's convention). */
public record Abs() implements ElementwiseUnary {
    @Override
    public UnaryOp kernelOp() {
        return UnaryOp.ABS;
    }

    @Override
    public double apply(double x) {
        return Math.abs(x);
    }

    @Override
    public int applyInt(int x) {
        return Math.abs(x);
    }

    @Override
    public boolean accepts(DType t) {
        return t != DType.BOOL;
    }

    @Override
    public Array tangent(Array g, Array x, Array y) {
        return Ops.select(Ops.ge(x, Ops.fullLike(x, 0)), g, Ops.neg(g));
    }
}
