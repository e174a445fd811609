package dev.solstice.numerics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.Lax;
import dev.solstice.TopK;
import dev.solstice.testing.Numeric;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Sort, argsort, top_k and searchsorted through the facades, against {@link Arrays#sort} and naive loops:
 * NaNs of both signs, signed zeros, infinities and ties (stability), several operands, every axis, derivatives
 * against central differences (first and second order), vmap against the loop over examples, jit against eager.
 */
class SortTest {

    private static final float NAN = Float.NaN;

    /** A float32 row with every awkward value JAX's comparator must place, plus random ties. */
    private static float[] awkward(Random r, int n) {
        float[] special = {NAN, -0.0f, 0.0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -NAN,
            Float.intBitsToFloat(0xffc00001), 1.5f, -1.5f, 0.0f, -0.0f};
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextInt(3) == 0 ? special[r.nextInt(special.length)] : r.nextInt(9) - 4;
        }
        return v;
    }

    /** JAX's order, written independently: -0.0 as 0.0, every NaN after +Infinity, NaNs equal. */
    private static int jaxCompare(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b)) {
            return Boolean.compare(Double.isNaN(a), Double.isNaN(b));
        }
        return a < b ? -1 : a > b ? 1 : 0;
    }

    /** The stable order of a row under JAX's comparator, by List.sort (a stable merge sort). */
    private static int[] stableOrder(double[] row) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < row.length; i++) {
            idx.add(i);
        }
        idx.sort((a, b) -> jaxCompare(row[a], row[b]));
        return idx.stream().mapToInt(Integer::intValue).toArray();
    }

    private static double[] row(double[] flat, int rowLength, int r) {
        return Arrays.copyOfRange(flat, r * rowLength, (r + 1) * rowLength);
    }

    @Test
    void float32SortAgreesWithArraysSortAndKeepsEqualElementsInOrder() {
        Random r = new Random(1);
        int rows = 4;
        int n = 60;
        float[] data = new float[rows * n];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(awkward(r, n), 0, data, i * n, n);
        }
        Array x = Array.of(data, rows, n);
        float[] sorted = Jnp.sort(x).toFloatArray();
        int[] order = Jnp.argsort(x).toIntArray();
        assertEquals(DType.INT32, Jnp.argsort(x).dtype());
        for (int i = 0; i < rows; i++) {
            float[] expected = Arrays.copyOfRange(data, i * n, (i + 1) * n);
            Arrays.sort(expected); // -0.0 before 0.0 and NaN last; JAX ties the zeros instead
            float[] got = Arrays.copyOfRange(sorted, i * n, (i + 1) * n);
            for (int j = 0; j < n; j++) {
                assertTrue(Float.isNaN(expected[j]) ? Float.isNaN(got[j]) : expected[j] == got[j],
                        "row " + i + " element " + j + ": " + got[j] + " vs Arrays.sort's " + expected[j]);
            }
            int[] stable = stableOrder(row(x.toDoubleArray(), n, i));
            assertArrayEquals(stable, Arrays.copyOfRange(order, i * n, (i + 1) * n), "argsort of row " + i);
            for (int j = 0; j < n; j++) {
                // the values are the operand's own, bit for bit: the zeros keep their sign and order
                assertEquals(Float.floatToRawIntBits(data[i * n + stable[j]]), Float.floatToRawIntBits(got[j]),
                        "row " + i + " element " + j + " bits");
            }
        }
    }

    @Test
    void float64SortAlongTheFirstAxis() {
        Random r = new Random(2);
        double[] data = new double[30 * 3];
        for (int i = 0; i < data.length; i++) {
            data[i] = r.nextInt(4) == 0 ? (r.nextBoolean() ? Double.NaN : -0.0) : r.nextInt(11) - 5;
        }
        Array x = Array.of(data, 30, 3);
        double[] got = Jnp.sort(x, 0).toDoubleArray();
        int[] order = Jnp.argsort(x, 0).toIntArray();
        for (int c = 0; c < 3; c++) {
            double[] col = new double[30];
            for (int i = 0; i < 30; i++) {
                col[i] = data[i * 3 + c];
            }
            int[] stable = stableOrder(col);
            for (int i = 0; i < 30; i++) {
                assertEquals(stable[i], order[i * 3 + c], "argsort column " + c + " element " + i);
                assertEquals(Double.doubleToRawLongBits(col[stable[i]]), Double.doubleToRawLongBits(got[i * 3 + c]));
            }
        }
    }

    @Test
    void intAndBoolSortAgreeWithArraysSort() {
        Random r = new Random(3);
        int[] ints = new int[200];
        boolean[] bools = new boolean[50];
        for (int i = 0; i < ints.length; i++) {
            ints[i] = r.nextInt() >> r.nextInt(31);
        }
        for (int i = 0; i < bools.length; i++) {
            bools[i] = r.nextBoolean();
        }
        int[] expected = ints.clone();
        Arrays.sort(expected);
        assertArrayEquals(expected, Jnp.sort(Array.of(ints)).toIntArray());
        boolean[] sortedBools = Jnp.sort(Array.of(bools)).toBooleanArray();
        int falses = 0;
        for (boolean b : bools) {
            falses += b ? 0 : 1;
        }
        for (int i = 0; i < bools.length; i++) {
            assertEquals(i >= falses, sortedBools[i], "bool element " + i);
        }
    }

    @Test
    void severalOperandsSortLexicographicallyByTheKeysAndCarryTheRest() {
        Random r = new Random(4);
        int n = 40;
        int[] k1 = new int[n];
        double[] k2 = new double[n];
        double[] payload = new double[n];
        for (int i = 0; i < n; i++) {
            k1[i] = r.nextInt(3);
            k2[i] = r.nextInt(3) == 0 ? Double.NaN : r.nextInt(4);
            payload[i] = i;
        }
        Array[] out = Lax.sort(new Array[] {Array.of(k1), Array.of(k2), Array.of(payload)}, 0, 2);
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            idx.add(i);
        }
        idx.sort(Comparator.<Integer>comparingInt(i -> k1[i]).thenComparing((a, b) -> jaxCompare(k2[a], k2[b])));
        for (int j = 0; j < n; j++) {
            int src = idx.get(j);
            assertEquals(k1[src], out[0].toIntArray()[j]);
            assertEquals(Double.doubleToLongBits(k2[src]), Double.doubleToLongBits(out[1].toDoubleArray()[j]));
            assertEquals(src, out[2].toDoubleArray()[j], "payload (the original position) at " + j);
        }
    }

    /** Distinct float64 values at least 0.15 apart, so small steps never reorder them. */
    private static Array separated(Random r, int... shape) {
        return Numeric.separated(r, 0.2, 0.05, shape);
    }

    @Test
    void jvpIsThePermutedTangentAndAgreesWithCentralDifferences() {
        Random r = new Random(5);
        Array x = separated(r, 3, 7);
        Array t = Numeric.random(r, DType.FLOAT64, -1, 1, 3, 7);
        for (int axis : new int[] {0, 1}) {
            Function<Array, Array> f = a -> Jnp.sort(a, axis);
            Array tangent = Jax.jvp(f, x, t).tangent();
            Numeric.assertClose(Numeric.centralDifference(f, x, t, 1e-3), tangent.toDoubleArray(), 1e-9, 1e-9,
                    "jvp of sort along " + axis);
            // the closed form: the tangent taken along the permutation
            int[] order = Jnp.argsort(x, axis).toIntArray();
            double[] tv = t.toDoubleArray();
            for (int i = 0; i < 21; i++) {
                int row = i / 7;
                int col = i % 7;
                double expected = axis == 1 ? tv[row * 7 + order[i]] : tv[order[i] * 7 + col];
                assertEquals(expected, tangent.toDoubleArray()[i], "permuted tangent at " + i);
            }
        }
    }

    @Test
    void gradientAndHessianAgreeWithCentralDifferences() {
        Random r = new Random(6);
        Array x = separated(r, 8);
        Array w = Numeric.random(r, DType.FLOAT64, -1, 1, 8);
        Function<Array, Array> f = a -> Jnp.sum(Jnp.multiply(w, Jnp.power(Jnp.sort(a), 3.0)));
        Function<Array, Array> g = Jax.grad(f);
        Array v = Numeric.random(r, DType.FLOAT64, -1, 1, 8);
        double fd = Numeric.centralDifference(f, x, v, 1e-3)[0];
        assertEquals(fd, Numeric.dot(g.apply(x), v), 1e-8, "grad . v vs central difference");
        Array hessian = Jax.hessian(f::apply).apply(x);
        double[] hv = Numeric.centralDifference(g, x, v, 1e-3);
        double[] h = hessian.toDoubleArray();
        for (int i = 0; i < 8; i++) {
            double s = 0;
            for (int j = 0; j < 8; j++) {
                s += h[i * 8 + j] * v.toDoubleArray()[j];
            }
            assertEquals(hv[i], s, 1e-7, "hessian row " + i + " times v vs central differences of the gradient");
        }
    }

    @Test
    void vmapOnEveryAxisEqualsTheLoopOverExamples() {
        Random r = new Random(7);
        Array x = separated(r, 3, 4, 5);
        for (int batchAxis = 0; batchAxis < 3; batchAxis++) {
            for (int sortAxis : new int[] {0, 1, -1}) {
                int b = batchAxis;
                Array batched = Jax.vmap((Array a) -> Jnp.sort(a, sortAxis), b, 0).apply(x);
                for (int e = 0; e < x.shape()[b]; e++) {
                    Array example = example(x, b, e);
                    Numeric.assertExactly(Jnp.sort(example, sortAxis).toDoubleArray(),
                            example(batched, 0, e).toDoubleArray(),
                            "vmap over axis " + b + " of sort along " + sortAxis + ", example " + e);
                }
                Array args = Jax.vmap((Array a) -> Jnp.argsort(a, sortAxis), b, 0).apply(x);
                for (int e = 0; e < x.shape()[b]; e++) {
                    assertArrayEquals(Jnp.argsort(example(x, b, e), sortAxis).toIntArray(),
                            example(args, 0, e).toIntArray());
                }
            }
        }
    }

    @Test
    void jitEqualsEager() {
        Random r = new Random(8);
        Array x = Array.of(awkward(r, 40), 4, 10);
        Numeric.assertExactly(Jnp.sort(x, 0).toDoubleArray(), Jax.jit((Array a) -> Jnp.sort(a, 0)).apply(x).toDoubleArray(), "jit sort");
        assertArrayEquals(Jnp.argsort(x).toIntArray(), Jax.jit((Array a) -> Jnp.argsort(a)).apply(x).toIntArray());
        Array y = separated(r, 6);
        Function<Array, Array> g = Jax.grad((Array a) -> Jnp.sum(Jnp.multiply(Jnp.sort(a), Jnp.arange(6.0, 12.0, 1.0))));
        Numeric.assertExactly(g.apply(y).toDoubleArray(), Jax.jit((Array a) -> g.apply(a)).apply(y).toDoubleArray(), "jit grad");
    }

    @Test
    void topKGivesTheLargestFirstWithTiesByPosition() {
        float[] v = {3, 1, NAN, 3, -0.0f, 7, 0.0f, 3};
        Array x = Array.of(v, 8);
        TopK t = Lax.topK(x, 5);
        assertArrayEquals(new int[] {2, 5, 0, 3, 7}, t.indices().toIntArray(), "NaN largest, then 7, then the 3s by position");
        float[] got = t.values().toFloatArray();
        assertTrue(Float.isNaN(got[0]));
        assertArrayEquals(new float[] {7, 3, 3, 3}, Arrays.copyOfRange(got, 1, 5));
        TopK zeros = Lax.topK(Array.of(new float[] {-0.0f, 0.0f, -1}), 2);
        assertArrayEquals(new int[] {0, 1}, zeros.indices().toIntArray(), "-0.0 ties 0.0, so position decides");
        // batched over leading axes, k = 0 and k = n
        Random r = new Random(9);
        Array m = separated(r, 3, 6);
        TopK all = Lax.topK(m, 6);
        double[] mv = m.toDoubleArray();
        for (int row = 0; row < 3; row++) {
            double[] sorted = Arrays.copyOfRange(mv, row * 6, row * 6 + 6);
            Arrays.sort(sorted);
            for (int j = 0; j < 6; j++) {
                assertEquals(sorted[5 - j], all.values().toDoubleArray()[row * 6 + j]);
                assertEquals(sorted[5 - j], mv[row * 6 + all.indices().toIntArray()[row * 6 + j]]);
            }
        }
        assertArrayEquals(new int[] {3, 0}, Lax.topK(m, 0).values().shape());
        assertEquals(DType.INT32, Lax.topK(m, 0).indices().dtype());
    }

    @Test
    void topKIsDifferentiable() {
        Random r = new Random(10);
        Array x = separated(r, 2, 7);
        Array v = Numeric.random(r, DType.FLOAT64, -1, 1, 2, 7);
        Function<Array, Array> f = a -> Jnp.sum(Jnp.exp(Lax.topK(a, 3).values()));
        assertEquals(Numeric.centralDifference(f, x, v, 1e-3)[0], Numeric.dot(Jax.grad(f).apply(x), v), 1e-8);
        double[] hv = Numeric.centralDifference(Jax.grad(f), x, v, 1e-3);
        Numeric.assertClose(hv, Jax.hvp(f, x, v).toDoubleArray(), 1e-7, 1e-7, "hvp of top_k");
    }

    @Test
    void searchsortedMatchesTheNaiveCount() {
        double[] a = {-3, -1, -0.0, 0.0, 0.0, 2, 2, 2, 5, Double.NaN};
        double[] v = {-4, -3, -2, 0.0, -0.0, 2, 3, 5, 6, Double.NaN, Double.POSITIVE_INFINITY};
        Array sorted = Array.of(a);
        Array values = Array.of(v, 11);
        int[] left = Jnp.searchsorted(sorted, values, "left").toIntArray();
        int[] right = Jnp.searchsorted(sorted, values, "right").toIntArray();
        for (int i = 0; i < v.length; i++) {
            int l = 0;
            int rr = 0;
            for (double e : a) {
                l += jaxCompare(e, v[i]) < 0 ? 1 : 0;
                rr += jaxCompare(e, v[i]) <= 0 ? 1 : 0;
            }
            assertEquals(l, left[i], "left for " + v[i]);
            assertEquals(rr, right[i], "right for " + v[i]);
        }
        assertArrayEquals(new int[] {0, 0, 1, 2, 2, 5, 8, 8, 9, 9, 9}, left, "left, written out");
        assertArrayEquals(new int[] {0, 1, 1, 5, 5, 8, 8, 9, 9, 10, 9}, right, "right, written out");
        // integers against floats promote; the result has the values' shape
        Array ints = Array.of(new int[] {1, 3, 3, 7});
        Array q = Array.of(new double[] {3, 3.5, 0, 8}, 2, 2);
        assertArrayEquals(new int[] {1, 3, 0, 4}, Jnp.searchsorted(ints, q).toIntArray());
        assertArrayEquals(new int[] {2, 2}, Jnp.searchsorted(ints, q).shape());
        assertArrayEquals(new int[] {1, 3, 0, 4}, Jax.jit((Array z) -> Jnp.searchsorted(ints, z)).apply(q).toIntArray());
        // an integer result: its gradient contributions are zero
        Array g = Jax.grad((Array z) -> Jnp.sum(Jnp.multiply(z, Jnp.astype(Jnp.searchsorted(sorted, z), DType.FLOAT64)))).apply(Array.of(1.0, 4.0));
        assertArrayEquals(new double[] {5, 8}, g.toDoubleArray());
    }

    @Test
    void badInputIsRefusedClearly() {
        Array x = Array.of(new double[] {1, 2, 3, 4}, 2, 2);
        assertMessage(() -> Jnp.sort(x, 2), "sort");
        assertMessage(() -> Jnp.sort(Array.scalar(1.0)), "sort");
        assertMessage(() -> Jnp.argsort(Array.scalar(1.0)), "argsort");
        assertMessage(() -> Lax.sort(new Array[] {x, Array.of(1.0, 2.0)}, 0, 1), "sort");
        assertMessage(() -> Lax.sort(new Array[] {x}, 0, 2), "numKeys");
        assertMessage(() -> Lax.topK(x, 3), "top_k");
        assertMessage(() -> Lax.topK(x, -1), "top_k");
        assertMessage(() -> Jnp.searchsorted(x, x), "1-D");
        assertMessage(() -> Jnp.searchsorted(Array.of(1.0), x, "middle"), "side");
    }

    /** Example {@code e} of {@code x} along {@code axis}: a slice with that axis dropped. */
    static Array example(Array x, int axis, int e) {
        return Lax.squeeze(Lax.sliceInDim(x, e, e + 1, axis), axis);
    }

    static void assertMessage(org.junit.jupiter.api.function.Executable e, String mentions) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().contains(mentions), "message should mention " + mentions + ": " + ex.getMessage());
    }
}
