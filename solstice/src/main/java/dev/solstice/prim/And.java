package dev.solstice.prim;

import dev.solstice.kernel.BinaryOp;

/** And: logical on bool arrays, bitwise on int32 arrays; no derivative. */
public record And() implements Bitwise {
    @Override
    public BinaryOp kernelOp() {
        return BinaryOp.AND;
    }

    @Override
    public int applyInt(int x, int y) {
        return x & y;
    }
}
