package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.kernel.BinaryOp;

/** Addition: linear in both operands. */
public record Add() implements ElementwiseBinary {
    @Override
    public BinaryOp kernelOp() {
        return BinaryOp.ADD;
    }

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
    public Array[] transpose(Array[] cts, Array[] args) {
        return new Array[] {Tangents.ifLinear(args[0], () -> cts[0]), Tangents.ifLinear(args[1], () -> cts[0])};
    }
}
