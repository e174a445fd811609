package dev.solstice.tree;

import static dev.solstice.tree.TreeOracles.vec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.Eqx;
import dev.solstice.nn.Dropout;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * {@code Eqx.treeAt} on static values (Equinox's non-array leaves): a record's int or boolean component, an
 * int or string in a list, replaced by value or by function, the record rebuilt through its constructor.
 * After Equinox's {@code tests/test_tree.py}: test_tree_at_replace, test_tree_at_replace_fn and
 * test_tree_at_empty_namedtuple.
 */
class TreeAtStaticTest {

    record Block(Array w, int size, boolean inference, String name, UnaryOperator<Array> act) {}

    /** Equinox's test_tree_at_replace: [1, 2, {"a": array}, Linear], replacing tree[0] and tree[2]["a"]. */
    @Test
    void replacesIntsInAListAndAnArrayByNonArrays() {
        List<Object> tree = List.of(1, 2, Map.of("a", vec(1, 2)), new Block(vec(3), 4, false, "b", a -> a));
        List<Object> out = Eqx.treeAtAll(t -> List.of(t.get(0), ((Map<?, ?>) t.get(2)).get("a")), tree, List.of("hi", 4));
        assertEquals("hi", out.get(0));
        assertEquals(2, out.get(1));
        assertEquals(Map.of("a", 4), out.get(2));
        assertSame(tree.get(3), out.get(3), "untouched subtrees are kept");
        // a wrong number of replacements is refused (Equinox: ValueError)
        assertThrows(IllegalArgumentException.class,
                () -> Eqx.treeAtAll(t -> List.of(t.get(0), ((Map<?, ?>) t.get(2)).get("a")), tree, List.of(3, 4, 5)));
    }

    /** Equinox's test_tree_at_replace_fn: replace_fn applied to the ints tree[0] and tree[1] only. */
    @Test
    void replaceFnOnEqualIntsTellsThemApart() {
        List<Object> tree = List.of(1, 1, 1, vec(1, 2));
        List<Object> out = Eqx.treeAtWith(t -> t.get(1), tree, (Object x) -> x instanceof Integer ? "found an int" : x);
        assertEquals(List.of(1, "found an int", 1), out.subList(0, 3));
        assertSame(tree.get(3), out.get(3));
    }

    /** A record's primitive components (Equinox's non-array fields), the record rebuilt by its constructor. */
    @Test
    void replacesARecordsIntAndBooleanComponents() {
        Block b = new Block(vec(1, 2), 1000, false, "block", a -> a);
        Block bigger = Eqx.treeAt(Block::size, b, 2000);
        assertEquals(2000, bigger.size());
        assertSame(b.w(), bigger.w());
        assertEquals("block", bigger.name());
        Block inf = Eqx.treeAt(Block::inference, b, true);
        assertTrue(inf.inference());
        assertEquals(1000, inf.size());
        Block renamed = Eqx.treeAtWith(Block::name, b, (String n) -> n + "2");
        assertEquals("block2", renamed.name());
        UnaryOperator<Array> neg = a -> a.mul(-1);
        assertSame(neg, Eqx.treeAt(Block::act, b, neg).act());
        // a value the component cannot hold is refused, naming the component
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Eqx.treeAt(Block::size, b, "big"));
        assertTrue(e.getMessage().contains("size"), e.getMessage());
    }

    /** Several equal booleans (one Boolean object in Java): the one the selector reads is replaced. */
    @Test
    void equalBooleansInSeveralRecordsAreToldApart() {
        List<Dropout> layers = List.of(new Dropout(0.1), new Dropout(0.2), new Dropout(0.3));
        List<Dropout> out = Eqx.treeAt(t -> t.get(1).inference(), layers, true);
        assertFalse(out.get(0).inference());
        assertTrue(out.get(1).inference());
        assertFalse(out.get(2).inference());
        assertEquals(0.2, out.get(1).p());
        assertSame(layers.get(0), out.get(0));
        // and equal probabilities
        List<Dropout> same = List.of(new Dropout(0.5), new Dropout(0.5));
        List<Dropout> out2 = Eqx.treeAt(t -> t.get(1).p(), same, 0.25);
        assertEquals(0.5, out2.get(0).p());
        assertEquals(0.25, out2.get(1).p());
    }

    /** Equinox's test_tree_at_empty_namedtuple: an empty record next to an int; replacing the int keeps it. */
    @Test
    void anEmptyRecordNextToAnInt() {
        record Empty() {}
        List<Object> tree = List.of(new Empty(), 5);
        List<Object> out = Eqx.treeAt(t -> t.get(1), tree, 4);
        assertInstanceOf(Empty.class, out.get(0));
        assertEquals(4, out.get(1));
        List<Object> out2 = Eqx.treeAtWith(t -> t.get(0), tree, String::valueOf);
        assertEquals(String.valueOf(tree.get(0)), out2.get(0));
    }
}
