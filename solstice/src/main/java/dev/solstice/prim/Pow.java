package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.kernel.BinaryOp;

/** Real power x^y. d/dx = y x^(y-1); d/dy = log(x) x^y with log(0) read as 0, so d/dy is 0 at x = 0 (JAX's convention). */
public record Pow() implements ElementwiseBinary {
    @Override
    public BinaryOp kernelOp() {
        return BinaryOp.POW;
    }

    @Override
    public double apply(double x, double y) {
        return Math.pow(x, y);
    }

    @Override
    public Array tangentLhs(Array g, Array x, Array y, Array out) {
        return Ops.mul(g, Ops.mul(y, Ops.pow(x, Ops.sub(y, Ops.fullLike(y, 1)))));
    }

    @Override
    public Array tangentRhs(Array g, Array x, Array y, Array out) {
        return Ops.mul(g, Ops.mul(Ops.log(Ops.select(Ops.eq(x, Ops.fullLike(x, 0)), Ops.fullLike(x, 1), x)), out));
    }

    @Override
    public boolean accepts(DType t) {
        return t.isFloating();
    }
}
