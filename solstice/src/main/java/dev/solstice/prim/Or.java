package dev.solstice.prim;

import dev.solstice.kernel.BinaryOp;

/** Or: logical on bool arrays, bitwise on int32 arrays; no derivative. */
public record Or() implements Bitwise {
    @Override
    public BinaryOp kernelOp() {
        return BinaryOp.OR;
    }

    @Override
    public int applyInt(int x, int y) {
        return x | y;
    }
}
