package dev.solstice.prim;

import dev.solstice.kernel.BinaryOp;

/** x != y (true when either is NaN); bool output, zero derivative. */
public record Ne() implements Comparison {
    @Override
    public BinaryOp kernelOp() {
        return BinaryOp.NE;
    }

    @Override
    public boolean test(double x, double y) {
        return x != y;
    }
}
