package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.core.Aval;

/** Multiplication: linear in each operand when the other is a constant. */
public record Mul() implements ElementwiseBinary {
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
    public Array[] transpose(Array[] cts, Array[] args, Aval[] inAvals) {
        if (args[0] == null && args[1] == null) {
            throw new IllegalStateException("mul: both operands are linear, so the product is not linear: " + inAvals[0].str());
        }
        return new Array[] {args[0] == null ? Ops.mul(cts[0], args[1]) : null, args[1] == null ? Ops.mul(args[0], cts[0]) : null};
    }
}
