package dev.solstice.numerics;

import static dev.solstice.numerics.SortTest.assertMessage;
import static dev.solstice.numerics.SortTest.example;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.Lax;
import dev.solstice.testing.Numeric;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleBinaryOperator;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The cumulative reductions through the facades against naive loops (every op, dtype, axis and direction),
 * cumsum's transpose by the adjoint identity, derivatives against central differences to second order,
 * vmap against the loop over examples on every axis, jit against eager, and the refusals.
 */
class CumulativeTest {

    /** A cumulative op under test: the facade call and the scalar combine the naive loop uses. */
    private record Op(String name, Lax3 call, DoubleBinaryOperator combine) {}

    @FunctionalInterface
    private interface Lax3 {
        Array apply(Array x, int axis, boolean reverse);
    }

    private static final List<Op> OPS = List.of(
            new Op("cumsum", Lax::cumsum, Double::sum),
            new Op("cumprod", Lax::cumprod, (a, b) -> a * b),
            new Op("cummax", Lax::cummax, (a, b) -> Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.max(a, b)),
            new Op("cummin", Lax::cummin, (a, b) -> Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.min(a, b)),
            new Op("cumlogsumexp", Lax::cumlogsumexp, (a, b) -> Math.log(Math.exp(a) + Math.exp(b))));

    /** The naive cumulative op of a [2,3,4] array along {@code axis}: each output folded from scratch. */
    private static double[] naive(double[] x, int[] shape, int axis, boolean reverse, DoubleBinaryOperator f) {
        int[] strides = {shape[1] * shape[2], shape[2], 1};
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            int pos = i / strides[axis] % shape[axis];
            int first = i - pos * strides[axis];
            // fold in the order of accumulation, from the first element of the direction up to pos
            int from = reverse ? shape[axis] - 1 : 0;
            int step = reverse ? -1 : 1;
            double acc = x[first + from * strides[axis]];
            for (int k = from + step; k != pos + step; k += step) {
                acc = f.applyAsDouble(acc, x[first + k * strides[axis]]);
            }
            out[i] = acc;
        }
        return out;
    }

    @Test
    void everyOpDtypeAxisAndDirectionAgreesWithTheNaiveLoop() {
        Random r = new Random(21);
        int[] shape = {2, 3, 4};
        for (Op op : OPS) {
            for (DType t : new DType[] {DType.FLOAT64, DType.FLOAT32, DType.INT32}) {
                if (t == DType.INT32 && op.name().equals("cumlogsumexp")) {
                    continue;
                }
                Array x = Numeric.random(r, t, -1.5, 1.5, shape);
                for (int axis = 0; axis < 3; axis++) {
                    for (boolean reverse : new boolean[] {false, true}) {
                        Array y = op.call().apply(x, axis, reverse);
                        String what = op.name() + " " + t + " axis " + axis + (reverse ? " reverse" : "");
                        assertEquals(t, y.dtype(), what);
                        double[] expected = naive(x.toDoubleArray(), shape, axis, reverse, op.combine());
                        double tol = t == DType.FLOAT32 ? 2e-6 : t == DType.FLOAT64 ? 1e-13 : 0;
                        Numeric.assertClose(expected, y.toDoubleArray(), tol, tol, what);
                        // a negative axis names the same axis
                        Numeric.assertExactly(y.toDoubleArray(), op.call().apply(x, axis - 3, reverse).toDoubleArray(), what);
                    }
                }
            }
        }
    }

    @Test
    void specialValues() {
        Array x = Array.of(1.0, Double.NaN, 3.0, -1.0);
        assertArrayEquals(new double[] {1, Double.NaN, Double.NaN, Double.NaN}, Jnp.cummax(x, 0).toDoubleArray());
        assertArrayEquals(new double[] {Double.NaN, Double.NaN, -1, -1}, Lax.cummin(x, 0, true).toDoubleArray());
        // no overflow where exp would, and -inf is the identity
        Array big = Array.of(1000.0, 1000.0, Double.NEGATIVE_INFINITY, 999.0);
        double[] lse = Lax.cumlogsumexp(big, 0).toDoubleArray();
        assertEquals(1000, lse[0]);
        assertEquals(1000 + Math.log(2), lse[1], 1e-12);
        assertEquals(1000 + Math.log(2), lse[2], 1e-12);
        assertEquals(1000 + Math.log(2 + Math.exp(-1)), lse[3], 1e-12);
        assertArrayEquals(new double[] {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY},
                Lax.cumlogsumexp(Array.of(Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY), 0).toDoubleArray());
        // int32 wraps around; bool counts as int32 in jnp's cumsum and cumprod
        assertArrayEquals(new int[] {Integer.MAX_VALUE, Integer.MIN_VALUE}, Jnp.cumsum(Array.of(Integer.MAX_VALUE, 1), 0).toIntArray());
        Array bools = Array.of(true, false, true, true);
        assertEquals(DType.INT32, Jnp.cumsum(bools, 0).dtype());
        assertArrayEquals(new int[] {1, 1, 2, 3}, Jnp.cumsum(bools, 0).toIntArray());
        assertArrayEquals(new int[] {1, 0, 0, 0}, Jnp.cumprod(bools, 0).toIntArray());
    }

    @Test
    void cumsumTransposeIsTheReverseCumsum() {
        Random r = new Random(22);
        int[] shape = {3, 5};
        for (int axis = 0; axis < 2; axis++) {
            for (boolean reverse : new boolean[] {false, true}) {
                Array x = Numeric.random(r, DType.FLOAT64, -1, 1, shape);
                Array y = Numeric.random(r, DType.FLOAT64, -1, 1, shape);
                int a = axis;
                double lhs = Numeric.dot(Lax.cumsum(x, a, reverse), y);
                double rhs = Numeric.dot(x, Lax.cumsum(y, a, !reverse));
                assertEquals(lhs, rhs, 1e-12, "<cumsum(x), y> vs <x, cumsum_reverse(y)>");
                Array pulled = Jax.vjp((Array z) -> Lax.cumsum(z, a, reverse), x).pullback().apply(y);
                Numeric.assertClose(Lax.cumsum(y, a, !reverse).toDoubleArray(), pulled.toDoubleArray(), 1e-14, 1e-14,
                        "vjp of cumsum along " + a);
            }
        }
    }

    @Test
    void jvpAndGradientAgreeWithCentralDifferences() {
        Random r = new Random(23);
        for (Op op : OPS) {
            for (int axis = 0; axis < 2; axis++) {
                for (boolean reverse : new boolean[] {false, true}) {
                    Array x = Numeric.random(r, DType.FLOAT64, -1.5, 1.5, 3, 6);
                    if (op.name().equals("cumprod")) { // a zero element: the scan's rule needs no division
                        x = Jnp.multiply(x, Array.of(new double[] {1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, 3, 6));
                    }
                    Array t = Numeric.random(r, DType.FLOAT64, -1, 1, 3, 6);
                    int a = axis;
                    boolean rev = reverse;
                    Function<Array, Array> f = z -> op.call().apply(z, a, rev);
                    String what = op.name() + " axis " + a + (rev ? " reverse" : "");
                    Numeric.assertClose(Numeric.centralDifference(f, x, t, 1e-4), Jax.jvp(f, x, t).tangent().toDoubleArray(),
                            1e-7, 1e-8, "jvp of " + what);
                    Array w = Numeric.random(r, DType.FLOAT64, -1, 1, 3, 6);
                    Function<Array, Array> loss = z -> Jnp.sum(Jnp.multiply(w, f.apply(z)));
                    assertEquals(Numeric.centralDifference(loss, x, t, 1e-4)[0], Numeric.dot(Jax.grad(loss).apply(x), t), 1e-7,
                            "grad of " + what);
                }
            }
        }
    }

    @Test
    void hessiansAgreeWithCentralDifferencesOfTheGradient() {
        Random r = new Random(24);
        for (Op op : OPS) {
            Array x = Numeric.random(r, DType.FLOAT64, -1.5, 1.5, 7);
            Array w = Numeric.random(r, DType.FLOAT64, -1, 1, 7);
            Array v = Numeric.random(r, DType.FLOAT64, -1, 1, 7);
            Function<Array, Array> loss = z -> Jnp.sum(Jnp.multiply(w, Jnp.sin(op.call().apply(Jnp.multiply(z, z), 0, false))));
            double[] expected = Numeric.centralDifference(Jax.grad(loss), x, v, 1e-4);
            Numeric.assertClose(expected, Jax.hvp(loss, x, v).toDoubleArray(), 1e-6, 1e-7, "hvp through " + op.name());
            Array h = Jax.hessian(loss::apply).apply(x);
            double[] hv = new double[7];
            for (int i = 0; i < 7; i++) {
                for (int j = 0; j < 7; j++) {
                    hv[i] += h.toDoubleArray()[i * 7 + j] * v.toDoubleArray()[j];
                }
            }
            Numeric.assertClose(expected, hv, 1e-6, 1e-7, "hessian through " + op.name());
        }
    }

    /** jacfwd or jacrev of a function of one array. */
    private static Function<Array, Array> jac(boolean forward, Function<Array, Array> f) {
        java.util.function.UnaryOperator<Array> g = f::apply;
        return forward ? Jax.jacfwd(g) : Jax.jacrev(g);
    }

    @Test
    void theFourPairingsOfForwardAndReverseModeAgreeToSecondOrder() {
        Random r = new Random(27);
        List<Function<Array, Array>> fs = new java.util.ArrayList<>();
        for (Op op : OPS) {
            fs.add(z -> op.call().apply(Jnp.sin(z), 0, op.name().equals("cummin")));
        }
        fs.add(z -> Jnp.sort(Jnp.multiply(z, z)));
        fs.add(z -> Lax.topK(Jnp.exp(z), 3).values());
        Array x = Numeric.separated(r, 0.3, 0.05, 5);
        for (int i = 0; i < fs.size(); i++) {
            Function<Array, Array> f = fs.get(i);
            double[] ff = jac(true, jac(true, f)).apply(x).toDoubleArray();
            String what = i < OPS.size() ? OPS.get(i).name() : i == OPS.size() ? "sort" : "top_k";
            for (boolean outer : new boolean[] {true, false}) {
                for (boolean inner : new boolean[] {true, false}) {
                    Numeric.assertClose(ff, jac(outer, jac(inner, f)).apply(x).toDoubleArray(), 1e-12, 1e-12,
                            what + ": jac" + (outer ? "fwd" : "rev") + " of jac" + (inner ? "fwd" : "rev") + " vs jacfwd of jacfwd");
                }
            }
            // and against central differences of the first Jacobian along a random direction
            Array v = Numeric.random(r, DType.FLOAT64, -1, 1, 5);
            double[] fd = Numeric.centralDifference(jac(false, f), x, v, 1e-4);
            double[] hv = new double[fd.length];
            for (int k = 0; k < fd.length; k++) {
                for (int j = 0; j < 5; j++) {
                    hv[k] += ff[k * 5 + j] * v.toDoubleArray()[j];
                }
            }
            Numeric.assertClose(fd, hv, 1e-6, 1e-7, what + ": second derivative along v vs central differences");
        }
    }

    @Test
    void vmapOnEveryAxisEqualsTheLoopOverExamples() {
        Random r = new Random(25);
        Array x = Numeric.random(r, DType.FLOAT64, -1, 1, 2, 3, 4);
        for (Op op : OPS) {
            for (int batchAxis = 0; batchAxis < 3; batchAxis++) {
                for (int axis : new int[] {0, 1, -1}) {
                    for (boolean reverse : new boolean[] {false, true}) {
                        int b = batchAxis;
                        Array batched = Jax.vmap((Array z) -> op.call().apply(z, axis, reverse), b, 0).apply(x);
                        for (int e = 0; e < x.shape()[b]; e++) {
                            Numeric.assertExactly(op.call().apply(example(x, b, e), axis, reverse).toDoubleArray(),
                                    example(batched, 0, e).toDoubleArray(),
                                    op.name() + " vmapped over " + b + " along " + axis + ", example " + e);
                        }
                    }
                }
            }
            // and the derivative under vmap
            Array w = Numeric.random(r, DType.FLOAT64, -1, 1, 3, 4);
            Function<Array, Array> g = Jax.grad((Array z) -> Jnp.sum(Jnp.multiply(w, op.call().apply(z, 1, false))));
            Array grads = Jax.vmap(g, 0, 0).apply(x);
            for (int e = 0; e < 2; e++) {
                Numeric.assertClose(g.apply(example(x, 0, e)).toDoubleArray(), example(grads, 0, e).toDoubleArray(),
                        1e-14, 1e-14, "vmap of grad of " + op.name());
            }
        }
    }

    @Test
    void jitEqualsEager() {
        Random r = new Random(26);
        Array x = Numeric.random(r, DType.FLOAT32, -1, 1, 3, 5);
        for (Op op : OPS) {
            Function<Array, Array> f = z -> op.call().apply(z, 1, true);
            Numeric.assertExactly(f.apply(x).toDoubleArray(), Jax.jit((Array z) -> f.apply(z)).apply(x).toDoubleArray(), "jit " + op.name());
            Function<Array, Array> g = Jax.grad((Array z) -> Jnp.sum(Jnp.sin(f.apply(z))));
            Numeric.assertClose(g.apply(x).toDoubleArray(), Jax.jit((Array z) -> g.apply(z)).apply(x).toDoubleArray(), 1e-6, 1e-6,
                    "jit grad of " + op.name());
        }
    }

    @Test
    void badInputIsRefusedClearly() {
        Array x = Array.of(new double[] {1, 2, 3, 4}, 2, 2);
        assertMessage(() -> Jnp.cumsum(x, 2), "cumsum");
        assertMessage(() -> Jnp.cumsum(x, -3), "cumsum");
        assertMessage(() -> Jnp.cumprod(Array.scalar(2.0), 0), "cumprod");
        assertMessage(() -> Lax.cumlogsumexp(Array.of(1, 2), 0), "cumlogsumexp");
        assertMessage(() -> Lax.cumsum(Array.of(true, false), 0, false), "bool");
        assertMessage(() -> Jnp.cummax(Array.of(true, false), 0), "cummax");
    }
}
