package dev.solstice.prim;

import dev.solstice.kernel.BinaryOp;

/** {@code x >= y}; bool output, zero derivative. */
public record Ge() implements Comparison {
    @Override
    public BinaryOp kernelOp() {
        return BinaryOp.GE;
    }

    @Override
    public boolean test(double x, double y) {
        return x >= y;
    }
}
