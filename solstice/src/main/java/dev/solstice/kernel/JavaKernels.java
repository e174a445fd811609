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
        int cost = ElementLoops.cost(op);
        if (Parallel.splits(n, cost)) {
            Parallel.forRange(n, cost, (from, to) -> mapRange(x, out, op, f, fi, r, from, to));
        } else {
            mapRange(x, out, op, f, fi, r, 0, n);
        }
        return DenseArray.wrap(x.aval().withDType(out), r);
    }

    /** Elements {@code [from, to)} of {@link #map}: {@code op}'s loop, else the scalar functions. */
    private static void mapRange(DenseArray x, DType out, UnaryOp op, DoubleUnaryOperator f, IntUnaryOperator fi,
            Object r, int from, int to) {
        DType in = x.aval().dtype();
        if (ElementLoops.unary(op, in, out, x.data(), r, from, to)) {
            return;
        }
        if (in == DType.FLOAT64 && out == DType.FLOAT64) {
            double[] a = x.doubles();
            double[] o = (double[]) r;
            for (int i = from; i < to; i++) {
                o[i] = f.applyAsDouble(a[i]);
            }
        } else if (in == DType.FLOAT32 && out == DType.FLOAT32) {
            float[] a = x.floats();
            float[] o = (float[]) r;
            for (int i = from; i < to; i++) {
                o[i] = (float) f.applyAsDouble(a[i]);
            }
        } else if (in.isFloating()) {
            for (int i = from; i < to; i++) {
                store(r, out, i, f.applyAsDouble(x.getDouble(i)));
            }
        } else {
            for (int i = from; i < to; i++) {
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
        int cost = ElementLoops.cost(op);
        if (Parallel.splits(n, cost)) {
            Parallel.forRange(n, cost, (from, to) -> zipRange(x, y, out, op, f, fi, r, from, to));
        } else {
            zipRange(x, y, out, op, f, fi, r, 0, n);
        }
        return DenseArray.wrap(x.aval().withDType(out), r);
    }

    /** Elements {@code [from, to)} of {@link #zip}: {@code op}'s loop, else the scalar functions. */
    private static void zipRange(DenseArray x, DenseArray y, DType out, BinaryOp op, DoubleBinaryOperator f,
            IntBinaryOperator fi, Object r, int from, int to) {
        DType in = x.aval().dtype();
        if (ElementLoops.binary(op, in, out, x.data(), y.data(), r, from, to)) {
            return;
        }
        if (in == DType.FLOAT64 && out == DType.FLOAT64) {
            double[] a = x.doubles();
            double[] b = y.doubles();
            double[] o = (double[]) r;
            for (int i = from; i < to; i++) {
                o[i] = f.applyAsDouble(a[i], b[i]);
            }
        } else if (in == DType.FLOAT32 && out == DType.FLOAT32) {
            float[] a = x.floats();
            float[] b = y.floats();
            float[] o = (float[]) r;
            for (int i = from; i < to; i++) {
                o[i] = (float) f.applyAsDouble(a[i], b[i]);
            }
        } else if (in.isFloating()) {
            for (int i = from; i < to; i++) {
                store(r, out, i, f.applyAsDouble(x.getDouble(i), y.getDouble(i)));
            }
        } else {
            for (int i = from; i < to; i++) {
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
            default -> throw Unsupported.dtype("store", t);
        }
    }

    @Override
    public DenseArray select(DenseArray pred, DenseArray onTrue, DenseArray onFalse) {
        int n = pred.aval().size();
        DType t = onTrue.aval().dtype();
        Object r = DenseArray.allocate(t, n);
        if (pred.isContiguous() && onTrue.isContiguous() && onFalse.isContiguous()) {
            boolean[] p = pred.bools();
            Object a = onTrue.data();
            Object b = onFalse.data();
            if (Parallel.splits(n, 1)) {
                Parallel.forRange(n, 1, (from, to) -> selectRow(p, from, a, from, b, from, r, from, to - from));
            } else {
                selectRow(p, 0, a, 0, b, 0, r, 0, n);
            }
        } else {
            // views (a broadcast zero, say) are read in place, row by row
            StridedRows.walk(new DenseArray[] {pred, onTrue, onFalse}, (a, at, out, len) ->
                    selectRow((boolean[]) a[0], at[0], a[1], at[1], a[2], at[2], r, out, len));
        }
        return DenseArray.wrap(onTrue.aval(), r);
    }

    /**
     * The loop behind {@link #select}, contiguous operands and rows of views alike: {@code o[oo + i] = p[po + i]
     * ? a[ao + i] : b[bo + i]} for {@code i < n}; {@code a}, {@code b} and {@code o} of one dtype. Faster kernels
     * override it.
     */
    protected void selectRow(boolean[] p, int po, Object a, int ao, Object b, int bo, Object o, int oo, int n) {
        MoveLoops.selectAt(p, po, a, ao, b, bo, o, oo, n);
    }

    @Override
    public DenseArray convert(DenseArray x, DType to) {
        x = x.contiguous(); // a view's elements copied once, not looked up per element
        int n = x.aval().size();
        DType from = x.aval().dtype();
        Object a = x.data();
        Object r = DenseArray.allocate(to, n);
        if (Parallel.splits(n, 1)) {
            Parallel.forRange(n, 1, (lo, hi) -> MoveLoops.convert(from, to, a, r, lo, hi));
        } else {
            MoveLoops.convert(from, to, a, r, 0, n);
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
            case INT64 -> {
                long[] a = x.longs();
                long[] o = (long[]) r;
                for (int i = 0; i < n; i++) {
                    o[i] = a[source[i]];
                }
            }
            default -> throw Unsupported.dtype("gather", out.dtype());
        }
        return DenseArray.wrap(out, r);
    }

    @Override
    public DenseArray scatter(DenseArray x, int[] target, Aval out, DenseArray fill) {
        Object r = DenseArray.allocate(out.dtype(), out.size());
        Object f = fill.data();
        Object a = x.data();
        // one typed fill and one typed loop (an arraycopy per element cost a third of a padded product)
        switch (r) {
            case double[] o -> {
                java.util.Arrays.fill(o, ((double[]) f)[0]);
                double[] v = (double[]) a;
                for (int j = 0; j < target.length; j++) {
                    o[target[j]] = v[j];
                }
            }
            case float[] o -> {
                java.util.Arrays.fill(o, ((float[]) f)[0]);
                float[] v = (float[]) a;
                for (int j = 0; j < target.length; j++) {
                    o[target[j]] = v[j];
                }
            }
            case int[] o -> {
                java.util.Arrays.fill(o, ((int[]) f)[0]);
                int[] v = (int[]) a;
                for (int j = 0; j < target.length; j++) {
                    o[target[j]] = v[j];
                }
            }
            default -> {
                for (int i = 0; i < out.size(); i++) {
                    System.arraycopy(f, 0, r, i, 1);
                }
                for (int j = 0; j < target.length; j++) {
                    System.arraycopy(a, j, r, target[j], 1);
                }
            }
        }
        return DenseArray.wrap(out, r);
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
            case INT64 -> {
                long[] a = x.longs();
                long[] o = (long[]) r;
                for (int j = 0; j < target.length; j++) {
                    o[target[j]] = accumulate ? o[target[j]] + a[j] : a[j];
                }
            }
            default -> throw Unsupported.dtype("scatter", base.dtype());
        }
        return DenseArray.wrap(base.aval(), r);
    }

    @Override
    public DenseArray batchedMatmul(Matrices x, Matrices y, int batch, int m, int k, int n, Aval out) {
        return Gemm.batchedMatmul(x, y, batch, m, k, n, out);
    }

    @Override
    public DenseArray reduce(DenseArray operand, int[] source, int groupSize, Reduction kind, Aval out) {
        DenseArray x = operand.contiguous(); // a view's elements copied once, not looked up per element
        int groups = out.size();
        DType t = out.dtype();
        Object r = DenseArray.allocate(t, groups);
        // a gathered element costs about two cheap operations
        if (Parallel.splits((long) groups * groupSize, 2)) {
            Parallel.forRange(groups, 2L * groupSize,
                    (g0, g1) -> GroupReductions.indexed(x, source, groupSize, kind, t, r, g0, g1));
        } else {
            GroupReductions.indexed(x, source, groupSize, kind, t, r, 0, groups);
        }
        return DenseArray.wrap(out, r);
    }

    @Override
    public DenseArray reduceTrailing(DenseArray x, int groupSize, Reduction kind, Aval out) {
        DType t = out.dtype();
        if (!t.isFloating()) {
            return reduceStrided(x, out.size(), groupSize, 1, kind, out);
        }
        int groups = out.size();
        Object r = DenseArray.allocate(t, groups);
        if (Parallel.splits((long) groups * groupSize, 1)) {
            Parallel.forRange(groups, groupSize, (g0, g1) -> GroupReductions.contiguous(x, groupSize, kind, t, r, g0, g1));
        } else {
            GroupReductions.contiguous(x, groupSize, kind, t, r, 0, groups);
        }
        return DenseArray.wrap(out, r);
    }

    @Override
    public DenseArray reduceStrided(DenseArray x, int outer, int groupSize, int inner, Reduction kind, Aval out) {
        DType t = out.dtype();
        if (t == DType.BOOL || t == DType.INT64) {
            return reduce(x, Sums.stridedMap(outer, groupSize, inner), groupSize, kind, out);
        }
        Object r = DenseArray.allocate(t, out.size());
        int units = outer * StridedReductions.blocks(inner);
        Object a = x.data();
        if (Parallel.splits((long) outer * groupSize * inner, 1)) {
            long perUnit = (long) groupSize * Math.min(inner, StridedReductions.COLUMNS);
            Parallel.forRange(units, perUnit, (u0, u1) -> stridedUnits(a, t, groupSize, inner, kind, r, u0, u1));
        } else {
            stridedUnits(a, t, groupSize, inner, kind, r, 0, units);
        }
        return DenseArray.wrap(out, r);
    }

    /** Units {@code [u0, u1)} of {@link #reduceStrided}: one per outer index and block of adjacent columns. */
    private void stridedUnits(Object a, DType t, int rows, int inner, Reduction kind, Object r, int u0, int u1) {
        int blocks = StridedReductions.blocks(inner);
        int width = Math.min(StridedReductions.COLUMNS, inner);
        // the partial sums (up to 16 KiB) come from this thread's scratch, not a new array per call: each
        // column block's sum clears the part it uses first
        boolean sums = t.isFloating() && kind == Reduction.SUM;
        GemmScratch s = sums ? GemmScratch.acquire() : null;
        try {
            double[] partial = sums ? s.doubles(GemmScratch.Role.COLUMN_SUMS, SUM_LANES * width) : null;
            for (int u = u0; u < u1; u++) {
                int o = u / blocks;
                int c0 = u % blocks * StridedReductions.COLUMNS;
                int w = Math.min(StridedReductions.COLUMNS, inner - c0);
                StridedReductions.columns(this, a, t, o * rows * inner + c0, rows, inner, w, kind, r, o * inner + c0,
                        partial);
            }
        } finally {
            if (s != null) {
                s.release();
            }
        }
    }

    /**
     * Adds one row of elements to a row of partial sums: {@code p[dst + c] += a[src + c]} for {@code c < w},
     * {@code a} float32 (widened exactly) or float64. The column sums of {@link #reduceStrided} call it once per
     * row of the operand, in order; faster kernels replace the loop (each element still added once, in double).
     *
     * @param a the operand's elements
     * @param src where the row's first column is in {@code a}
     * @param p the partial sums
     * @param dst where the row's first column's partial sum is in {@code p}
     * @param w the number of columns
     */
    protected void addRow(Object a, int src, double[] p, int dst, int w) {
        StridedReductions.addRow(a, src, p, dst, w);
    }

    @Override
    public DenseArray argReduce(DenseArray operand, int[] source, int groupSize, boolean max, Aval out) {
        DenseArray x = operand.contiguous(); // a view's elements copied once, not looked up per element
        int groups = out.size();
        int[] r = new int[groups];
        if (Parallel.splits((long) groups * groupSize, 2)) {
            Parallel.forRange(groups, 2L * groupSize, (g0, g1) -> GroupReductions.arg(x, source, groupSize, max, r, g0, g1));
        } else {
            GroupReductions.arg(x, source, groupSize, max, r, 0, groups);
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

    /**
     * The cost of one Threefry-2x32 block in element operations, for {@link Parallel#splits}: about 32 cheap
     * operations, scalar (kernels that hash a vector of blocks at once return less).
     */
    protected int threefryCost() {
        return 32;
    }

    @Override
    public void threefry2x32(int[] k0, int[] k1, int[] x0, int[] x1, int[] y0, int[] y1, int n) {
        int cost = threefryCost();
        if (Parallel.splits(n, cost)) {
            Parallel.forRange(n, cost, (from, to) -> threefryRange(k0, k1, x0, x1, y0, y1, from, to));
        } else {
            threefryRange(k0, k1, x0, x1, y0, y1, 0, n);
        }
    }

    @Override
    public void threefry2x32(int k0, int k1, int[] x0, int[] x1, int[] y0, int[] y1, int n) {
        int cost = threefryCost();
        if (Parallel.splits(n, cost)) {
            Parallel.forRange(n, cost, (from, to) -> threefryRange(k0, k1, x0, x1, y0, y1, from, to));
        } else {
            threefryRange(k0, k1, x0, x1, y0, y1, 0, n);
        }
    }

    @Override
    public void threefry2x32Counters(int k0, int k1, int x0Start, int x0Step, int x1Start, int x1Step, int[] y0,
            int y0Off, int[] y1, int y1Off, int n) {
        int cost = threefryCost();
        if (Parallel.splits(n, cost)) {
            Parallel.forRange(n, cost, (from, to) -> threefryCountersRange(k0, k1, x0Start, x0Step, x1Start,
                    x1Step, y0, y0Off, y1, y1Off, from, to));
        } else {
            threefryCountersRange(k0, k1, x0Start, x0Step, x1Start, x1Step, y0, y0Off, y1, y1Off, 0, n);
        }
    }

    /** Elements {@code [from, to)} of {@link #threefry2x32}. */
    protected void threefryRange(int[] k0, int[] k1, int[] x0, int[] x1, int[] y0, int[] y1, int from, int to) {
        Threefry.hash(k0, k1, x0, x1, y0, y1, from, to);
    }

    /** Elements {@code [from, to)} of {@link #threefry2x32(int, int, int[], int[], int[], int[], int)}. */
    protected void threefryRange(int k0, int k1, int[] x0, int[] x1, int[] y0, int[] y1, int from, int to) {
        Threefry.hash(k0, k1, x0, x1, y0, y1, from, to);
    }

    /** Elements {@code [from, to)} of {@link #threefry2x32Counters}. */
    protected void threefryCountersRange(int k0, int k1, int x0Start, int x0Step, int x1Start, int x1Step, int[] y0,
            int y0Off, int[] y1, int y1Off, int from, int to) {
        Threefry.counters(k0, k1, x0Start, x0Step, x1Start, x1Step, y0, y0Off, y1, y1Off, from, to);
    }
}
