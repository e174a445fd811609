package dev.solstice.eqx;

import static dev.solstice.tree.TreeOracles.mat;
import static dev.solstice.tree.TreeOracles.vec;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Eqx;
import dev.solstice.nn.Module;
import dev.solstice.tree.Tree;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Equinox's filters: isArray / isInexactArray, partition, filter, combine, treeEqual with tolerances, and
 * applyUpdates with nulls. Expected values are written out by hand.
 */
class EqxFilterTest {

    record Linear(Array weight, Array bias, Array steps, int width, String name, Function<Array, Array> act)
            implements Module {}

    record Net(List<Linear> layers, Map<String, Array> buffers, Optional<Array> scale) implements Module {}

    static final Function<Array, Array> IDENTITY = x -> x;

    static Linear linear() {
        return new Linear(mat(2, 2, 1, 2, 3, 4), Array.of(new float[] {5, 6}), Array.of(7, 8), 2, "lin", IDENTITY);
    }

    static Net net() {
        return new Net(List.of(linear(), new Linear(mat(1, 2, 9, 10), null, Array.of(true), 1, "out", IDENTITY)),
                Map.of("count", Array.of(3), "mean", vec(0.5)), Optional.of(vec(2.0)));
    }

    @Test
    void predicates() {
        assertTrue(Eqx.isArray(vec(1)));
        assertTrue(Eqx.isArray(Array.of(1)));
        assertFalse(Eqx.isArray(1.0));
        assertFalse(Eqx.isArray(null));
        assertTrue(Eqx.isInexactArray(vec(1)));
        assertTrue(Eqx.isInexactArray(Array.of(new float[] {1})));
        assertFalse(Eqx.isInexactArray(Array.of(1)));
        assertFalse(Eqx.isInexactArray(Array.of(true)));
        assertFalse(Eqx.isInexactArray(2.5));
    }

    @Test
    void partitionSplitsLeavesAndCombineRestoresTheTree() {
        Linear l = linear();
        Eqx.Partitioned<Linear> p = Eqx.partition(l, Eqx::isInexactArray);
        assertSame(l.weight(), p.matching().weight());
        assertSame(l.bias(), p.matching().bias());
        assertNull(p.matching().steps());
        assertNull(p.rest().weight());
        assertNull(p.rest().bias());
        assertSame(l.steps(), p.rest().steps());
        assertEquals(2, p.matching().width(), "static fields stay in both halves");
        assertEquals("lin", p.rest().name());
        assertSame(l.act(), p.rest().act());
        assertEquals(l, Eqx.combine(p.matching(), p.rest()));
        assertEquals(l, Eqx.combine(p.rest(), p.matching()));
        assertEquals(p.matching(), Eqx.filter(l, Eqx::isInexactArray));
        assertEquals(p.rest(), Eqx.filterOut(l, Eqx::isInexactArray));
    }

    @Test
    void partitionAndCombineRoundTripANestedModel() {
        Net n = net();
        Eqx.Partitioned<Net> p = Eqx.partition(n, Eqx::isInexactArray);
        assertEquals(List.of(n.layers().get(0).weight(), n.layers().get(0).bias(), n.layers().get(1).weight(),
                n.buffers().get("mean"), n.scale().get()), Tree.leaves(p.matching()));
        assertEquals(List.of(n.layers().get(0).steps(), n.layers().get(1).steps(), n.buffers().get("count")),
                Tree.leaves(p.rest()));
        Net back = Eqx.combine(p.matching(), p.rest());
        assertEquals(n, back);
        // three-way split: floats, ints, bools
        Net ints = Eqx.filter(n, a -> a.dtype() == DType.INT32);
        Net bools = Eqx.filter(n, a -> a.dtype() == DType.BOOL);
        assertEquals(n, Eqx.combine(p.matching(), ints, bools));
        assertEquals(n, Eqx.combine(bools, ints, p.matching()));
    }

    @Test
    void combineOfMismatchedStructuresShowsBothStructures() {
        Linear l = linear();
        Net n = net();
        @SuppressWarnings({"unchecked", "rawtypes"})
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Eqx.combine((Object) l, (Object) n));
        String msg = e.getMessage();
        assertTrue(msg.contains("combine"), msg);
        assertTrue(msg.contains("Linear(") && msg.contains("Net("), "both structures: " + msg);
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                () -> Eqx.combine(List.of(vec(1)), List.of(vec(1), vec(2))));
        assertTrue(e2.getMessage().contains("[*]") && e2.getMessage().contains("[*, *]"), e2.getMessage());
    }

    @Test
    void treeEqualComparesStructureDtypesAndValuesWithTolerances() {
        Net a = net();
        Net b = net();
        assertTrue(Eqx.treeEqual(a, b), "equal values in distinct arrays");
        Net nudged = Tree.map(x -> x.dtype() == DType.FLOAT64 ? x.add(1e-9) : x, a);
        assertFalse(Eqx.treeEqual(a, nudged));
        assertTrue(Eqx.treeEqual(nudged, a, 0, 1e-8));
        assertFalse(Eqx.treeEqual(nudged, a, 0, 1e-10));
        Net scaled = Tree.map(x -> x.dtype() == DType.FLOAT64 ? x.mul(1 + 1e-6) : x, a);
        assertTrue(Eqx.treeEqual(scaled, a, 2e-6, 0));
        assertFalse(Eqx.treeEqual(scaled, a, 1e-7, 0));
        assertFalse(Eqx.treeEqual(vec(1), Array.of(new float[] {1})), "dtypes must match");
        assertFalse(Eqx.treeEqual(vec(1, 2), mat(1, 2, 1, 2)), "shapes must match");
        assertFalse(Eqx.treeEqual(new Linear(null, null, null, 1, "a", null), new Linear(null, null, null, 2, "a", null)),
                "static values must match");
        assertTrue(Eqx.treeEqual(new Linear(vec(1), null, null, 1, "a", null), new Linear(vec(1), null, null, 1, "a", null)));
        assertFalse(Eqx.treeEqual(new Linear(vec(1), null, null, 1, "a", null), new Linear(vec(1), vec(2), null, 1, "a", null)));
        assertTrue(Eqx.treeEqual(vec(Double.NaN), vec(Double.NaN)), "NaN equals NaN, as Equinox's tree_equal");
        assertFalse(Eqx.treeEqual(List.of(vec(1)), Map.of("a", vec(1))));
    }

    @Test
    void applyUpdatesAddsWhereUpdatesAreNotNull() {
        Linear l = linear();
        Linear updates = new Linear(mat(2, 2, 0.5, 0.5, 0.5, 0.5), null, null, 0, null, null);
        Linear out = Eqx.applyUpdates(l, updates);
        assertArrayEquals(new double[] {1.5, 2.5, 3.5, 4.5}, out.weight().toDoubleArray());
        assertSame(l.bias(), out.bias(), "a null update keeps the parameter");
        assertSame(l.steps(), out.steps());
        assertEquals(2, out.width(), "static values come from the model");
        assertEquals("lin", out.name());
        // float32 parameters keep their dtype under a float64 update
        Linear f64Bias = new Linear(null, vec(0.25, 0.25), null, 0, null, null);
        Linear out2 = Eqx.applyUpdates(l, f64Bias);
        assertEquals(DType.FLOAT32, out2.bias().dtype());
        assertArrayEquals(new float[] {5.25f, 6.25f}, out2.bias().toFloatArray());
        // the Equinox idiom: updates are the (filtered) gradient, null at non-float leaves
        Net n = net();
        Net grads = Tree.map(x -> x.dtype().isFloating() ? dev.solstice.Jnp.onesLike(x) : null, n);
        Net stepped = Eqx.applyUpdates(n, grads);
        assertArrayEquals(new double[] {10, 11}, stepped.layers().get(1).weight().toDoubleArray());
        assertArrayEquals(new double[] {3.0}, stepped.scale().get().toDoubleArray());
        assertSame(n.buffers().get("count"), stepped.buffers().get("count"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Eqx.applyUpdates(l, Arrays.asList(vec(1), null)));
        assertTrue(e.getMessage().contains("structure"), e.getMessage());
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                () -> Eqx.applyUpdates(Map.of("a", vec(1)), Map.of("a", "x")));
        assertTrue(e2.getMessage().contains("[\"a\"]") && e2.getMessage().contains("String"), e2.getMessage());
    }

    @Test
    void applyUpdatesTakesNullForWholeSubtreesAndEmptiedOptionals() {
        Net n = net();
        assertEquals(n.layers(), Eqx.applyUpdates(n, new Net(null, null, Optional.empty())).layers());
        Net same = Eqx.applyUpdates(n, null);
        assertTrue(Eqx.treeEqual(n, same));
        // only the scale is updated; the layers are left as they are
        Net scaleOnly = Eqx.applyUpdates(n, new Net(null, null, Optional.of(vec(0.5))));
        assertArrayEquals(new double[] {2.5}, scaleOnly.scale().get().toDoubleArray());
        assertSame(n.layers().get(1).weight(), scaleOnly.layers().get(1).weight());
        // the float-only half of a partition as an update: nulls wherever the model has non-float leaves
        Net floats = Eqx.filter(n, Eqx::isInexactArray);
        Net twice = Eqx.applyUpdates(n, floats);
        assertArrayEquals(new double[] {4.0}, twice.scale().get().toDoubleArray());
        Net ints = Eqx.filter(n, a -> !a.dtype().isFloating());
        assertTrue(ints.scale().isEmpty(), "a float leaf filtered out of an Optional empties it");
        Net unchanged = Eqx.applyUpdates(n, Tree.map(a -> null, floats));
        assertTrue(Eqx.treeEqual(n, unchanged));
    }
}
