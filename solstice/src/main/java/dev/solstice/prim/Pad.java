package dev.solstice.prim;

import dev.solstice.core.Batched;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Primitive;
import dev.solstice.core.Shapes;
import dev.solstice.core.UndefinedPrimal;
import dev.solstice.core.Zero;
import dev.solstice.kernel.Kernels;
import dev.solstice.kernel.PlanCache;
import java.util.Arrays;

/**
 * Pads an operand with a scalar padding value (the second operand): {@code low[a]} elements before,
 * {@code high[a]} after and {@code interior[a]} between neighbours along axis {@code a}. As in
 * {@code lax.pad}, a negative low or high padding removes that many elements from that end of the
 * interior-padded operand (cropping); interior padding is non-negative, and no axis may end up shorter than
 * zero. Linear in both operands.
 *
 * @param low padding before each axis
 * @param high padding after each axis
 * @param interior padding between elements of each axis
 */
public record Pad(int[] low, int[] high, int[] interior) implements Primitive {
    /** Copies the arrays, which records would otherwise share. */
    public Pad {
        low = low.clone();
        high = high.clone();
        interior = interior.clone();
    }

    @Override
    public Aval[] shapeRule(Aval[] in) {
        Shapes.arity(this, in, 2);
        Aval x = in[0];
        boolean ok = in[1].rank() == 0 && in[1].dtype() == x.dtype()
                && low.length == x.rank() && high.length == x.rank() && interior.length == x.rank();
        for (int a = 0; ok && a < x.rank(); a++) {
            ok = interior[a] >= 0;
        }
        if (!ok) {
            throw new IllegalArgumentException(name() + ": operand " + x.str() + " with padding value " + in[1].str()
                    + ", low " + Arrays.toString(low) + ", high " + Arrays.toString(high) + ", interior "
                    + Arrays.toString(interior) + "; need a scalar padding value of the operand's dtype and"
                    + " non-negative interior paddings, one low, high and interior padding per axis");
        }
        int[] out = paddedShape(x.shape(), low, high);
        for (int a = 0; a < out.length; a++) {
            if (out[a] < 0) {
                throw new IllegalArgumentException(name() + ": operand " + x.str() + " padded by low "
                        + Arrays.toString(low) + ", high " + Arrays.toString(high) + ", interior "
                        + Arrays.toString(interior) + " would have " + out[a] + " elements along axis " + a
                        + "; negative padding may remove at most the axis's interior-padded length");
            }
        }
        return new Aval[] {new Aval(x.dtype(), out)};
    }

    /** The shape of {@code shape} padded by {@code lo} and {@code hi} with this primitive's interior padding. */
    private int[] paddedShape(int[] shape, int[] lo, int[] hi) {
        int[] out = new int[shape.length];
        for (int a = 0; a < out.length; a++) {
            out[a] = lo[a] + hi[a] + shape[a] + Math.max(0, shape[a] - 1) * interior[a];
        }
        return out;
    }

    @Override
    public DenseArray[] eval(DenseArray[] in, Aval[] outAvals) {
        Aval x = in[0].aval();
        Aval out = outAvals[0];
        int[][] plan = PlanCache.tables(this, new Object[] {x}, () -> indexPlan(x.shape(), out.shape()));
        DenseArray padded = Kernels.get().scatter(in[0], plan[0], new Aval(out.dtype(), plan[1]), in[1]);
        return new DenseArray[] {plan.length == 2 ? padded : Kernels.get().gather(padded, plan[2], out)};
    }

    /**
     * Pads by the non-negative parts, then crops the negative ones (a crop may drop operand elements): the
     * scatter target of each operand element in the uncropped result, that result's shape and, when some
     * padding is negative, the gather map of the crop.
     */
    private int[][] indexPlan(int[] shape, int[] outShape) {
        int rank = outShape.length;
        int[] lo = new int[rank];
        int[] hi = new int[rank];
        int[] crop = new int[rank];
        boolean cropped = false;
        for (int a = 0; a < rank; a++) {
            lo[a] = Math.max(0, low[a]);
            hi[a] = Math.max(0, high[a]);
            crop[a] = Math.max(0, -low[a]);
            cropped |= low[a] < 0 || high[a] < 0;
        }
        int[] full = paddedShape(shape, lo, hi);
        int[] fs = Shapes.strides(full);
        int[] step = new int[rank];
        int base = 0;
        for (int a = 0; a < rank; a++) {
            step[a] = fs[a] * (interior[a] + 1);
            base += lo[a] * fs[a];
        }
        int[] target = Shapes.strideMap(shape, step, base);
        if (!cropped) {
            return new int[][] {target, full};
        }
        int start = 0;
        for (int a = 0; a < rank; a++) {
            start += crop[a] * fs[a];
        }
        return new int[][] {target, full, Shapes.strideMap(outShape, fs, start)};
    }

    @Override
    public Array[] jvp(Array[] primals, Array[] outs, Array[] tangents) {
        // the zeros are needed: the operand's tangent fills the interior, the padding value's the rest
        Array x = Zero.instantiate(tangents[0]);
        Array v = Zero.instantiate(tangents[1]);
        return new Array[] {Ops.pad(x, v, low, high, interior)};
    }

    @Override
    public Array[] transpose(Array[] cts, Array[] args) {
        Aval x = args[0].aval();
        Array ct = cts[0];
        Array xCt;
        if (x.size() == 0) {
            xCt = Zero.of(x);
        } else {
            // JAX's rule: undo the edge padding by padding with its negation (which restores cropped
            // elements as zeros), then take every (interior + 1)-th element
            int[] unLow = new int[x.rank()];
            int[] unHigh = new int[x.rank()];
            int[] start = new int[x.rank()];
            int[] strides = new int[x.rank()];
            for (int a = 0; a < x.rank(); a++) {
                unLow[a] = -low[a];
                unHigh[a] = -high[a];
                strides[a] = interior[a] + 1;
            }
            Array unpadded = Ops.pad(ct, Ops.full(new Aval(ct.dtype(), new int[0]), 0), unLow, unHigh,
                    new int[x.rank()]);
            xCt = Ops.slice(unpadded, start, unpadded.shape(), strides);
        }
        Array vCt = Zero.like(args[1]);
        if (args[1] instanceof UndefinedPrimal) {
            int[] all = new int[ct.ndim()];
            for (int a = 0; a < all.length; a++) {
                all[a] = a;
            }
            int[] allX = new int[x.rank()];
            for (int a = 0; a < allX.length; a++) {
                allX[a] = a;
            }
            Array total = Ops.reduceSum(ct, all);
            vCt = Zero.isZero(xCt) ? total : Ops.sub(total, Ops.reduceSum(xCt, allX));
        }
        return new Array[] {args[0] instanceof UndefinedPrimal ? xCt : Zero.like(args[0]), vCt};
    }

    /** Equal when the parameters are equal element by element (a record alone would compare arrays by identity). */
    @Override
    public boolean equals(Object o) {
        return o instanceof Pad other && Arrays.equals(low, other.low) && Arrays.equals(high, other.high)
                && Arrays.equals(interior, other.interior);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(new Object[] {low, high, interior});
    }

    @Override
    public String toString() {
        return "Pad[low=" + Arrays.toString(low) + ", high=" + Arrays.toString(high)
                + ", interior=" + Arrays.toString(interior) + "]";
    }

    /**
     * Batching: the batch axis is not padded. A batched padding value (JAX's rule): the operand is padded
     * with zeros and each example's padding value is selected where a padded mask says padding.
     */
    @Override
    public Batched batch(Array[] vals, int[] dims, int axisSize) {
        if (dims[1] == Batched.NOT_BATCHED) {
            int d = dims[0];
            return Batched.of(Ops.pad(vals[0], vals[1], BatchRules.insert(low, d, 0), BatchRules.insert(high, d, 0),
                    BatchRules.insert(interior, d, 0)), d);
        }
        Array x = BatchRules.toFront(vals[0], dims[0], axisSize);
        int[] lo = BatchRules.prepend(0, low);
        int[] hi = BatchRules.prepend(0, high);
        int[] in = BatchRules.prepend(0, interior);
        Array padded = Ops.pad(x, Ops.full(new Aval(x.dtype(), new int[0]), 0), lo, hi, in);
        Array mask = Ops.pad(Ops.full(new Aval(DType.BOOL, x.shape()), 1), Ops.full(new Aval(DType.BOOL, new int[0]), 0),
                lo, hi, in);
        Array value = Ops.broadcastInDim(vals[1], padded.shape(), new int[] {0});
        return Batched.of(Ops.select(mask, padded, value), 0);
    }
}
