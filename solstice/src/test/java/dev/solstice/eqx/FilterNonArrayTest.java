package dev.solstice.eqx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Eqx;
import dev.solstice.JvpResult;
import dev.solstice.Nn;
import dev.solstice.Prng;
import dev.solstice.VjpResult;
import dev.solstice.nn.Linear;
import dev.solstice.nn.MLP;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Filtered forward and reverse mode with non-array leaves, replayed from Equinox's {@code tests/test_ad.py}
 * test_filter_jvp and test_filter_vjp: non-array outputs pass through (also inside lists) and get
 * {@code null} tangents, {@code null} is the cotangent of a non-array output, and a tangent given for an
 * integer array or a non-array input is refused. Java numbers are static values (Equinox's non-array
 * leaves), so where Equinox differentiates the Python float {@code 1.0} this replay uses
 * {@code Array.scalar(1.0)}, and checks that a tangent for a Java {@code Double} is refused. The expected
 * values are Equinox's, worked out by hand.
 */
class FilterNonArrayTest {
    private static final Object ANOTHER = new Object();
    private static final Object INPUT_OBJECT = new Object();

    /** Equinox's g: (1 + x0², 2 + 3 x1, 3 + 4 x2, 4 + 5 x3, 5 + 6 x4, another_object). */
    private static List<Object> g(List<Object> x) {
        return Arrays.asList(
                ((Array) x.get(0)).mul((Array) x.get(0)).add(1),
                ((Array) x.get(1)).mul(Array.scalar(3)).add(Array.scalar(2)),
                3 + (Double) x.get(2) * 4,
                4 + (Integer) x.get(3) * 5,
                ((Array) x.get(4)).mul(6).add(5),
                ANOTHER);
    }

    private static List<Object> primalsIn() {
        return Arrays.asList(Array.scalar(1.0), Array.scalar(1), 1.0, 1, Array.scalar(1.0), INPUT_OBJECT);
    }

    private static List<Object> tangents(Object... t) {
        return Arrays.asList(t);
    }

    private static double value(Object a) {
        return ((Array) a).item();
    }

    /** test_filter_jvp: f(x) = x + 1 with a tangent of 1. */
    @Test
    void filterJvpOfAScalar() {
        JvpResult<Array> r = Eqx.filterJvp((Array x) -> x.add(1), Array.scalar(1.0), Array.scalar(1.0));
        assertEquals(2.0, r.primal().item());
        assertEquals(1.0, r.tangent().item());
    }

    /** test_filter_jvp: the primal outputs pass non-array values through, the tangent tree has null there. */
    @Test
    void filterJvpPassesNonArrayOutputsThrough() {
        List<Object> x = primalsIn();
        // tangents_in1 and (with the array x4 in place of Equinox's Python float x2) tangents_in2
        for (Object[] t : new Object[][] {{Array.scalar(5.0), null, null, null, null, null},
                {Array.scalar(5.0), null, null, null, Array.scalar(3.0), null}}) {
            JvpResult<List<Object>> r = Eqx.filterJvp(FilterNonArrayTest::g, x, tangents(t));
            List<Object> p = r.primal();
            assertEquals(2.0, value(p.get(0)));
            assertEquals(5, ((Array) p.get(1)).item());
            assertEquals(DType.INT32, ((Array) p.get(1)).dtype());
            assertEquals(7.0, p.get(2));
            assertEquals(9, p.get(3));
            assertEquals(11.0, value(p.get(4)));
            assertSame(ANOTHER, p.get(5));
            List<Object> tan = r.tangent();
            assertEquals(10.0, value(tan.get(0)));
            assertNull(tan.get(2), "a non-array output has no tangent");
            assertNull(tan.get(3));
            assertNull(tan.get(5));
            // Solstice's deliberate difference: zeros, not None, for array outputs the tangent does not reach
            assertEquals(t[4] == null ? 0.0 : 18.0, value(tan.get(4)));
            assertEquals(0.0, value(tan.get(1)));
        }
        // tangents_in3: all None
        JvpResult<List<Object>> r = Eqx.filterJvp(FilterNonArrayTest::g, x, tangents(null, null, null, null, null, null));
        assertSame(ANOTHER, r.primal().get(5));
        assertEquals(0.0, value(r.tangent().get(0)));
        // a whole null tangent tree, and non-array values nested in a list of the output
        JvpResult<List<Object>> nested = Eqx.filterJvp((Array a) -> List.of(List.of(a.mul(2), "tag"), 3),
                Array.scalar(1.0), Array.scalar(1.0));
        assertEquals(List.of("tag"), nested.primal().get(0) instanceof List<?> l ? l.subList(1, 2) : null);
        assertEquals(3, nested.primal().get(1));
        assertEquals(2.0, value(((List<?>) nested.tangent().get(0)).get(0)));
        assertNull(((List<?>) nested.tangent().get(0)).get(1));
        assertNull(nested.tangent().get(1));
    }

    /** test_filter_jvp's bad tangents: for an int input, for a non-array input, an int tangent for a float. */
    @Test
    void filterJvpRefusesTangentsForIntegerAndNonArrayInputs() {
        List<Object> x = primalsIn();
        // bad_tangents_in1: an int tangent for a float array
        IllegalArgumentException e1 = assertThrows(IllegalArgumentException.class,
                () -> Eqx.filterJvp(FilterNonArrayTest::g, x, tangents(Array.scalar(5), null, null, null, null, null)));
        assertTrue(e1.getMessage().contains("filterJvp") && e1.getMessage().contains("int32"), e1.getMessage());
        // bad_tangents_in2: an object as the tangent of a non-array input
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                () -> Eqx.filterJvp(FilterNonArrayTest::g, x, tangents(null, null, null, null, null, new Object())));
        assertTrue(e2.getMessage().contains("filterJvp") && e2.getMessage().contains("[5]")
                && e2.getMessage().contains("non-array"), e2.getMessage());
        // bad_tangents_in3: a float tangent for an int array
        IllegalArgumentException e3 = assertThrows(IllegalArgumentException.class,
                () -> Eqx.filterJvp(FilterNonArrayTest::g, x, tangents(null, Array.scalar(1.0), null, null, null, null)));
        assertTrue(e3.getMessage().contains("filterJvp") && e3.getMessage().contains("[1]")
                && e3.getMessage().contains("int32[]") && e3.getMessage().contains("null"), e3.getMessage());
        // Java numbers are static: an array tangent for the Double x2 is refused, pointing to Array.scalar
        IllegalArgumentException e4 = assertThrows(IllegalArgumentException.class,
                () -> Eqx.filterJvp(FilterNonArrayTest::g, x, tangents(null, null, Array.scalar(3.0), null, null, null)));
        assertTrue(e4.getMessage().contains("[2]") && e4.getMessage().contains("Double 1.0")
                && e4.getMessage().contains("Array.scalar"), e4.getMessage());
        // the same value where the input has a static one is structure, not a tangent (records need it)
        JvpResult<List<Object>> ok = Eqx.filterJvp(FilterNonArrayTest::g, x,
                tangents(Array.scalar(5.0), null, 1.0, 1, null, INPUT_OBJECT));
        assertEquals(10.0, value(ok.tangent().get(0)));
    }

    /** A record's static components in the tangent: the same values are accepted, others refused. */
    @Test
    void filterJvpThroughARecordWithStaticComponents() {
        Linear lin = new Linear(2, 3, Prng.key(0));
        Array in = Array.of(1f, 2f);
        Linear tangent = new Linear(lin.weight().mul(0).add(1), null, 2, 3);
        JvpResult<Array> r = Eqx.filterJvp((Linear l) -> l.apply(in), lin, tangent);
        // d(W x + b) along dW = ones, db = 0: each output moves by x0 + x1 = 3
        assertArrayEquals(new double[] {3, 3, 3}, r.tangent().toDoubleArray(), 1e-6);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Eqx.filterJvp((Linear l) -> l.apply(in), lin, new Linear(tangent.weight(), null, 2, 4)));
        assertTrue(e.getMessage().contains("outFeatures") && e.getMessage().contains("Integer 4"), e.getMessage());
    }

    /**
     * test_filter_vjp: f(mlp, x, y, sentinel) = (mlp([1, 2]) + x + y, 2.0, sentinel2) with x an int array and
     * y a number: the pullback takes null for the non-array outputs and gives cotangents of the MLP's
     * structure, null for the int array, the number and the sentinel.
     */
    @Test
    void filterVjpTakesNullCotangentsForNonArrayOutputs() {
        MLP mlp = new MLP(2, 3, 2, 2, Nn::relu, Prng.key(1));
        Object sentinel = new Object();
        Object sentinel2 = new Object();
        Function<List<Object>, List<Object>> f = a -> Arrays.asList(
                ((MLP) a.get(0)).apply(Array.of(1f, 2f)).add(((Array) a.get(1)).astype(DType.FLOAT32))
                        .add((float) (double) (Double) a.get(2)), 2.0, sentinel2);
        VjpResult<List<Object>, List<Object>> r = Eqx.filterVjp(f, Arrays.asList(mlp, Array.scalar(1), 1.0, sentinel));
        List<Object> out = r.primal();
        Array outArray = (Array) out.get(0);
        assertArrayEquals(new int[] {3}, outArray.shape());
        assertEquals(DType.FLOAT32, outArray.dtype());
        assertEquals(2.0, out.get(1));
        assertSame(sentinel2, out.get(2));
        List<Object> ct = r.pullback().apply(Arrays.asList(Array.of(1f, 2f, 3f), null, null));
        MLP ctMlp = (MLP) ct.get(0);
        for (int i = 0; i < mlp.layers().size(); i++) {
            assertArrayEquals(mlp.layers().get(i).weight().shape(), ctMlp.layers().get(i).weight().shape());
            assertEquals(mlp.layers().get(i).weight().dtype(), ctMlp.layers().get(i).weight().dtype());
        }
        assertNull(ct.get(1), "no cotangent for an int array");
        assertNull(ct.get(2), "no cotangent for a number");
        assertNull(ct.get(3), "no cotangent for the sentinel");
        // the static outputs' own values are accepted too; anything else is refused
        List<Object> same = r.pullback().apply(Arrays.asList(Array.of(1f, 2f, 3f), 2.0, sentinel2));
        assertEquals(Eqx.treeEqual(ct.get(0), same.get(0)), true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> r.pullback().apply(Arrays.asList(Array.of(1f, 2f, 3f), Array.scalar(1.0), null)));
        assertTrue(e.getMessage().contains("filterVjp") && e.getMessage().contains("cotangent")
                && e.getMessage().contains("[1]"), e.getMessage());
        // a null cotangent for an array output is a zero
        List<Object> zero = r.pullback().apply(Arrays.asList(null, null, null));
        assertEquals(0.0, ((MLP) zero.get(0)).layers().getFirst().weight().mul(((MLP) zero.get(0)).layers().getFirst().weight()).sum().item());
    }

    /**
     * Equinox's tests/test_update.py: test_apply_updates1 (a None update keeps an object, integer arrays are
     * added to) and test_apply_updates2 (an update for a non-array parameter is refused).
     */
    @Test
    void applyUpdatesRefusesAnUpdateForANonArrayValue() {
        Object o = new Object();
        List<Object> params = Arrays.asList(o, Array.of(5), Array.of(2));
        List<Object> out = Eqx.applyUpdates(params, Arrays.asList(null, Array.of(-1), Array.of(1)));
        assertSame(o, out.get(0));
        assertArrayEquals(new int[] {4}, ((Array) out.get(1)).toIntArray());
        assertArrayEquals(new int[] {3}, ((Array) out.get(2)).toIntArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Eqx.applyUpdates(Arrays.asList(o, Array.of(2)), Arrays.asList(0, Array.of(1))));
        assertTrue(e.getMessage().contains("applyUpdates") && e.getMessage().contains("Integer 0")
                && e.getMessage().contains("[0]") && e.getMessage().contains("null"), e.getMessage());
        // the same value is structure, and a record's static components may hold anything in an update
        assertSame(o, Eqx.applyUpdates(Arrays.asList(o, Array.of(2)), Arrays.asList(o, null)).get(0));
        Linear lin = new Linear(2, 3, Prng.key(0));
        Linear stepped = Eqx.applyUpdates(lin, new Linear(lin.weight().mul(0), null, 0, 0));
        assertEquals(3, stepped.outFeatures());
    }
}
