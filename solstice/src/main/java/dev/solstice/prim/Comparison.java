package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.Zero;

/** Elementwise comparisons: bool output, zero derivative everywhere. */
public interface Comparison extends ElementwiseBinary {

    /** The comparison on two elements (ints and bools compared as doubles, which is exact). */
    boolean test(double x, double y);

    @Override
    default double apply(double x, double y) {
        return test(x, y) ? 1 : 0;
    }

    @Override
    default int applyInt(int x, int y) {
        return test(x, y) ? 1 : 0;
    }

    @Override
    default boolean accepts(DType t) {
        return true;
    }

    @Override
    default DType outType(DType in) {
        return DType.BOOL;
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
