package dev.solstice.kernel;

import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.IntBinaryOperator;
import java.util.function.IntUnaryOperator;

/**
 * Plain Java kernels: always available, the reference the faster ones are compared with. Elementwise loops
 * are same-index loops over distinct arrays, which C2 auto-vectorises for the cheap exact operations.
 */
public class JavaKernels implements Kernels {
    /** The single instance. */
    public static final JavaKernels INSTANCE = new JavaKernels();

    /** For {@link #INSTANCE} and for kernels that replace some of these loops and keep the rest. */
    protected JavaKernels() {}

    @Override
    public DenseArray map(DenseArray x, DType out, UnaryOp op, DoubleUnaryOperator f, IntUnaryOperator fi) {
        int n = x.aval().size();
        Object r = DenseArray.allocate(out, n);
        if (!ElementLoops.unary(op, x.aval().dtype(), out, x.data(), r, n)) {
            mapGeneric(x, out, f, fi, r, n);
        }
        return DenseArray.wrap(x.aval().withDType(out), r);
    }

    /** The per-element fallback through the primitive's scalar functions. */
    private static void mapGeneric(DenseArray x, DType out, DoubleUnaryOperator f, IntUnaryOperator fi, Object r, int n) {
        DType in = x.aval().dtype();
        if (in == DType.FLOAT64 && out == DType.FLOAT64) {
            double[] a = x.doubles();
            double[] o = (double[]) r;
            for (int i = 0; i < n; i++) {
                o[i] = f.applyAsDouble(a[i]);
            }
        } else if (in == DType.FLOAT32 && out == DType.FLOAT32) {
            float[] a = x.floats();
            float[] o = (float[]) r;
            for (int i = 0; i < n; i++) {
                o[i] = (float) f.applyAsDouble(a[i]);
            }
        } else if (in.isFloating()) {
            for (int i = 0; i < n; i++) {
                store(r, out, i, f.applyAsDouble(x.getDouble(i)));
            }
        } else {
            for (int i = 0; i < n; i++) {
                store(r, out, i, fi.applyAsInt((int) x.getDouble(i)));
            }
        }
    }

    @Override
    public DenseArray zip(DenseArray x, DenseArray y, DType out, BinaryOp op, DoubleBinaryOperator f,
            IntBinaryOperator fi) {
        DType in = x.aval().dtype();
        if (!(x.isContiguous() && y.isContiguous()) && op.hasLoop(in)
                && out == (op.isComparison() ? DType.BOOL : in)) {
            return StridedZip.zip(x, y, out, op, OffsetLoops::binary);
        }
        int n = x.aval().size();
        Object r = DenseArray.allocate(out, n);
        if (!ElementLoops.binary(op, x.aval().dtype(), out, x.data(), y.data(), r, n)) {
            zipGeneric(x, y, out, f, fi, r, n);
        }
        return DenseArray.wrap(x.aval().withDType(out), r);
    }

    /** The per-element fallback through the primitive's scalar functions. */
    private static void zipGeneric(DenseArray x, DenseArray y, DType out, DoubleBinaryOperator f, IntBinaryOperator fi,
            Object r, int n) {
        DType in = x.aval().dtype();
        if (in == DType.FLOAT64 && out == DType.FLOAT64) {
            double[] a = x.doubles();
            double[] b = y.doubles();
            double[] o = (double[]) r;
            for (int i = 0; i < n; i++) {
                o[i] = f.applyAsDouble(a[i], b[i]);
            }
        } else if (in == DType.FLOAT32 && out == DType.FLOAT32) {
            float[] a = x.floats();
            float[] b = y.floats();
            float[] o = (float[]) r;
            for (int i = 0; i < n; i++) {
                o[i] = (float) f.applyAsDouble(a[i], b[i]);
            }
        } else if (in.isFloating()) {
            for (int i = 0; i < n; i++) {
                store(r, out, i, f.applyAsDouble(x.getDouble(i), y.getDouble(i)));
            }
        } else {
            for (int i = 0; i < n; i++) {
                store(r, out, i, fi.applyAsInt((int) x.getDouble(i), (int) y.getDouble(i)));
            }
        }
    }

    /** Stores {@code v} as element {@code i} of {@code r}, an array of dtype {@code t}. */
    protected static void store(Object r, DType t, int i, double v) {
        switch (t) {
            case FLOAT32 -> ((float[]) r)[i] = (float) v;
            case FLOAT64 -> ((double[]) r)[i] = v;
            case INT32 -> ((int[]) r)[i] = (int) v;
            case BOOL -> ((boolean[]) r)[i] = v != 0;
        }
    }

    @Override
    public DenseArray select(DenseArray pred, DenseArray onTrue, DenseArray onFalse) {
        int n = pred.aval().size();
        Object r = DenseArray.allocate(onTrue.aval().dtype(), n);
        if (pred.isContiguous() && onTrue.isContiguous() && onFalse.isContiguous()) {
            select(pred.bools(), 0, onTrue.storage(), 0, onFalse.storage(), 0, r, 0, n);
        } else {
            // views (a broadcast zero, say) are read in place, row by row
            StridedRows.walk(new DenseArray[] {pred, onTrue, onFalse},
                    (a, at, out, len) -> select((boolean[]) a[0], at[0], a[1], at[1], a[2], at[2], r, out, len));
        }
        return DenseArray.wrap(onTrue.aval(), r);
    }

    /** {@code o[oo + i] = p[po + i] ? a[ao + i] : b[bo + i]} for {@code i < n}: one typed loop per dtype. */
    private static void select(boolean[] p, int po, Object a, int ao, Object b, int bo, Object o, int oo, int n) {
        // one typed loop per dtype: a per-element arraycopy cost ~a quarter of a training step (profiled)
        switch (a) {
            case float[] x -> {
                float[] y = (float[]) b;
                float[] r = (float[]) o;
                for (int i = 0; i < n; i++) {
                    r[oo + i] = p[po + i] ? x[ao + i] : y[bo + i];
                }
            }
            case double[] x -> {
                double[] y = (double[]) b;
                double[] r = (double[]) o;
                for (int i = 0; i < n; i++) {
                    r[oo + i] = p[po + i] ? x[ao + i] : y[bo + i];
                }
            }
            case int[] x -> {
                int[] y = (int[]) b;
                int[] r = (int[]) o;
                for (int i = 0; i < n; i++) {
                    r[oo + i] = p[po + i] ? x[ao + i] : y[bo + i];
                }
            }
            default -> {
                boolean[] x = (boolean[]) a;
                boolean[] y = (boolean[]) b;
                boolean[] r = (boolean[]) o;
                for (int i = 0; i < n; i++) {
                    r[oo + i] = p[po + i] ? x[ao + i] : y[bo + i];
                }
            }
        }
    }

    @Override
    public DenseArray convert(DenseArray x, DType to) {
        x = x.contiguous(); // a view's elements copied once, not looked up per element
        int n = x.aval().size();
        Object r = DenseArray.allocate(to, n);
        DType from = x.aval().dtype();
        for (int i = 0; i < n; i++) {
            double v = x.getDouble(i);
            switch (to) {
                case FLOAT32 -> ((float[]) r)[i] = (float) v;
                case FLOAT64 -> ((double[]) r)[i] = v;
                case INT32 -> ((int[]) r)[i] = from == DType.FLOAT32 || from == DType.FLOAT64 ? (int) v : (int) v;
                case BOOL -> ((boolean[]) r)[i] = v != 0;
            }
        }
        return DenseArray.wrap(x.aval().withDType(to), r);
    }

    @Override
    public DenseArray gather(DenseArray x, int[] source, Aval out) {
        int n = source.length;
        Object r = DenseArray.allocate(out.dtype(), n);
        switch (out.dtype()) {
            case FLOAT32 -> {
                float[] a = x.floats();
                float[] o = (float[]) r;
                for (int i = 0; i < n; i++) {
                    o[i] = a[source[i]];
                }
            }
            case FLOAT64 -> {
                double[] a = x.doubles();
                double[] o = (double[]) r;
                for (int i = 0; i < n; i++) {
                    o[i] = a[source[i]];
                }
            }
            case INT32 -> {
                int[] a = x.ints();
                int[] o = (int[]) r;
                for (int i = 0; i < n; i++) {
                    o[i] = a[source[i]];
                }
            }
            case BOOL -> {
                boolean[] a = x.bools();
                boolean[] o = (boolean[]) r;
                for (int i = 0; i < n; i++) {
                    o[i] = a[source[i]];
                }
            }
        }
        return DenseArray.wrap(out, r);
    }

    @Override
    public DenseArray scatter(DenseArray x, int[] target, Aval out, DenseArray fill) {
        DenseArray base = DenseArray.full(out, 0);
        Object r = base.data();
        Object f = fill.data();
        int n = out.size();
        for (int i = 0; i < n; i++) {
            System.arraycopy(f, 0, r, i, 1);
        }
        Object a = x.data();
        for (int j = 0; j < target.length; j++) {
            System.arraycopy(a, j, r, target[j], 1);
        }
        return base;
    }

    @Override
    public DenseArray scatterInto(DenseArray base, DenseArray x, int[] target, boolean accumulate) {
        int n = base.aval().size();
        Object r = DenseArray.allocate(base.dtype(), n);
        System.arraycopy(base.data(), 0, r, 0, n);
        switch (base.dtype()) {
            case FLOAT32 -> {
                float[] a = x.floats();
                float[] o = (float[]) r;
                for (int j = 0; j < target.length; j++) {
                    o[target[j]] = accumulate ? o[target[j]] + a[j] : a[j];
                }
            }
            case FLOAT64 -> {
                double[] a = x.doubles();
                double[] o = (double[]) r;
                for (int j = 0; j < target.length; j++) {
                    o[target[j]] = accumulate ? o[target[j]] + a[j] : a[j];
                }
            }
            case INT32 -> {
                int[] a = x.ints();
                int[] o = (int[]) r;
                for (int j = 0; j < target.length; j++) {
                    o[target[j]] = accumulate ? o[target[j]] + a[j] : a[j];
                }
            }
            case BOOL -> {
                boolean[] a = x.bools();
                boolean[] o = (boolean[]) r;
                for (int j = 0; j < target.length; j++) {
                    o[target[j]] = accumulate ? o[target[j]] | a[j] : a[j];
                }
            }
        }
        return DenseArray.wrap(base.aval(), r);
    }

    @Override
    public DenseArray batchedMatmul(Matrices x, Matrices y, int batch, int m, int k, int n, Aval out) {
        return Gemm.batchedMatmul(x, y, batch, m, k, n, out);
    }

    @Override
    public DenseArray reduce(DenseArray x, int[] source, int groupSize, Reduction kind, Aval out) {
        x = x.contiguous(); // a view's elements copied once, not looked up per element
        int groups = out.size();
        Object r = DenseArray.allocate(out.dtype(), groups);
        boolean isFloat = out.dtype().isFloating();
        double[] partial = new double[SUM_LANES];
        for (int g = 0; g < groups; g++) {
            int base = g * groupSize;
            if (isFloat) {
                double acc;
                if (kind == Reduction.SUM) {
                    acc = Sums.indexed(x, source, base, groupSize, partial);
                } else {
                    acc = kind == Reduction.MAX ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
                    for (int j = 0; j < groupSize; j++) {
                        double v = x.getDouble(source[base + j]);
                        acc = kind == Reduction.MAX ? Math.max(acc, v) : Math.min(acc, v);
                    }
                }
                store(r, out.dtype(), g, acc);
            } else {
                long acc = switch (kind) {
                    case SUM -> 0;
                    case MAX -> out.dtype() == DType.BOOL ? 0 : Integer.MIN_VALUE;
                    case MIN -> out.dtype() == DType.BOOL ? 1 : Integer.MAX_VALUE;
                };
                for (int j = 0; j < groupSize; j++) {
                    long v = (long) x.getDouble(source[base + j]);
                    acc = switch (kind) {
                        case SUM -> acc + v;
                        case MAX -> Math.max(acc, v);
                        case MIN -> Math.min(acc, v);
                    };
                }
                store(r, out.dtype(), g, (int) acc);
            }
        }
        return DenseArray.wrap(out, r);
    }

    @Override
    public DenseArray reduceTrailing(DenseArray x, int groupSize, Reduction kind, Aval out) {
        int groups = out.size();
        DType t = out.dtype();
        if (t == DType.FLOAT64 || t == DType.FLOAT32) {
            Object r = DenseArray.allocate(t, groups);
            double[] partial = groupSize < SUM_LANES ? null : new double[SUM_LANES];
            for (int g = 0; g < groups; g++) {
                int from = g * groupSize;
                double v = t == DType.FLOAT64 ? Sums.reduce(x.doubles(), from, groupSize, kind, partial)
                        : Sums.reduce(x.floats(), from, groupSize, kind, partial);
                store(r, t, g, v);
            }
            return DenseArray.wrap(out, r);
        }
        return reduce(x, Sums.identity(x.aval().size()), groupSize, kind, out);
    }

    @Override
    public DenseArray argReduce(DenseArray x, int[] source, int groupSize, boolean max, Aval out) {
        x = x.contiguous(); // a view's elements copied once, not looked up per element
        int groups = out.size();
        int[] r = new int[groups];
        for (int g = 0; g < groups; g++) {
            int base = g * groupSize;
            int best = 0;
            double bestV = x.getDouble(source[base]);
            for (int j = 1; j < groupSize && !Double.isNaN(bestV); j++) {
                double v = x.getDouble(source[base + j]);
                if (Double.isNaN(v) || (max ? v > bestV : v < bestV)) {
                    best = j;
                    bestV = v;
                }
            }
            r[g] = best;
        }
        return DenseArray.wrap(out, r);
    }

    @Override
    public DenseArray im2col(DenseArray x, int groups, int[] window, int[] outSpatial, int[] strides, int[] paddingLo,
            int[] lhsDilation, int[] rhsDilation, Aval out) {
        int[] source = Gathers.im2col(x.aval().shape(), groups, window, outSpatial, strides, paddingLo, lhsDilation,
                rhsDilation);
        return gather(Gathers.withTrailingZero(x), source, out);
    }
}
