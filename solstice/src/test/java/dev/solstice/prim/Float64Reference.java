package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.Primitive;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * A plain, deliberately naive double-precision implementation of every primitive, written without the
 * library's kernels, shape helpers or evaluation code: {@code Math.*} for elementwise functions, Hipparchus
 * for erf, nested loops over multi-indices for everything structural. The primitive contract test compares
 * each primitive's evaluation with it. Parameters are read from the primitive's record components; nothing
 * else of the primitive is used.
 *
 * <p>Conventions written down here are the library's (and XLA's): integer division truncates toward zero,
 * wraps around on overflow and gives -1 for a zero divisor; float-to-int conversion truncates toward zero,
 * saturates at the int32 range and sends NaN to 0; anything nonzero converts to true; argmax/argmin give the
 * first extreme, a NaN counting as the extreme.
 */
final class Float64Reference {
    private Float64Reference() {}

    /**
     * A reference value: dtype, shape and the elements as doubles (row-major). {@code scale}, where not null,
     * is the magnitude the result was accumulated from (the sum of absolute values of the terms), against which
     * rounding error in a sum or product is measured; null means the value itself is the scale.
     *
     * @param dtype the expected dtype
     * @param shape the expected shape
     * @param values the expected elements
     * @param scale per element, the accumulated magnitude, or null
     */
    record Ref(DType dtype, int[] shape, double[] values, double[] scale) {
        Ref(DType dtype, int[] shape, double[] values) {
            this(dtype, shape, values, null);
        }

        static Ref of(Array a) {
            return new Ref(a.dtype(), a.shape(), a.toDoubleArray());
        }

        int size() {
            return values.length;
        }

        int rank() {
            return shape.length;
        }

        @Override
        public String toString() {
            return dtype + Arrays.toString(shape) + Arrays.toString(values);
        }
    }

    /** One primitive's reference: the outputs given the primitive (for its parameters) and the inputs. */
    @FunctionalInterface
    interface Impl {
        Ref[] apply(Primitive p, Ref[] in);
    }

    private static final Map<String, Impl> REFERENCES = new HashMap<>();

    /** The reference for a primitive name, or null when none is written. */
    static Impl get(String name) {
        return REFERENCES.get(name);
    }

    /** The primitive names that have a reference. */
    static Set<String> names() {
        return Set.copyOf(REFERENCES.keySet());
    }

    private static void put(String name, Impl impl) {
        if (REFERENCES.put(name, impl) != null) {
            throw new IllegalStateException("two references for " + name);
        }
    }

    private static void unary(String name, DoubleUnaryOperator f) {
        put(name, (p, in) -> one(map1(in[0], in[0].dtype(), f)));
    }

    private static void binary(String name, DoubleBinaryOperator f) {
        put(name, (p, in) -> one(map2(in[0], in[1], in[0].dtype(), f)));
    }

    private static void comparison(String name, DoubleBinaryOperator f) {
        put(name, (p, in) -> one(map2(in[0], in[1], DType.BOOL, f)));
    }

    static {
        // elementwise functions of one operand (ints arrive as exact doubles)
        unary("neg", x -> -x);
        unary("abs", Math::abs);
        unary("sign", Math::signum);
        unary("floor", Math::floor);
        unary("ceil", Math::ceil);
        unary("round", Float64Reference::roundHalfEven);
        unary("exp", Math::exp);
        unary("expm1", Math::expm1);
        unary("log", Math::log);
        unary("log1p", Math::log1p);
        unary("sin", Math::sin);
        unary("cos", Math::cos);
        unary("tan", Math::tan);
        unary("tanh", Math::tanh);
        unary("logistic", x -> 1 / (1 + Math.exp(-x)));
        unary("sqrt", Math::sqrt);
        unary("rsqrt", x -> 1 / Math.sqrt(x));
        unary("erf", org.hipparchus.special.Erf::erf);
        unary("erfc", org.hipparchus.special.Erf::erfc);
        unary("stop_gradient", x -> x);
        put("integer_pow", (p, in) -> {
            int n = ((IntegerPow) p).n();
            return one(map1(in[0], in[0].dtype(), x -> Math.pow(x, n)));
        });
        put("not", (p, in) -> one(in[0].dtype() == DType.BOOL
                ? map1(in[0], DType.BOOL, x -> x == 0 ? 1 : 0)
                : map1(in[0], DType.INT32, x -> -x - 1)));

        // elementwise functions of two operands
        binary("add", Double::sum);
        binary("sub", (x, y) -> x - y);
        binary("mul", (x, y) -> x * y);
        put("div", (p, in) -> one(in[0].dtype().isFloating()
                ? map2(in[0], in[1], in[0].dtype(), (x, y) -> x / y)
                : map2(in[0], in[1], in[0].dtype(), (x, y) -> y == 0 ? -1 : wrapInt32(truncate(x / y)))));
        binary("pow", Math::pow);
        binary("max", (x, y) -> Double.isNaN(x) || Double.isNaN(y) ? Double.NaN : x >= y ? x : y);
        binary("min", (x, y) -> Double.isNaN(x) || Double.isNaN(y) ? Double.NaN : x <= y ? x : y);
        binary("and", (x, y) -> bitwise(x, y, (a, b) -> a & b));
        binary("or", (x, y) -> bitwise(x, y, (a, b) -> a | b));
        comparison("eq", (x, y) -> x == y ? 1 : 0);
        comparison("ne", (x, y) -> x != y ? 1 : 0);
        comparison("lt", (x, y) -> x < y ? 1 : 0);
        comparison("le", (x, y) -> x <= y ? 1 : 0);
        comparison("gt", (x, y) -> x > y ? 1 : 0);
        comparison("ge", (x, y) -> x >= y ? 1 : 0);
        put("select", (p, in) -> {
            double[] out = new double[in[1].size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = in[0].values()[i] != 0 ? in[1].values()[i] : in[2].values()[i];
            }
            return one(new Ref(in[1].dtype(), in[1].shape(), out));
        });
        put("convert_element_type", (p, in) -> {
            DType to = ((ConvertElementType) p).newDtype();
            DType from = in[0].dtype();
            DoubleUnaryOperator f = switch (to) {
                case FLOAT32, FLOAT64 -> x -> x;
                case INT32 -> from.isFloating()
                        ? x -> Double.isNaN(x) ? 0 : Math.max(-2147483648.0, Math.min(2147483647.0, truncate(x)))
                        : x -> x;
                case BOOL -> x -> x != 0 ? 1 : 0;
                default -> throw new IllegalArgumentException("no float64 reference for " + to);
            };
            return one(map1(in[0], to, f));
        });

        // reductions
        put("reduce_sum", (p, in) -> one(reduce(in[0], ((ReduceSum) p).axes(), Reduction.SUM)));
        put("reduce_max", (p, in) -> one(reduce(in[0], ((ReduceMax) p).axes(), Reduction.MAX)));
        put("reduce_min", (p, in) -> one(reduce(in[0], ((ReduceMin) p).axes(), Reduction.MIN)));
        put("argmax", (p, in) -> one(argExtreme(in[0], ((ArgMax) p).axis(), (v, best) -> v > best)));
        put("argmin", (p, in) -> one(argExtreme(in[0], ((ArgMin) p).axis(), (v, best) -> v < best)));

        // contraction
        put("dot_general", (p, in) -> one(dotGeneral((DotGeneral) p, in[0], in[1])));

        // structure
        put("broadcast_in_dim", (p, in) -> one(broadcastInDim((BroadcastInDim) p, in[0])));
        put("reshape", (p, in) -> one(new Ref(in[0].dtype(), ((Reshape) p).newSizes(), in[0].values().clone())));
        put("transpose", (p, in) -> one(transpose(((Transpose) p).permutation(), in[0])));
        put("squeeze", (p, in) -> one(squeeze(((Squeeze) p).dimensions(), in[0])));
        put("expand_dims", (p, in) -> one(expandDims(((ExpandDims) p).dimensions(), in[0])));
        put("slice", (p, in) -> one(slice((Slice) p, in[0])));
        put("pad", (p, in) -> one(pad((Pad) p, in[0], in[1])));
        put("concatenate", (p, in) -> one(concatenate(((Concatenate) p).dimension(), in)));
        put("iota", (p, in) -> one(iota((Iota) p)));

        // convolution and reversal
        put("conv_general_dilated", (p, in) -> one(convGeneralDilated((ConvGeneralDilated) p, in[0], in[1])));
        put("rev", (p, in) -> one(rev(((Rev) p).dimensions(), in[0])));
        put("reduce_window_sum", (p, in) -> one(reduceWindow((WindowReducer) p, in[0], false)));
        put("reduce_window_max", (p, in) -> one(reduceWindow((WindowReducer) p, in[0], true)));
        put("dynamic_slice", (p, in) -> one(dynamicSlice(((DynamicSlice) p).sliceSizes(), in)));
        put("dynamic_update_slice", (p, in) -> one(dynamicUpdateSlice(in)));
        put("gather", (p, in) -> one(takeAlongAxis(((Gather) p).axis(), in[0], in[1], null)));
        put("scatter_add", (p, in) -> one(takeAlongAxis(((ScatterAdd) p).axis(), in[0], in[1], in[2])));

        // random-number primitives (added with dev.solstice.Prng)
        unary("erf_inv", org.hipparchus.special.Erf::erfInv);
        binary("xor", (x, y) -> bitwise(x, y, (a, b) -> a ^ b));
        binary("shift_right_logical", (x, y) -> y < 0 || y >= 32 ? 0 : (double) (int) ((((long) x) & 0xFFFFFFFFL) >> (long) y));
        put("threefry2x32", (p, in) -> threefry(in));

        // inverse trigonometric, hyperbolic and special functions (issue 14): Hipparchus, and a quadrature for Bessel
        unary("sinh", Math::sinh);
        unary("cosh", Math::cosh);
        unary("asinh", org.hipparchus.util.FastMath::asinh);
        unary("acosh", org.hipparchus.util.FastMath::acosh);
        unary("atanh", org.hipparchus.util.FastMath::atanh);
        unary("asin", Math::asin);
        unary("acos", Math::acos);
        unary("atan", Math::atan);
        binary("atan2", Math::atan2);
        unary("lgamma", SpecialReferences::logAbsGamma);
        unary("digamma", SpecialReferences::digamma);
        put("polygamma", (p, in) -> {
            int m = ((Polygamma) p).m();
            return one(map1(in[0], in[0].dtype(), x -> SpecialReferences.polygamma(m, x)));
        });
        unary("bessel_i0e", x -> SpecialReferences.besselScaled(0, x));
        unary("bessel_i1e", x -> SpecialReferences.besselScaled(1, x));

        // sort and cumulative reductions
        SortReferences.register(Float64Reference::put);
        LinalgReferences.register(Float64Reference::put);
        put("error_if", (p, in) -> {
            // the values pass unchanged; a true predicate would have thrown (the examples never hold one)
            for (double v : in[in.length - 2].values()) {
                if (v != 0) {
                    throw new IllegalStateException("error_if example with a true predicate: " + in[in.length - 2]);
                }
            }
            return Arrays.copyOf(in, in.length - 2);
        });
    }

    // ---- scalar helpers ----

    /**
     * Threefry-2x32, 20 rounds, from the Random123 description, in unsigned 64-bit longs reduced mod 2^32
     * (words arrive as int32 bit patterns, exact in a double).
     */
    private static Ref[] threefry(Ref[] in) {
        long m = 0xFFFFFFFFL;
        int n = in[0].size();
        double[] y0 = new double[n];
        double[] y1 = new double[n];
        int[][] rotations = {{13, 15, 26, 6}, {17, 29, 16, 24}};
        for (int e = 0; e < n; e++) {
            long k0 = ((long) in[0].values()[e]) & m;
            long k1 = ((long) in[1].values()[e]) & m;
            long k2 = (k0 ^ k1 ^ 0x1BD11BDAL) & m;
            long[] ks = {k0, k1, k2};
            long a = (((long) in[2].values()[e]) + k0) & m;
            long b = (((long) in[3].values()[e]) + k1) & m;
            for (int round = 0; round < 20; round++) {
                int r = rotations[(round / 4) % 2][round % 4];
                a = (a + b) & m;
                b = ((b << r) | (b >>> (32 - r))) & m;
                b ^= a;
                if (round % 4 == 3) {
                    int i = round / 4 + 1;
                    a = (a + ks[i % 3]) & m;
                    b = (b + ks[(i + 1) % 3] + i) & m;
                }
            }
            y0[e] = (int) a;
            y1[e] = (int) b;
        }
        return new Ref[] {new Ref(DType.INT32, in[0].shape(), y0), new Ref(DType.INT32, in[0].shape(), y1)};
    }

    private static Ref[] one(Ref r) {
        return new Ref[] {r};
    }

    private static double truncate(double x) {
        return x < 0 ? Math.ceil(x) : Math.floor(x);
    }

    /** Two's complement wrap-around of an integer-valued double into int32 (2^31 becomes -2^31). */
    private static double wrapInt32(double x) {
        return x - 4294967296.0 * Math.floor((x + 2147483648.0) / 4294967296.0);
    }

    /** Rounds half to even, spelled out rather than calling Math.rint. */
    private static double roundHalfEven(double x) {
        double f = Math.floor(x);
        double d = x - f;
        if (d < 0.5) {
            return f;
        }
        if (d > 0.5) {
            return f + 1;
        }
        return f % 2 == 0 ? f : f + 1;
    }

    private static double bitwise(double x, double y, java.util.function.IntBinaryOperator op) {
        return op.applyAsInt((int) x, (int) y);
    }

    private static Ref map1(Ref x, DType out, DoubleUnaryOperator f) {
        double[] r = new double[x.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = f.applyAsDouble(x.values()[i]);
        }
        return new Ref(out, x.shape(), r);
    }

    private static Ref map2(Ref x, Ref y, DType out, DoubleBinaryOperator f) {
        double[] r = new double[x.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = f.applyAsDouble(x.values()[i], y.values()[i]);
        }
        return new Ref(out, x.shape(), r);
    }

    // ---- multi-index helpers (row-major) ----

    private static int size(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** The multi-index of flat position {@code flat} in {@code shape}. */
    private static int[] unflatten(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int a = shape.length - 1; a >= 0; a--) {
            idx[a] = flat % shape[a];
            flat /= shape[a];
        }
        return idx;
    }

    /** The flat position of multi-index {@code idx} in {@code shape}. */
    private static int flatten(int[] idx, int[] shape) {
        int flat = 0;
        for (int a = 0; a < shape.length; a++) {
            flat = flat * shape[a] + idx[a];
        }
        return flat;
    }

    private static int norm(int axis, int rank) {
        return axis < 0 ? axis + rank : axis;
    }

    private static boolean[] axisSet(int[] axes, int rank) {
        boolean[] s = new boolean[rank];
        for (int a : axes) {
            s[norm(a, rank)] = true;
        }
        return s;
    }

    // ---- reductions ----

    private enum Reduction { SUM, MAX, MIN }

    private static Ref reduce(Ref x, int[] axes, Reduction kind) {
        boolean[] reduced = axisSet(axes, x.rank());
        int[] outShape = keptShape(x.shape(), reduced);
        int n = size(outShape);
        double[] out = new double[n];
        double[] scale = new double[n];
        boolean[] started = new boolean[n];
        for (int i = 0; i < x.size(); i++) {
            int[] idx = unflatten(i, x.shape());
            int o = flatten(keptIndex(idx, reduced), outShape);
            double v = x.values()[i];
            scale[o] += Math.abs(v);
            if (!started[o]) {
                out[o] = v;
                started[o] = true;
                continue;
            }
            out[o] = switch (kind) {
                case SUM -> out[o] + v;
                case MAX -> Double.isNaN(out[o]) || Double.isNaN(v) ? Double.NaN : Math.max(out[o], v);
                case MIN -> Double.isNaN(out[o]) || Double.isNaN(v) ? Double.NaN : Math.min(out[o], v);
            };
        }
        return new Ref(x.dtype(), outShape, out, kind == Reduction.SUM ? scale : null);
    }

    private static int[] keptShape(int[] shape, boolean[] dropped) {
        return keptIndex(shape, dropped);
    }

    private static int[] keptIndex(int[] idx, boolean[] dropped) {
        int k = 0;
        for (boolean d : dropped) {
            k += d ? 0 : 1;
        }
        int[] r = new int[k];
        int j = 0;
        for (int a = 0; a < idx.length; a++) {
            if (!dropped[a]) {
                r[j++] = idx[a];
            }
        }
        return r;
    }

    @FunctionalInterface
    private interface Better {
        boolean test(double v, double best);
    }

    private static Ref argExtreme(Ref x, int axis, Better better) {
        int ax = norm(axis, x.rank());
        boolean[] dropped = new boolean[x.rank()];
        dropped[ax] = true;
        int[] outShape = keptShape(x.shape(), dropped);
        double[] out = new double[size(outShape)];
        for (int o = 0; o < out.length; o++) {
            int[] kept = unflatten(o, outShape);
            int[] idx = new int[x.rank()];
            int best = -1;
            double bestV = 0;
            for (int j = 0; j < x.shape()[ax]; j++) {
                for (int a = 0, k = 0; a < idx.length; a++) {
                    idx[a] = a == ax ? j : kept[k++];
                }
                double v = x.values()[flatten(idx, x.shape())];
                if (best < 0 || (!Double.isNaN(bestV) && (Double.isNaN(v) || better.test(v, bestV)))) {
                    best = j;
                    bestV = v;
                }
            }
            out[o] = best;
        }
        return new Ref(DType.INT32, outShape, out);
    }

    // ---- dot_general: the sum over contracted indices, output axes batch, lhs free, rhs free ----

    private static Ref dotGeneral(DotGeneral p, Ref x, Ref y) {
        int[] lc = p.lhsContract();
        int[] rc = p.rhsContract();
        int[] lb = p.lhsBatch();
        int[] rb = p.rhsBatch();
        int[] lFree = freeAxes(x.rank(), lc, lb);
        int[] rFree = freeAxes(y.rank(), rc, rb);
        int[] outShape = new int[lb.length + lFree.length + rFree.length];
        int k = 0;
        for (int a : lb) {
            outShape[k++] = x.shape()[a];
        }
        for (int a : lFree) {
            outShape[k++] = x.shape()[a];
        }
        for (int a : rFree) {
            outShape[k++] = y.shape()[a];
        }
        int[] contractShape = new int[lc.length];
        for (int i = 0; i < lc.length; i++) {
            contractShape[i] = x.shape()[lc[i]];
        }
        int n = size(outShape);
        double[] out = new double[n];
        double[] scale = new double[n];
        int[] xi = new int[x.rank()];
        int[] yi = new int[y.rank()];
        for (int o = 0; o < n; o++) {
            int[] oi = unflatten(o, outShape);
            int pos = 0;
            for (int i = 0; i < lb.length; i++, pos++) {
                xi[lb[i]] = oi[pos];
                yi[rb[i]] = oi[pos];
            }
            for (int a : lFree) {
                xi[a] = oi[pos++];
            }
            for (int a : rFree) {
                yi[a] = oi[pos++];
            }
            for (int c = 0; c < size(contractShape); c++) {
                int[] ci = unflatten(c, contractShape);
                for (int i = 0; i < lc.length; i++) {
                    xi[lc[i]] = ci[i];
                    yi[rc[i]] = ci[i];
                }
                double term = x.values()[flatten(xi, x.shape())] * y.values()[flatten(yi, y.shape())];
                out[o] += term;
                scale[o] += Math.abs(term);
            }
        }
        return new Ref(x.dtype(), outShape, out, scale);
    }

    private static int[] freeAxes(int rank, int[] contract, int[] batch) {
        boolean[] used = new boolean[rank];
        for (int a : contract) {
            used[a] = true;
        }
        for (int a : batch) {
            used[a] = true;
        }
        return keptIndex(range(rank), used);
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    // ---- structural primitives ----

    private static Ref broadcastInDim(BroadcastInDim p, Ref x) {
        int[] shape = p.shape();
        int[] dims = p.broadcastDimensions();
        double[] out = new double[size(shape)];
        int[] xi = new int[x.rank()];
        for (int o = 0; o < out.length; o++) {
            int[] oi = unflatten(o, shape);
            for (int i = 0; i < xi.length; i++) {
                xi[i] = x.shape()[i] == 1 ? 0 : oi[dims[i]];
            }
            out[o] = x.values()[flatten(xi, x.shape())];
        }
        return new Ref(x.dtype(), shape, out);
    }

    private static Ref transpose(int[] perm, Ref x) {
        int[] shape = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            shape[i] = x.shape()[perm[i]];
        }
        double[] out = new double[x.size()];
        int[] xi = new int[x.rank()];
        for (int o = 0; o < out.length; o++) {
            int[] oi = unflatten(o, shape);
            for (int i = 0; i < perm.length; i++) {
                xi[perm[i]] = oi[i];
            }
            out[o] = x.values()[flatten(xi, x.shape())];
        }
        return new Ref(x.dtype(), shape, out);
    }

    private static Ref squeeze(int[] dims, Ref x) {
        return new Ref(x.dtype(), keptShape(x.shape(), axisSet(dims, x.rank())), x.values().clone());
    }

    private static Ref expandDims(int[] dims, Ref x) {
        int rank = x.rank() + dims.length;
        boolean[] added = axisSet(dims, rank);
        int[] shape = new int[rank];
        for (int a = 0, k = 0; a < rank; a++) {
            shape[a] = added[a] ? 1 : x.shape()[k++];
        }
        return new Ref(x.dtype(), shape, x.values().clone());
    }

    private static Ref slice(Slice p, Ref x) {
        int[] start = p.start();
        int[] limit = p.limit();
        int[] strides = p.strides();
        int[] shape = new int[x.rank()];
        for (int a = 0; a < shape.length; a++) {
            int n = 0;
            for (int i = start[a]; i < limit[a]; i += strides[a]) {
                n++;
            }
            shape[a] = n;
        }
        double[] out = new double[size(shape)];
        int[] xi = new int[x.rank()];
        for (int o = 0; o < out.length; o++) {
            int[] oi = unflatten(o, shape);
            for (int a = 0; a < xi.length; a++) {
                xi[a] = start[a] + oi[a] * strides[a];
            }
            out[o] = x.values()[flatten(xi, x.shape())];
        }
        return new Ref(x.dtype(), shape, out);
    }

    private static Ref pad(Pad p, Ref x, Ref value) {
        int[] lo = p.low();
        int[] hi = p.high();
        int[] interior = p.interior();
        int[] shape = new int[x.rank()];
        for (int a = 0; a < shape.length; a++) {
            int n = x.shape()[a];
            shape[a] = lo[a] + hi[a] + n + (n > 0 ? (n - 1) * interior[a] : 0);
        }
        double[] out = new double[size(shape)];
        Arrays.fill(out, value.values()[0]);
        int[] oi = new int[x.rank()];
        for (int i = 0; i < x.size(); i++) {
            int[] xi = unflatten(i, x.shape());
            boolean kept = true; // negative low/high padding crops: an element may fall outside
            for (int a = 0; a < oi.length; a++) {
                oi[a] = lo[a] + xi[a] * (interior[a] + 1);
                kept &= oi[a] >= 0 && oi[a] < shape[a];
            }
            if (kept) {
                out[flatten(oi, shape)] = x.values()[i];
            }
        }
        return new Ref(x.dtype(), shape, out);
    }

    private static Ref concatenate(int dim, Ref[] xs) {
        int[] shape = xs[0].shape().clone();
        shape[dim] = 0;
        for (Ref x : xs) {
            shape[dim] += x.shape()[dim];
        }
        double[] out = new double[size(shape)];
        int offset = 0;
        for (Ref x : xs) {
            for (int i = 0; i < x.size(); i++) {
                int[] idx = unflatten(i, x.shape());
                idx[dim] += offset;
                out[flatten(idx, shape)] = x.values()[i];
            }
            offset += x.shape()[dim];
        }
        return new Ref(xs[0].dtype(), shape, out);
    }

    private static Ref iota(Iota p) {
        int[] shape = p.shape();
        double[] out = new double[size(shape)];
        for (int o = 0; o < out.length; o++) {
            out[o] = unflatten(o, shape)[p.dimension()];
        }
        return new Ref(p.dtype(), shape, out);
    }

    // ---- convolution: the sum over input channels of the group and window positions, one output at a time ----

    private static Ref convGeneralDilated(ConvGeneralDilated p, Ref x, Ref w) {
        int sp = x.rank() - 2;
        int g = p.featureGroupCount();
        int cg = w.shape()[1];
        int o = w.shape()[0];
        int og = o / g;
        int[] outShape = new int[x.rank()];
        outShape[0] = x.shape()[0];
        outShape[1] = o;
        for (int d = 0; d < sp; d++) {
            int in = x.shape()[2 + d];
            int k = w.shape()[2 + d];
            int dilatedIn = in == 0 ? 0 : (in - 1) * p.lhsDilation()[d] + 1;
            int dilatedK = k == 0 ? 0 : (k - 1) * p.rhsDilation()[d] + 1;
            int span = dilatedIn + p.paddingLo()[d] + p.paddingHi()[d] - dilatedK;
            outShape[2 + d] = span < 0 ? 0 : span / p.windowStrides()[d] + 1;
        }
        int[] window = Arrays.copyOfRange(w.shape(), 2, w.rank());
        int n = size(outShape);
        double[] out = new double[n];
        double[] scale = new double[n];
        for (int f = 0; f < n; f++) {
            int[] oi = unflatten(f, outShape);
            int group = oi[1] / og;
            for (int ci = 0; ci < cg; ci++) {
                for (int kf = 0; kf < size(window); kf++) {
                    int[] ki = unflatten(kf, window);
                    int[] xi = new int[x.rank()];
                    xi[0] = oi[0];
                    xi[1] = group * cg + ci;
                    boolean inside = true;
                    for (int d = 0; d < sp; d++) {
                        int q = oi[2 + d] * p.windowStrides()[d] + ki[d] * p.rhsDilation()[d] - p.paddingLo()[d];
                        int ld = p.lhsDilation()[d];
                        if (q < 0 || q % ld != 0 || q / ld >= x.shape()[2 + d]) {
                            inside = false;
                            break;
                        }
                        xi[2 + d] = q / ld;
                    }
                    if (!inside) {
                        continue;
                    }
                    int[] wi = new int[w.rank()];
                    wi[0] = oi[1];
                    wi[1] = ci;
                    System.arraycopy(ki, 0, wi, 2, sp);
                    double term = x.values()[flatten(xi, x.shape())] * w.values()[flatten(wi, w.shape())];
                    out[f] += term;
                    scale[f] += Math.abs(term);
                }
            }
        }
        return new Ref(x.dtype(), outShape, out, scale);
    }

    private static Ref rev(int[] dims, Ref x) {
        boolean[] flip = axisSet(dims, x.rank());
        double[] out = new double[x.size()];
        for (int i = 0; i < out.length; i++) {
            int[] idx = unflatten(i, x.shape());
            for (int a = 0; a < idx.length; a++) {
                if (flip[a]) {
                    idx[a] = x.shape()[a] - 1 - idx[a];
                }
            }
            out[i] = x.values()[flatten(idx, x.shape())];
        }
        return new Ref(x.dtype(), x.shape(), out);
    }

    /** Windowed sum or max: padding reads 0 (sum) or -inf (max; the least int32 for ints), NaN propagates. */
    private static Ref reduceWindow(WindowReducer p, Ref x, boolean max) {
        int r = x.rank();
        int[] w = p.windowDimensions();
        int[] s = p.windowStrides();
        int[] lo = p.paddingLo();
        int[] hi = p.paddingHi();
        int[] outShape = new int[r];
        for (int a = 0; a < r; a++) {
            int span = x.shape()[a] + lo[a] + hi[a] - w[a];
            outShape[a] = span < 0 ? 0 : span / s[a] + 1;
        }
        double pad = max ? (x.dtype() == DType.INT32 ? Integer.MIN_VALUE : Double.NEGATIVE_INFINITY) : 0;
        double[] out = new double[size(outShape)];
        double[] scale = new double[out.length];
        for (int f = 0; f < out.length; f++) {
            int[] oi = unflatten(f, outShape);
            double acc = max ? Double.NEGATIVE_INFINITY : 0;
            for (int kf = 0; kf < size(w); kf++) {
                int[] ki = unflatten(kf, w);
                int[] xi = new int[r];
                boolean inside = true;
                for (int a = 0; a < r; a++) {
                    xi[a] = oi[a] * s[a] + ki[a] - lo[a];
                    inside &= xi[a] >= 0 && xi[a] < x.shape()[a];
                }
                double v = inside ? x.values()[flatten(xi, x.shape())] : pad;
                scale[f] += Math.abs(v);
                acc = !max ? acc + v : Double.isNaN(acc) || Double.isNaN(v) ? Double.NaN : Math.max(acc, v);
            }
            out[f] = acc;
        }
        return new Ref(x.dtype(), outShape, out, max ? null : scale);
    }

    /** The start of a dynamic window: index operand {@code from + a}, clamped into [0, length - size]. */
    private static int[] clampStarts(Ref[] in, int from, int[] shape, int[] sizes) {
        int[] s = new int[shape.length];
        for (int a = 0; a < s.length; a++) {
            s[a] = (int) Math.max(0, Math.min(in[from + a].values()[0], shape[a] - sizes[a]));
        }
        return s;
    }

    private static Ref dynamicSlice(int[] sizes, Ref[] in) {
        Ref x = in[0];
        int[] start = clampStarts(in, 1, x.shape(), sizes);
        double[] out = new double[size(sizes)];
        for (int f = 0; f < out.length; f++) {
            int[] idx = unflatten(f, sizes);
            for (int a = 0; a < idx.length; a++) {
                idx[a] += start[a];
            }
            out[f] = x.values()[flatten(idx, x.shape())];
        }
        return new Ref(x.dtype(), sizes, out);
    }

    private static Ref dynamicUpdateSlice(Ref[] in) {
        Ref x = in[0];
        Ref u = in[1];
        int[] start = clampStarts(in, 2, x.shape(), u.shape());
        double[] out = x.values().clone();
        for (int f = 0; f < u.size(); f++) {
            int[] idx = unflatten(f, u.shape());
            for (int a = 0; a < idx.length; a++) {
                idx[a] += start[a];
            }
            out[flatten(idx, x.shape())] = u.values()[f];
        }
        return new Ref(x.dtype(), x.shape(), out);
    }

    /**
     * Without updates, take-along-axis: the index array's shape, each element read at its index along the axis;
     * with updates, scatter-add: a copy of x with each update added there. Negative indices count from the end,
     * then indices are clamped into the axis.
     */
    private static Ref takeAlongAxis(int axis, Ref x, Ref idx, Ref updates) {
        int a = norm(axis, x.rank());
        int n = x.shape()[a];
        double[] out = updates == null ? new double[idx.size()] : x.values().clone();
        for (int f = 0; f < idx.size(); f++) {
            int[] at = unflatten(f, idx.shape());
            int j = (int) idx.values()[f];
            j = j < 0 ? j + n : j;
            at[a] = Math.max(0, Math.min(j, n - 1));
            int src = flatten(at, x.shape());
            if (updates == null) {
                out[f] = x.values()[src];
            } else {
                out[src] += updates.values()[f];
            }
        }
        return updates == null ? new Ref(x.dtype(), idx.shape(), out) : new Ref(x.dtype(), x.shape(), out);
    }
}
