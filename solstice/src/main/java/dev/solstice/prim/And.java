package dev.solstice.prim;


/** And: logical on bool arrays, bitwise on int32 arrays; no derivative. */
public record And() implements Bitwise {
    @Override
    public int applyInt(int x, int y) {
        return x & y;
    }
}
