package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import dev.solstice.core.NarrowTypes;
import dev.solstice.core.Zero;

/**
 * Logical (zero-filling) right shift of integer words, JAX's {@code shift_right_logical}: the bits of {@code x}
 * move right by {@code y} places and zeros come in from the left, as for an unsigned type of the same width. As
 * XLA, a shift amount outside {@code [0, bits)} (read as unsigned, so negative amounts count as huge) gives 0.
 * No derivative.
 */
public record ShiftRightLogical() implements ElementwiseBinary {
    @Override
    public double apply(double x, double y) {
        throw new UnsupportedOperationException(name() + " on floating point");
    }

    @Override
    public int applyInt(int x, int y) {
        return y < 0 || y >= 32 ? 0 : x >>> y;
    }

    @Override
    public long applyLong(long x, long y) {
        return y < 0 || y >= 64 ? 0 : x >>> y;
    }

    @Override
    public boolean accepts(DType t) {
        return t.isInteger();
    }

    /** int8 is widened as its unsigned bits, so that the zeros come in from bit 8, not bit 32. */
    @Override
    public boolean evaluatesNarrowTypes() {
        return true;
    }

    @Override
    public DenseArray[] eval(DenseArray[] in, Aval[] outAvals) {
        DType t = in[0].dtype();
        if (!t.isStoredNarrow()) {
            return ElementwiseBinary.super.eval(in, outAvals);
        }
        DenseArray x = t == DType.INT8 ? NarrowTypes.widen(DenseArray.wrap(in[0].aval().withDType(DType.UINT8), in[0].data())) : NarrowTypes.widen(in[0]);
        DenseArray y = NarrowTypes.widen(in[1]);
        DenseArray r = ElementwiseBinary.super.eval(new DenseArray[] {x, y}, new Aval[] {x.aval()})[0];
        return new DenseArray[] {NarrowTypes.narrow(r, t)};
    }

    @Override
    public Array tangentLhs(Array g, Array x, Array y, Array out) {
        return Zero.like(out);
    }

    @Override
    public Array tangentRhs(Array g, Array x, Array y, Array out) {
        return Zero.like(out);
    }
}
