package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.kernel.Cumulative;

/**
 * The running product along {@code axis} (JAX's {@code cumprod}); see {@link CumulativeReduction}.
 *
 * @param axis the axis accumulated along (negative counts from the end)
 * @param reverse true to accumulate from the last element backwards
 */
public record CumProd(int axis, boolean reverse) implements CumulativeReduction {
    @Override
    public String name() {
        return "cumprod";
    }

    @Override
    public Cumulative.Op op() {
        return Cumulative.Op.PROD;
    }

    @Override
    public CumulativeReduction withAxis(int newAxis) {
        return new CumProd(newAxis, reverse);
    }

    @Override
    public Array[] combineTangents(Array[] a, Array[] b) {
        return new Array[] {Ops.mul(a[0], b[0]), Ops.add(Ops.mul(a[1], b[0]), Ops.mul(a[0], b[1]))};
    }
}
