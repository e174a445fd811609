package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.kernel.UnaryOp;

/** Negation: linear, its own transpose. */
public record Neg() implements ElementwiseUnary {
    @Override
    public UnaryOp kernelOp() {
        return UnaryOp.NEG;
    }

    @Override
    public double apply(double x) {
        return -x;
    }

    @Override
    public int applyInt(int x) {
        return -x;
    }

    @Override
    public boolean accepts(DType t) {
        return t != DType.BOOL;
    }

    @Override
    public Array tangent(Array g, Array x, Array y) {
        return Ops.neg(g);
    }

    @Override
    public Array[] transpose(Array[] cts, Array[] args) {
        return new Array[] {Ops.neg(cts[0])};
    }
}
