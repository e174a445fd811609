package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.core.Shapes;
import dev.solstice.kernel.Kernels;
import java.util.Arrays;

/**
 * Sum over {@code axes}. Linear; its transpose broadcasts the cotangent back over the summed axes.
 *
 * @param axes the axes to sum over
 */
public record ReduceSum(int[] axes) implements Reducer {
    /** Copies the array, which records would otherwise share. */
    public ReduceSum {
        axes = axes.clone();
    }

    @Override
    public int[] axes() {
        return axes.clone();
    }

    @Override
    public Kernels.Reduction kind() {
        return Kernels.Reduction.SUM;
    }

    @Override
    public Array[] jvp(Array[] primals, Array[] outs, Array[] tangents) {
        return new Array[] {Ops.reduceSum(tangents[0], axes)};
    }

    @Override
    public Array[] transpose(Array[] cts, Array[] args) {
        int[] ax = Shapes.axes(name(), axes, args[0].aval().rank());
        return new Array[] {Reducer.broadcastBack(cts[0], args[0].aval(), ax)};
    }

    /** Equal when the parameters are equal element by element (a record alone would compare arrays by identity). */
    @Override
    public boolean equals(Object o) {
        return o instanceof ReduceSum other && Arrays.equals(axes, other.axes);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(new Object[] {axes});
    }

    @Override
    public String toString() {
        return "ReduceSum[axes=" + Arrays.toString(axes) + "]";
    }

    @Override
    public Reducer withAxes(int[] newAxes) {
        return new ReduceSum(newAxes);
    }
}
