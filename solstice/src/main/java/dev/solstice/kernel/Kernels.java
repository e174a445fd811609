package dev.solstice.kernel;

import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.IntBinaryOperator;
import java.util.function.IntUnaryOperator;

/**
 * The compute kernels primitives evaluate with. {@link JavaKernels} is the plain Java implementation; a
 * Vector API implementation (package {@code dev.solstice.kernel.vector}, the only place that will import
 * {@code jdk.incubator.vector}) can replace it at start-up. Kernels check nothing: primitives call them
 * only after their shape rule accepted the inputs.
 */
public interface Kernels {

    /** The kernels in use. */
    static Kernels get() {
        return JavaKernels.INSTANCE;
    }

    /** Elementwise map: floats go through {@code f} (float32 computed in double and rounded), ints through {@code fi}. */
    DenseArray map(DenseArray x, DType out, DoubleUnaryOperator f, IntUnaryOperator fi);

    /** Elementwise binary map over equal shapes; bool inputs use {@code fi} on 0/1. */
    DenseArray zip(DenseArray x, DenseArray y, DType out, DoubleBinaryOperator f, IntBinaryOperator fi);

    /** {@code pred ? onTrue : onFalse} elementwise. */
    DenseArray select(DenseArray pred, DenseArray onTrue, DenseArray onFalse);

    /** Element type conversion (float to int truncates toward zero, NaN gives 0; nonzero is true). */
    DenseArray convert(DenseArray x, DType to);

    /**
     * Copies {@code x}'s elements into a new array of aval {@code out}: element {@code i} of the result is
     * element {@code source[i]} of {@code x}. Broadcasting, transposition, slicing and gathers use it.
     */
    DenseArray gather(DenseArray x, int[] source, Aval out);

    /** A new array of aval {@code out} filled with {@code fill}'s single element, then {@code x[j]} written at {@code target[j]}. */
    DenseArray scatter(DenseArray x, int[] target, Aval out, DenseArray fill);

    /**
     * A copy of {@code base} with {@code x[j]} written at flat index {@code target[j]} or, with
     * {@code accumulate}, added there (bools: or); {@code x} and {@code base} share a dtype. Dynamic update
     * slices and scatter-adds use it.
     */
    DenseArray scatterInto(DenseArray base, DenseArray x, int[] target, boolean accumulate);

    /**
     * Batched matrix product: {@code x} is [batch, m, k], {@code y} is [batch, k, n] (row-major, given as
     * flat arrays with these sizes); the result is [batch, m, n] with shape {@code out}.
     */
    default DenseArray batchedMatmul(DenseArray x, DenseArray y, int batch, int m, int k, int n, Aval out) {
        return batchedMatmul(x, false, y, false, batch, m, k, n, out);
    }

    /**
     * Batched matrix product with operands read in place: {@code x} is stored as [batch, m, k], or as
     * [batch, k, m] with {@code transX}; {@code y} as [batch, k, n], or as [batch, n, k] with {@code transY}.
     * The result is [batch, m, n] with shape {@code out}; float products accumulate by the rule of
     * {@link Gemm} (an fma chain in the operands' precision, contracted index ascending).
     */
    DenseArray batchedMatmul(DenseArray x, boolean transX, DenseArray y, boolean transY, int batch, int m, int k,
            int n, Aval out);

    /**
     * The patch matrix of a convolution (im2col): {@code x} is [N, C, spatial...]; the result is
     * [groups, C/groups * window, N * positions] (aval {@code out}), each column one output position's
     * receptive field, padding and dilation holes reading zero (table: {@link Gathers}). A convolution is
     * then one {@link #batchedMatmul} with the kernel seen as [groups, O/groups, C/groups * window].
     */
    DenseArray im2col(DenseArray x, int groups, int[] window, int[] outSpatial, int[] strides, int[] paddingLo,
            int[] lhsDilation, int[] rhsDilation, Aval out);

    /** The kinds of reduction. */
    enum Reduction { SUM, MAX, MIN }

    /**
     * Reduces {@code x} viewed as [outer, inner, rest]... more precisely over an index map: element
     * {@code i} of the result combines the {@code groupSize} elements {@code x[source[i*groupSize + j]]}.
     */
    DenseArray reduce(DenseArray x, int[] source, int groupSize, Reduction kind, Aval out);

    /** Index (0..groupSize-1) of the first maximum (or minimum) in each group, NaN counting as the extreme. */
    DenseArray argReduce(DenseArray x, int[] source, int groupSize, boolean max, Aval out);
}
