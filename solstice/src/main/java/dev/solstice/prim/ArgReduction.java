package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.Batched;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Interpreters;
import dev.solstice.core.Primitive;
import dev.solstice.core.Shapes;
import dev.solstice.core.Zero;
import dev.solstice.kernel.Kernels;
import dev.solstice.kernel.PlanCache;

/**
 * The family of index searches along one axis (argmax, argmin): int32 output, so a zero derivative (a zero
 * tangent rather than a failure, so functions that use them to pick elements stay differentiable).
 */
public interface ArgReduction extends Primitive {

    /** The axis searched (negative counts from the end). */
    int axis();

    /** True for the maximum, false for the minimum. */
    boolean max();

    /** The same search along another axis. */
    ArgReduction withAxis(int axis);

    @Override
    default Aval[] shapeRule(Aval[] in) {
        Shapes.arity(this, in, 1);
        int a = Shapes.axis(name(), axis(), in[0].rank());
        if (in[0].dim(a) == 0 || in[0].dtype() == DType.BOOL) {
            throw new IllegalArgumentException(name() + ": cannot search axis " + axis() + " of " + in[0].str()
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
    default DenseArray[] eval(DenseArray[] in, Aval[] outAvals) {
        Aval out = outAvals[0];
        Aval x = in[0].aval();
        int[][] plan = PlanCache.tables(this, new Object[] {x},
                () -> Reducer.groupPlan(x, new int[] {Shapes.axis(name(), axis(), x.rank())}));
        return new DenseArray[] {Kernels.get().argReduce(in[0], plan[0], plan[1][0], max(), out)};
    }

    @Override
    default Array[] jvp(Array[] primals, Array[] outs, Array[] tangents) {
        return new Array[] {Zero.like(outs[0])};
    }

    /** Batching: the searched axis is renumbered around the batch axis. */
    @Override
    default Batched batch(Array[] vals, int[] dims, int axisSize) {
        int d = dims[0];
        int a = BatchRules.shift(Shapes.axis(name(), axis(), vals[0].ndim() - 1), d);
        return Batched.of(Interpreters.bind1(withAxis(a), vals[0]), a < d ? d - 1 : d);
    }
}
