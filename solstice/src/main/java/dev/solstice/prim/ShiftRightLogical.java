package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.Zero;

/**
 * Logical (zero-filling) right shift of int32 words, JAX's {@code shift_right_logical}: the bits of {@code x}
 * move right by {@code y} places and zeros come in from the left, as for a uint32. As XLA, a shift amount
 * outside {@code [0, 32)} (read as unsigned, so negative amounts count as huge) gives 0. No derivative.
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
    public boolean accepts(DType t) {
        return t == DType.INT32;
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
