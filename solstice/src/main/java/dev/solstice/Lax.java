package dev.solstice;

import dev.solstice.core.Aval;
import dev.solstice.core.Tracer;
import dev.solstice.core.Interpreters;
import dev.solstice.prim.Acos;
import dev.solstice.prim.Acosh;
import dev.solstice.prim.Asin;
import dev.solstice.prim.Asinh;
import dev.solstice.prim.Atan;
import dev.solstice.prim.Atan2;
import dev.solstice.prim.Atanh;
import dev.solstice.prim.BesselI0e;
import dev.solstice.prim.BesselI1e;
import dev.solstice.prim.Cosh;
import dev.solstice.prim.Digamma;
import dev.solstice.prim.Lgamma;
import dev.solstice.prim.Ops;
import dev.solstice.prim.Polygamma;
import dev.solstice.prim.Sinh;
import dev.solstice.transform.Checkpoint;
import dev.solstice.transform.ControlFlow;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The primitives themselves, as in {@code jax.lax}: no broadcasting and no type promotion (operands of binary
 * operations must have equal shapes and dtypes). {@link Jnp} builds NumPy's conveniences on top. A thin
 * facade: each function binds its primitive through {@link Ops}, where the primitive rules find the same
 * functions.
 *
 * {@snippet lang=java :
 * Array a = Array.of(new double[] {1, 2, 3, 4}, 2, 2);
 * Lax.dotGeneral(a, Array.of(1.0, 1.0), new int[] {1}, new int[] {0}, new int[0], new int[0])   // [3.0, 7.0]
 * Lax.cumsum(Array.of(1.0, 2.0, 3.0), 0, false)           // [1.0, 3.0, 6.0]
 * Lax.add(Array.of(1.0, 2.0), Array.of(1.0f, 2.0f))       // throws IllegalArgumentException
 * }
 */
public final class Lax {
    private Lax() {}

    /**
     * A concrete array of the aval's shape filled with {@code value}.
     *
     * {@snippet lang=java :
     * Lax.full(Jnp.zeros(2).aval(), 7.0)          // [7.0, 7.0]
     * }
     */
    public static Array full(Aval aval, double value) {
        return Ops.full(aval, value);
    }

    /**
     * A concrete array shaped like {@code x} (its dtype too) filled with {@code value}.
     *
     * {@snippet lang=java :
     * Lax.fullLike(Array.of(1, 2, 3), 7.0)         // [7, 7, 7]
     * }
     */
    public static Array fullLike(Array x, double value) {
        return Ops.fullLike(x, value);
    }

    /**
     * Zeros shaped like {@code x}.
     *
     * {@snippet lang=java :
     * Lax.zerosLike(Array.of(1.5f, 2.5f))          // float32[2]
     * }
     */
    public static Array zerosLike(Array x) {
        return Ops.zerosLike(x);
    }

    /**
     * Stops derivatives: the value passes, its derivative is zero in every mode and order.
     *
     * {@snippet lang=java :
     * Jax.grad((Array x) -> x.mul(Lax.stopGradient(x))).apply(Array.scalar(3.0))   // 3.0: x is a constant on the right
     * }
     */
    public static Array stopGradient(Array x) {
        return Ops.stopGradient(x);
    }

    /**
     * Clamps {@code x} to {@code [lo, hi]} with strict comparisons, as {@code lax.clamp}: the derivative with
     * respect to {@code x} is 1 strictly inside, 0 outside and 0 at either bound; {@code lo} (or {@code hi})
     * gets the derivative only where it strictly wins. Operands broadcast.
     *
     * {@snippet lang=java :
     * Lax.clamp(Array.scalar(0.0), Array.of(-1.0, 0.5, 2.0), Array.scalar(1.0))   // [0.0, 0.5, 1.0]
     * }
     */
    public static Array clamp(Array lo, Array x, Array hi) {
        Array inside = Jnp.logicalAnd(Jnp.greater(x, lo), Jnp.less(x, hi));
        Array atBound = Jnp.where(Jnp.greater(lo, x), lo, Jnp.where(Jnp.greater(x, hi), hi, stopGradient(x)));
        return Jnp.where(inside, x, atBound);
    }

    /**
     * Elementwise {@code -x}.
     *
     * {@snippet lang=java :
     * Lax.neg(Array.of(1.0, -2.0))                 // [-1.0, 2.0]
     * }
     */
    public static Array neg(Array x) { return Ops.neg(x); }
    /**
     * Elementwise {@code x + y}.
     *
     * {@snippet lang=java :
     * Lax.add(Array.of(1.0), Array.of(2.0))        // [3.0]
     * }
     */
    public static Array add(Array x, Array y) { return Ops.add(x, y); }
    /**
     * Elementwise {@code x - y}.
     *
     * {@snippet lang=java :
     * Lax.sub(Array.of(1.0), Array.of(2.0))        // [-1.0]
     * }
     */
    public static Array sub(Array x, Array y) { return Ops.sub(x, y); }
    /**
     * Elementwise {@code x * y}.
     *
     * {@snippet lang=java :
     * Lax.mul(Array.of(3.0), Array.of(2.0))        // [6.0]
     * }
     */
    public static Array mul(Array x, Array y) { return Ops.mul(x, y); }
    /**
     * Elementwise {@code x / y}.
     *
     * {@snippet lang=java :
     * Lax.div(Array.of(7), Array.of(2))            // [3]: integer division rounds toward zero
     * }
     */
    public static Array div(Array x, Array y) { return Ops.div(x, y); }
    /**
     * Elementwise real power.
     *
     * {@snippet lang=java :
     * Lax.pow(Array.of(2.0), Array.of(10.0))       // [1024.0]
     * }
     */
    public static Array pow(Array x, Array y) { return Ops.pow(x, y); }
    /**
     * Elementwise {@code x^n} for a fixed integer.
     *
     * {@snippet lang=java :
     * Lax.integerPow(Array.of(-2.0), 3)            // [-8.0]
     * }
     */
    public static Array integerPow(Array x, int n) { return Ops.integerPow(x, n); }
    /**
     * Elementwise maximum.
     *
     * {@snippet lang=java :
     * Lax.max(Array.of(1.0, 5.0), Array.of(3.0, 2.0))   // [3.0, 5.0]
     * }
     */
    public static Array max(Array x, Array y) { return Ops.max(x, y); }
    /**
     * Elementwise minimum.
     *
     * {@snippet lang=java :
     * Lax.min(Array.of(1.0, 5.0), Array.of(3.0, 2.0))   // [1.0, 2.0]
     * }
     */
    public static Array min(Array x, Array y) { return Ops.min(x, y); }
    /**
     * Elementwise exponential.
     *
     * {@snippet lang=java :
     * Lax.exp(Array.of(0.0, 1.0))                 // [1.0, 2.718281828459045]
     * }
     */
    public static Array exp(Array x) { return Ops.exp(x); }
    /**
     * Elementwise natural logarithm.
     *
     * {@snippet lang=java :
     * Lax.log(Array.of(1.0, Math.E))              // [0.0, 1.0]
     * }
     */
    public static Array log(Array x) { return Ops.log(x); }
    /**
     * Elementwise {@code log(1 + x)}.
     *
     * {@snippet lang=java :
     * Lax.log1p(Array.of(1e-20))                   // [1e-20]: exact where log(1 + x) gives 0
     * }
     */
    public static Array log1p(Array x) { return Ops.log1p(x); }
    /**
     * Elementwise {@code exp(x) - 1}.
     *
     * {@snippet lang=java :
     * Lax.expm1(Array.of(1e-20))                   // [1e-20]
     * }
     */
    public static Array expm1(Array x) { return Ops.expm1(x); }
    /**
     * Elementwise sine.
     *
     * {@snippet lang=java :
     * Lax.sin(Array.of(0.0, Math.PI / 2))         // [0.0, 1.0]
     * }
     */
    public static Array sin(Array x) { return Ops.sin(x); }
    /**
     * Elementwise cosine.
     *
     * {@snippet lang=java :
     * Lax.cos(Array.of(0.0))                      // [1.0]
     * }
     */
    public static Array cos(Array x) { return Ops.cos(x); }
    /**
     * Elementwise tangent.
     *
     * {@snippet lang=java :
     * Lax.tan(Array.of(Math.PI / 4))              // [1.0]
     * }
     */
    public static Array tan(Array x) { return Ops.tan(x); }
    /**
     * Elementwise hyperbolic tangent.
     *
     * {@snippet lang=java :
     * Lax.tanh(Array.of(0.0, 100.0))             // [0.0, 1.0]
     * }
     */
    public static Array tanh(Array x) { return Ops.tanh(x); }
    /**
     * Elementwise logistic sigmoid.
     *
     * {@snippet lang=java :
     * Lax.logistic(Array.of(0.0))                 // [0.5]
     * }
     */
    public static Array logistic(Array x) { return Ops.logistic(x); }
    /**
     * Elementwise square root.
     *
     * {@snippet lang=java :
     * Lax.sqrt(Array.of(4.0, 9.0))               // [2.0, 3.0]
     * }
     */
    public static Array sqrt(Array x) { return Ops.sqrt(x); }
    /**
     * Elementwise {@code 1 / sqrt(x)}.
     *
     * {@snippet lang=java :
     * Lax.rsqrt(Array.of(4.0))                   // [0.5]
     * }
     */
    public static Array rsqrt(Array x) { return Ops.rsqrt(x); }
    /**
     * Elementwise absolute value.
     *
     * {@snippet lang=java :
     * Lax.abs(Array.of(-2, 3))                   // [2, 3]
     * }
     */
    public static Array abs(Array x) { return Ops.abs(x); }
    /**
     * Elementwise sign.
     *
     * {@snippet lang=java :
     * Lax.sign(Array.of(-2.0, 0.0, 3.0))         // [-1.0, 0.0, 1.0]
     * }
     */
    public static Array sign(Array x) { return Ops.sign(x); }
    /**
     * Elementwise floor.
     *
     * {@snippet lang=java :
     * Lax.floor(Array.of(-1.5, 1.5))             // [-2.0, 1.0]
     * }
     */
    public static Array floor(Array x) { return Ops.floor(x); }
    /**
     * Elementwise ceiling.
     *
     * {@snippet lang=java :
     * Lax.ceil(Array.of(-1.5, 1.5))              // [-1.0, 2.0]
     * }
     */
    public static Array ceil(Array x) { return Ops.ceil(x); }
    /**
     * How {@link #round(Array, RoundingMethod)} breaks ties, as JAX's {@code lax.RoundingMethod}.
     *
     * {@snippet lang=java :
     * Lax.round(Array.of(2.5), Lax.RoundingMethod.TO_NEAREST_EVEN)    // [2.0]
     * }
     */
    public enum RoundingMethod {
        /** Halves go away from zero ({@code 2.5 -> 3}, {@code -2.5 -> -3}): {@code lax.round}'s default. */
        AWAY_FROM_ZERO,
        /** Halves go to the even neighbour ({@code 2.5 -> 2}, {@code 3.5 -> 4}): {@code jnp.round}'s rule. */
        TO_NEAREST_EVEN
    }

    /**
     * Elementwise rounding to the nearest integer, halves away from zero, as {@code lax.round} with its default
     * rounding method ({@link Jnp#round} rounds halves to even, as {@code jnp.round}). Derivative zero.
     *
     * {@snippet lang=java :
     * Lax.round(Array.of(-1.5, 0.4, 2.5))        // [-2.0, 0.0, 3.0]: halves away from zero
     * }
     */
    public static Array round(Array x) {
        return round(x, RoundingMethod.AWAY_FROM_ZERO);
    }

    /**
     * Elementwise rounding to the nearest integer with the given tie rule. Derivative zero.
     *
     * {@snippet lang=java :
     * Lax.round(Array.of(0.5, 1.5), Lax.RoundingMethod.TO_NEAREST_EVEN)    // [0.0, 2.0]
     * }
     */
    public static Array round(Array x, RoundingMethod method) {
        if (method == RoundingMethod.TO_NEAREST_EVEN) {
            return Ops.round(x);
        }
        // exact in floating point: trunc(x) and x - trunc(x) are representable, so a tie is detected exactly
        Array trunc = Ops.mul(Ops.sign(x), Ops.floor(Ops.abs(x)));
        Array tie = Ops.eq(Ops.abs(Ops.sub(x, trunc)), Ops.fullLike(x, 0.5));
        return Ops.select(tie, Ops.add(trunc, Ops.sign(x)), Ops.round(x));
    }
    /**
     * Elementwise error function.
     *
     * {@snippet lang=java :
     * Lax.erf(Array.of(0.0))                     // [0.0]
     * }
     */
    public static Array erf(Array x) { return Ops.erf(x); }
    /**
     * Elementwise complementary error function {@code 1 - erf(x)}, accurate in the right tail.
     *
     * {@snippet lang=java :
     * Lax.erfc(Array.of(0.0))                    // [1.0]
     * }
     */
    public static Array erfc(Array x) { return Ops.erfc(x); }
    /**
     * Elementwise {@code x == y}.
     *
     * {@snippet lang=java :
     * Lax.eq(Array.of(1.0, 2.0), Array.of(1.0, 3.0))   // [true, false]
     * }
     */
    public static Array eq(Array x, Array y) { return Ops.eq(x, y); }
    /**
     * Elementwise {@code x != y}.
     *
     * {@snippet lang=java :
     * Lax.ne(Array.of(1.0, 2.0), Array.of(1.0, 3.0))   // [false, true]
     * }
     */
    public static Array ne(Array x, Array y) { return Ops.ne(x, y); }
    /**
     * Elementwise {@code x < y}.
     *
     * {@snippet lang=java :
     * Lax.lt(Array.of(1.0, 2.0), Array.of(2.0, 2.0))   // [true, false]
     * }
     */
    public static Array lt(Array x, Array y) { return Ops.lt(x, y); }
    /**
     * Elementwise {@code x <= y}.
     *
     * {@snippet lang=java :
     * Lax.le(Array.of(1.0, 2.0), Array.of(2.0, 2.0))   // [true, true]
     * }
     */
    public static Array le(Array x, Array y) { return Ops.le(x, y); }
    /**
     * Elementwise {@code x > y}.
     *
     * {@snippet lang=java :
     * Lax.gt(Array.of(1.0, 2.0), Array.of(2.0, 1.0))   // [false, true]
     * }
     */
    public static Array gt(Array x, Array y) { return Ops.gt(x, y); }
    /**
     * Elementwise {@code x >= y}.
     *
     * {@snippet lang=java :
     * Lax.ge(Array.of(1.0, 2.0), Array.of(2.0, 2.0))   // [false, true]
     * }
     */
    public static Array ge(Array x, Array y) { return Ops.ge(x, y); }
    /**
     * Elementwise and (logical for bool, bitwise for int32).
     *
     * {@snippet lang=java :
     * Lax.and(Array.of(true, true), Array.of(true, false))   // [true, false]
     * }
     */
    public static Array and(Array x, Array y) { return Ops.and(x, y); }
    /**
     * Elementwise or (logical for bool, bitwise for int32).
     *
     * {@snippet lang=java :
     * Lax.or(Array.of(false, false), Array.of(true, false))  // [true, false]
     * }
     */
    public static Array or(Array x, Array y) { return Ops.or(x, y); }
    /**
     * Elementwise not (logical for bool, bitwise for int32).
     *
     * {@snippet lang=java :
     * Lax.not(Array.of(true, false))             // [false, true]
     * }
     */
    public static Array not(Array x) { return Ops.not(x); }

    /**
     * {@code pred ? onTrue : onFalse}, all of one shape.
     *
     * {@snippet lang=java :
     * Lax.select(Array.of(true, false), Array.of(1.0, 2.0), Array.of(10.0, 20.0))   // [1.0, 20.0]
     * }
     */
    public static Array select(Array pred, Array onTrue, Array onFalse) {
        return Ops.select(pred, onTrue, onFalse);
    }

    /**
     * Converts to another dtype (returns {@code x} itself if it already has it).
     *
     * {@snippet lang=java :
     * Lax.convert(Array.of(1.9, -1.9), DType.INT32)     // [1, -1]
     * }
     */
    public static Array convert(Array x, DType dtype) {
        return Ops.convert(x, dtype);
    }

    /**
     * General contraction; see {@link dev.solstice.prim.DotGeneral}.
     *
     * {@snippet lang=java :
     * Array a = Array.of(new double[] {1, 2, 3, 4}, 2, 2);
     * Lax.dotGeneral(a, a, new int[] {1}, new int[] {0}, new int[0], new int[0])   // [[7.0, 10.0], [15.0, 22.0]]
     * }
     */
    public static Array dotGeneral(Array x, Array y, int[] lhsContract, int[] rhsContract, int[] lhsBatch, int[] rhsBatch) {
        return Ops.dotGeneral(x, y, lhsContract, rhsContract, lhsBatch, rhsBatch);
    }

    /**
     * Sum over axes.
     *
     * {@snippet lang=java :
     * Lax.reduceSum(Array.of(new double[] {1, 2, 3, 4}, 2, 2), 1)   // [3.0, 7.0]
     * }
     */
    public static Array reduceSum(Array x, int... axes) { return Ops.reduceSum(x, axes); }
    /**
     * Maximum over axes.
     *
     * {@snippet lang=java :
     * Lax.reduceMax(Array.of(new double[] {1, 2, 3, 4}, 2, 2), 0)   // [3.0, 4.0]
     * }
     */
    public static Array reduceMax(Array x, int... axes) { return Ops.reduceMax(x, axes); }
    /**
     * Minimum over axes.
     *
     * {@snippet lang=java :
     * Lax.reduceMin(Array.of(new double[] {1, 2, 3, 4}, 2, 2), 0, 1)   // 1.0
     * }
     */
    public static Array reduceMin(Array x, int... axes) { return Ops.reduceMin(x, axes); }
    /**
     * Index of the first maximum along an axis.
     *
     * {@snippet lang=java :
     * Lax.argmax(Array.of(1.0, 5.0, 3.0), 0)      // 1
     * }
     */
    public static Array argmax(Array x, int axis) { return Ops.argmax(x, axis); }
    /**
     * Index of the first minimum along an axis.
     *
     * {@snippet lang=java :
     * Lax.argmin(Array.of(1.0, 5.0, 0.0), 0)      // 2
     * }
     */
    public static Array argmin(Array x, int axis) { return Ops.argmin(x, axis); }

    /**
     * Broadcasts to {@code shape}, operand axis i going to result axis {@code broadcastDimensions[i]}.
     *
     * {@snippet lang=java :
     * Lax.broadcastInDim(Array.of(1.0, 2.0), new int[] {3, 2}, new int[] {1})   // [[1.0, 2.0], [1.0, 2.0], [1.0, 2.0]]
     * }
     */
    public static Array broadcastInDim(Array x, int[] shape, int[] broadcastDimensions) {
        return Ops.broadcastInDim(x, shape, broadcastDimensions);
    }

    /**
     * The same elements in a new shape of the same size.
     *
     * {@snippet lang=java :
     * Lax.reshape(Jnp.arange(6), 3, 2)             // [[0, 1], [2, 3], [4, 5]]
     * }
     */
    public static Array reshape(Array x, int... newSizes) {
        return Ops.reshape(x, newSizes);
    }

    /**
     * Permutes axes.
     *
     * {@snippet lang=java :
     * Lax.transpose(Jnp.zeros(2, 3, 4), 2, 0, 1)   // float64[4,2,3]
     * }
     */
    public static Array transpose(Array x, int... permutation) { return Ops.transpose(x, permutation); }
    /**
     * Removes axes of length 1.
     *
     * {@snippet lang=java :
     * Lax.squeeze(Jnp.zeros(1, 3, 1), 0, 2)       // float64[3]
     * }
     */
    public static Array squeeze(Array x, int... dimensions) { return Ops.squeeze(x, dimensions); }
    /**
     * Inserts axes of length 1.
     *
     * {@snippet lang=java :
     * Lax.expandDims(Jnp.zeros(3), 0)             // float64[1,3]
     * }
     */
    public static Array expandDims(Array x, int... dimensions) { return Ops.expandDims(x, dimensions); }

    /**
     * A strided window.
     *
     * {@snippet lang=java :
     * Lax.slice(Jnp.arange(10), new int[] {1}, new int[] {8}, new int[] {3})   // [1, 4, 7]
     * }
     */
    public static Array slice(Array x, int[] start, int[] limit, int[] strides) {
        return Ops.slice(x, start, limit, strides);
    }

    /**
     * Elements {@code [start, limit)} of one axis, every other axis whole (JAX's {@code lax.slice_in_dim}
     * with stride 1).
     *
     * {@snippet lang=java :
     * Lax.sliceInDim(Jnp.arange(6).reshape(2, 3), 1, 3, 1)    // [[1, 2], [4, 5]]
     * }
     */
    public static Array sliceInDim(Array x, int start, int limit, int axis) {
        int[] from = new int[x.ndim()];
        int[] to = x.shape().clone();
        int[] strides = new int[x.ndim()];
        java.util.Arrays.fill(strides, 1);
        from[axis] = start;
        to[axis] = limit;
        return Ops.slice(x, from, to, strides);
    }

    /**
     * Pads with a scalar value: low, high and interior padding per axis, as {@code lax.pad}; a negative low or
     * high padding crops that many elements from that end (interior padding is non-negative). See
     * {@link dev.solstice.prim.Pad}.
     *
     * {@snippet lang=java :
     * Lax.pad(Array.of(1.0, 2.0), Array.scalar(0.0), new int[] {1}, new int[] {0}, new int[] {1})   // [0.0, 1.0, 0.0, 2.0]
     * }
     */
    public static Array pad(Array x, Array paddingValue, int[] low, int[] high, int[] interior) {
        return Ops.pad(x, paddingValue, low, high, interior);
    }

    // ---- convolution, windowed reductions, reversal (dev.solstice.prim.ConvGeneralDilated and friends) ----

    /**
     * Reverses the order of elements along {@code dimensions}.
     *
     * {@snippet lang=java :
     * Lax.rev(Array.of(1.0, 2.0, 3.0), 0)           // [3.0, 2.0, 1.0]
     * }
     */
    public static Array rev(Array x, int... dimensions) {
        return Ops.rev(x, dimensions);
    }

    /**
     * General dilated convolution; see {@link dev.solstice.prim.ConvGeneralDilated}. {@code lhs} is
     * {@code [N, C, spatial...]}, {@code rhs} is {@code [O, C/featureGroupCount, window...]}, the result
     * {@code [N, O, spatial'...]}; one entry per spatial axis in each int array.
     *
     * {@snippet lang=java :
     * Array signal = Array.of(new double[] {1, 2, 3, 4}, 1, 1, 4);     // [N, C, W]
     * Array kernel = Array.of(new double[] {1, 1}, 1, 1, 2);            // [O, C, w]
     * Lax.convGeneralDilated(signal, kernel, new int[] {1}, new int[] {0}, new int[] {0}, new int[] {1}, new int[] {1}, 1)   // [[[3.0, 5.0, 7.0]]]
     * }
     */
    public static Array convGeneralDilated(Array lhs, Array rhs, int[] windowStrides, int[] paddingLo,
            int[] paddingHi, int[] lhsDilation, int[] rhsDilation, int featureGroupCount) {
        return Ops.convGeneralDilated(lhs, rhs, windowStrides, paddingLo, paddingHi, lhsDilation, rhsDilation, featureGroupCount);
    }

    /**
     * Convolution with strides and a padding string, as {@code lax.conv}: {@code "VALID"} (no padding) or
     * {@code "SAME"} (output length {@code ceil(in / stride)}, the extra padding going after, as XLA does).
     * Layout as {@link #convGeneralDilated}.
     *
     * {@snippet lang=java :
     * Array signal = Array.of(new double[] {1, 2, 3, 4}, 1, 1, 4);
     * Lax.conv(signal, Array.of(new double[] {1, 1}, 1, 1, 2), new int[] {1}, "SAME")   // [[[3.0, 5.0, 7.0, 4.0]]]
     * }
     */
    public static Array conv(Array lhs, Array rhs, int[] windowStrides, String padding) {
        return Ops.conv(lhs, rhs, windowStrides, padding);
    }

    /**
     * Convolution with strides and explicit padding (before, after) per spatial axis, no dilation, one group.
     *
     * {@snippet lang=java :
     * Array signal = Array.of(new double[] {1, 2, 3, 4}, 1, 1, 4);
     * Lax.conv(signal, Array.of(new double[] {1, 1}, 1, 1, 2), new int[] {2}, new int[] {1}, new int[] {1})   // [[[1.0, 5.0, 4.0]]]
     * }
     */
    public static Array conv(Array lhs, Array rhs, int[] windowStrides, int[] paddingLo, int[] paddingHi) {
        return Ops.conv(lhs, rhs, windowStrides, paddingLo, paddingHi);
    }

    /**
     * Explicit (lo, hi) padding for a padding string over inputs {@code in} and windows {@code window}
     * (dilated by {@code dilation}), as JAX's {@code padtype_to_pads}: {@code "VALID"} pads nothing,
     * {@code "SAME"} pads {@code max(0, (ceil(in/stride) - 1) * stride + window - in)} in all, half before
     * (rounded down) and the rest after. Returns {@code {lo, hi}}.
     *
     * {@snippet lang=java :
     * Arrays.deepToString(Lax.padding(new int[] {5}, new int[] {3}, new int[] {1}, new int[] {2}, "SAME"))   // [[1], [1]]
     * }
     */
    public static int[][] padding(int[] in, int[] window, int[] dilation, int[] strides, String padding) {
        return Ops.padding(in, window, dilation, strides, padding);
    }

    /**
     * Sum over sliding windows with zero padding; see {@link dev.solstice.prim.ReduceWindowSum}. One entry per
     * axis of {@code x} in each array (use a window of 1 for axes not pooled).
     *
     * {@snippet lang=java :
     * Lax.reduceWindowSum(Array.of(1.0, 2.0, 3.0, 4.0), new int[] {2}, new int[] {2}, new int[] {0}, new int[] {0})   // [3.0, 7.0]
     * }
     */
    public static Array reduceWindowSum(Array x, int[] windowDimensions, int[] windowStrides, int[] paddingLo,
            int[] paddingHi) {
        return Ops.reduceWindowSum(x, windowDimensions, windowStrides, paddingLo, paddingHi);
    }

    /**
     * Maximum over sliding windows with -inf padding; see {@link dev.solstice.prim.ReduceWindowMax}.
     *
     * {@snippet lang=java :
     * Lax.reduceWindowMax(Array.of(1.0, 5.0, 3.0), new int[] {2}, new int[] {1}, new int[] {0}, new int[] {1})   // [5.0, 5.0, 3.0]
     * }
     */
    public static Array reduceWindowMax(Array x, int[] windowDimensions, int[] windowStrides, int[] paddingLo,
            int[] paddingHi) {
        return Ops.reduceWindowMax(x, windowDimensions, windowStrides, paddingLo, paddingHi);
    }

    /**
     * {@link #reduceWindowSum} with a padding string ({@code "SAME"} or {@code "VALID"}, see {@link #padding}).
     *
     * {@snippet lang=java :
     * Lax.reduceWindowSum(Array.of(1.0, 2.0, 3.0), new int[] {2}, new int[] {1}, "VALID")   // [3.0, 5.0]
     * }
     */
    public static Array reduceWindowSum(Array x, int[] windowDimensions, int[] windowStrides, String padding) {
        return Ops.reduceWindowSum(x, windowDimensions, windowStrides, padding);
    }

    /**
     * {@link #reduceWindowMax} with a padding string ({@code "SAME"} or {@code "VALID"}, see {@link #padding}).
     *
     * {@snippet lang=java :
     * Lax.reduceWindowMax(Array.of(1.0, 5.0, 3.0, 2.0), new int[] {2}, new int[] {2}, "VALID")   // [5.0, 3.0]
     * }
     */
    public static Array reduceWindowMax(Array x, int[] windowDimensions, int[] windowStrides, String padding) {
        return Ops.reduceWindowMax(x, windowDimensions, windowStrides, padding);
    }

    /**
     * A window of {@code sliceSizes} starting at run-time indices (int32 scalars, one per axis, clamped so the
     * window fits, as XLA does); see {@link dev.solstice.prim.DynamicSlice}.
     *
     * {@snippet lang=java :
     * Lax.dynamicSlice(Jnp.arange(5), new Array[] {Array.scalar(3)}, new int[] {2})   // [3, 4]
     * }
     */
    public static Array dynamicSlice(Array x, Array[] startIndices, int[] sliceSizes) {
        return Ops.dynamicSlice(x, int32Indices(startIndices), sliceSizes);
    }

    /**
     * {@link #dynamicSlice(Array, Array[], int[])} with start indices known now.
     *
     * {@snippet lang=java :
     * Lax.dynamicSlice(Jnp.arange(5), new int[] {4}, new int[] {2})   // [3, 4]: the start is clamped
     * }
     */
    public static Array dynamicSlice(Array x, int[] startIndices, int[] sliceSizes) {
        return Ops.dynamicSlice(x, startIndices, sliceSizes);
    }

    /**
     * {@code x} with {@code update} written over it at run-time start indices (int32 scalars, one per axis,
     * clamped so the update fits); see {@link dev.solstice.prim.DynamicUpdateSlice}.
     *
     * {@snippet lang=java :
     * Lax.dynamicUpdateSlice(Jnp.zeros(4), Array.of(1.0, 2.0), new Array[] {Array.scalar(1)})   // [0.0, 1.0, 2.0, 0.0]
     * }
     */
    public static Array dynamicUpdateSlice(Array x, Array update, Array[] startIndices) {
        return Ops.dynamicUpdateSlice(x, update, int32Indices(startIndices));
    }

    /**
     * {@link #dynamicUpdateSlice(Array, Array, Array[])} with start indices known now.
     *
     * {@snippet lang=java :
     * Lax.dynamicUpdateSlice(Jnp.zeros(4), Array.of(1.0, 2.0), new int[] {2})   // [0.0, 0.0, 1.0, 2.0]
     * }
     */
    public static Array dynamicUpdateSlice(Array x, Array update, int[] startIndices) {
        return Ops.dynamicUpdateSlice(x, update, startIndices);
    }

    /**
     * Gather in take-along-axis form: {@code out[i] = x[i with axis replaced by indices[i]]}; {@code indices}
     * is int32 of {@code x}'s rank and lengths except along {@code axis}; negative indices count from the end,
     * the rest is clamped. See {@link dev.solstice.prim.Gather}.
     *
     * {@snippet lang=java :
     * Lax.takeAlongAxis(Array.of(10.0, 20.0, 30.0), Array.of(2, 0), 0)   // [30.0, 10.0]
     * }
     */
    public static Array takeAlongAxis(Array x, Array indices, int axis) {
        return Ops.takeAlongAxis(x, int32Index(indices), axis);
    }

    /** {@link #int32Index} of each. */
    private static Array[] int32Indices(Array[] indices) {
        Array[] r = indices.clone();
        for (int i = 0; i < r.length; i++) {
            r[i] = r[i] == null ? null : int32Index(r[i]);
        }
        return r;
    }

    /**
     * Indices of any integer dtype as the int32 the index primitives take (JAX converts them too); int64 and
     * uint32 values beyond int32's range are clamped to it first, which keeps the primitives' clamping.
     * Non-integers pass unchanged, for the primitive's error.
     */
    private static Array int32Index(Array i) {
        DType t = i.dtype();
        if (t == DType.INT32 || !t.isInteger()) {
            return i;
        }
        if (t == DType.INT64 || t == DType.UINT32) {
            i = Ops.max(Ops.min(i, Ops.full(new Aval(t, i.shape()), Integer.MAX_VALUE)),
                    Ops.full(new Aval(t, i.shape()), Integer.MIN_VALUE));
        }
        return Ops.convert(i, DType.INT32);
    }

    /**
     * {@code x} with {@code updates[i]} added at {@code i with axis replaced by indices[i]} (repeats
     * accumulate): the transpose of {@link #takeAlongAxis}. See {@link dev.solstice.prim.ScatterAdd}.
     *
     * {@snippet lang=java :
     * Lax.scatterAdd(Jnp.zeros(3), Array.of(0, 2, 0), Array.of(1.0, 2.0, 3.0), 0)   // [4.0, 0.0, 2.0]
     * }
     */
    public static Array scatterAdd(Array x, Array indices, Array updates, int axis) {
        return Ops.scatterAdd(x, int32Index(indices), updates, axis);
    }

    /**
     * Joins arrays along an axis.
     *
     * {@snippet lang=java :
     * Lax.concatenate(0, Array.of(1.0), Array.of(2.0, 3.0))   // [1.0, 2.0, 3.0]
     * }
     */
    public static Array concatenate(int dimension, Array... xs) {
        return Ops.concatenate(dimension, xs);
    }

    /**
     * The sum over the examples of the enclosing vmap named {@code axisName} (JAX's psum): every example
     * gets the total. Linear and differentiable; an error outside such a vmap.
     *
     * {@snippet lang=java :
     * Jax.vmap((Array x) -> Lax.psum(x, "i"), 0, 0, "i").apply(Array.of(1.0, 2.0))   // [3.0, 3.0]
     * }
     */
    public static Array psum(Array x, String axisName) {
        return Ops.psum(x, axisName);
    }

    /**
     * The mean over the examples of the enclosing vmap named {@code axisName} (JAX's pmean).
     *
     * {@snippet lang=java :
     * Jax.vmap((Array x) -> Lax.pmean(x, "i"), 0, 0, "i").apply(Array.of(1.0, 3.0))   // [2.0, 2.0]
     * }
     */
    public static Array pmean(Array x, String axisName) {
        return Ops.pmean(x, axisName);
    }

    /**
     * Counts 0, 1, 2, ... along {@code dimension} of an array of the given dtype and shape.
     *
     * {@snippet lang=java :
     * Lax.iota(DType.INT32, new int[] {2, 3}, 1)    // [[0, 1, 2], [0, 1, 2]]
     * }
     */
    public static Array iota(DType dtype, int[] shape, int dimension) {
        return Ops.iota(dtype, shape, dimension);
    }

    /**
     * Elementwise inverse error function, {@code erf_inv(±1) = ±inf}; see {@link dev.solstice.prim.ErfInv}.
     *
     * {@snippet lang=java :
     * Lax.erf(Lax.erfInv(Array.of(0.5)))            // [0.5]
     * }
     */
    public static Array erfInv(Array x) {
        return Ops.erfInv(x);
    }

    /**
     * Elementwise exclusive or (logical for bool, bitwise for int32).
     *
     * {@snippet lang=java :
     * Lax.xor(Array.of(6), Array.of(3))            // [5]
     * }
     */
    public static Array xor(Array x, Array y) {
        return Ops.xor(x, y);
    }

    /**
     * Elementwise logical (zero-filling) right shift of int32 words; amounts outside [0, 32) give 0.
     *
     * {@snippet lang=java :
     * Lax.shiftRightLogical(Array.of(-1), Array.of(28))   // [15]: the sign bit is not kept
     * }
     */
    public static Array shiftRightLogical(Array x, Array y) {
        return Ops.shiftRightLogical(x, y);
    }

    /**
     * The Threefry-2x32 hash of counters {@code (x0, x1)} under keys {@code (k0, k1)}, all int32 arrays of one
     * shape holding uint32 words; returns {@code {y0, y1}}. See {@link dev.solstice.prim.Threefry2x32}.
     *
     * {@snippet lang=java :
     * Array zero = Array.of(0);
     * Lax.threefry2x32(zero, zero, zero, zero)[0]  // int32[1]
     * }
     */
    public static Array[] threefry2x32(Array k0, Array k1, Array x0, Array x1) {
        return Ops.threefry2x32(k0, k1, x0, x1);
    }

    /**
     * {@code x} unchanged, named for a checkpoint policy, as {@code jax.ad_checkpoint.checkpoint_name}: inside a
     * function checkpointed with {@link CheckpointPolicy#saveOnlyNames}, the named values are stored for reverse
     * mode and the others recomputed. Transparent to every transformation.
     *
     * {@snippet lang=java :
     * UnaryOperator<Array> f = Jax.checkpoint((Array x) -> Jnp.sin(Lax.checkpointName(x.mul(2.0), "h")),
     *         CheckpointPolicy.saveOnlyNames("h"));
     * Jax.grad(f).apply(Array.scalar(0.0))        // 2.0
     * }
     */
    public static Array checkpointName(Array x, String name) {
        return Checkpoint.name(x, name);
    }

    // ---- control flow ---------------------------------------------------------------------------------------
    //
    // Control flow (cond, switchCase, whileLoop, foriLoop, scan, map) traces its functions on every call, eager or
    // not, and reuses the compiled program of an earlier call whose trace has the same structure (see cond).

    /**
     * {@code pred ? onTrue(operand) : onFalse(operand)} as one differentiable, batchable operation, as
     * {@code lax.cond}: {@code pred} is a bool scalar (or an int32 scalar, true when nonzero); both branches are
     * traced and must return trees of the same structure, shapes and dtypes; only the chosen one runs. Under vmap
     * with a batched predicate both run and the results are selected per example.
     *
     * <p>Caching, here and in every control-flow function of this class: the functions are traced on every call
     * (about a microsecond for a small branch) and the traced program is replaced by an earlier one of the same
     * structure, whose compiled executable and derived programs (JVP, vmap, transpose) are then reused. What a
     * function captures (arrays, and Java numbers, which become arrays) is an operand of the call, not part of
     * the program, so the same function object reading a field, a static, or a holder whose value changed since
     * the last call gives the current result. The trace is deliberately not cached by function object: a Java
     * lambda's captured variables are fixed when the lambda object is created (a capturing lambda expression
     * creates a new object each time it is evaluated), but a lambda or method reference reads fields and mutable
     * objects when it runs, which no cache keyed on the object can see. A Java value that becomes a parameter
     * of an operation (an exponent of {@link #integerPow}, a shape) gives another structure, compiled once more.
     *
     * {@snippet lang=java :
     * Function<Array, Array> relu = x -> Lax.cond(Jnp.greater(x, 0.0), (Array v) -> v, (Array v) -> v.mul(0.0), x);
     * Jax.vmap(relu).apply(Array.of(-1.0, 2.0))   // [0.0, 2.0]
     * }
     */
    public static <T, R> R cond(Array pred, Function<T, R> onTrue, Function<T, R> onFalse, T operand) {
        Array p = pred.dtype().isInteger() && pred.ndim() == 0 ? Ops.ne(pred, Ops.zerosLike(pred)) : pred;
        return ControlFlow.switchCase("Lax.cond", p, List.of(onFalse, onTrue), operand);
    }

    /**
     * {@code branches.get(index)(operand)}, as {@code lax.switch}: {@code index} is an int32 scalar, clamped to
     * {@code [0, branches.size() - 1]}; every branch is traced and must return the same structure, shapes and
     * dtypes; only the chosen one runs.
     *
     * {@snippet lang=java :
     * List<Function<Array, Array>> branches = List.of(x -> x.add(1.0), x -> x.mul(10.0));
     * Lax.switchCase(Array.scalar(1), branches, Array.scalar(2.0))   // 20.0
     * }
     */
    public static <T, R> R switchCase(Array index, List<? extends Function<T, R>> branches, T operand) {
        return ControlFlow.switchCase("Lax.switchCase", index, branches, operand);
    }

    /**
     * {@code while (cond(c)) c = body(c); return c;} as one primitive, as {@code lax.while_loop}: both functions
     * are traced once; the body must keep the carry's tree structure, shapes and dtypes. Differentiable in forward
     * mode (jvp, jacfwd) and batchable (a batched predicate runs until every example is done); reverse mode is
     * refused: use {@link #foriLoop} with static bounds or {@link #scan}.
     *
     * {@snippet lang=java :
     * Lax.whileLoop((Array c) -> Jnp.less(c, 100.0), c -> c.mul(3.0), Array.scalar(1.0))   // 243.0
     * }
     */
    public static <C> C whileLoop(Function<C, Array> cond, UnaryOperator<C> body, C init) {
        return ControlFlow.whileLoop("Lax.whileLoop", cond, body, init);
    }

    /**
     * {@code lax.scan}: runs {@code f} over the leading axis of every leaf of {@code xs}, threading a carry and
     * stacking the per-step outputs. The body is traced once whatever the length and must keep the carry's tree
     * structure, shapes and dtypes. Differentiable in both modes (its reverse mode stores each step's residuals),
     * batchable, and staged as one operation under jit.
     *
     * {@snippet lang=java :
     * Scan<Array, Array> s = Lax.scan((Array c, Array x) -> new ScanStep<>(c.add(x), c), Array.scalar(0.0), Array.of(1.0, 2.0, 3.0));
     * s.ys()                                      // [0.0, 1.0, 3.0]: each step's carry before the step
     * s.carry()                                   // 6.0
     * }
     */
    public static <C, X, Y> Scan<C, Y> scan(BiFunction<C, X, ScanStep<C, Y>> f, C init, X xs) {
        return scan(f, init, xs, ScanOptions.defaults());
    }

    /**
     * {@link #scan(BiFunction, Object, Object)} with options: reverse, a length for {@code xs == null}, unrolling.
     *
     * {@snippet lang=java :
     * Lax.scan((Array c, Array x) -> new ScanStep<>(c.add(x), null), Array.scalar(0.0), Array.of(1.0, 2.0),
     *         ScanOptions.reverse()).carry()      // 3.0
     * }
     */
    @SuppressWarnings("unchecked")
    public static <C, X, Y> Scan<C, Y> scan(BiFunction<C, X, ScanStep<C, Y>> f, C init, X xs, ScanOptions options) {
        if (xs == null && options.length() < 0) {
            throw new IllegalArgumentException("Lax.scan: with xs null, give the number of steps: ScanOptions.ofLength(n)");
        }
        Object[] r = ControlFlow.scan("Lax.scan", (C c, X x) -> {
            ScanStep<C, Y> step = f.apply(c, x);
            if (step == null) {
                throw new IllegalArgumentException("Lax.scan: the body returned null instead of a ScanStep");
            }
            return new Object[] {step.carry(), step.y()};
        }, init, xs, options.reversed(), options.length(), options.unroll());
        return new Scan<>((C) r[0], (Y) r[1]);
    }

    /**
     * {@code for (i = lo; i < hi; i++) c = body(i, c)} with static bounds, as {@code lax.fori_loop}: lowered to a
     * scan of {@code hi - lo} steps (so reverse-mode differentiable); {@code i} is an int32 scalar.
     *
     * {@snippet lang=java :
     * Lax.foriLoop(0, 5, (Array i, Array acc) -> acc.add(i), Array.scalar(0))   // 10
     * }
     */
    public static <C> C foriLoop(int lo, int hi, BiFunction<Array, C, C> body, C init) {
        List<Object> start = List.of(Array.scalar(lo), init);
        Scan<List<Object>, Object> s = scan((List<Object> c, Object x) -> {
            Array i = (Array) c.get(0);
            @SuppressWarnings("unchecked")
            C next = body.apply(i, (C) c.get(1));
            return new ScanStep<>(List.of(Ops.add(i, Array.scalar(1)), next), null);
        }, start, null, ScanOptions.ofLength(Math.max(0, hi - lo)));
        @SuppressWarnings("unchecked")
        C out = (C) s.carry().get(1);
        return out;
    }

    /**
     * {@link #foriLoop(int, int, BiFunction, Object)} with bounds given as int32 scalar arrays, as {@code
     * lax.fori_loop}: concrete bounds (values known now) are read and the loop is a scan (reverse-differentiable);
     * traced bounds (a jit argument, a vmapped value) make it a while loop whose counter runs from {@code lo} while
     * it is below {@code hi}, differentiable in forward mode only (reverse mode is refused with a message pointing
     * to static bounds). Under vmap with batched bounds each example runs its own number of steps.
     *
     * {@snippet lang=java :
     * Lax.foriLoop(Array.scalar(1), Array.scalar(4), (Array i, Array acc) -> acc.mul(i), Array.scalar(1))   // 6
     * }
     */
    public static <C> C foriLoop(Array lo, Array hi, BiFunction<Array, C, C> body, C init) {
        for (Array b : new Array[] {lo, hi}) {
            if (b.ndim() != 0 || b.dtype() != DType.INT32) {
                throw new IllegalArgumentException("Lax.foriLoop: the bounds must be int32 scalars, got lo "
                        + lo.aval().str() + " and hi " + hi.aval().str());
            }
        }
        if (!(lo instanceof Tracer) && !(hi instanceof Tracer)) {
            return foriLoop((int) lo.item(), (int) hi.item(), body, init);
        }
        List<Object> start = List.of(lo, init);
        List<Object> end = whileLoop((List<Object> c) -> Ops.lt((Array) c.get(0), hi), (List<Object> c) -> {
            Array i = (Array) c.get(0);
            @SuppressWarnings("unchecked")
            C next = body.apply(i, (C) c.get(1));
            return List.of(Ops.add(i, Array.scalar(1)), next);
        }, start);
        @SuppressWarnings("unchecked")
        C out = (C) end.get(1);
        return out;
    }

    /**
     * {@code f} applied to each slice of {@code xs} along its leading axis, stacked, as {@code lax.map}: a scan.
     *
     * {@snippet lang=java :
     * Lax.map((Array row) -> Jnp.sum(row), Array.of(new double[] {1, 2, 3, 4}, 2, 2))   // [3.0, 7.0]
     * }
     */
    public static <X, Y> Y map(Function<X, Y> f, X xs) {
        return scan((List<Array> c, X x) -> new ScanStep<>(c, f.apply(x)), List.<Array>of(), xs).ys();
    }

    // ---- sorting and cumulative reductions ----------------------------------------------------------------

    /**
     * Sorts operands of one shape along {@code dimension} (JAX's {@code lax.sort}, stable): rows ordered
     * lexicographically by the first {@code numKeys} operands, every operand permuted alike. Floats order as JAX:
     * -0.0 equals 0.0, NaNs last. Differentiable in every floating operand (tangents follow the permutation).
     *
     * {@snippet lang=java :
     * Array[] s = Lax.sort(new Array[] {Array.of(3.0, 1.0, 2.0), Array.of(30, 10, 20)}, 0, 1);
     * s[0]                                        // [1.0, 2.0, 3.0]
     * s[1]                                        // [10, 20, 30]: permuted alike
     * }
     */
    public static Array[] sort(Array[] operands, int dimension, int numKeys) {
        return Ops.sort(dimension, numKeys, operands);
    }

    /**
     * The {@code k} largest elements along the last axis, largest first, and their int32 positions, as JAX's
     * {@code lax.top_k}: equal elements in order of position; a NaN counts as larger than every number.
     * Differentiable in {@code x} (the values' tangents are the chosen elements' tangents).
     *
     * {@snippet lang=java :
     * Lax.topK(Array.of(1.0, 3.0, 2.0), 2).indices()   // [1, 2]
     * Lax.topK(Array.of(1.0, 3.0, 2.0), 4)        // throws IllegalArgumentException
     * }
     *
     * @throws IllegalArgumentException if {@code x} is a scalar or {@code k} is negative or above the axis length
     */
    public static TopK topK(Array x, int k) {
        int rank = x.ndim();
        if (rank == 0 || k < 0 || k > x.shape()[rank - 1]) {
            throw new IllegalArgumentException("top_k: k = " + k + " for operand " + x.aval().str() + "; need an operand"
                    + " of rank at least 1 and 0 <= k <= the length of its last axis");
        }
        Array[] top = dev.solstice.core.Interpreters.bind(new dev.solstice.prim.TopK(k), x);   // a heap, not a full sort
        Array values = top[0];
        Array indices = top[1];
        return new TopK(values, indices);
    }

    /**
     * Inclusive cumulative sum along {@code axis}, from the end if {@code reverse} (JAX's {@code lax.cumsum}). Linear.
     *
     * {@snippet lang=java :
     * Lax.cumsum(Array.of(1.0, 2.0, 3.0), 0, true)     // [6.0, 5.0, 3.0]
     * }
     */
    public static Array cumsum(Array x, int axis, boolean reverse) { return Ops.cumsum(x, axis, reverse); }

    /**
     * Inclusive cumulative product along {@code axis}, from the end if {@code reverse} (JAX's {@code lax.cumprod}).
     *
     * {@snippet lang=java :
     * Lax.cumprod(Array.of(1.0, 2.0, 3.0), 0, false)   // [1.0, 2.0, 6.0]
     * }
     */
    public static Array cumprod(Array x, int axis, boolean reverse) { return Ops.cumprod(x, axis, reverse); }

    /**
     * Inclusive cumulative maximum along {@code axis}, from the end if {@code reverse} (JAX's {@code lax.cummax}).
     *
     * {@snippet lang=java :
     * Lax.cummax(Array.of(1.0, 3.0, 2.0), 0, false)    // [1.0, 3.0, 3.0]
     * }
     */
    public static Array cummax(Array x, int axis, boolean reverse) { return Ops.cummax(x, axis, reverse); }

    /**
     * Inclusive cumulative minimum along {@code axis}, from the end if {@code reverse} (JAX's {@code lax.cummin}).
     *
     * {@snippet lang=java :
     * Lax.cummin(Array.of(3.0, 1.0, 2.0), 0, false)    // [3.0, 1.0, 1.0]
     * }
     */
    public static Array cummin(Array x, int axis, boolean reverse) { return Ops.cummin(x, axis, reverse); }

    /**
     * Inclusive cumulative {@code log(sum(exp(x)))} along {@code axis}, without overflow (JAX's {@code lax.cumlogsumexp}); floats only.
     *
     * {@snippet lang=java :
     * Lax.cumlogsumexp(Array.of(0.0, 0.0), 0, true)     // [0.6931471805599453, 0.0]
     * }
     */
    public static Array cumlogsumexp(Array x, int axis, boolean reverse) { return Ops.cumlogsumexp(x, axis, reverse); }

    /**
     * {@link #cumlogsumexp(Array, int, boolean)} from the start.
     *
     * {@snippet lang=java :
     * Lax.cumlogsumexp(Array.of(0.0, 0.0), 0)           // [0.0, 0.6931471805599453]
     * }
     */
    public static Array cumlogsumexp(Array x, int axis) { return Ops.cumlogsumexp(x, axis, false); }

    // ---- trigonometric, hyperbolic and special functions (issue 14) ---------------------------------------

    /**
     * Elementwise inverse sine, NaN outside [-1, 1] (JAX's {@code lax.asin}).
     *
     * {@snippet lang=java :
     * Lax.asin(Array.scalar(1.0)).item()      // 1.5707963267948966
     * }
     *
     * @param x a floating-point array
     * @return asin(x), same shape and dtype
     */
    public static Array asin(Array x) { return Interpreters.bind1(new Asin(), x); }

    /**
     * Elementwise inverse cosine, NaN outside [-1, 1] (JAX's {@code lax.acos}).
     *
     * {@snippet lang=java :
     * Lax.acos(Array.scalar(-1.0)).item()     // 3.141592653589793
     * }
     *
     * @param x a floating-point array
     * @return acos(x), same shape and dtype
     */
    public static Array acos(Array x) { return Interpreters.bind1(new Acos(), x); }

    /**
     * Elementwise inverse tangent (JAX's {@code lax.atan}).
     *
     * {@snippet lang=java :
     * Lax.atan(Array.scalar(1.0)).item()      // 0.7853981633974483
     * }
     *
     * @param x a floating-point array
     * @return atan(x), same shape and dtype
     */
    public static Array atan(Array x) { return Interpreters.bind1(new Atan(), x); }

    /**
     * Elementwise angle of the point (y, x), numerator first (JAX's {@code lax.atan2}); equal shapes and dtypes.
     *
     * {@snippet lang=java :
     * Lax.atan2(Array.scalar(1.0), Array.scalar(-1.0)).item()   // 2.356194490192345
     * }
     *
     * @param x the numerator (sine side)
     * @param y the denominator (cosine side)
     * @return atan2(x, y) in [-pi, pi]
     */
    public static Array atan2(Array x, Array y) { return Interpreters.bind1(new Atan2(), x, y); }

    /**
     * Elementwise hyperbolic sine (JAX's {@code lax.sinh}).
     *
     * {@snippet lang=java :
     * Lax.sinh(Array.scalar(0.0)).item()      // 0.0
     * }
     *
     * @param x a floating-point array
     * @return sinh(x), same shape and dtype
     */
    public static Array sinh(Array x) { return Interpreters.bind1(new Sinh(), x); }

    /**
     * Elementwise hyperbolic cosine (JAX's {@code lax.cosh}).
     *
     * {@snippet lang=java :
     * Lax.cosh(Array.scalar(0.0)).item()      // 1.0
     * }
     *
     * @param x a floating-point array
     * @return cosh(x), same shape and dtype
     */
    public static Array cosh(Array x) { return Interpreters.bind1(new Cosh(), x); }

    /**
     * Elementwise inverse hyperbolic sine (JAX's {@code lax.asinh}).
     *
     * {@snippet lang=java :
     * Lax.asinh(Array.scalar(0.0)).item()     // 0.0
     * }
     *
     * @param x a floating-point array
     * @return asinh(x), same shape and dtype
     */
    public static Array asinh(Array x) { return Interpreters.bind1(new Asinh(), x); }

    /**
     * Elementwise inverse hyperbolic cosine, NaN below 1 (JAX's {@code lax.acosh}).
     *
     * {@snippet lang=java :
     * Lax.acosh(Array.scalar(1.0)).item()     // 0.0
     * }
     *
     * @param x a floating-point array
     * @return acosh(x), same shape and dtype
     */
    public static Array acosh(Array x) { return Interpreters.bind1(new Acosh(), x); }

    /**
     * Elementwise inverse hyperbolic tangent, ±inf at ±1 and NaN beyond (JAX's {@code lax.atanh}).
     *
     * {@snippet lang=java :
     * Lax.atanh(Array.scalar(0.0)).item()     // 0.0
     * }
     *
     * @param x a floating-point array
     * @return atanh(x), same shape and dtype
     */
    public static Array atanh(Array x) { return Interpreters.bind1(new Atanh(), x); }

    /**
     * Elementwise log|Γ(x)|, +inf at the non-positive integers (JAX's {@code lax.lgamma}).
     *
     * {@snippet lang=java :
     * Lax.lgamma(Array.scalar(5.0)).item()    // 3.1780538303479458
     * }
     *
     * @param x a floating-point array
     * @return lgamma(x), same shape and dtype
     */
    public static Array lgamma(Array x) { return Interpreters.bind1(new Lgamma(), x); }

    /**
     * Elementwise digamma function d/dx log Γ(x), NaN at the non-positive integers (JAX's {@code lax.digamma}).
     *
     * {@snippet lang=java :
     * Lax.digamma(Array.scalar(1.0)).item()   // -0.5772156649015329
     * }
     *
     * @param x a floating-point array
     * @return digamma(x), same shape and dtype
     */
    public static Array digamma(Array x) { return Interpreters.bind1(new Digamma(), x); }

    /**
     * Elementwise polygamma function of order {@code m}, the m-th derivative of digamma (JAX's
     * {@code lax.polygamma}, the order a Java int); order 0 is digamma.
     *
     * {@snippet lang=java :
     * Lax.polygamma(1, Array.scalar(1.0)).item()   // 1.6449340668482264
     * }
     *
     * @param m the order, at least 0
     * @param x a floating-point array
     * @return polygamma(m, x), same shape and dtype
     */
    public static Array polygamma(int m, Array x) {
        if (m < 0) {
            throw new IllegalArgumentException("polygamma: the order m must be non-negative, got " + m);
        }
        return m == 0 ? digamma(x) : Interpreters.bind1(new Polygamma(m), x);
    }

    /**
     * Elementwise exponentially scaled modified Bessel function of order 0, e^-|x| I0(x) (JAX's
     * {@code lax.bessel_i0e}).
     *
     * {@snippet lang=java :
     * Lax.besselI0e(Array.scalar(0.0)).item()   // 1.0
     * }
     *
     * @param x a floating-point array
     * @return i0e(x), same shape and dtype
     */
    public static Array besselI0e(Array x) { return Interpreters.bind1(new BesselI0e(), x); }

    /**
     * Elementwise exponentially scaled modified Bessel function of order 1, e^-|x| I1(x) (JAX's
     * {@code lax.bessel_i1e}).
     *
     * {@snippet lang=java :
     * Lax.besselI1e(Array.scalar(0.0)).item()   // 0.0
     * }
     *
     * @param x a floating-point array
     * @return i1e(x), same shape and dtype
     */
    public static Array besselI1e(Array x) { return Interpreters.bind1(new BesselI1e(), x); }
}
