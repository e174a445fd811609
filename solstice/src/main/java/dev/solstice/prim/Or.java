package dev.solstice.prim;


/** Or: logical on bool arrays, bitwise on int32 arrays; no derivative. */
public record Or() implements Bitwise {
    @Override
    public int applyInt(int x, int y) {
        return x | y;
    }
}
