package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Zero;
import dev.solstice.kernel.Kernels;
import dev.solstice.kernel.UnaryOp;

/** Logical not of a bool array, bitwise not of an integer array. */
public record Not() implements ElementwiseUnary {
    @Override
    public UnaryOp kernelOp() {
        return UnaryOp.NOT;
    }

    @Override
    public double apply(double x) {
        throw new UnsupportedOperationException("not on floating point");
    }

    @Override
    public int applyInt(int x) {
        return ~x;
    }

    @Override
    public boolean accepts(DType t) {
        return t == DType.BOOL || t.isInteger();
    }

    @Override
    public DenseArray[] eval(DenseArray[] in, Aval[] outAvals) {
        if (in[0].dtype() == DType.INT64) {
            return ElementwiseUnary.super.eval(in, outAvals);
        }
        // the NOT loop is logical on bool and bitwise on int32
        return new DenseArray[] {Kernels.get().map(in[0], in[0].aval().dtype(), kernelOp(), this::apply, this::applyInt)};
    }

    @Override
    public Array tangent(Array g, Array x, Array y) {
        return Zero.like(y);
    }
}
