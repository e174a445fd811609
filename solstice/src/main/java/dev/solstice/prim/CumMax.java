package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.kernel.Cumulative;

/**
 * The running maximum along {@code axis} (JAX's {@code cummax}); see {@link CumulativeReduction}.
 *
 * @param axis the axis accumulated along (negative counts from the end)
 * @param reverse true to accumulate from the last element backwards
 */
public record CumMax(int axis, boolean reverse) implements CumulativeReduction {
    @Override
    public String name() {
        return "cummax";
    }

    @Override
    public Cumulative.Op op() {
        return Cumulative.Op.MAX;
    }

    @Override
    public CumulativeReduction withAxis(int newAxis) {
        return new CumMax(newAxis, reverse);
    }

    @Override
    public Array[] combineTangents(Array[] a, Array[] b) {
        return CumulativeReduction.balancedExtreme(Ops.max(a[0], b[0]), a, b);
    }
}
