package dev.solstice.prim;

import dev.solstice.core.Batched;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Primitive;
import dev.solstice.core.Shapes;
import dev.solstice.kernel.Kernels;
import java.util.List;
import java.util.Random;

/**
 * The int32 index of the first minimum along {@code axis} (a NaN counts as the minimum). Integer output, so
 * a zero derivative: its JVP gives a zero (symbolic) tangent rather than failing, so functions that use
 * it to pick elements stay differentiable.
 *
 * @param axis the axis searched (negative counts from the end)
 */
public record ArgMin(int axis) implements Primitive {
    @Override
    public String name() {
        return "argmin";
    }

    @Override
    public Aval[] shapeRule(Aval[] in) {
        Shapes.arity(name(), in, 1);
        int a = Shapes.axis(name(), axis, in[0].rank());
        if (in[0].dim(a) == 0 || in[0].dtype() == DType.BOOL) {
            throw new IllegalArgumentException(name() + ": cannot search axis " + axis + " of " + in[0].str()
                    + "; it must be non-empty and numeric");
        }
        int[] keep = Shapes.complement(new int[] {a}, in[0].rank());
        int[] out = new int[keep.length];
        for (int i = 0; i < keep.length; i++) {
            out[i] = in[0].dim(keep[i]);
        }
        return new Aval[] {new Aval(DType.INT32, out)};
    }

    @Override
    public DenseArray[] eval(DenseArray[] in) {
        Aval out = shapeRule(new Aval[] {in[0].aval()})[0];
        int a = Shapes.axis(name(), axis, in[0].aval().rank());
        int[][] plan = Reducer.groupPlan(in[0].aval(), new int[] {a});
        return new DenseArray[] {Kernels.get().argReduce(in[0], plan[0], plan[1][0], false, out)};
    }

    @Override
    public Array[] jvp(Array[] primals, Array[] outs, Array[] tangents) {
        return new Array[] {null};
    }

    /** Batching: the searched axis is renumbered around the batch axis. */
    @Override
    public Batched batch(Array[] vals, int[] dims, int axisSize) {
        int d = dims[0];
        int a = BatchRules.shift(Shapes.axis(name(), axis, vals[0].ndim() - 1), d);
        return Batched.of(dev.solstice.core.Interpreters.bind1(new ArgMin(a), vals[0]), a < d ? d - 1 : d);
    }

    /** Example operands for the primitive contract test (the last with ties and NaNs). */
    public static List<Example> examples() {
        Random r = new Random(21);
        return List.of(new Example(new ArgMin(1), Example.random(r, DType.FLOAT64, Example.Domain.REAL, 2, 3)),
                new Example(new ArgMin(0), Example.random(r, DType.FLOAT32, Example.Domain.REAL, 4, 2)),
                new Example(new ArgMin(-1), Example.random(r, DType.INT32, Example.Domain.REAL, 3, 5)),
                new Example(new ArgMin(1), DenseArray.ofDoubles(new double[] {1, -1, -1, 2, 0, Double.NaN, -3, Double.NaN}, 2, 4)));
    }
}
