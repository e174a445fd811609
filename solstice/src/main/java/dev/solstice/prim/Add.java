package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.core.Aval;

/** Addition: linear in both operands. */
public record Add() implements ElementwiseBinary {
    @Override
    public double apply(double x, double y) {
        return x + y;
    }

    @Override
    public int applyInt(int x, int y) {
        return x + y;
    }

    @Override
    public Array tangentLhs(Array g, Array x, Array y, Array out) {
        return g;
    }

    @Override
    public Array tangentRhs(Array g, Array x, Array y, Array out) {
        return g;
    }

    @Override
    public Array[] transpose(Array[] cts, Array[] args, Aval[] inAvals) {
        return new Array[] {args[0] == null ? cts[0] : null, args[1] == null ? cts[0] : null};
    }
}
