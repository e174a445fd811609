package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.DType;

import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Interpreters;

/**
 * Every primitive bound by name: the operations that primitive rules, and the facades above them, are written
 * with. It sits in {@code prim} so that the rules need nothing above their own layer; {@link dev.solstice.Lax}
 * is the public face of the same functions (users call that). No broadcasting and no type promotion: operands
 * of binary operations must have equal shapes and dtypes.
 */
public final class Ops {
    private Ops() {}

    private static Array bind(dev.solstice.core.Primitive p, Array... args) {
        return Interpreters.bind1(p, args);
    }

    // one and two operands: no varargs array on the eager path (Interpreters.bind1's fixed-arity forms)
    private static Array bind(dev.solstice.core.Primitive p, Array x) {
        return Interpreters.bind1(p, x);
    }

    private static Array bind(dev.solstice.core.Primitive p, Array x, Array y) {
        return Interpreters.bind1(p, x, y);
    }

    // the primitives without parameters are records without components: one instance serves every call
    private static final StopGradient STOP_GRADIENT = new StopGradient();
    private static final Neg NEG = new Neg();
    private static final Add ADD = new Add();
    private static final Sub SUB = new Sub();
    private static final Mul MUL = new Mul();
    private static final Div DIV = new Div();
    private static final Pow POW = new Pow();
    private static final Max MAX = new Max();
    private static final Min MIN = new Min();
    private static final Exp EXP = new Exp();
    private static final Log LOG = new Log();
    private static final Log1p LOG1P = new Log1p();
    private static final Expm1 EXPM1 = new Expm1();
    private static final Sin SIN = new Sin();
    private static final Cos COS = new Cos();
    private static final Tan TAN = new Tan();
    private static final Tanh TANH = new Tanh();
    private static final Logistic LOGISTIC = new Logistic();
    private static final Sqrt SQRT = new Sqrt();
    private static final Rsqrt RSQRT = new Rsqrt();
    private static final Abs ABS = new Abs();
    private static final Sign SIGN = new Sign();
    private static final Floor FLOOR = new Floor();
    private static final Ceil CEIL = new Ceil();
    private static final Round ROUND = new Round();
    private static final Erf ERF = new Erf();
    private static final Erfc ERFC = new Erfc();
    private static final Eq EQ = new Eq();
    private static final Ne NE = new Ne();
    private static final Lt LT = new Lt();
    private static final Le LE = new Le();
    private static final Gt GT = new Gt();
    private static final Ge GE = new Ge();
    private static final And AND = new And();
    private static final Or OR = new Or();
    private static final Not NOT = new Not();
    private static final Select SELECT = new Select();
    private static final ErfInv ERF_INV = new ErfInv();
    private static final Xor XOR = new Xor();
    private static final ShiftRightLogical SHIFT_RIGHT_LOGICAL = new ShiftRightLogical();

    /** A concrete array of the aval's shape filled with {@code value}. */
    public static Array full(Aval aval, double value) {
        if (aval.size() <= 1) {
            return DenseArray.full(aval, value);
        }
        // one element seen through zero strides: derivative rules ask for zeros often, and kernels read such a
        // broadcast view in place (a consumer that needs contiguous data fills it once)
        DenseArray one = DenseArray.full(new Aval(aval.dtype()), value);
        return DenseArray.view(aval, one.storage(), 0, new int[aval.rank()]);
    }

    /** A concrete array shaped like {@code x} (its dtype too) filled with {@code value}. */
    public static Array fullLike(Array x, double value) {
        return full(x.aval(), value);
    }

    /** Zeros shaped like {@code x}. */
    public static Array zerosLike(Array x) {
        return fullLike(x, 0);
    }

    /** Stops derivatives: the value passes, its derivative is zero in every mode and order. */
    public static Array stopGradient(Array x) {
        return bind(STOP_GRADIENT, x);
    }

    /** Elementwise {@code -x}. */ public static Array neg(Array x) { return bind(NEG, x); }
    /** Elementwise {@code x + y}. */ public static Array add(Array x, Array y) { return bind(ADD, x, y); }
    /** Elementwise {@code x - y}. */ public static Array sub(Array x, Array y) { return bind(SUB, x, y); }
    /** Elementwise {@code x * y}. */ public static Array mul(Array x, Array y) { return bind(MUL, x, y); }
    /** Elementwise {@code x / y}. */ public static Array div(Array x, Array y) { return bind(DIV, x, y); }
    /** Elementwise real power. */ public static Array pow(Array x, Array y) { return bind(POW, x, y); }
    /** Elementwise {@code x^n} for a fixed integer. */ public static Array integerPow(Array x, int n) { return bind(new IntegerPow(n), x); }
    /** Elementwise maximum. */ public static Array max(Array x, Array y) { return bind(MAX, x, y); }
    /** Elementwise minimum. */ public static Array min(Array x, Array y) { return bind(MIN, x, y); }
    /** Elementwise exponential. */ public static Array exp(Array x) { return bind(EXP, x); }
    /** Elementwise natural logarithm. */ public static Array log(Array x) { return bind(LOG, x); }
    /** Elementwise {@code log(1 + x)}. */ public static Array log1p(Array x) { return bind(LOG1P, x); }
    /** Elementwise {@code exp(x) - 1}. */ public static Array expm1(Array x) { return bind(EXPM1, x); }
    /** Elementwise sine. */ public static Array sin(Array x) { return bind(SIN, x); }
    /** Elementwise cosine. */ public static Array cos(Array x) { return bind(COS, x); }
    /** Elementwise tangent. */ public static Array tan(Array x) { return bind(TAN, x); }
    /** Elementwise hyperbolic tangent. */ public static Array tanh(Array x) { return bind(TANH, x); }
    /** Elementwise logistic sigmoid. */ public static Array logistic(Array x) { return bind(LOGISTIC, x); }
    /** Elementwise square root. */ public static Array sqrt(Array x) { return bind(SQRT, x); }
    /** Elementwise {@code 1 / sqrt(x)}. */ public static Array rsqrt(Array x) { return bind(RSQRT, x); }
    /** Elementwise absolute value. */ public static Array abs(Array x) { return bind(ABS, x); }
    /** Elementwise sign. */ public static Array sign(Array x) { return bind(SIGN, x); }
    /** Elementwise floor. */ public static Array floor(Array x) { return bind(FLOOR, x); }
    /** Elementwise ceiling. */ public static Array ceil(Array x) { return bind(CEIL, x); }
    /** Elementwise rounding, half to even. */ public static Array round(Array x) { return bind(ROUND, x); }
    /** Elementwise error function. */ public static Array erf(Array x) { return bind(ERF, x); }
    /** Elementwise complementary error function, accurate in the right tail. */ public static Array erfc(Array x) { return bind(ERFC, x); }
    /** Elementwise {@code x == y}. */ public static Array eq(Array x, Array y) { return bind(EQ, x, y); }
    /** Elementwise {@code x != y}. */ public static Array ne(Array x, Array y) { return bind(NE, x, y); }
    /** Elementwise {@code x < y}. */ public static Array lt(Array x, Array y) { return bind(LT, x, y); }
    /** Elementwise {@code x <= y}. */ public static Array le(Array x, Array y) { return bind(LE, x, y); }
    /** Elementwise {@code x > y}. */ public static Array gt(Array x, Array y) { return bind(GT, x, y); }
    /** Elementwise {@code x >= y}. */ public static Array ge(Array x, Array y) { return bind(GE, x, y); }
    /** Elementwise and (logical for bool, bitwise for int32). */ public static Array and(Array x, Array y) { return bind(AND, x, y); }
    /** Elementwise or (logical for bool, bitwise for int32). */ public static Array or(Array x, Array y) { return bind(OR, x, y); }
    /** Elementwise not (logical for bool, bitwise for int32). */ public static Array not(Array x) { return bind(NOT, x); }

    /** {@code pred ? onTrue : onFalse}, all of one shape. */
    public static Array select(Array pred, Array onTrue, Array onFalse) {
        return bind(SELECT, pred, onTrue, onFalse);
    }

    /**
     * The values unchanged, with a runtime check attached: evaluating the result throws an
     * {@link dev.solstice.EqxRuntimeError} with {@code messages[index]} when any element of the bool array
     * {@code pred} is true. {@code index} is an int32 scalar. See {@link ErrorIf}.
     */
    public static Array[] errorIf(Array[] values, Array pred, Array index, java.util.List<String> messages) {
        Array[] operands = java.util.Arrays.copyOf(values, values.length + 2);
        operands[values.length] = pred;
        operands[values.length + 1] = index;
        return Interpreters.bind(new ErrorIf(messages), operands);
    }

    /** Converts to another dtype (returns {@code x} itself if it already has it). */
    public static Array convert(Array x, DType dtype) {
        return x.dtype() == dtype ? x : bind(new ConvertElementType(dtype), x);
    }

    /** General contraction; see {@link DotGeneral}. */
    public static Array dotGeneral(Array x, Array y, int[] lhsContract, int[] rhsContract, int[] lhsBatch, int[] rhsBatch) {
        return bind(new DotGeneral(lhsContract, rhsContract, lhsBatch, rhsBatch), x, y);
    }

    /** Sum over axes. */ public static Array reduceSum(Array x, int... axes) { return bind(new ReduceSum(axes), x); }
    /** Maximum over axes. */ public static Array reduceMax(Array x, int... axes) { return bind(new ReduceMax(axes), x); }
    /** Minimum over axes. */ public static Array reduceMin(Array x, int... axes) { return bind(new ReduceMin(axes), x); }
    /** Index of the first maximum along an axis. */ public static Array argmax(Array x, int axis) { return bind(new ArgMax(axis), x); }
    /** Index of the first minimum along an axis. */ public static Array argmin(Array x, int axis) { return bind(new ArgMin(axis), x); }

    /** Broadcasts to {@code shape}, operand axis i going to result axis {@code broadcastDimensions[i]}. */
    public static Array broadcastInDim(Array x, int[] shape, int[] broadcastDimensions) {
        return bind(new BroadcastInDim(shape, broadcastDimensions), x);
    }

    /** The same elements in a new shape of the same size. */
    public static Array reshape(Array x, int... newSizes) {
        return java.util.Arrays.equals(x.shape(), newSizes) ? x : bind(new Reshape(newSizes), x);
    }

    /** Permutes axes. */ public static Array transpose(Array x, int... permutation) { return bind(new Transpose(permutation), x); }
    /** Removes axes of length 1. */ public static Array squeeze(Array x, int... dimensions) { return bind(new Squeeze(dimensions), x); }
    /** Inserts axes of length 1. */ public static Array expandDims(Array x, int... dimensions) { return bind(new ExpandDims(dimensions), x); }

    /** A strided window. */
    public static Array slice(Array x, int[] start, int[] limit, int[] strides) {
        return bind(new Slice(start, limit, strides), x);
    }

    /** Pads with a scalar value: low, high (negative: crops) and interior padding per axis. */
    public static Array pad(Array x, Array paddingValue, int[] low, int[] high, int[] interior) {
        return bind(new Pad(low, high, interior), x, paddingValue);
    }

    // ---- convolution, windowed reductions, reversal (ConvGeneralDilated and friends) ----

    /** Reverses the order of elements along {@code dimensions}. */
    public static Array rev(Array x, int... dimensions) {
        return bind(new Rev(dimensions), x);
    }

    /**
     * General dilated convolution; see {@link ConvGeneralDilated}. {@code lhs} is
     * {@code [N, C, spatial...]}, {@code rhs} is {@code [O, C/featureGroupCount, window...]}, the result
     * {@code [N, O, spatial'...]}; one entry per spatial axis in each int array.
     */
    public static Array convGeneralDilated(Array lhs, Array rhs, int[] windowStrides, int[] paddingLo,
            int[] paddingHi, int[] lhsDilation, int[] rhsDilation, int featureGroupCount) {
        return bind(new ConvGeneralDilated(windowStrides, paddingLo, paddingHi, lhsDilation,
                rhsDilation, featureGroupCount), lhs, rhs);
    }

    /**
     * Convolution with strides and a padding string, as {@code lax.conv}: {@code "VALID"} (no padding) or
     * {@code "SAME"} (output length {@code ceil(in / stride)}, the extra padding going after, as XLA does).
     * Layout as {@link #convGeneralDilated}.
     */
    public static Array conv(Array lhs, Array rhs, int[] windowStrides, String padding) {
        int sp = lhs.ndim() - 2;
        int[] win = new int[Math.max(0, sp)];
        int[] in = new int[win.length];
        for (int d = 0; d < win.length; d++) {
            win[d] = rhs.ndim() > 2 + d ? rhs.shape()[2 + d] : 0;
            in[d] = lhs.shape()[2 + d];
        }
        int[][] pads = padding(in, win, ones(win.length), windowStrides, padding);
        return convGeneralDilated(lhs, rhs, windowStrides, pads[0], pads[1], ones(sp), ones(sp), 1);
    }

    /** Convolution with strides and explicit padding (before, after) per spatial axis, no dilation, one group. */
    public static Array conv(Array lhs, Array rhs, int[] windowStrides, int[] paddingLo, int[] paddingHi) {
        int sp = windowStrides.length;
        return convGeneralDilated(lhs, rhs, windowStrides, paddingLo, paddingHi, ones(sp), ones(sp), 1);
    }

    /**
     * Explicit (lo, hi) padding for a padding string over inputs {@code in} and windows {@code window}
     * (dilated by {@code dilation}), as JAX's {@code padtype_to_pads}: {@code "VALID"} pads nothing,
     * {@code "SAME"} pads {@code max(0, (ceil(in/stride) - 1) * stride + window - in)} in all, half before
     * (rounded down) and the rest after. Returns {@code {lo, hi}}.
     */
    public static int[][] padding(int[] in, int[] window, int[] dilation, int[] strides, String padding) {
        int n = in.length;
        int[] lo = new int[n];
        int[] hi = new int[n];
        switch (padding.toUpperCase(java.util.Locale.ROOT)) {
            case "VALID" -> { }
            case "SAME", "SAME_LOWER" -> {
                for (int d = 0; d < n; d++) {
                    int w = window[d] == 0 ? 0 : (window[d] - 1) * dilation[d] + 1;
                    int out = (in[d] + strides[d] - 1) / strides[d];
                    int total = Math.max(0, (out - 1) * strides[d] + w - in[d]);
                    boolean lower = padding.equalsIgnoreCase("SAME_LOWER");
                    lo[d] = lower ? (total + 1) / 2 : total / 2;
                    hi[d] = total - lo[d];
                }
            }
            default -> throw new IllegalArgumentException("padding must be \"SAME\", \"SAME_LOWER\" or \"VALID\", got \""
                    + padding + "\"");
        }
        return new int[][] {lo, hi};
    }

    /**
     * Sum over sliding windows with zero padding; see {@link ReduceWindowSum}. One entry per
     * axis of {@code x} in each array (use a window of 1 for axes not pooled).
     */
    public static Array reduceWindowSum(Array x, int[] windowDimensions, int[] windowStrides, int[] paddingLo,
            int[] paddingHi) {
        return bind(new ReduceWindowSum(windowDimensions, windowStrides, paddingLo, paddingHi), x);
    }

    /** Maximum over sliding windows with -inf padding; see {@link ReduceWindowMax}. */
    public static Array reduceWindowMax(Array x, int[] windowDimensions, int[] windowStrides, int[] paddingLo,
            int[] paddingHi) {
        return bind(new ReduceWindowMax(windowDimensions, windowStrides, paddingLo, paddingHi), x);
    }

    /** {@link #reduceWindowSum} with a padding string ({@code "SAME"} or {@code "VALID"}, see {@link #padding}). */
    public static Array reduceWindowSum(Array x, int[] windowDimensions, int[] windowStrides, String padding) {
        int[][] p = padding(x.shape(), windowDimensions, ones(x.ndim()), windowStrides, padding);
        return reduceWindowSum(x, windowDimensions, windowStrides, p[0], p[1]);
    }

    /** {@link #reduceWindowMax} with a padding string ({@code "SAME"} or {@code "VALID"}, see {@link #padding}). */
    public static Array reduceWindowMax(Array x, int[] windowDimensions, int[] windowStrides, String padding) {
        int[][] p = padding(x.shape(), windowDimensions, ones(x.ndim()), windowStrides, padding);
        return reduceWindowMax(x, windowDimensions, windowStrides, p[0], p[1]);
    }

    /**
     * A window of {@code sliceSizes} starting at run-time indices (int32 scalars, one per axis, clamped so the
     * window fits, as XLA does); see {@link DynamicSlice}.
     */
    public static Array dynamicSlice(Array x, Array[] startIndices, int[] sliceSizes) {
        Array[] args = new Array[startIndices.length + 1];
        args[0] = x;
        System.arraycopy(startIndices, 0, args, 1, startIndices.length);
        return bind(new DynamicSlice(sliceSizes), args);
    }

    /** {@link #dynamicSlice(Array, Array[], int[])} with start indices known now. */
    public static Array dynamicSlice(Array x, int[] startIndices, int[] sliceSizes) {
        return dynamicSlice(x, scalars(startIndices), sliceSizes);
    }

    /**
     * {@code x} with {@code update} written over it at run-time start indices (int32 scalars, one per axis,
     * clamped so the update fits); see {@link DynamicUpdateSlice}.
     */
    public static Array dynamicUpdateSlice(Array x, Array update, Array[] startIndices) {
        Array[] args = new Array[startIndices.length + 2];
        args[0] = x;
        args[1] = update;
        System.arraycopy(startIndices, 0, args, 2, startIndices.length);
        return bind(new DynamicUpdateSlice(), args);
    }

    /** {@link #dynamicUpdateSlice(Array, Array, Array[])} with start indices known now. */
    public static Array dynamicUpdateSlice(Array x, Array update, int[] startIndices) {
        return dynamicUpdateSlice(x, update, scalars(startIndices));
    }

    /**
     * Gather in take-along-axis form: {@code out[i] = x[i with axis replaced by indices[i]]}; {@code indices}
     * is int32 of {@code x}'s rank and lengths except along {@code axis}; negative indices count from the end,
     * the rest is clamped. See {@link Gather}.
     */
    public static Array takeAlongAxis(Array x, Array indices, int axis) {
        return bind(new Gather(axis), x, indices);
    }

    /**
     * {@code x} with {@code updates[i]} added at {@code i with axis replaced by indices[i]} (repeats
     * accumulate): the transpose of {@link #takeAlongAxis}. See {@link ScatterAdd}.
     */
    public static Array scatterAdd(Array x, Array indices, Array updates, int axis) {
        return bind(new ScatterAdd(axis), x, indices, updates);
    }

    private static Array[] scalars(int[] values) {
        Array[] r = new Array[values.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = Array.scalar(values[i]);
        }
        return r;
    }

    private static int[] ones(int n) {
        int[] r = new int[n];
        java.util.Arrays.fill(r, 1);
        return r;
    }

    /** Joins arrays along an axis. */
    public static Array concatenate(int dimension, Array... xs) {
        return bind(new Concatenate(dimension), xs);
    }

    /**
     * The sum over the examples of the enclosing vmap named {@code axisName} (JAX's psum): every example
     * gets the total. Linear and differentiable; an error outside such a vmap.
     */
    public static Array psum(Array x, String axisName) {
        return bind(new Psum(axisName), x);
    }

    /** The mean over the examples of the enclosing vmap named {@code axisName} (JAX's pmean). */
    public static Array pmean(Array x, String axisName) {
        Array count = psum(fullLike(x, 1), axisName);
        return div(psum(x, axisName), count);
    }

    /** Counts 0, 1, 2, ... along {@code dimension} of an array of the given dtype and shape. */
    public static Array iota(DType dtype, int[] shape, int dimension) {
        return bind(new Iota(dtype, shape, dimension));
    }

    /** Elementwise inverse error function, {@code erf_inv(±1) = ±inf}; see {@link ErfInv}. */
    public static Array erfInv(Array x) {
        return bind(ERF_INV, x);
    }

    /** Elementwise exclusive or (logical for bool, bitwise for int32). */
    public static Array xor(Array x, Array y) {
        return bind(XOR, x, y);
    }

    /** Elementwise logical (zero-filling) right shift of int32 words; amounts outside [0, 32) give 0. */
    public static Array shiftRightLogical(Array x, Array y) {
        return bind(SHIFT_RIGHT_LOGICAL, x, y);
    }

    /**
     * The Threefry-2x32 hash of counters {@code (x0, x1)} under keys {@code (k0, k1)}, all int32 arrays of one
     * shape holding uint32 words; returns {@code {y0, y1}}. See {@link Threefry2x32}.
     */
    public static Array[] threefry2x32(Array k0, Array k1, Array x0, Array x1) {
        return Interpreters.bind(new Threefry2x32(), k0, k1, x0, x1);
    }

    // ---- sorting and cumulative reductions ----------------------------------------------------------------

    /**
     * Stable sort of operands of one shape along {@code dimension}, lexicographically by the first
     * {@code numKeys}, every operand permuted alike; see {@link Sort}.
     */
    public static Array[] sort(int dimension, int numKeys, Array... operands) {
        return Interpreters.bind(new Sort(dimension, numKeys), operands);
    }

    /** Inclusive cumulative sum along an axis, from the end if {@code reverse}. */
    public static Array cumsum(Array x, int axis, boolean reverse) { return bind(new CumSum(axis, reverse), x); }

    /** Inclusive cumulative product along an axis, from the end if {@code reverse}. */
    public static Array cumprod(Array x, int axis, boolean reverse) { return bind(new CumProd(axis, reverse), x); }

    /** Inclusive cumulative maximum along an axis, from the end if {@code reverse}. */
    public static Array cummax(Array x, int axis, boolean reverse) { return bind(new CumMax(axis, reverse), x); }

    /** Inclusive cumulative minimum along an axis, from the end if {@code reverse}. */
    public static Array cummin(Array x, int axis, boolean reverse) { return bind(new CumMin(axis, reverse), x); }

    /** Inclusive cumulative {@code log(sum(exp))} along an axis, from the end if {@code reverse}. */
    public static Array cumlogsumexp(Array x, int axis, boolean reverse) { return bind(new CumLogSumExp(axis, reverse), x); }

    // ---- linear algebra ------------------------------------------------------------------------------------

    /** The lower Cholesky factor of each matrix (reads the lower triangle only); see {@link Cholesky}. */
    public static Array cholesky(Array a) { return bind(new Cholesky(), a); }

    /**
     * Solves {@code op(a) x = b} ({@code leftSide}) or {@code x op(a) = b} with {@code a} triangular; see
     * {@link TriangularSolve}.
     */
    public static Array triangularSolve(Array a, Array b, boolean leftSide, boolean lower, boolean transposeA,
            boolean unitDiagonal) {
        return bind(new TriangularSolve(leftSide, lower, transposeA, unitDiagonal), a, b);
    }

    /** LU decomposition with partial pivoting: {@code {lu, pivots, permutation}}; see {@link Lu}. */
    public static Array[] lu(Array a) {
        return Interpreters.bind(new Lu(), a);
    }

    /** The symmetric eigendecomposition: {@code {eigenvectors (columns), eigenvalues (ascending)}}; see {@link Eigh}. */
    public static Array[] eigh(Array a) {
        return Interpreters.bind(new Eigh(), a);
    }
}
