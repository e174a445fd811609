package dev.solstice.prim;

import dev.solstice.core.Interpreters;

import dev.solstice.core.Batched;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Primitive;
import dev.solstice.core.Shapes;
import dev.solstice.kernel.Kernels;
import dev.solstice.kernel.PlanCache;

/** The family of reductions over a set of axes (sum, max, min): shape rule and evaluation in one place. */
public interface Reducer extends Primitive {

    /** The axes reduced (normalised by the shape rule). */
    int[] axes();

    /** Which reduction the kernel performs. */
    Kernels.Reduction kind();

    @Override
    default Aval[] shapeRule(Aval[] in) {
        Shapes.arity(this, in, 1);
        if (in[0].dtype() == DType.BOOL) {
            throw new IllegalArgumentException(name() + ": bool operand " + in[0].str() + " is not supported; convert it first");
        }
        int[] ax = Shapes.axes(this, axes(), in[0].rank());
        int[] keep = Shapes.complement(ax, in[0].rank());
        int[] out = new int[keep.length];
        for (int i = 0; i < keep.length; i++) {
            out[i] = in[0].dim(keep[i]);
        }
        if (kind() != Kernels.Reduction.SUM) {
            for (int a : ax) {
                if (in[0].dim(a) == 0) {
                    throw new IllegalArgumentException(name() + ": axis " + a + " of " + in[0].str() + " is empty; it has no " + kind().name().toLowerCase());
                }
            }
        }
        return new Aval[] {new Aval(in[0].dtype(), out)};
    }

    @Override
    default DenseArray[] eval(DenseArray[] in, Aval[] outAvals) {
        Aval x = in[0].aval();
        Aval out = outAvals[0];
        int[] ax = Shapes.axes(this, axes(), x.rank());
        int trailing = trailingGroup(x, ax);
        if (trailing >= 0) {
            return new DenseArray[] {Kernels.get().reduceTrailing(in[0], trailing, kind(), out)};
        }
        int[] run = consecutiveRun(x, ax);
        if (run != null) {
            return new DenseArray[] {Kernels.get().reduceStrided(in[0], run[0], run[1], run[2], kind(), out)};
        }
        int[][] plan = PlanCache.tables(this, new Object[] {x}, () -> groupPlan(x, ax));
        return new DenseArray[] {Kernels.get().reduce(in[0], plan[0], plan[1][0], kind(), out)};
    }

    /**
     * The group size when the reduced axes are exactly the trailing ones (each result element then combines
     * a contiguous run of the operand, and no index map is needed), else -1. {@code reducedAxes} is sorted.
     */
    static int trailingGroup(Aval x, int[] reducedAxes) {
        int group = 1;
        for (int i = 0; i < reducedAxes.length; i++) {
            if (reducedAxes[i] != x.rank() - reducedAxes.length + i) {
                return -1;
            }
            group *= x.dim(reducedAxes[i]);
        }
        return group;
    }

    /**
     * {outer, group, inner} when the reduced axes are consecutive (e.g. the leading ones): the operand seen as
     * [outer, group, inner] is reduced over its middle axis, with no index map; else null. {@code reducedAxes}
     * is sorted.
     */
    static int[] consecutiveRun(Aval x, int[] reducedAxes) {
        if (reducedAxes.length == 0) {
            return null;
        }
        int first = reducedAxes[0];
        int last = reducedAxes[reducedAxes.length - 1];
        if (last - first != reducedAxes.length - 1) {
            return null;
        }
        int[] run = {1, 1, 1};
        for (int a = 0; a < x.rank(); a++) {
            run[a < first ? 0 : a <= last ? 1 : 2] *= x.dim(a);
        }
        return run;
    }

    /**
     * The index map that lists, for each result element in order, the flat indices of the operand elements
     * it combines ({@code [0]}), and the group size ({@code [1][0]}).
     */
    static int[][] groupPlan(Aval x, int[] reducedAxes) {
        int[] keep = Shapes.complement(reducedAxes, x.rank());
        int[] xs = Shapes.strides(x.shape());
        int[] order = new int[x.rank()];
        int[] shape = new int[x.rank()];
        int[] src = new int[x.rank()];
        int k = 0;
        for (int a : keep) {
            order[k++] = a;
        }
        for (int a : reducedAxes) {
            order[k++] = a;
        }
        int group = 1;
        for (int i = 0; i < order.length; i++) {
            shape[i] = x.dim(order[i]);
            src[i] = xs[order[i]];
        }
        for (int a : reducedAxes) {
            group *= x.dim(a);
        }
        return new int[][] {Shapes.strideMap(shape, src, 0), {group}};
    }

    /** The reduced array broadcast back to the operand's shape (for derivative rules). */
    static Array broadcastBack(Array reduced, Aval operand, int[] reducedAxes) {
        return Ops.broadcastInDim(reduced, operand.shape(), Shapes.complement(reducedAxes, operand.rank()));
    }
    /** The same reduction over other axes. */
    Reducer withAxes(int[] axes);

    /** Batching: the reduced axes are renumbered around the batch axis, which stays where it is. */
    @Override
    default Batched batch(Array[] vals, int[] dims, int axisSize) {
        int d = dims[0];
        int[] ax = BatchRules.shift(Shapes.axes(name(), axes(), vals[0].ndim() - 1), d);
        int before = 0;
        for (int a : ax) {
            before += a < d ? 1 : 0;
        }
        return Batched.of(Interpreters.bind1(withAxes(ax), vals[0]), d - before);
    }

}
