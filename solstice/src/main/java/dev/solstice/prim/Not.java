package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Zero;
import dev.solstice.kernel.Kernels;

/** Logical not of a bool array, bitwise not of an int32 array. */
public record Not() implements ElementwiseUnary {
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
        return t == DType.BOOL || t == DType.INT32;
    }

    @Override
    public DenseArray[] eval(DenseArray[] in, Aval[] outAvals) {
        boolean bool = in[0].aval().dtype() == DType.BOOL;
        return new DenseArray[] {Kernels.get().map(in[0], in[0].aval().dtype(), this::apply, bool ? x -> x == 0 ? 1 : 0 : this::applyInt)};
    }

    @Override
    public Array tangent(Array g, Array x, Array y) {
        return Zero.like(y);
    }
}
