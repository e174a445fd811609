package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.core.Shapes;
import dev.solstice.kernel.Kernels;
import java.util.Arrays;

/**
 * Minimum over {@code axes} (NaN propagates). At a k-way tie each tied element gets 1/k of the derivative,
 * as in JAX.
 *
 * @param axes the axes to reduce over
 */
public record ReduceMin(int[] axes) implements Reducer {
    /** Copies the array, which records would otherwise share. */
    public ReduceMin {
        axes = axes.clone();
    }

    @Override
    public int[] axes() {
        return axes.clone();
    }

    @Override
    public Kernels.Reduction kind() {
        return Kernels.Reduction.MIN;
    }

    @Override
    public Array[] jvp(Array[] primals, Array[] outs, Array[] tangents) {
        Array x = primals[0];
        int[] ax = Shapes.axes(name(), axes, x.ndim());
        Array location = Ops.convert(Ops.eq(x, Reducer.broadcastBack(outs[0], x.aval(), ax)), x.dtype());
        Array counts = Ops.reduceSum(location, ax);
        return new Array[] {Ops.div(Ops.reduceSum(Ops.mul(tangents[0], location), ax), counts)};
    }

    /** Equal when the parameters are equal element by element (a record alone would compare arrays by identity). */
    @Override
    public boolean equals(Object o) {
        return o instanceof ReduceMin other && Arrays.equals(axes, other.axes);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(new Object[] {axes});
    }

    @Override
    public String toString() {
        return "ReduceMin[axes=" + Arrays.toString(axes) + "]";
    }

    @Override
    public Reducer withAxes(int[] newAxes) {
        return new ReduceMin(newAxes);
    }
}
