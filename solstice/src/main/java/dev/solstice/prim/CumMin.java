package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.kernel.Cumulative;

/**
 * The running minimum along {@code axis} (JAX's {@code cummin}); see {@link CumulativeReduction}.
 *
 * @param axis the axis accumulated along (negative counts from the end)
 * @param reverse true to accumulate from the last element backwards
 */
public record CumMin(int axis, boolean reverse) implements CumulativeReduction {
    @Override
    public String name() {
        return "cummin";
    }

    @Override
    public Cumulative.Op op() {
        return Cumulative.Op.MIN;
    }

    @Override
    public CumulativeReduction withAxis(int newAxis) {
        return new CumMin(newAxis, reverse);
    }

    @Override
    public Array[] combineTangents(Array[] a, Array[] b) {
        return CumulativeReduction.balancedExtreme(Ops.min(a[0], b[0]), a, b);
    }
}
