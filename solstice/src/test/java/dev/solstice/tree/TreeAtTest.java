package dev.solstice.tree;

import static dev.solstice.tree.TreeOracles.mat;
import static dev.solstice.tree.TreeOracles.vec;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.Eqx;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Equinox's {@code tree_at}: out-of-place replacement selected by a lambda, by value, by function and
 * several at once, on nested records, lists and maps; the same array instance twice; nulls; and the
 * errors for selectors that pick something that is not in the tree.
 */
class TreeAtTest {

    record Layer(Array weight, Array bias) {}

    record Model(List<Layer> layers, Map<String, Array> cache, int depth, String name) {}

    record Twice(Array a, Array b) {}

    record Opts(Optional<Array> first, Optional<Array> second, Array w) {}

    /** The common Java idiom: the constructor copies its collections. */
    record Copying(List<Array> ws, Map<String, Array> named) {
        Copying {
            ws = List.copyOf(ws);
            named = Map.copyOf(named);
        }
    }

    static Model model() {
        Map<String, Array> cache = new HashMap<>();
        cache.put("k", vec(10, 11));
        cache.put("v", vec(12));
        return new Model(List.of(new Layer(mat(2, 2, 1, 2, 3, 4), vec(5, 6)), new Layer(mat(1, 2, 7, 8), vec(9))),
                cache, 2, "mlp");
    }

    @Test
    void replacesALeafDeepInNestedRecordsListsAndMaps() {
        Model m = model();
        Array w = mat(1, 2, -1, -2);
        Model out = Eqx.treeAt(t -> t.layers().get(1).weight(), m, w);
        assertSame(w, out.layers().get(1).weight());
        assertSame(m.layers().get(1).bias(), out.layers().get(1).bias());
        assertSame(m.layers().get(0), out.layers().get(0), "untouched subtrees are kept as they are");
        assertSame(m.cache(), out.cache());
        assertEquals(2, out.depth());
        assertEquals("mlp", out.name());
        assertArrayEquals(new double[] {7, 8}, m.layers().get(1).weight().toDoubleArray(), "the original is unchanged");

        Array k = vec(0, 0);
        Model out2 = Eqx.treeAt(t -> t.cache().get("k"), m, k);
        assertSame(k, out2.cache().get("k"));
        assertSame(m.cache().get("v"), out2.cache().get("v"));
        assertSame(m.layers(), out2.layers());

        List<Array> list = List.of(vec(1), vec(2), vec(3));
        List<Array> l2 = Eqx.treeAt(t -> t.get(2), list, vec(30));
        assertArrayEquals(new double[] {30}, l2.get(2).toDoubleArray());
        assertSame(list.get(0), l2.get(0));
    }

    @Test
    void replacesWholeSubtreesAndMayChangeTheStructure() {
        Model m = model();
        Layer fresh = new Layer(mat(1, 1, 42), vec(43));
        Model out = Eqx.treeAt(t -> t.layers().get(0), m, fresh);
        assertSame(fresh, out.layers().get(0));
        Model shorter = Eqx.treeAt(Model::layers, m, List.of(fresh));
        assertEquals(1, shorter.layers().size());
        assertEquals(4, Tree.leaves(shorter).size());
        Model root = Eqx.treeAt(t -> t, m, shorter);
        assertSame(shorter, root);
    }

    @Test
    void byFunctionAndSeveralAtOnce() {
        Model m = model();
        Model out = Eqx.treeAtWith(t -> t.layers().get(0).bias(), m, b -> b.add(100));
        assertArrayEquals(new double[] {105, 106}, out.layers().get(0).bias().toDoubleArray());
        Model dropped = Eqx.treeAtWith(t -> t.layers().get(1), m, l -> new Layer(l.weight(), null));
        assertNull(dropped.layers().get(1).bias());
        assertSame(m.layers().get(1).weight(), dropped.layers().get(1).weight());

        Array a = vec(-1, -1);
        Array b = vec(-2);
        Model both = Eqx.treeAtAll(t -> List.of(t.layers().get(0).bias(), t.cache().get("v")), m, List.of(a, b));
        assertSame(a, both.layers().get(0).bias());
        assertSame(b, both.cache().get("v"));
        assertSame(m.cache().get("k"), both.cache().get("k"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Eqx.treeAtAll(t -> List.of(t.layers().get(0).bias()), m, List.of(a, b)));
        assertTrue(e.getMessage().contains("1") && e.getMessage().contains("2"), e.getMessage());
    }

    @Test
    void theSameArrayTwiceIsSelectedAtTheRightPlace() {
        Array shared = vec(1, 2);
        Twice t = new Twice(shared, shared);
        Array z = vec(0, 0);
        Twice out = Eqx.treeAt(Twice::b, t, z);
        assertSame(shared, out.a());
        assertSame(z, out.b());
        Twice out2 = Eqx.treeAt(Twice::a, t, z);
        assertSame(z, out2.a());
        assertSame(shared, out2.b());
        List<Array> l = List.of(shared, shared, shared);
        List<Array> l2 = Eqx.treeAt(x -> x.get(1), l, z);
        assertSame(shared, l2.get(0));
        assertSame(z, l2.get(1));
        assertSame(shared, l2.get(2));
        // the same layer object twice in a list
        Layer layer = new Layer(vec(1), vec(2));
        List<Layer> layers = List.of(layer, layer);
        List<Layer> changed = Eqx.treeAt(x -> x.get(1).bias(), layers, z);
        assertSame(layer, changed.get(0));
        assertSame(z, changed.get(1).bias());
    }

    @Test
    void aNullComponentCanBeSelectedAndFilled() {
        Layer noBias = new Layer(vec(1, 2), null);
        Array b = vec(3);
        Layer out = Eqx.treeAt(Layer::bias, noBias, b);
        assertSame(b, out.bias());
        Layer back = Eqx.treeAt(Layer::bias, out, null);
        assertNull(back.bias());
    }

    @Test
    void anEmptyOptionalSharedByTwoFieldsIsAnAmbiguousSelection() {
        Opts o = new Opts(Optional.empty(), Optional.empty(), vec(1));
        Optional<Array> fill = Optional.of(vec(5));
        // both components hold the one Optional.empty() object: picking one must never change the other
        for (boolean pickFirst : new boolean[] {true, false}) {
            java.util.function.Function<Opts, Optional<Array>> select = pickFirst ? Opts::first : Opts::second;
            // the one Optional.empty() object sits at two paths, so the selection is ambiguous: refused, naming both
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Eqx.treeAt(select, o, fill));
            assertTrue(e.getMessage().contains("Optional") && e.getMessage().contains("[first, second]"), e.getMessage());
        }
        Opts out = Eqx.treeAt(Opts::w, o, vec(2));
        assertArrayEquals(new double[] {2}, out.w().toDoubleArray());
    }

    @Test
    void collectionsCopiedByTheConstructorCanStillBeSelected() {
        Copying c = new Copying(List.of(vec(1), vec(2)), Map.of("a", vec(3)));
        Copying out = Eqx.treeAt(Copying::ws, c, List.of(vec(7)));
        assertEquals(1, out.ws().size());
        assertArrayEquals(new double[] {7}, out.ws().getFirst().toDoubleArray());
        Copying out2 = Eqx.treeAt(x -> x.ws().get(1), c, vec(8));
        assertArrayEquals(new double[] {8}, out2.ws().get(1).toDoubleArray());
        Copying out3 = Eqx.treeAt(Copying::named, c, Map.of("b", vec(9)));
        assertTrue(out3.named().containsKey("b"));
    }

    @Test
    void worksOnStructsFromHessians() {
        Struct s = new Struct(Layer.class, List.of("weight", "bias"), List.of(new Layer(vec(1), vec(2)), new Layer(vec(3), vec(4))));
        Struct out = Eqx.treeAt(t -> t.<Layer>get("bias").weight(), s, vec(30));
        assertArrayEquals(new double[] {30}, out.<Layer>get("bias").weight().toDoubleArray());
        assertSame(s.<Layer>get("weight"), out.<Layer>get("weight"));
    }

    // ---- errors ----------------------------------------------------------------------------------------------

    @Test
    void selectingSomethingNotInTheTreeIsAClearError() {
        Model m = model();
        // a static value is selectable (see TreeAtStaticTest), but one that is not in the tree is not
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Eqx.treeAt(t -> 1234, m, 3));
        assertTrue(e.getMessage().contains("treeAt") && e.getMessage().contains("not a node or leaf"), e.getMessage());
        assertTrue(e.getMessage().contains("static"), "explains static values: " + e.getMessage());
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class, () -> Eqx.treeAt(t -> "other", m, "x"));
        assertTrue(e2.getMessage().contains("not a node or leaf"), e2.getMessage());
        IllegalArgumentException e3 = assertThrows(IllegalArgumentException.class,
                () -> Eqx.treeAt(t -> vec(1, 2), m, vec(3)));
        assertTrue(e3.getMessage().contains("float64[2]") && e3.getMessage().contains("not in the tree"), e3.getMessage());
        IllegalArgumentException e4 = assertThrows(IllegalArgumentException.class,
                () -> Eqx.treeAt(t -> t.layers().get(0).weight().add(1), m, vec(3)));
        assertTrue(e4.getMessage().contains("treeAt") && e4.getMessage().contains("not compute"), e4.getMessage());
        // an array of the original tree, reached around the selector's argument, is not a node of the probe
        IllegalArgumentException e5 = assertThrows(IllegalArgumentException.class,
                () -> Eqx.treeAt(t -> m.layers().get(0).weight(), m, vec(3)));
        assertTrue(e5.getMessage().contains("not in the tree"), e5.getMessage());
    }

    @Test
    void selectingTheSameNodeTwiceOrANodeAndItsChildIsAnError() {
        Model m = model();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Eqx.treeAtAll(t -> List.of(t.layers().get(0).bias(), t.layers().get(0).bias()), m, List.of(vec(1), vec(2))));
        assertTrue(e.getMessage().contains("twice") && e.getMessage().contains("layers[0].bias"), e.getMessage());
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                () -> Eqx.treeAtAll(t -> List.of(t.layers().get(0), t.layers().get(0).bias()), m, List.of(vec(1), vec(2))));
        assertTrue(e2.getMessage().contains("layers[0]") && e2.getMessage().contains("inside"), e2.getMessage());
    }

    @Test
    void aReplacementARecordCannotHoldIsAClearError() {
        Model m = model();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Eqx.treeAt(t -> t.layers().get(0).weight(), m, "not an array"));
        assertTrue(e.getMessage().contains("Layer") && e.getMessage().contains("weight"), e.getMessage());
        // a record can hold a tree where its component's declared type allows it
        record Loose(Object anything) {}
        Loose l = Eqx.treeAt(Loose::anything, new Loose(vec(1)), List.of(vec(2), vec(3)));
        assertInstanceOf(List.class, l.anything());
    }
}
