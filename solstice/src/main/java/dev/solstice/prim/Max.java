package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import dev.solstice.kernel.BinaryOp;

/** Elementwise maximum (NaN propagates). At a tie each operand gets half the derivative (JAX's balanced rule). */
public record Max() implements ElementwiseBinary {
    @Override
    public BinaryOp kernelOp() {
        return BinaryOp.MAX;
    }

    @Override
    public double apply(double x, double y) {
        return Double.isNaN(x) || Double.isNaN(y) ? Double.NaN : Math.max(x, y);
    }

    @Override
    public int applyInt(int x, int y) {
        return Math.max(x, y);
    }

    @Override
    public Array tangentLhs(Array g, Array x, Array y, Array out) {
        return Ops.mul(g, Ties.balancedEq(x, out, y));
    }

    @Override
    public Array tangentRhs(Array g, Array x, Array y, Array out) {
        return Ops.mul(g, Ties.balancedEq(y, out, x));
    }
}
