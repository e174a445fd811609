package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.core.Batched;
import dev.solstice.core.Interpreters;
import dev.solstice.core.Primitive;
import java.util.Arrays;

/** Batching helpers shared by the primitives' batching rules: moving and materialising batch axes. */
public final class BatchRules {
    private BatchRules() {}

    /**
     * The fallback rule: the primitive applied to each example in turn, the results stacked on axis 0. The
     * batch interpreter uses it for every primitive without a rule of its own ({@link Primitive#NO_BATCH_RULE});
     * rules may call it for the cases they cannot batch in one operation.
     */
    public static Batched byLoop(Primitive p, Array[] vals, int[] dims, int axisSize) {
        Array[][] perExample = new Array[axisSize][];
        for (int b = 0; b < axisSize; b++) {
            Array[] args = new Array[vals.length];
            for (int i = 0; i < vals.length; i++) {
                args[i] = dims[i] == Batched.NOT_BATCHED ? vals[i] : example(vals[i], dims[i], b);
            }
            perExample[b] = Interpreters.bind(p, args);
        }
        Array[] outs;
        if (axisSize == 0) {
            // no example to apply the primitive to: empty outputs of the shapes the shape rule gives
            dev.solstice.core.Aval[] one = p.shapeRule(avalsWithout(vals, dims));
            outs = new Array[one.length];
            for (int o = 0; o < one.length; o++) {
                outs[o] = Ops.full(new dev.solstice.core.Aval(one[o].dtype(), prepend(0, one[o].shape())), 0);
            }
            return new Batched(outs, new int[one.length]);
        }
        int nOut = perExample[0].length;
        outs = new Array[nOut];
        int[] outDims = new int[nOut];
        for (int o = 0; o < nOut; o++) {
            Array[] slices = new Array[axisSize];
            for (int b = 0; b < axisSize; b++) {
                slices[b] = Ops.expandDims(perExample[b][o], 0);
            }
            outs[o] = Ops.concatenate(0, slices);
        }
        return new Batched(outs, outDims);
    }

    private static dev.solstice.core.Aval[] avalsWithout(Array[] vals, int[] dims) {
        dev.solstice.core.Aval[] a = new dev.solstice.core.Aval[vals.length];
        for (int i = 0; i < vals.length; i++) {
            a[i] = dims[i] == Batched.NOT_BATCHED ? vals[i].aval() : dropAxis(vals[i].aval(), dims[i]);
        }
        return a;
    }

    /** The aval without axis {@code axis}. */
    public static dev.solstice.core.Aval dropAxis(dev.solstice.core.Aval a, int axis) {
        int[] s = a.shape();
        int[] r = new int[s.length - 1];
        for (int i = 0, k = 0; i < s.length; i++) {
            if (i != axis) {
                r[k++] = s[i];
            }
        }
        return new dev.solstice.core.Aval(a.dtype(), r);
    }

    /** Example {@code b} of a value batched along {@code dim}. */
    public static Array example(Array x, int dim, int b) {
        int[] shape = x.shape();
        int[] start = new int[shape.length];
        int[] limit = shape.clone();
        int[] strides = new int[shape.length];
        Arrays.fill(strides, 1);
        start[dim] = b;
        limit[dim] = b + 1;
        return Ops.squeeze(Ops.slice(x, start, limit, strides), dim);
    }

    /** Moves axis {@code from} of {@code x} to position {@code to} (a transpose, or nothing if equal). */
    public static Array moveAxis(Array x, int from, int to) {
        if (from == to) {
            return x;
        }
        int rank = x.ndim();
        int[] perm = new int[rank];
        int k = 0;
        for (int i = 0; i < rank; i++) {
            if (i != from) {
                perm[k++] = i;
            }
        }
        // perm now lists the other axes; insert `from` at position `to`
        int[] out = new int[rank];
        for (int i = 0, j = 0; i < rank; i++) {
            out[i] = i == to ? from : perm[j++];
        }
        return Ops.transpose(x, out);
    }

    /** The value with its batch axis first, materialising one (by broadcasting) for an unbatched value. */
    public static Array toFront(Array x, int dim, int axisSize) {
        if (dim != Batched.NOT_BATCHED) {
            return moveAxis(x, dim, 0);
        }
        int[] shape = x.shape();
        int[] out = new int[shape.length + 1];
        out[0] = axisSize;
        System.arraycopy(shape, 0, out, 1, shape.length);
        int[] bd = new int[shape.length];
        for (int i = 0; i < bd.length; i++) {
            bd[i] = i + 1;
        }
        return Ops.broadcastInDim(x, out, bd);
    }

    /** Every operand with its batch axis first (unbatched ones broadcast). */
    public static Array[] allToFront(Array[] vals, int[] dims, int axisSize) {
        Array[] r = new Array[vals.length];
        for (int i = 0; i < vals.length; i++) {
            r[i] = toFront(vals[i], dims[i], axisSize);
        }
        return r;
    }

    /** Axis {@code a} of an unbatched operand, as an axis of the operand batched along {@code dim}. */
    public static int shift(int a, int dim) {
        return a < dim ? a : a + 1;
    }

    /** Axes of an unbatched operand, as axes of the operand batched along {@code dim}. */
    public static int[] shift(int[] axes, int dim) {
        int[] r = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            r[i] = shift(axes[i], dim);
        }
        return r;
    }

    /** {@code axes} each plus one: the axes after a batch axis is put first. */
    public static int[] plusOne(int[] axes) {
        int[] r = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            r[i] = axes[i] + 1;
        }
        return r;
    }

    /** {@code head} followed by {@code rest}. */
    public static int[] prepend(int head, int[] rest) {
        int[] r = new int[rest.length + 1];
        r[0] = head;
        System.arraycopy(rest, 0, r, 1, rest.length);
        return r;
    }

    /** {@code values} with {@code value} inserted at {@code index}. */
    public static int[] insert(int[] values, int index, int value) {
        int[] r = new int[values.length + 1];
        System.arraycopy(values, 0, r, 0, index);
        r[index] = value;
        System.arraycopy(values, index, r, index + 1, values.length - index);
        return r;
    }
}
