package dev.solstice.vmap;

import static dev.solstice.testing.Stacking.assertClose;
import static dev.solstice.testing.Stacking.assertSame;
import static dev.solstice.testing.Stacking.slice;
import static dev.solstice.testing.Stacking.stack;
import static dev.solstice.testing.Stacking.unstack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.testing.Numeric;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@code Jax.vmap} on its own: axis specs per argument and per leaf, negative axes, out axes, axisSize,
 * nesting, and the errors. The oracle is always the loop over examples: the batch taken apart and the
 * results put together by index arithmetic ({@link dev.solstice.testing.Stacking}), the function applied
 * eagerly to one example at a time.
 */
class VmapTest {
    private static final double TOL = 1e-13;

    private static Array rand(Random r, int... shape) {
        return Numeric.random(r, DType.FLOAT64, -1, 1, shape);
    }

    /** The loop over examples: {@code f} on each slice along {@code inAxis}, the results stacked on {@code outAxis}. */
    private static Array loop(Function<Array, Array> f, Array x, int inAxis, int outAxis) {
        List<Array> out = new ArrayList<>();
        for (Array e : unstack(x, inAxis)) {
            out.add(f.apply(e));
        }
        return stack(out, outAxis);
    }

    /** A per-example function that mixes elementwise work, a reduction and a contraction. */
    private static Array g(Array v) {
        return Jnp.sum(Jnp.sin(v).mul(v)).add(Jnp.dot(v, Jnp.cos(v)));
    }

    // ------------------------------------------------------------------ axes

    @Test
    void defaultAxesMapAxisZeroOfInputAndOutput() {
        Array x = rand(new Random(1), 5, 3);
        assertClose(loop(VmapTest::g, x, 0, 0), Jax.vmap(VmapTest::g).apply(x), TOL, "vmap(g) over rows");
        Function<Array, Array> h = v -> Jnp.tanh(v).mul(2.0);
        assertClose(loop(h, x, 0, 0), Jax.vmap((Array v) -> h.apply(v)).apply(x), TOL, "vmap of an elementwise function");
    }

    @Test
    void everyInAxisAndEveryOutAxis() {
        Array x = rand(new Random(2), 2, 3, 4);
        Function<Array, Array> f = v -> Jnp.matmul(Jnp.sin(v), Jnp.transpose(v)); // [a,b] -> [a,a]
        for (int in = -3; in < 3; in++) {
            for (int out = -3; out < 3; out++) {
                Array expected = loop(f, x, in, out);
                Array actual = Jax.vmap(f, in, out).apply(x);
                assertClose(expected, actual, TOL, "vmap with in axis " + in + " and out axis " + out);
            }
        }
    }

    @Test
    void negativeAxesEqualTheirPositiveCounterparts() {
        Array x = rand(new Random(3), 2, 3, 4);
        Function<Array, Array> f = v -> Jnp.sum(v.mul(v), 0);
        assertSame(Jax.vmap(f, 2, 0).apply(x), Jax.vmap(f, -1, 0).apply(x), "in axis -1 is axis 2");
        assertSame(Jax.vmap(f, 1, 0).apply(x), Jax.vmap(f, -2, 0).apply(x), "in axis -2 is axis 1");
        assertSame(Jax.vmap(f, 0, 0).apply(x), Jax.vmap(f, -3, 0).apply(x), "in axis -3 is axis 0");
        assertSame(Jax.vmap(f, 0, 1).apply(x), Jax.vmap(f, 0, -1).apply(x), "out axis -1 is axis 1 of a rank-2 result");
        assertEquals(List.of(4, 3), List.of(Jax.vmap(f, 2, 0).apply(x).shape()[0], Jax.vmap(f, 2, 0).apply(x).shape()[1]));
    }

    @Test
    void inAxesPerArgument() {
        Random r = new Random(4);
        Array xs = rand(r, 3, 5); // five examples of [3], on axis 1
        Array w = rand(r, 2, 3); // shared
        Array b = rand(r, 5, 2); // five examples of [2], on axis 0
        Function<List<Array>, Array> f = a -> Jnp.tanh(Jnp.matmul(a.get(1), a.get(0)).add(a.get(2)));
        Array actual = Jax.vmap(f, Arrays.asList(1, null, 0), 0).apply(List.of(xs, w, b));
        List<Array> out = new ArrayList<>();
        for (int e = 0; e < 5; e++) {
            out.add(f.apply(List.of(slice(xs, 1, e), w, slice(b, 0, e))));
        }
        assertClose(stack(out, 0), actual, TOL, "inAxes [1, null, 0]");
        // the same with the batched arguments' axes written from the end
        assertClose(stack(out, 0), Jax.vmap(f, Arrays.asList(-1, null, -2), 0).apply(List.of(xs, w, b)), TOL,
                "inAxes [-1, null, -2]");
    }

    @Test
    void inAxesAsATreePrefixPerLeaf() {
        Random r = new Random(5);
        Array x = rand(r, 4, 2); // examples on axis 0
        Array y = rand(r, 2, 4); // examples on axis 1
        Array w = rand(r, 2);
        Array s = rand(r);
        Map<String, Object> args = new TreeMap<>();
        args.put("data", List.of(x, y));
        args.put("params", Map.of("w", w, "s", s));
        Map<String, Object> spec = new TreeMap<>();
        spec.put("data", List.of(0, -1)); // one entry per leaf
        spec.put("params", null); // a whole subtree unbatched
        @SuppressWarnings("unchecked")
        Function<Map<String, Object>, Array> f = m -> {
            List<Array> d = (List<Array>) m.get("data");
            Map<String, Array> p = (Map<String, Array>) m.get("params");
            return d.get(0).mul(p.get("w")).add(Jnp.sin(d.get(1))).mul(p.get("s"));
        };
        List<Array> out = new ArrayList<>();
        for (int e = 0; e < 4; e++) {
            out.add(f.apply(Map.of("data", List.of(slice(x, 0, e), slice(y, 1, e)), "params", Map.of("w", w, "s", s))));
        }
        assertClose(stack(out, 0), Jax.vmap(f, spec, 0).apply(args), TOL, "inAxes {data: [0, -1], params: null}");
        // an integer spec for a subtree applies to each of its leaves
        Map<String, Object> args2 = new TreeMap<>(args);
        args2.put("data", List.of(x, Jnp.transpose(y)));
        Map<String, Object> spec2 = new TreeMap<>();
        spec2.put("data", 0);
        spec2.put("params", null);
        List<Array> out2 = new ArrayList<>();
        for (int e = 0; e < 4; e++) {
            out2.add(f.apply(Map.of("data", List.of(slice(x, 0, e), slice(y, 1, e)), "params", Map.of("w", w, "s", s))));
        }
        assertClose(stack(out2, 0), Jax.vmap(f, spec2, 0).apply(args2), TOL, "inAxes {data: 0, params: null}");
    }

    @Test
    void outAxesPerOutputLeaf() {
        Random r = new Random(6);
        Array x = rand(r, 3, 2);
        Array c = rand(r, 4);
        // per example: a [2], an outer product [2, 4], and a constant [4]
        Function<Array, List<Array>> f = v -> List.of(Jnp.exp(v), Jnp.outer(v, c), c.mul(2.0));
        List<Array> actual = Jax.vmap(f, 0, Arrays.asList(-1, 1, null)).apply(x);
        List<Array> a = new ArrayList<>();
        List<Array> b = new ArrayList<>();
        for (Array e : unstack(x, 0)) {
            List<Array> o = f.apply(e);
            a.add(o.get(0));
            b.add(o.get(1));
        }
        assertClose(stack(a, -1), actual.get(0), TOL, "out axis -1 of output 0");
        assertClose(stack(b, 1), actual.get(1), TOL, "out axis 1 of output 1");
        assertClose(c.mul(2.0), actual.get(2), TOL, "out axis null: the unvarying output returned as it is");
        // a single integer applies to every output leaf; an output that does not vary is broadcast
        List<Array> all = Jax.vmap(f, 0, 1).apply(x);
        assertClose(stack(a, 1), all.get(0), TOL, "out axis 1 of output 0");
        assertClose(stack(b, 1), all.get(1), TOL, "out axis 1 of output 1");
        assertClose(stack(List.of(c.mul(2.0), c.mul(2.0), c.mul(2.0)), 1), all.get(2), TOL,
                "an output that does not vary, broadcast along out axis 1");
    }

    @Test
    void axisSizeWithNoBatchedInput() {
        Array x = Array.of(1.0, -2.0, 3.0);
        Array r = Jax.vmap((Array v) -> v.mul(2.0), null, 0, 4).apply(x);
        assertSame(stack(List.of(x.mul(2.0), x.mul(2.0), x.mul(2.0), x.mul(2.0)), 0), r, "axisSize 4, out axis 0");
        Array r1 = Jax.vmap((Array v) -> v.mul(2.0), null, -1, 2).apply(x);
        assertSame(stack(List.of(x.mul(2.0), x.mul(2.0)), 1), r1, "axisSize 2, out axis -1");
        Array empty = Jax.vmap((Array v) -> v.mul(2.0), null, 0, 0).apply(x);
        assertEquals(List.of(0, 3), List.of(empty.shape()[0], empty.shape()[1]), "axisSize 0");
        // axisSize that agrees with the batched inputs is accepted
        Array y = rand(new Random(7), 3, 2);
        assertClose(loop(VmapTest::g, y, 0, 0), Jax.vmap(VmapTest::g, 0, 0, 3).apply(y), TOL, "axisSize equal to the batch");
    }

    @Test
    void integerAndBooleanResultsAreExact() {
        Array x = rand(new Random(8), 4, 5);
        Function<Array, Array> arg = v -> Jnp.argmax(v, 0);
        assertSame(loop(arg, x, 1, 0), Jax.vmap(arg, 1, 0).apply(x), "argmax per column");
        Function<Array, Array> pos = v -> Jnp.greater(v, 0.0);
        assertSame(loop(pos, x, -1, -1), Jax.vmap(pos, -1, -1).apply(x), "comparison per column");
        Function<Array, Array> count = v -> Jnp.sum(Jnp.greater(v, 0.0));
        assertSame(loop(count, x, 0, 0), Jax.vmap(count).apply(x), "count of positives per row (int32)");
    }

    @Test
    void identityAndRepeatedOutputsMoveTheBatchAxisOnly() {
        Array x = rand(new Random(18), 2, 3, 4);
        for (int in = 0; in < 3; in++) {
            for (int out = 0; out < 3; out++) {
                Array expected = loop(v -> v, x, in, out);
                assertSame(expected, Jax.vmap((Array v) -> v, in, out).apply(x), "identity, in axis " + in + ", out axis " + out);
            }
        }
        List<Array> twice = Jax.vmap((Array v) -> List.of(v, v), 1, Arrays.asList(0, -1)).apply(x);
        assertSame(loop(v -> v, x, 1, 0), twice.get(0), "first copy");
        assertSame(loop(v -> v, x, 1, -1), twice.get(1), "second copy");
    }

    @Test
    void anEmptyBatch() {
        Array x = Array.of(new double[0], 0, 3);
        Array r = Jax.vmap(VmapTest::g).apply(x);
        assertEquals(List.of(0), Arrays.stream(r.shape()).boxed().toList(), "vmap(g) over no examples");
        Array gr = Jax.vmap(Jax.grad(VmapTest::g)).apply(x);
        assertEquals(List.of(0, 3), Arrays.stream(gr.shape()).boxed().toList(), "vmap(grad(g)) over no examples");
    }

    @Test
    void ifArraySpecsBatchEveryLeafBelow() {
        Random r = new Random(19);
        Array a = rand(r, 3, 2);
        Array b = rand(r, 2, 3);
        Function<List<Array>, Array> f = l -> Jnp.sin(l.get(0)).mul(l.get(1));
        Array viaIfArray = Jax.vmap(f, Arrays.asList(new dev.solstice.IfArray(0), new dev.solstice.IfArray(-1)), 0)
                .apply(List.of(a, b));
        assertSame(Jax.vmap(f, Arrays.asList(0, 1), 0).apply(List.of(a, b)), viaIfArray, "IfArray(0), IfArray(-1)");
        assertSame(Jax.vmap(f, List.of(0, 0), 0).apply(List.of(a, Jnp.transpose(b))),
                Jax.vmap(f, new dev.solstice.IfArray(0), 0).apply(List.of(a, Jnp.transpose(b))), "one IfArray for the whole tree");
    }

    // ------------------------------------------------------------------ nesting

    @Test
    void vmapOfVmapOfVmapWithDifferentAxesAtEachLevel() {
        Array x = rand(new Random(9), 2, 3, 4, 5);
        Function<Array, Array> g = v -> Jnp.sum(Jnp.sin(v).mul(v)); // [3] -> []
        Function<Array, Array> level1 = Jax.vmap(g, -1, 0); // [3,5] -> [5]
        Function<Array, Array> level2 = Jax.vmap(level1, 1, -1); // [3,4,5] -> [5,4]
        Function<Array, Array> level3 = Jax.vmap(level2, 0, 1); // [2,3,4,5] -> [5,2,4]
        Array actual = level3.apply(x);
        assertEquals(List.of(5, 2, 4), Arrays.stream(actual.shape()).boxed().toList(), "shape");
        double[] expected = new double[5 * 2 * 4];
        for (int a = 0; a < 2; a++) {
            for (int c = 0; c < 4; c++) {
                for (int e = 0; e < 5; e++) {
                    Array v = slice(slice(slice(x, 0, a), 1, c), 1, e); // x[a, :, c, e]
                    expected[(e * 2 + a) * 4 + c] = g.apply(v).item();
                }
            }
        }
        Numeric.assertClose(expected, actual.toDoubleArray(), TOL, TOL, "three levels of vmap");
    }

    @Test
    void nestedVmapsCloseOverOuterBatches() {
        Random r = new Random(10);
        Array xs = rand(r, 2);
        Array ys = rand(r, 3);
        Array zs = rand(r, 4);
        Array actual = Jax.vmap((Array x) -> Jax.vmap((Array y) -> Jax.vmap((Array z) -> x.mul(y).add(z.mul(x))).apply(zs))
                .apply(ys)).apply(xs);
        double[] expected = new double[2 * 3 * 4];
        double[] a = xs.toDoubleArray();
        double[] b = ys.toDoubleArray();
        double[] c = zs.toDoubleArray();
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 4; k++) {
                    expected[(i * 3 + j) * 4 + k] = a[i] * b[j] + c[k] * a[i];
                }
            }
        }
        assertEquals(List.of(2, 3, 4), Arrays.stream(actual.shape()).boxed().toList());
        Numeric.assertClose(expected, actual.toDoubleArray(), TOL, TOL, "x*y + z*x over three nested batches");
    }

    @Test
    void vmapOfAFunctionThatIgnoresSomeInputs() {
        Random r = new Random(11);
        Array xs = rand(r, 3, 2);
        Array c = rand(r, 2);
        // the output does not depend on the batched input: it is broadcast along the batch
        Array out = Jax.vmap((List<Array> a) -> Jnp.sin(a.get(1)), Arrays.asList(0, null), 0).apply(List.of(xs, c));
        assertSame(stack(List.of(Jnp.sin(c), Jnp.sin(c), Jnp.sin(c)), 0), out, "an output independent of the batch");
    }

    // ------------------------------------------------------------------ errors

    @Test
    void inconsistentBatchSizesListEachInput() {
        Random r = new Random(12);
        Array x = rand(r, 3, 2);
        Array y = rand(r, 2, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Jax.vmap((List<Array> a) -> a.get(0), List.of(0, -1), 0).apply(List.of(x, y)));
        String m = e.getMessage();
        assertTrue(m.contains("inconsistent"), m);
        assertTrue(m.contains("[0]") && m.contains("axis 0") && m.contains("size 3"), "first input's axis and size: " + m);
        assertTrue(m.contains("[1]") && m.contains("axis 1") && m.contains("size 4"), "second input's axis and size: " + m);
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                () -> Jax.vmap((Array a) -> a, 0, 0, 5).apply(x));
        assertTrue(e2.getMessage().contains("size 3") && e2.getMessage().contains("axisSize 5"), e2.getMessage());
    }

    @Test
    void outAxisBeyondTheOutputsRank() {
        Array x = rand(new Random(13), 3, 2);
        for (int bad : new int[] {1, 2, -2}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Jax.vmap((Array v) -> Jnp.sum(v), 0, bad).apply(x), "out axis " + bad);
            assertTrue(e.getMessage().contains("out axis " + bad) && e.getMessage().contains("out of range"), e.getMessage());
        }
        // also for an output that does not vary
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Jax.vmap((Array v) -> Array.scalar(1.0), 0, 1).apply(x));
        assertTrue(e.getMessage().contains("out axis 1"), e.getMessage());
    }

    @Test
    void inAxesThatDoNotMatchTheArguments() {
        Random r = new Random(14);
        List<Array> args = List.of(rand(r, 3), rand(r, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Jax.vmap((List<Array> a) -> a.get(0), List.of(0, 0, 0), 0).apply(args));
        assertTrue(e.getMessage().contains("inAxes"), e.getMessage());
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                () -> Jax.vmap((List<Array> a) -> a.get(0), Map.of("x", 0), 0).apply(args));
        assertTrue(e2.getMessage().contains("inAxes"), e2.getMessage());
        IllegalArgumentException e3 = assertThrows(IllegalArgumentException.class,
                () -> Jax.vmap((Array a) -> a, List.of(0), 0).apply(rand(r, 3)));
        assertTrue(e3.getMessage().contains("inAxes"), e3.getMessage());
        IllegalArgumentException e4 = assertThrows(IllegalArgumentException.class,
                () -> Jax.vmap((Array a) -> List.of(a, a), 0, List.of(0, 0, 0)).apply(rand(r, 3)));
        assertTrue(e4.getMessage().contains("outAxes"), e4.getMessage());
    }

    /**
     * JAX's api_test test_vmap_in_axes_leaf_types and test_vmap_out_axes_leaf_types: an array (or any other
     * object that is no axis) given as an axis is refused with an error naming the argument, not taken as a
     * leaf or as static structure.
     */
    @Test
    void axisSpecLeavesThatAreNoAxes() {
        Array x = Array.of(1.0, 2.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Jax.vmap((Array v) -> v, List.of(Array.of(1.0, 2.0)), 0).apply(x));
        assertTrue(e.getMessage().contains("inAxes") && e.getMessage().contains("array float64[2]"), e.getMessage());
        IllegalArgumentException bare = assertThrows(IllegalArgumentException.class,
                () -> Jax.vmap((Array v) -> v, Array.of(1.0, 2.0), 0).apply(x));
        assertTrue(bare.getMessage().contains("inAxes") && bare.getMessage().contains("array"), bare.getMessage());
        IllegalArgumentException out = assertThrows(IllegalArgumentException.class,
                () -> Jax.vmap((Array v) -> v, 0, List.of(Array.of(1.0, 2.0))).apply(x));
        assertTrue(out.getMessage().contains("outAxes") && out.getMessage().contains("array"), out.getMessage());
        // other objects: a Long, a String, inside a tree prefix
        List<Array> args = List.of(x, x);
        for (Object bad : new Object[] {0L, "0", 0.0}) {
            IllegalArgumentException o = assertThrows(IllegalArgumentException.class,
                    () -> Jax.vmap((List<Array> a) -> a.get(0), List.of(0, bad), 0).apply(args), "axis " + bad);
            assertTrue(o.getMessage().contains("inAxes") && o.getMessage().contains(bad.getClass().getSimpleName()),
                    o.getMessage());
        }
        IllegalArgumentException o = assertThrows(IllegalArgumentException.class,
                () -> Jax.vmap((Array v) -> v, 0, 0L).apply(x));
        assertTrue(o.getMessage().contains("outAxes") && o.getMessage().contains("Long"), o.getMessage());
    }

    @Test
    void inAxisOutOfRange() {
        Array x = rand(new Random(15), 3, 2);
        for (int bad : new int[] {2, -3}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Jax.vmap((Array v) -> v, bad, 0).apply(x));
            assertTrue(e.getMessage().contains("in axis " + bad) && e.getMessage().contains("float64[3,2]"), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Jax.vmap((Array v) -> v, -1, 0).apply(Array.scalar(1.0)));
        assertTrue(e.getMessage().contains("in axis -1"), e.getMessage());
    }

    @Test
    void outAxisNullForAnOutputThatVaries() {
        Array x = rand(new Random(16), 3, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Jax.vmap((Array v) -> Jnp.sin(v), 0, null).apply(x));
        assertTrue(e.getMessage().contains("varies") && e.getMessage().contains("null"), e.getMessage());
    }

    @Test
    void noBatchedInputAndNoAxisSize() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Jax.vmap((Array v) -> v, null, 0).apply(Array.of(1.0, 2.0)));
        assertTrue(e.getMessage().contains("axisSize"), e.getMessage());
    }

    @Test
    void aBatchedValueHasNoConcreteValueInside() {
        Array x = rand(new Random(17), 3, 2);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Jax.vmap((Array v) -> Array.scalar(Jnp.sum(v).item())).apply(x));
        assertTrue(e.getMessage().contains("vmap"), e.getMessage());
    }
}
