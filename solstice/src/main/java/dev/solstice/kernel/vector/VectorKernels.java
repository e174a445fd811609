package dev.solstice.kernel.vector;

import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import dev.solstice.kernel.BinaryOp;
import dev.solstice.kernel.JavaKernels;
import dev.solstice.kernel.Kernels;
import dev.solstice.kernel.Parallel;
import dev.solstice.kernel.StridedZip;
import dev.solstice.kernel.UnaryOp;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.IntBinaryOperator;
import java.util.function.IntUnaryOperator;

/**
 * Kernels on the Vector API ({@code jdk.incubator.vector}; this package is the only one that imports it):
 * the exact elementwise arithmetic and select (float32, float64 and int32, {@code SPECIES_PREFERRED}),
 * reductions over trailing axes, sums over leading (or middle) axes and the Threefry-2x32 hash are vector
 * loops (binary operations on views through {@link StridedZip}, which reads rows of views in place); everything else,
 * transcendental functions included (see the transcendental policy in {@code Kernels}), is inherited from
 * the plain Java kernels. Results are bitwise identical to {@link JavaKernels}'.
 */
public final class VectorKernels extends JavaKernels {
    /** The single instance ({@code Kernels.get()} loads it reflectively). */
    public static final VectorKernels INSTANCE = new VectorKernels();

    private VectorKernels() {}

    @Override
    public DenseArray map(DenseArray x, DType out, UnaryOp op, DoubleUnaryOperator f, IntUnaryOperator fi) {
        DType in = x.aval().dtype();
        if (in != out || !VectorLoops.hasUnary(op, in)) {
            return super.map(x, out, op, f, fi);
        }
        int n = x.aval().size();
        Object r = DenseArray.allocate(out, n);
        if (Parallel.splits(n, 1)) {
            Parallel.forRange(n, 1, (from, to) -> mapRange(op, x, r, from, to));
        } else {
            mapRange(op, x, r, 0, n);
        }
        return DenseArray.wrap(x.aval(), r);
    }

    private static void mapRange(UnaryOp op, DenseArray x, Object r, int from, int to) {
        if (x.aval().dtype() == DType.FLOAT64) {
            VectorLoops.unary(op, x.doubles(), (double[]) r, from, to);
        } else {
            VectorLoops.unary(op, x.floats(), (float[]) r, from, to);
        }
    }

    @Override
    public DenseArray zip(DenseArray x, DenseArray y, DType out, BinaryOp op, DoubleBinaryOperator f,
            IntBinaryOperator fi) {
        DType in = x.aval().dtype();
        if (out != (op.isComparison() ? DType.BOOL : in) || !VectorLoops.hasBinary(op, in)) {
            return super.zip(x, y, out, op, f, fi);
        }
        if (!(x.isContiguous() && y.isContiguous())) {
            return StridedZip.zip(x, y, out, op, VectorOffsetLoops::binary);
        }
        int n = x.aval().size();
        Object r = DenseArray.allocate(out, n);
        if (Parallel.splits(n, 1)) {
            Parallel.forRange(n, 1, (from, to) -> zipRange(op, x, y, r, from, to));
        } else {
            zipRange(op, x, y, r, 0, n);
        }
        return DenseArray.wrap(x.aval().withDType(out), r);
    }

    private static void zipRange(BinaryOp op, DenseArray x, DenseArray y, Object r, int from, int to) {
        VectorOffsetLoops.binary(op, x.aval().dtype(), x.data(), from, y.data(), from, r, from, to - from);
    }

    @Override
    protected void selectRow(boolean[] p, int po, Object a, int ao, Object b, int bo, Object o, int oo, int n) {
        switch (o) {
            case float[] r -> VectorLoops.select(p, po, (float[]) a, ao, (float[]) b, bo, r, oo, n);
            case double[] r -> VectorLoops.select(p, po, (double[]) a, ao, (double[]) b, bo, r, oo, n);
            case int[] r -> VectorLoops.select(p, po, (int[]) a, ao, (int[]) b, bo, r, oo, n);
            default -> super.selectRow(p, po, a, ao, b, bo, o, oo, n); // bool
        }
    }

    @Override
    public DenseArray reduceTrailing(DenseArray x, int groupSize, Reduction kind, Aval out) {
        DType t = out.dtype();
        // groups shorter than one block are all tail: the plain loop, without scratch, is as fast
        if (!VectorReductions.AVAILABLE || !t.isFloating() || groupSize < Kernels.SUM_LANES) {
            return super.reduceTrailing(x, groupSize, kind, out);
        }
        int groups = out.size();
        Object r = DenseArray.allocate(t, groups);
        if (Parallel.splits((long) groups * groupSize, 1)) {
            Parallel.forRange(groups, groupSize, (g0, g1) -> reduceGroups(x, groupSize, kind, r, g0, g1));
        } else {
            reduceGroups(x, groupSize, kind, r, 0, groups);
        }
        return DenseArray.wrap(out, r);
    }

    /** Groups {@code [g0, g1)} of {@link #reduceTrailing}. */
    private static void reduceGroups(DenseArray x, int groupSize, Reduction kind, Object r, int g0, int g1) {
        double[] scratch = new double[VectorReductions.SCRATCH];
        for (int g = g0; g < g1; g++) {
            int from = g * groupSize;
            if (r instanceof double[] d) {
                d[g] = VectorReductions.reduce(x.doubles(), from, groupSize, kind, scratch);
            } else {
                ((float[]) r)[g] = (float) VectorReductions.reduce(x.floats(), from, groupSize, kind, scratch);
            }
        }
    }

    @Override
    protected void addRow(Object a, int src, double[] p, int dst, int w) {
        if (VectorReductions.AVAILABLE) {
            VectorReductions.addRow(a, src, p, dst, w);
        } else {
            super.addRow(a, src, p, dst, w);
        }
    }

    /** A vector of 8 or 16 blocks costs about as much as one scalar block, 32 operations. */
    @Override
    protected int threefryCost() {
        return VectorThreefry.FAST ? 4 : super.threefryCost();
    }

    @Override
    protected void threefryRange(int[] k0, int[] k1, int[] x0, int[] x1, int[] y0, int[] y1, int from, int to) {
        if (VectorThreefry.FAST) {
            VectorThreefry.hash(k0, k1, x0, x1, y0, y1, from, to);
        } else {
            super.threefryRange(k0, k1, x0, x1, y0, y1, from, to);
        }
    }

    @Override
    protected void threefryRange(int k0, int k1, int[] x0, int[] x1, int[] y0, int[] y1, int from, int to) {
        if (VectorThreefry.FAST) {
            VectorThreefry.hash(k0, k1, x0, x1, y0, y1, from, to);
        } else {
            super.threefryRange(k0, k1, x0, x1, y0, y1, from, to);
        }
    }

    @Override
    protected void threefryCountersRange(int k0, int k1, int x0Start, int x0Step, int x1Start, int x1Step, int[] y0,
            int y0Off, int[] y1, int y1Off, int from, int to) {
        if (VectorThreefry.FAST) {
            VectorThreefry.counters(k0, k1, x0Start, x0Step, x1Start, x1Step, y0, y0Off, y1, y1Off, from, to);
        } else {
            super.threefryCountersRange(k0, k1, x0Start, x0Step, x1Start, x1Step, y0, y0Off, y1, y1Off, from, to);
        }
    }
}
