package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.Batched;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Interpreters;
import dev.solstice.core.Primitive;
import dev.solstice.core.Shapes;
import dev.solstice.kernel.Gathers;
import dev.solstice.kernel.Kernels;
import dev.solstice.kernel.PlanCache;
import java.util.Arrays;

/**
 * The family of windowed reductions (XLA's ReduceWindow with sum or max): a window of
 * {@code windowDimensions} slides over every axis of the operand with steps {@code windowStrides}, over the
 * operand padded with {@code paddingLo}/{@code paddingHi} elements of the reduction's identity (0 for a sum,
 * -inf, or the least int32, for a max); each result element reduces one window. Along axis {@code a} the result
 * has {@code floor((in + lo + hi - window) / stride) + 1} elements (0 if the window does not fit). Shape rule,
 * evaluation and batching live here; the members add their derivative rules.
 */
public interface WindowReducer extends Primitive {

    /** The window's extent per axis (positive). */
    int[] windowDimensions();

    /** The window's step per axis (positive). */
    int[] windowStrides();

    /** Padding before each axis (non-negative). */
    int[] paddingLo();

    /** Padding after each axis (non-negative). */
    int[] paddingHi();

    /** Which reduction the kernel performs. */
    Kernels.Reduction kind();

    /** The same reduction with other parameters (for batching). */
    WindowReducer with(int[] windowDimensions, int[] windowStrides, int[] paddingLo, int[] paddingHi);

    /** The parameters, for messages. */
    default String describeWindow() {
        return " (window " + Arrays.toString(windowDimensions()) + ", strides " + Arrays.toString(windowStrides())
                + ", padding lo " + Arrays.toString(paddingLo()) + " hi " + Arrays.toString(paddingHi()) + ")";
    }

    @Override
    default Aval[] shapeRule(Aval[] in) {
        Shapes.arity(this, in, 1);
        Aval x = in[0];
        if (x.dtype() == DType.BOOL) {
            throw new IllegalArgumentException(name() + ": bool operand " + x.str() + " is not supported; convert it first");
        }
        int[] w = windowDimensions();
        int[] s = windowStrides();
        int[] lo = paddingLo();
        int[] hi = paddingHi();
        int r = x.rank();
        boolean ok = w.length == r && s.length == r && lo.length == r && hi.length == r;
        for (int a = 0; ok && a < r; a++) {
            ok = w[a] >= 1 && s[a] >= 1 && lo[a] >= 0 && hi[a] >= 0;
        }
        if (!ok) {
            throw new IllegalArgumentException(name() + ": operand " + x.str() + describeWindow()
                    + "; need one positive window extent and stride and one non-negative padding per axis");
        }
        int[] out = new int[r];
        for (int a = 0; a < r; a++) {
            long span = (long) x.dim(a) + lo[a] + hi[a] - w[a];
            out[a] = span < 0 ? 0 : (int) (span / s[a] + 1);
        }
        return new Aval[] {new Aval(x.dtype(), out)};
    }

    /** The reduction's identity, which padding reads: 0 for a sum, -inf (or the least int32) for a max. */
    private static DenseArray identity(DType t, Kernels.Reduction kind) {
        double v = switch (kind) {
            case SUM -> 0;
            case MAX -> t == DType.INT32 ? Integer.MIN_VALUE : Double.NEGATIVE_INFINITY;
            case MIN -> t == DType.INT32 ? Integer.MAX_VALUE : Double.POSITIVE_INFINITY;
        };
        return DenseArray.full(new Aval(t), v);
    }

    /**
     * Evaluation: an index map lists each window's elements (padding points at the identity appended after the
     * operand's elements), and the kernels' grouped reduction combines them.
     */
    @Override
    default DenseArray[] eval(DenseArray[] in, Aval[] outAvals) {
        Aval x = in[0].aval();
        Aval out = outAvals[0];
        int[] source = PlanCache.table(this, new Object[] {x}, () -> windowMap(x, out));
        int sentinel = x.size();
        DenseArray ext = Gathers.withTrailingZero(in[0]);
        if (kind() != Kernels.Reduction.SUM) {
            Object data = ext.data();
            System.arraycopy(identity(x.dtype(), kind()).data(), 0, data, sentinel, 1);
        }
        return new DenseArray[] {Kernels.get().reduce(ext, source, Shapes.size(windowDimensions()), kind(), out)};
    }

    /**
     * For each output element, the operand elements of its window in order, or the operand's size (the
     * trailing element of {@link Gathers#withTrailingZero}) where the window reads padding.
     */
    private int[] windowMap(Aval x, Aval out) {
        int r = x.rank();
        int[] w = windowDimensions();
        int[] s = windowStrides();
        int[] lo = paddingLo();
        int[] xs = Shapes.strides(x.shape());
        int k = Shapes.size(w);
        int sentinel = x.size();
        int[][] winIdx = Gathers.multiIndices(w);
        int[][] outIdx = Gathers.multiIndices(out.shape());
        int[] source = new int[out.size() * k];
        int t = 0;
        for (int[] o : outIdx) {
            for (int[] kk : winIdx) {
                int off = 0;
                for (int a = 0; a < r && off >= 0; a++) {
                    int q = o[a] * s[a] + kk[a] - lo[a];
                    off = q < 0 || q >= x.dim(a) ? -1 : off + q * xs[a];
                }
                source[t++] = off < 0 ? sentinel : off;
            }
        }
        return source;
    }

    /** Batching: the batch axis gets a window of one, stride one and no padding, and stays where it is. */
    @Override
    default Batched batch(Array[] vals, int[] dims, int axisSize) {
        int d = dims[0];
        WindowReducer p = with(BatchRules.insert(windowDimensions(), d, 1), BatchRules.insert(windowStrides(), d, 1),
                BatchRules.insert(paddingLo(), d, 0), BatchRules.insert(paddingHi(), d, 0));
        return Batched.of(Interpreters.bind1(p, vals[0]), d);
    }

    /** Equality and hashing of the four parameter arrays, for the records. */
    static boolean sameWindow(WindowReducer a, Object o) {
        return o instanceof WindowReducer b && a.getClass() == b.getClass()
                && Arrays.equals(a.windowDimensions(), b.windowDimensions())
                && Arrays.equals(a.windowStrides(), b.windowStrides()) && Arrays.equals(a.paddingLo(), b.paddingLo())
                && Arrays.equals(a.paddingHi(), b.paddingHi());
    }

    /** The hash of the four parameter arrays. */
    static int hashWindow(WindowReducer a) {
        return Arrays.deepHashCode(new Object[] {a.windowDimensions(), a.windowStrides(), a.paddingLo(), a.paddingHi()});
    }

    /** Prints like a record with arrays spelled out. */
    static String printWindow(String cls, WindowReducer a) {
        return cls + "[windowDimensions=" + Arrays.toString(a.windowDimensions()) + ", windowStrides="
                + Arrays.toString(a.windowStrides()) + ", paddingLo=" + Arrays.toString(a.paddingLo()) + ", paddingHi="
                + Arrays.toString(a.paddingHi()) + "]";
    }
}
