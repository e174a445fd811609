package dev.solstice.kernel;

import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.IntBinaryOperator;
import java.util.function.IntUnaryOperator;

/**
 * The compute kernels primitives evaluate with. Kernels check nothing: primitives call them only after their
 * shape rule accepted the inputs.
 *
 * <p><b>Implementations.</b> {@link JavaKernels} is the plain Java implementation, always available.
 * {@code dev.solstice.kernel.vector.VectorKernels} (the only package that imports
 * {@code jdk.incubator.vector}) uses the Vector API; {@link #get} chooses it at start-up when the module
 * {@code jdk.incubator.vector} is in the boot layer (run with {@code --add-modules jdk.incubator.vector}) and
 * the class loads. The system property {@code solstice.kernels} ({@code java} or {@code vector}) forces
 * either. Both give bitwise identical results for every operation below.
 *
 * <p><b>Views.</b> Any operand may be a strided view ({@link DenseArray#isContiguous()} false: a transposed,
 * broadcast, sliced or reversed array sharing another's storage). {@link #zip} and {@link #select} read views
 * in place, row by row ({@link StridedZip}), {@link #batchedMatmul(Matrices, Matrices, int, int, int, int, Aval)} takes strided
 * operands directly; every other kernel reads {@link DenseArray#data()}, which copies a view's elements once.
 * Results are contiguous.
 *
 * <p><b>Elementwise operations</b> are named by {@link UnaryOp} and {@link BinaryOp}: one specialised loop
 * per operation and dtype, no per-element functional call; {@code GENERIC} calls the primitive's scalar
 * function per element instead. float32 loops compute in float where that equals computing in double and
 * rounding once (negation, abs, sign, floor, ceil, rint, +, -, *, /, sqrt, max, min, comparisons, all
 * exact); every other float32 operation computes in double and rounds once.
 *
 * <p><b>Transcendental policy.</b> exp, log, sin, tanh and the other transcendental functions give exactly
 * the results of {@code java.lang.Math} (float32: {@code (float) Math.f(x)}) in every implementation: the
 * Vector API kernels vectorise only the exact arithmetic and call the scalar {@code Math} functions for the
 * rest. The Vector API's own transcendentals ({@code lanewise(EXP)}...) are faster but differ from
 * {@code Math} by an ulp or so, and between interpreted and compiled code, which would make results depend
 * on the JIT's state; determinism was preferred.
 *
 * <p><b>Accumulation policy for sums</b> (reductions; the dot product policy is stated with
 * {@link #batchedMatmul}): float32 elements are widened to double and summed in double, the total rounded
 * to float32 once; float64 in double. The order is fixed, whatever the implementation or vector width: the
 * elements of a group, in the order given, are dealt round-robin into {@value #SUM_LANES} partial sums
 * (element {@code j} of each full block of {@value #SUM_LANES} into partial sum {@code j}, blocks in order);
 * the partial sums are combined pairwise ({@code p[j] += p[j + w]} for {@code w} = 8, 4, 2, 1); the
 * remaining {@code size mod 16} elements are then added one by one in order. int32 sums wrap (any order is
 * exact). max and min follow {@code Math.max}/{@code Math.min}: NaN propagates and {@code -0.0 < 0.0}, so
 * their order does not matter.
 *
 * <p><b>Threads.</b> Elementwise operations, selects, conversions and reductions with enough work (see
 * {@link Parallel#splits}) are cut into fixed pieces run on up to {@link Parallel#threads} threads: a piece
 * is a range of elements, or of whole groups of a reduction (one group's sum is never split, so it keeps
 * the order above), so results are bitwise identical for any thread count. The scalar functions passed to
 * {@link #map} and {@link #zip} may then be called from several threads at once: they must be pure.
 */
public interface Kernels {

    /** The number of interleaved partial sums of the accumulation policy for sums. */
    int SUM_LANES = 16;

    /**
     * The kernels in use: chosen once, at first use (see the type's documentation).
     *
     * @return the Vector API kernels when available and not overridden, else the plain Java ones
     */
    static Kernels get() {
        return KernelSelection.SELECTED;
    }

    /**
     * Elementwise map by operation code: floats go through {@code op}'s loop, or {@code f} when the code is
     * {@link UnaryOp#GENERIC} (float32 computed in double and rounded), ints through {@code op}'s int loop or
     * {@code fi} (bools as 0/1). {@code f} and {@code fi} may be null where {@code op.hasLoop(x's dtype)}
     * and {@code out} is that dtype: they are never called then (an eager op allocates no lambda).
     */
    DenseArray map(DenseArray x, DType out, UnaryOp op, DoubleUnaryOperator f, IntUnaryOperator fi);

    /** Elementwise map through the scalar functions, as {@code map(x, out, UnaryOp.GENERIC, f, fi)}. */
    default DenseArray map(DenseArray x, DType out, DoubleUnaryOperator f, IntUnaryOperator fi) {
        return map(x, out, UnaryOp.GENERIC, f, fi);
    }

    /**
     * Elementwise binary map over equal shapes and dtypes by operation code; {@code f} and {@code fi} serve
     * {@link BinaryOp#GENERIC} and dtypes without a loop of their own (bool inputs as 0/1); they may be null
     * where {@code op.hasLoop(x's dtype)} and {@code out} is bool for comparisons, that dtype otherwise.
     */
    DenseArray zip(DenseArray x, DenseArray y, DType out, BinaryOp op, DoubleBinaryOperator f, IntBinaryOperator fi);

    /** Elementwise binary map through the scalar functions, as {@code zip(x, y, out, BinaryOp.GENERIC, f, fi)}. */
    default DenseArray zip(DenseArray x, DenseArray y, DType out, DoubleBinaryOperator f, IntBinaryOperator fi) {
        return zip(x, y, out, BinaryOp.GENERIC, f, fi);
    }

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
     * Batched matrix product with contiguous operands read in place: {@code x} is stored as [batch, m, k], or
     * as [batch, k, m] with {@code transX}; {@code y} as [batch, k, n], or as [batch, n, k] with
     * {@code transY}. The same as {@link #batchedMatmul(Matrices, Matrices, int, int, int, int, Aval)} with
     * those layouts.
     */
    default DenseArray batchedMatmul(DenseArray x, boolean transX, DenseArray y, boolean transY, int batch, int m,
            int k, int n, Aval out) {
        return batchedMatmul(Matrices.of(x, transX, m, k), Matrices.of(y, transY, k, n), batch, m, k, n, out);
    }

    /**
     * Batched matrix product of strided operands read in place: {@code x} holds [batch, m, k] matrices and
     * {@code y} [batch, k, n] ones, with any strides (transposed, sliced, reversed or broadcast views need no
     * copy). The result is [batch, m, n] with shape {@code out}; float products accumulate by the rule of
     * {@link Gemm} (an fma chain in the operands' precision, contracted index ascending), whatever the strides.
     */
    DenseArray batchedMatmul(Matrices x, Matrices y, int batch, int m, int k, int n, Aval out);

    /**
     * The patch matrix of a convolution (im2col): {@code x} is [N, C, spatial...]; the result is
     * [groups, C/groups * window, N * positions] (aval {@code out}), each column one output position's
     * receptive field, padding and dilation holes reading zero (table: {@link Gathers}). A convolution is
     * then one {@link #batchedMatmul} with the kernel seen as [groups, O/groups, C/groups * window].
     */
    DenseArray im2col(DenseArray x, int groups, int[] window, int[] outSpatial, int[] strides, int[] paddingLo,
            int[] lhsDilation, int[] rhsDilation, Aval out);

    /** The kinds of reduction. */
    enum Reduction {
        /** The sum of the reduced elements. */
        SUM,
        /** The largest reduced element. */
        MAX,
        /** The smallest reduced element. */
        MIN
    }

    /**
     * Reduces {@code x} viewed as [outer, inner, rest]... more precisely over an index map: element
     * {@code i} of the result combines the {@code groupSize} elements {@code x[source[i*groupSize + j]]}.
     */
    DenseArray reduce(DenseArray x, int[] source, int groupSize, Reduction kind, Aval out);

    /**
     * Reduces contiguous groups: element {@code i} of the result combines {@code x[i*groupSize]} to
     * {@code x[(i+1)*groupSize - 1]} (a reduction over trailing axes), with no index map; same results as
     * {@link #reduce} with the identity map.
     */
    DenseArray reduceTrailing(DenseArray x, int groupSize, Reduction kind, Aval out);

    /**
     * Reduces the middle axis of {@code x} seen as [outer, groupSize, inner] (a reduction over a run of
     * consecutive axes, e.g. the leading ones with {@code outer} 1), with no index map: element
     * {@code o * inner + c} of the result combines {@code x[(o * groupSize + j) * inner + c]}, {@code j}
     * ascending; same results as {@link #reduce} with that map.
     */
    DenseArray reduceStrided(DenseArray x, int outer, int groupSize, int inner, Reduction kind, Aval out);

    /** Index (0..groupSize-1) of the first maximum (or minimum) in each group, NaN counting as the extreme. */
    DenseArray argReduce(DenseArray x, int[] source, int groupSize, boolean max, Aval out);

    /**
     * Threefry-2x32 ({@link Threefry}) elementwise: the block of key {@code (k0[i], k1[i])} and counter
     * {@code (x0[i], x1[i])} into {@code y0[i], y1[i]}, for {@code i} in {@code [0, n)}. Words are uint32 bit
     * patterns; the results are the same bits in every implementation.
     */
    void threefry2x32(int[] k0, int[] k1, int[] x0, int[] x1, int[] y0, int[] y1, int n);

    /**
     * {@link #threefry2x32(int[], int[], int[], int[], int[], int[], int)} under one key {@code (k0, k1)} for
     * every element (a key broadcast to the counters' shape, as random bits stage it), read once.
     */
    void threefry2x32(int k0, int k1, int[] x0, int[] x1, int[] y0, int[] y1, int n);

    /**
     * Threefry-2x32 under one key {@code (k0, k1)} of generated counters, for {@code i} in {@code [0, n)}:
     * {@code x0 = x0Start + i * x0Step}, {@code x1 = x1Start + i * x1Step} (wrapping int arithmetic); the first
     * output word into {@code y0[y0Off + i]} and the second into {@code y1[y1Off + i]}, or, when {@code y1} is
     * null, their xor into {@code y0[y0Off + i]}. No key or counter array is read: the form random bits need
     * (JAX's partitionable scheme hashes {@code (0, i)}, the legacy one {@code (i, half + i)}).
     */
    void threefry2x32Counters(int k0, int k1, int x0Start, int x0Step, int x1Start, int x1Step, int[] y0, int y0Off,
            int[] y1, int y1Off, int n);
}
