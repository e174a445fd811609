package dev.solstice.kernel.vector;

import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import dev.solstice.kernel.BinaryOp;
import dev.solstice.kernel.JavaKernels;
import dev.solstice.kernel.Kernels;
import dev.solstice.kernel.StridedZip;
import dev.solstice.kernel.UnaryOp;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.IntBinaryOperator;
import java.util.function.IntUnaryOperator;

/**
 * Kernels on the Vector API ({@code jdk.incubator.vector}; this package is the only one that imports it):
 * the exact elementwise arithmetic (float32, float64 and int32, {@code SPECIES_PREFERRED}, masked tails) and
 * reductions over trailing axes are vector loops (binary operations on views through {@link StridedZip}, which
 * reads rows of views in place); everything else, transcendental functions included (see
 * the transcendental policy in {@code Kernels}), is inherited from the plain Java kernels. Results are
 * bitwise identical to {@link JavaKernels}'.
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
        if (in == DType.FLOAT64) {
            VectorLoops.unary(op, x.doubles(), (double[]) r, n);
        } else {
            VectorLoops.unary(op, x.floats(), (float[]) r, n);
        }
        return DenseArray.wrap(x.aval(), r);
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
        switch (in) {
            case FLOAT64 -> {
                if (op.isComparison()) {
                    VectorLoops.compare(op, x.doubles(), y.doubles(), (boolean[]) r, n);
                } else {
                    VectorLoops.binary(op, x.doubles(), y.doubles(), (double[]) r, n);
                }
            }
            case FLOAT32 -> {
                if (op.isComparison()) {
                    VectorLoops.compare(op, x.floats(), y.floats(), (boolean[]) r, n);
                } else {
                    VectorLoops.binary(op, x.floats(), y.floats(), (float[]) r, n);
                }
            }
            default -> {
                if (op.isComparison()) {
                    VectorLoops.compare(op, x.ints(), y.ints(), (boolean[]) r, n);
                } else {
                    VectorLoops.binary(op, x.ints(), y.ints(), (int[]) r, n);
                }
            }
        }
        return DenseArray.wrap(x.aval().withDType(out), r);
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
        double[] scratch = new double[VectorReductions.SCRATCH];
        for (int g = 0; g < groups; g++) {
            int from = g * groupSize;
            if (t == DType.FLOAT64) {
                ((double[]) r)[g] = VectorReductions.reduce(x.doubles(), from, groupSize, kind, scratch);
            } else {
                ((float[]) r)[g] = (float) VectorReductions.reduce(x.floats(), from, groupSize, kind, scratch);
            }
        }
        return DenseArray.wrap(out, r);
    }
}
