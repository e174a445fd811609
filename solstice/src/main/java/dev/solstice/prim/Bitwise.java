package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.Zero;

/**
 * The family of bitwise operations (and, or, xor): logical on bool arrays, bitwise on int32 arrays, no
 * derivative. A member gives only its int operation.
 */
public interface Bitwise extends ElementwiseBinary {

    @Override
    default double apply(double x, double y) {
        throw new UnsupportedOperationException(name() + " on floating point");
    }

    @Override
    default boolean accepts(DType t) {
        return t == DType.BOOL || t.isInteger();
    }

    @Override
    default Array tangentLhs(Array g, Array x, Array y, Array out) {
        return Zero.like(out);
    }

    @Override
    default Array tangentRhs(Array g, Array x, Array y, Array out) {
        return Zero.like(out);
    }
}
