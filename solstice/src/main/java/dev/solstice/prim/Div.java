package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.core.UndefinedPrimal;
import dev.solstice.core.Zero;
import dev.solstice.kernel.BinaryOp;

/**
 * Division; linear in the numerator. Integer division truncates toward zero and, as in XLA, never traps:
 * {@code x / 0 == -1} and {@code MIN_VALUE / -1 == MIN_VALUE}.
 */
public record Div() implements ElementwiseBinary {
    @Override
    public BinaryOp kernelOp() {
        return BinaryOp.DIV;
    }

    @Override
    public double apply(double x, double y) {
        return x / y;
    }

    @Override
    public int applyInt(int x, int y) {
        return y == 0 ? -1 : x / y;
    }

    @Override
    public Array tangentLhs(Array g, Array x, Array y, Array out) {
        return Ops.div(g, y);
    }

    @Override
    public Array tangentRhs(Array g, Array x, Array y, Array out) {
        return Ops.mul(Ops.neg(g), Ops.div(out, y));
    }

    @Override
    public Array[] transpose(Array[] cts, Array[] args) {
        if (args[1] instanceof UndefinedPrimal) {
            throw new IllegalStateException("div: the denominator is linear, so the quotient is not linear: " + args[1].aval().str());
        }
        return new Array[] {Ops.div(cts[0], args[1]), Zero.like(args[1])};
    }
}
