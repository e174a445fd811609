package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.kernel.Cumulative;

/**
 * The running sum along {@code axis} (JAX's {@code cumsum}); see {@link CumulativeReduction}.
 *
 * @param axis the axis accumulated along (negative counts from the end)
 * @param reverse true to accumulate from the last element backwards
 */
public record CumSum(int axis, boolean reverse) implements CumulativeReduction {
    @Override
    public String name() {
        return "cumsum";
    }

    @Override
    public Cumulative.Op op() {
        return Cumulative.Op.SUM;
    }

    @Override
    public CumulativeReduction withAxis(int newAxis) {
        return new CumSum(newAxis, reverse);
    }

    @Override
    public Array[] combineTangents(Array[] a, Array[] b) {
        return new Array[] {Ops.add(a[0], b[0]), Ops.add(a[1], b[1])};
    }

    /** Linear: the tangent is accumulated alike. */
    @Override
    public Array[] jvp(Array[] primals, Array[] outs, Array[] tangents) {
        return new Array[] {Ops.cumsum(tangents[0], axis, reverse)};
    }

    /** The transpose of a prefix sum is the suffix sum, and the other way round (JAX's {@code _cumsum_transpose_rule}). */
    @Override
    public Array[] transpose(Array[] cts, Array[] args) {
        return new Array[] {Ops.cumsum(cts[0], axis, !reverse)};
    }
}
