package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.kernel.BinaryOp;

/** Exclusive or: logical on bool arrays, bitwise on int32 arrays (JAX's {@code xor}); no derivative. */
public record Xor() implements Bitwise {
    @Override
    public BinaryOp kernelOp() {
        return BinaryOp.XOR;
    }

    @Override
    public int applyInt(int x, int y) {
        return x ^ y;
    }
}
