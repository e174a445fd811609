package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.core.UndefinedPrimal;
import dev.solstice.kernel.BinaryOp;

/** Multiplication: linear in each operand when the other is a constant. */
public record Mul() implements ElementwiseBinary {
    @Override
    public BinaryOp kernelOp() {
        return BinaryOp.MUL;
    }

    @Override
    public double apply(double x, double y) {
        return x * y;
    }

    @Override
    public int applyInt(int x, int y) {
        return x * y;
    }

    @Override
    public Array tangentLhs(Array g, Array x, Array y, Array out) {
        return Ops.mul(g, y);
    }

    @Override
    public Array tangentRhs(Array g, Array x, Array y, Array out) {
        return Ops.mul(x, g);
    }

    @Override
    public Array[] transpose(Array[] cts, Array[] args) {
        if (args[0] instanceof UndefinedPrimal && args[1] instanceof UndefinedPrimal) {
            throw new IllegalStateException("mul: both operands are linear, so the product is not linear: " + args[0].aval().str());
        }
        return new Array[] {Tangents.ifLinear(args[0], () -> Ops.mul(cts[0], args[1])),
            Tangents.ifLinear(args[1], () -> Ops.mul(args[0], cts[0]))};
    }
}
