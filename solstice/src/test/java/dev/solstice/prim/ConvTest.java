package dev.solstice.prim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jax;
import dev.solstice.Lax;
import dev.solstice.testing.Numeric;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Convolution and pooling against naive float64 loops written here, independently of the library: the input
 * is dilated and padded into an explicit array, the kernel dilated into an explicit array, and every output is
 * a plain sum over its window; the gradients are checked against a scatter loop (each input element
 * receives cotangent times weight from every window that reads it) and against central differences. Also
 * vmap against per-example loops, SAME/VALID padding, transposed convolution, and the shape rule's errors.
 */
class ConvTest {

    /** One convolution configuration. */
    record Conf(String name, int[] lhs, int[] rhs, int[] strides, int[] lo, int[] hi, int[] ld, int[] rd, int groups) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Conf> configs() {
        return Stream.of(
                new Conf("1d plain", new int[] {2, 3, 7}, new int[] {4, 3, 3}, i(1), i(0), i(0), i(1), i(1), 1),
                new Conf("1d stride 3 with remainder", new int[] {1, 2, 10}, new int[] {2, 2, 2}, i(3), i(0), i(0), i(1), i(1), 1),
                new Conf("1d padding and rhs dilation", new int[] {2, 1, 6}, new int[] {3, 1, 3}, i(1), i(2), i(1), i(1), i(2), 1),
                new Conf("1d groups 2, stride 2", new int[] {2, 4, 9}, new int[] {6, 2, 3}, i(2), i(1), i(1), i(1), i(1), 2),
                new Conf("1d transposed (lhs dilation 2)", new int[] {1, 2, 4}, new int[] {3, 2, 3}, i(1), i(2), i(2), i(2), i(1), 1),
                new Conf("2d plain 3x3", new int[] {2, 3, 6, 5}, new int[] {4, 3, 3, 3}, i(1, 1), i(0, 0), i(0, 0), i(1, 1), i(1, 1), 1),
                new Conf("2d SAME-like stride 2", new int[] {1, 2, 7, 6}, new int[] {3, 2, 3, 3}, i(2, 2), i(1, 1), i(1, 1), i(1, 1), i(1, 1), 1),
                new Conf("2d asymmetric everything", new int[] {2, 2, 5, 6}, new int[] {2, 2, 2, 3}, i(2, 1), i(0, 2), i(1, 0), i(1, 2), i(2, 1), 1),
                new Conf("2d depthwise", new int[] {2, 3, 5, 5}, new int[] {3, 1, 3, 3}, i(1, 1), i(1, 1), i(1, 1), i(1, 1), i(1, 1), 3),
                new Conf("2d groups 2 with 2 out channels per group", new int[] {1, 4, 4, 4}, new int[] {4, 2, 2, 2}, i(1, 2), i(0, 1), i(1, 0), i(1, 1), i(1, 1), 2),
                new Conf("2d transposed stride 2", new int[] {1, 2, 3, 3}, new int[] {2, 2, 3, 3}, i(1, 1), i(2, 2), i(2, 2), i(2, 2), i(1, 1), 1),
                new Conf("3d plain", new int[] {1, 2, 4, 4, 3}, new int[] {2, 2, 2, 2, 2}, i(1, 1, 1), i(0, 0, 0), i(0, 0, 0), i(1, 1, 1), i(1, 1, 1), 1),
                new Conf("3d strided, padded, dilated, grouped", new int[] {2, 2, 5, 4, 4}, new int[] {2, 1, 2, 2, 2}, i(2, 1, 2), i(1, 0, 1), i(0, 1, 1), i(1, 1, 1), i(1, 2, 1), 2),
                new Conf("negative padding crops", new int[] {1, 1, 8}, new int[] {1, 1, 3}, i(1), i(-2), i(-1), i(1), i(1), 1),
                new Conf("padding wider than the kernel", new int[] {1, 1, 3}, new int[] {2, 1, 2}, i(2), i(3), i(4), i(1), i(1), 1));
    }

    private static int[] i(int... v) {
        return v;
    }

    private static Array conv(Conf c, Array x, Array w) {
        return Lax.convGeneralDilated(x, w, c.strides, c.lo, c.hi, c.ld, c.rd, c.groups);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void convolutionMatchesTheNaiveLoop(Conf c) {
        Random r = new Random(c.name.hashCode());
        Array x = Numeric.random(r, DType.FLOAT64, -1, 1, c.lhs);
        Array w = Numeric.random(r, DType.FLOAT64, -1, 1, c.rhs);
        Naive expected = naiveConv(c, x.toDoubleArray(), w.toDoubleArray());
        Array y = conv(c, x, w);
        assertArrayEquals(expected.shape, y.shape(), c + ": shape");
        Numeric.assertClose(expected.values, y.toDoubleArray(), 1e-13, 1e-13, c + ": float64 values");
        // float32 evaluates the same configuration to float32 precision
        Array y32 = conv(c, Array.of(x.toFloatArray(), c.lhs), Array.of(w.toFloatArray(), c.rhs));
        assertEquals(DType.FLOAT32, y32.dtype());
        Numeric.assertClose(expected.values, y32.toDoubleArray(), 1e-5, 1e-5, c + ": float32 values");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void gradientsMatchTheScatterLoopAndCentralDifferences(Conf c) {
        Random r = new Random(c.name.hashCode() + 1);
        Array x = Numeric.random(r, DType.FLOAT64, -1, 1, c.lhs);
        Array w = Numeric.random(r, DType.FLOAT64, -1, 1, c.rhs);
        Naive shape = naiveConv(c, x.toDoubleArray(), w.toDoubleArray());
        Array ct = Numeric.random(r, DType.FLOAT64, -1, 1, shape.shape);
        Function<List<Array>, Array> loss = xs -> Lax.reduceSum(Lax.mul(conv(c, xs.get(0), xs.get(1)), ct),
                range(shape.shape.length));
        List<Array> g = Jax.grad(loss).apply(List.of(x, w));
        double[][] expected = naiveConvVjp(c, x.toDoubleArray(), w.toDoubleArray(), ct.toDoubleArray(), shape.shape);
        Numeric.assertClose(expected[0], g.get(0).toDoubleArray(), 1e-12, 1e-12, c + ": d/d input vs the scatter loop");
        Numeric.assertClose(expected[1], g.get(1).toDoubleArray(), 1e-12, 1e-12, c + ": d/d kernel vs the scatter loop");
        // and a directional derivative of the loss against central differences
        Array dx = Numeric.random(r, DType.FLOAT64, -1, 1, c.lhs);
        Array dw = Numeric.random(r, DType.FLOAT64, -1, 1, c.rhs);
        Function<Array, Array> along = s -> loss.apply(List.of(Numeric.axpy(x, s.item(), dx), Numeric.axpy(w, s.item(), dw)));
        double fd = Numeric.centralDifference(along, Array.scalar(0.0), Array.scalar(1.0), 1e-3)[0];
        double analytic = Numeric.dot(g.get(0), dx) + Numeric.dot(g.get(1), dw);
        assertEquals(fd, analytic, 1e-8 * Math.max(1, Math.abs(fd)), c + ": <grad, direction> vs central differences");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void vmapMatchesTheLoopForEveryBatchedOperand(Conf c) {
        Random r = new Random(c.name.hashCode() + 2);
        int b = 3;
        Array xs = Numeric.random(r, DType.FLOAT64, -1, 1, prepend(b, c.lhs));
        Array ws = Numeric.random(r, DType.FLOAT64, -1, 1, prepend(b, c.rhs));
        Array x0 = Numeric.random(r, DType.FLOAT64, -1, 1, c.lhs);
        Array w0 = Numeric.random(r, DType.FLOAT64, -1, 1, c.rhs);
        Function<List<Array>, Array> f = a -> conv(c, a.get(0), a.get(1));
        for (int mode = 0; mode < 3; mode++) {
            List<Object> axes = Arrays.asList(mode == 1 ? null : 0, mode == 0 ? null : 0);
            Array bx = mode == 1 ? x0 : xs;
            Array bw = mode == 0 ? w0 : ws;
            Array batched = Jax.vmap(f, axes, 0).apply(List.of(bx, bw));
            for (int e = 0; e < b; e++) {
                Array xe = mode == 1 ? x0 : example(xs, e);
                Array we = mode == 0 ? w0 : example(ws, e);
                Naive expected = naiveConv(c, xe.toDoubleArray(), we.toDoubleArray());
                Numeric.assertClose(expected.values, example(batched, e).toDoubleArray(), 1e-12, 1e-12,
                        c + ": vmap mode " + mode + ", example " + e);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void perExampleGradientsByVmapOfGradMatchTheLoop(Conf c) {
        // vmap of the pullback: the transpose rules' convolutions run with batched operands (lhs, kernel, both)
        Random r = new Random(c.name.hashCode() + 3);
        int b = 2;
        Array xs = Numeric.random(r, DType.FLOAT64, -1, 1, prepend(b, c.lhs));
        Array ws = Numeric.random(r, DType.FLOAT64, -1, 1, prepend(b, c.rhs));
        int[] outShape = naiveConv(c, new double[prod(c.lhs)], new double[prod(c.rhs)]).shape;
        Array ct = Numeric.random(r, DType.FLOAT64, -1, 1, outShape);
        Function<List<Array>, Array> loss = a -> Lax.reduceSum(Lax.mul(conv(c, a.get(0), a.get(1)), ct), range(outShape.length));
        Function<List<Array>, List<Array>> grad = Jax.grad(loss);
        List<Array> batched = Jax.vmap(grad, List.of(0, 0), List.of(0, 0)).apply(List.of(xs, ws));
        for (int e = 0; e < b; e++) {
            double[][] expected = naiveConvVjp(c, example(xs, e).toDoubleArray(), example(ws, e).toDoubleArray(),
                    ct.toDoubleArray(), outShape);
            Numeric.assertClose(expected[0], example(batched.get(0), e).toDoubleArray(), 1e-12, 1e-12, c + ": d/d input, example " + e);
            Numeric.assertClose(expected[1], example(batched.get(1), e).toDoubleArray(), 1e-12, 1e-12, c + ": d/d kernel, example " + e);
        }
    }

    // ------------------------------------------------------------------ pooling

    /** One pooling configuration over all axes of the operand. */
    record Pool(String name, int[] shape, int[] window, int[] strides, int[] lo, int[] hi) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Pool> pools() {
        return Stream.of(
                new Pool("1d window 3", new int[] {7}, i(3), i(1), i(0), i(0)),
                new Pool("2d max-pool 2x2 stride 2 (NCHW)", new int[] {2, 3, 6, 4}, i(1, 1, 2, 2), i(1, 1, 2, 2), i(0, 0, 0, 0), i(0, 0, 0, 0)),
                new Pool("2d 3x3 stride 2 padded (NCHW)", new int[] {1, 2, 7, 5}, i(1, 1, 3, 3), i(1, 1, 2, 2), i(0, 0, 1, 1), i(0, 0, 1, 1)),
                new Pool("2d odd size, stride leaves a remainder", new int[] {5, 7}, i(2, 3), i(2, 2), i(0, 0), i(0, 0)),
                new Pool("3d (NCDHW)", new int[] {1, 2, 4, 4, 3}, i(1, 1, 2, 2, 2), i(1, 1, 2, 1, 1), i(0, 0, 0, 1, 0), i(0, 0, 1, 0, 1)),
                new Pool("overlapping, padding on one side", new int[] {3, 6}, i(2, 3), i(1, 1), i(1, 0), i(0, 2)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pools")
    void poolingMatchesTheNaiveLoop(Pool p) {
        Random r = new Random(p.name.hashCode());
        Array x = Numeric.random(r, DType.FLOAT64, -2, 2, p.shape);
        for (boolean max : new boolean[] {false, true}) {
            Naive expected = naivePool(p, x.toDoubleArray(), max);
            Array y = max ? Lax.reduceWindowMax(x, p.window, p.strides, p.lo, p.hi)
                    : Lax.reduceWindowSum(x, p.window, p.strides, p.lo, p.hi);
            assertArrayEquals(expected.shape, y.shape(), p + (max ? " max" : " sum") + ": shape");
            Numeric.assertClose(expected.values, y.toDoubleArray(), 1e-13, 1e-13, p + (max ? " max" : " sum"));
            Array y32 = max ? Lax.reduceWindowMax(Array.of(x.toFloatArray(), p.shape), p.window, p.strides, p.lo, p.hi)
                    : Lax.reduceWindowSum(Array.of(x.toFloatArray(), p.shape), p.window, p.strides, p.lo, p.hi);
            Numeric.assertClose(expected.values, y32.toDoubleArray(), 1e-5, 1e-5, p + (max ? " max" : " sum") + " float32");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pools")
    void poolingGradientsScatterToTheWindowOrItsMaximum(Pool p) {
        Random r = new Random(p.name.hashCode() + 1);
        Array x = Numeric.random(r, DType.FLOAT64, -2, 2, p.shape);
        int[] outShape = naivePool(p, x.toDoubleArray(), false).shape;
        Array ct = Numeric.random(r, DType.FLOAT64, -1, 1, outShape);
        for (boolean max : new boolean[] {false, true}) {
            Function<Array, Array> f = a -> max ? Lax.reduceWindowMax(a, p.window, p.strides, p.lo, p.hi)
                    : Lax.reduceWindowSum(a, p.window, p.strides, p.lo, p.hi);
            Array g = Jax.grad((Array a) -> Lax.reduceSum(Lax.mul(f.apply(a), ct), range(outShape.length))).apply(x);
            double[] expected = naivePoolVjp(p, x.toDoubleArray(), ct.toDoubleArray(), outShape, max);
            Numeric.assertClose(expected, g.toDoubleArray(), 1e-12, 1e-12, p + (max ? " max" : " sum") + ": gradient");
            // vmap over a leading batch axis of copies against the loop
            Array xs = Lax.concatenate(0, Lax.expandDims(x, 0), Lax.expandDims(Lax.neg(x), 0));
            Array ys = Jax.vmap(f::apply).apply(xs);
            Numeric.assertClose(f.apply(x).toDoubleArray(), example(ys, 0).toDoubleArray(), 0, 0, p + " vmap example 0");
            Numeric.assertClose(f.apply(Lax.neg(x)).toDoubleArray(), example(ys, 1).toDoubleArray(), 0, 0, p + " vmap example 1");
        }
    }

    @Test
    void maxPoolTiesGiveTheFirstElementTheTangentAndAllPaddingWindowsGiveMinusInfinity() {
        Array x = Array.of(new double[] {1, 1, 0, 2}, 4);
        Array t = Array.of(new double[] {1, 3, 5, 7}, 4);
        Array tangent = Jax.jvp((Array a) -> Lax.reduceWindowMax(a, i(2), i(2), i(0), i(0)), x, t).tangent();
        // the tie [1, 1] in the first window: the first element takes its whole tangent (JAX's select-and-gather)
        assertArrayEquals(new double[] {1, 7}, tangent.toDoubleArray());
        Array y = Lax.reduceWindowMax(Array.of(new double[] {1, 2}, 2), i(2), i(2), i(0), i(2));
        assertArrayEquals(new double[] {2, Double.NEGATIVE_INFINITY}, y.toDoubleArray());
        Array yi = Lax.reduceWindowMax(Array.of(new int[] {1, 2}, 2), i(1), i(1), i(1), i(0));
        assertArrayEquals(new int[] {Integer.MIN_VALUE, 1, 2}, yi.toIntArray());
    }

    // ------------------------------------------------------------------ conveniences and errors

    @Test
    void sameAndValidPaddingAsJax() {
        assertArrayEquals(new int[][] {{1}, {1}}, Lax.padding(i(5), i(3), i(1), i(2), "SAME"));
        assertArrayEquals(new int[][] {{0}, {1}}, Lax.padding(i(4), i(3), i(1), i(2), "SAME"));
        assertArrayEquals(new int[][] {{1}, {0}}, Lax.padding(i(4), i(3), i(1), i(2), "SAME_LOWER"));
        assertArrayEquals(new int[][] {{2}, {2}}, Lax.padding(i(6), i(3), i(2), i(1), "SAME"));
        assertArrayEquals(new int[][] {{0}, {0}}, Lax.padding(i(6), i(3), i(1), i(1), "VALID"));
        Array x = Array.of(new double[2 * 3 * 7 * 8], 2, 3, 7, 8);
        Array w = Array.of(new double[4 * 3 * 3 * 3], 4, 3, 3, 3);
        assertArrayEquals(new int[] {2, 4, 7, 8}, Lax.conv(x, w, i(1, 1), "SAME").shape());
        assertArrayEquals(new int[] {2, 4, 4, 4}, Lax.conv(x, w, i(2, 2), "SAME").shape());
        assertArrayEquals(new int[] {2, 4, 5, 6}, Lax.conv(x, w, i(1, 1), "VALID").shape());
        assertArrayEquals(new int[] {2, 4, 3, 3}, Lax.conv(x, w, i(2, 2), "valid").shape());
        assertArrayEquals(new int[] {2, 3, 4, 4}, Lax.reduceWindowMax(x, i(1, 1, 2, 2), i(1, 1, 2, 2), "SAME").shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Lax.conv(x, w, i(1, 1), "FULL"));
        assertTrue(e.getMessage().contains("FULL"), e.getMessage());
    }

    @Test
    void transposedConvolutionIsTheGradientOfTheStridedOne() {
        // conv_transpose by input dilation: y = conv(x, flip(swap(w)), lhsDilation = s) equals the pullback of
        // the strided convolution with w, as JAX's conv_transpose(transpose_kernel=True) does
        Random r = new Random(5);
        Array w = Numeric.random(r, DType.FLOAT64, -1, 1, 3, 2, 3, 3); // O=3, I=2
        Array g = Numeric.random(r, DType.FLOAT64, -1, 1, 1, 3, 3, 3); // strided conv output for a 7x7 input
        Function<Array, Array> strided = a -> Lax.conv(a, w, i(2, 2), i(0, 0), i(0, 0));
        Array pulled = Jax.vjp(strided, Numeric.random(r, DType.FLOAT64, -1, 1, 1, 2, 7, 7)).pullback().apply(g);
        Array kernel = Lax.rev(Lax.transpose(w, 1, 0, 2, 3), 2, 3);
        Array viaDilation = Lax.convGeneralDilated(g, kernel, i(1, 1), i(2, 2), i(2, 2), i(2, 2), i(1, 1), 1);
        assertArrayEquals(new int[] {1, 2, 7, 7}, viaDilation.shape());
        Numeric.assertClose(pulled.toDoubleArray(), viaDilation.toDoubleArray(), 1e-13, 1e-13, "conv transpose");
    }

    @Test
    void secondDerivativesThroughConvolution() {
        // the loss sum(conv(x, w)^2) is quadratic in x: its Hessian-vector product is 2 * J^T J v, checked
        // against central differences of the gradient
        Conf c = configs().filter(k -> k.name.equals("2d asymmetric everything")).findFirst().orElseThrow();
        Random r = new Random(9);
        Array x = Numeric.random(r, DType.FLOAT64, -1, 1, c.lhs);
        Array w = Numeric.random(r, DType.FLOAT64, -1, 1, c.rhs);
        Array v = Numeric.random(r, DType.FLOAT64, -1, 1, c.lhs);
        java.util.function.UnaryOperator<Array> loss = a -> {
            Array y = conv(c, a, w);
            return Lax.reduceSum(Lax.mul(y, y), range(y.ndim()));
        };
        Array hv = Jax.hvp(loss, x, v);
        double[] fd = Numeric.centralDifference(a -> Jax.grad(loss).apply(a), x, v, 1e-3);
        Numeric.assertClose(fd, hv.toDoubleArray(), 1e-8, 1e-8, "Hessian-vector product through conv");
    }

    @Test
    void shapeRuleErrorsNameTheProblem() {
        Array x = Array.of(new double[1 * 4 * 5 * 5], 1, 4, 5, 5);
        assertError("divisible", () -> Lax.convGeneralDilated(x, Array.of(new double[3 * 4 * 3 * 3], 3, 4, 3, 3),
                i(1, 1), i(0, 0), i(0, 0), i(1, 1), i(1, 1), 3));
        assertError("channels/groups", () -> Lax.convGeneralDilated(x, Array.of(new double[4 * 3 * 3 * 3], 4, 3, 3, 3),
                i(1, 1), i(0, 0), i(0, 0), i(1, 1), i(1, 1), 1));
        assertError("same rank", () -> Lax.conv(x, Array.of(new double[4 * 4 * 3], 4, 4, 3), i(1, 1), i(0, 0), i(0, 0)));
        assertError("one entry each", () -> Lax.conv(x, Array.of(new double[2 * 4 * 3 * 3], 2, 4, 3, 3), i(1), i(0), i(0)));
        assertError("positive", () -> Lax.conv(x, Array.of(new double[2 * 4 * 3 * 3], 2, 4, 3, 3), i(0, 1), i(0, 0), i(0, 0)));
        assertError("numeric dtype", () -> Lax.conv(x, Array.of(new float[2 * 4 * 3 * 3], 2, 4, 3, 3), i(1, 1), i(0, 0), i(0, 0)));
        assertError("non-negative padding", () -> Lax.reduceWindowSum(x, i(1, 1, 2, 2), i(1, 1, 1, 1), i(0, 0, -1, 0), i(0, 0, 0, 0)));
        assertError("one positive window", () -> Lax.reduceWindowMax(x, i(2, 2), i(1, 1), i(0, 0), i(0, 0)));
        // a kernel larger than the input gives an empty result, as in XLA
        assertArrayEquals(new int[] {1, 2, 0, 0}, Lax.conv(x, Array.of(new double[2 * 4 * 6 * 6], 2, 4, 6, 6), i(1, 1), i(0, 0), i(0, 0)).shape());
    }

    private static void assertError(String fragment, org.junit.jupiter.api.function.Executable e) {
        IllegalArgumentException err = assertThrows(IllegalArgumentException.class, e);
        assertTrue(err.getMessage().contains(fragment), "message should mention '" + fragment + "': " + err.getMessage());
        assertTrue(err.getMessage().contains("conv_general_dilated") || err.getMessage().contains("reduce_window"),
                err.getMessage());
    }

    // ------------------------------------------------------------------ the naive references

    record Naive(int[] shape, double[] values) {}

    /** Explicitly dilates and pads the input, dilates the kernel, then sums each window. */
    static Naive naiveConv(Conf c, double[] x, double[] w) {
        int sp = c.lhs.length - 2;
        int n = c.lhs[0];
        int ch = c.lhs[1];
        int o = c.rhs[0];
        int cg = c.rhs[1];
        int og = o / c.groups;
        // padded, dilated input as a map from coordinates (may be cropped by negative padding)
        int[] big = new int[sp];
        int[] dk = new int[sp];
        int[] out = new int[sp];
        for (int d = 0; d < sp; d++) {
            big[d] = (c.lhs[2 + d] - 1) * c.ld[d] + 1 + c.lo[d] + c.hi[d];
            dk[d] = (c.rhs[2 + d] - 1) * c.rd[d] + 1;
            out[d] = big[d] < dk[d] ? 0 : (big[d] - dk[d]) / c.strides[d] + 1;
        }
        int bigSize = prod(big);
        double[][][] padded = new double[n][ch][bigSize];
        for (int ni = 0; ni < n; ni++) {
            for (int ci = 0; ci < ch; ci++) {
                for (int s = 0; s < prod(Arrays.copyOfRange(c.lhs, 2, c.lhs.length)); s++) {
                    int[] idx = unflat(s, Arrays.copyOfRange(c.lhs, 2, c.lhs.length));
                    int[] at = new int[sp];
                    boolean inside = true;
                    for (int d = 0; d < sp; d++) {
                        at[d] = idx[d] * c.ld[d] + c.lo[d];
                        inside &= at[d] >= 0 && at[d] < big[d];
                    }
                    if (inside) {
                        padded[ni][ci][flat(at, big)] = x[(ni * ch + ci) * prod(Arrays.copyOfRange(c.lhs, 2, c.lhs.length)) + s];
                    }
                }
            }
        }
        int ksp = prod(Arrays.copyOfRange(c.rhs, 2, c.rhs.length));
        double[][][] kernel = new double[o][cg][prod(dk)];
        for (int oi = 0; oi < o; oi++) {
            for (int ci = 0; ci < cg; ci++) {
                for (int s = 0; s < ksp; s++) {
                    int[] idx = unflat(s, Arrays.copyOfRange(c.rhs, 2, c.rhs.length));
                    int[] at = new int[sp];
                    for (int d = 0; d < sp; d++) {
                        at[d] = idx[d] * c.rd[d];
                    }
                    kernel[oi][ci][flat(at, dk)] = w[(oi * cg + ci) * ksp + s];
                }
            }
        }
        int[] shape = new int[sp + 2];
        shape[0] = n;
        shape[1] = o;
        System.arraycopy(out, 0, shape, 2, sp);
        double[] y = new double[prod(shape)];
        int p = prod(out);
        for (int ni = 0; ni < n; ni++) {
            for (int oi = 0; oi < o; oi++) {
                int group = oi / og;
                for (int pp = 0; pp < p; pp++) {
                    int[] pos = unflat(pp, out);
                    double acc = 0;
                    for (int ci = 0; ci < cg; ci++) {
                        for (int kk = 0; kk < prod(dk); kk++) {
                            int[] k = unflat(kk, dk);
                            int[] at = new int[sp];
                            for (int d = 0; d < sp; d++) {
                                at[d] = pos[d] * c.strides[d] + k[d];
                            }
                            acc += padded[ni][group * cg + ci][flat(at, big)] * kernel[oi][ci][kk];
                        }
                    }
                    y[(ni * o + oi) * p + pp] = acc;
                }
            }
        }
        return new Naive(shape, y);
    }

    /** The gradients of {@code <ct, conv(x, w)>}: every (output, window position) pair that reads x scatters. */
    static double[][] naiveConvVjp(Conf c, double[] x, double[] w, double[] ct, int[] outShape) {
        int sp = c.lhs.length - 2;
        int[] inSp = Arrays.copyOfRange(c.lhs, 2, c.lhs.length);
        int[] kSp = Arrays.copyOfRange(c.rhs, 2, c.rhs.length);
        int[] oSp = Arrays.copyOfRange(outShape, 2, outShape.length);
        int ch = c.lhs[1];
        int cg = c.rhs[1];
        int o = c.rhs[0];
        int og = o / c.groups;
        double[] dx = new double[x.length];
        double[] dw = new double[w.length];
        for (int ni = 0; ni < c.lhs[0]; ni++) {
            for (int oi = 0; oi < o; oi++) {
                for (int pp = 0; pp < prod(oSp); pp++) {
                    int[] pos = unflat(pp, oSp);
                    double g = ct[(ni * o + oi) * prod(oSp) + pp];
                    for (int ci = 0; ci < cg; ci++) {
                        int cin = (oi / og) * cg + ci;
                        for (int kk = 0; kk < prod(kSp); kk++) {
                            int[] k = unflat(kk, kSp);
                            int[] at = new int[sp];
                            boolean inside = true;
                            for (int d = 0; d < sp; d++) {
                                int q = pos[d] * c.strides[d] + k[d] * c.rd[d] - c.lo[d];
                                inside &= q >= 0 && q % c.ld[d] == 0 && q / c.ld[d] < inSp[d];
                                at[d] = inside ? q / c.ld[d] : 0;
                            }
                            if (!inside) {
                                continue;
                            }
                            int xi = (ni * ch + cin) * prod(inSp) + flat(at, inSp);
                            int wi = (oi * cg + ci) * prod(kSp) + kk;
                            dx[xi] += g * w[wi];
                            dw[wi] += g * x[xi];
                        }
                    }
                }
            }
        }
        return new double[][] {dx, dw};
    }

    static Naive naivePool(Pool p, double[] x, boolean max) {
        int r = p.shape.length;
        int[] out = new int[r];
        for (int a = 0; a < r; a++) {
            int span = p.shape[a] + p.lo[a] + p.hi[a] - p.window[a];
            out[a] = span < 0 ? 0 : span / p.strides[a] + 1;
        }
        double[] y = new double[prod(out)];
        for (int f = 0; f < y.length; f++) {
            int[] pos = unflat(f, out);
            double acc = max ? Double.NEGATIVE_INFINITY : 0;
            for (int kk = 0; kk < prod(p.window); kk++) {
                int[] k = unflat(kk, p.window);
                int[] at = new int[r];
                boolean inside = true;
                for (int a = 0; a < r; a++) {
                    at[a] = pos[a] * p.strides[a] + k[a] - p.lo[a];
                    inside &= at[a] >= 0 && at[a] < p.shape[a];
                }
                if (inside) {
                    double v = x[flat(at, p.shape)];
                    acc = max ? Math.max(acc, v) : acc + v;
                }
            }
            y[f] = acc;
        }
        return new Naive(out, y);
    }

    /** Sum: every element of a window gets the window's cotangent; max: the (unique) maximal element gets it. */
    static double[] naivePoolVjp(Pool p, double[] x, double[] ct, int[] out, boolean max) {
        int r = p.shape.length;
        double[] dx = new double[x.length];
        for (int f = 0; f < prod(out); f++) {
            int[] pos = unflat(f, out);
            int best = -1;
            for (int kk = 0; kk < prod(p.window); kk++) {
                int[] k = unflat(kk, p.window);
                int[] at = new int[r];
                boolean inside = true;
                for (int a = 0; a < r; a++) {
                    at[a] = pos[a] * p.strides[a] + k[a] - p.lo[a];
                    inside &= at[a] >= 0 && at[a] < p.shape[a];
                }
                if (!inside) {
                    continue;
                }
                int xi = flat(at, p.shape);
                if (!max) {
                    dx[xi] += ct[f];
                } else if (best < 0 || x[xi] > x[best]) {
                    best = xi;
                }
            }
            if (max && best >= 0) {
                dx[best] += ct[f];
            }
        }
        return dx;
    }

    // ------------------------------------------------------------------ helpers

    private static int prod(int[] s) {
        int n = 1;
        for (int d : s) {
            n *= d;
        }
        return n;
    }

    private static int[] unflat(int f, int[] shape) {
        int[] idx = new int[shape.length];
        for (int a = shape.length - 1; a >= 0; a--) {
            idx[a] = f % shape[a];
            f /= shape[a];
        }
        return idx;
    }

    private static int flat(int[] idx, int[] shape) {
        int f = 0;
        for (int a = 0; a < shape.length; a++) {
            f = f * shape[a] + idx[a];
        }
        return f;
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int a = 0; a < n; a++) {
            r[a] = a;
        }
        return r;
    }

    private static int[] prepend(int b, int[] s) {
        int[] r = new int[s.length + 1];
        r[0] = b;
        System.arraycopy(s, 0, r, 1, s.length);
        return r;
    }

    /** Example {@code e} along axis 0, read from the flat data (not through the library's slicing). */
    private static Array example(Array xs, int e) {
        int[] s = Arrays.copyOfRange(xs.shape(), 1, xs.ndim());
        int n = prod(s);
        return Array.of(Arrays.copyOfRange(xs.toDoubleArray(), e * n, (e + 1) * n), s);
    }
}
