package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.Batched;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Primitive;
import dev.solstice.core.Shapes;
import dev.solstice.core.Zero;
import dev.solstice.kernel.Kernels;
import dev.solstice.kernel.PlanCache;

/**
 * Gather in take-along-axis form (NumPy's and JAX's {@code take_along_axis}; the common case of XLA's
 * Gather): operand 0 is the array, operand 1 an int32 index array of the same rank whose lengths equal the
 * array's on every axis but {@code axis}; {@code out[i] = x[i with axis i[axis] replaced by index[i]]}, of the
 * index array's shape. A negative index counts from the end (NumPy); indices still out of range are clamped
 * into the axis (XLA's gather clamps). Embedding lookups, per-example selection and the like build on it.
 * Linear in the array; its transpose is {@link ScatterAdd} into zeros.
 *
 * @param axis the axis indexed (negative counts from the end)
 */
public record Gather(int axis) implements Primitive {

    @Override
    public Aval[] shapeRule(Aval[] in) {
        Shapes.arity(this, in, 2);
        checkIndexed(name(), in[0], in[1], axis, in);
        return new Aval[] {new Aval(in[0].dtype(), in[1].shape())};
    }

    /** Checks an array and an index array for the take-along-axis form; returns the normalised axis. */
    static int checkIndexed(String name, Aval x, Aval idx, int axis, Aval[] all) {
        boolean ok = idx.dtype() == DType.INT32 && idx.rank() == x.rank() && x.rank() > 0;
        int a = ok ? (axis < 0 ? axis + x.rank() : axis) : 0;
        ok &= a >= 0 && a < x.rank();
        for (int d = 0; ok && d < x.rank(); d++) {
            ok = d == a ? x.dim(d) > 0 || idx.dim(d) == 0 : x.dim(d) == idx.dim(d);
        }
        if (!ok) {
            throw new IllegalArgumentException(name + ": operands " + Shapes.str(all) + " along axis " + axis + "; need an"
                    + " array and an int32 index array of the same rank (at least 1), equal in length on every other"
                    + " axis, and a non-empty indexed axis");
        }
        return a;
    }

    /** The owner of the cached tables of {@link #positions} (shared by gather and scatter-add). */
    private static final String POSITIONS = "take_along_axis positions";

    /** For each index element, the flat position in {@code x} it reads (negative indices wrap once, then clamp). */
    static int[] positions(Aval x, DenseArray idx, int a) {
        int[] xs = Shapes.strides(x.shape());
        if (idx.aval().size() == 0) {
            return new int[0];
        }
        // the flat position of index element i with index 0 along a, shared by all calls of these shapes
        int[] base = PlanCache.table(POSITIONS, new Object[] {x, idx.aval(), a}, () -> {
            int[] other = xs.clone();
            other[a] = 0;
            return Shapes.strideMap(idx.aval().shape(), other, 0);
        });
        int[] r = new int[base.length];
        int[] v = idx.ints();
        int n = x.dim(a);
        for (int i = 0; i < base.length; i++) {
            int j = v[i] < 0 ? v[i] + n : v[i];
            j = Math.max(0, Math.min(j, n - 1));
            r[i] = base[i] + j * xs[a];
        }
        return r;
    }

    @Override
    public DenseArray[] eval(DenseArray[] in, Aval[] outAvals) {
        Aval out = outAvals[0];
        int a = Shapes.axis(name(), axis, in[0].aval().rank());
        if (out.size() == 0) {
            return new DenseArray[] {DenseArray.full(out, 0)};
        }
        return new DenseArray[] {Kernels.get().gather(in[0], positions(in[0].aval(), in[1], a), out)};
    }

    @Override
    public Array[] jvp(Array[] primals, Array[] outs, Array[] tangents) {
        return new Array[] {Tangents.unlessZero(tangents[0], outs[0], () -> Ops.takeAlongAxis(tangents[0], primals[1], axis))};
    }

    @Override
    public Array[] transpose(Array[] cts, Array[] args) {
        return new Array[] {Ops.scatterAdd(Ops.full(args[0].aval(), 0), args[1], cts[0], axis), Zero.like(args[1])};
    }

    /** Batching: both operands get a leading batch axis (an unbatched one by broadcasting). */
    @Override
    public Batched batch(Array[] vals, int[] dims, int axisSize) {
        Array[] f = BatchRules.allToFront(vals, dims, axisSize);
        int a = axis < 0 ? axis + vals[0].ndim() - (dims[0] == Batched.NOT_BATCHED ? 0 : 1) : axis;
        return Batched.of(Ops.takeAlongAxis(f[0], f[1], a + 1), 0);
    }
}
