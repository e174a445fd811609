package dev.solstice.tree;

import static dev.solstice.tree.TreeOracles.mat;
import static dev.solstice.tree.TreeOracles.vec;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Eqx;
import dev.solstice.Jnp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Trees: flatten/unflatten round trips for every node type, structure equality, readable paths, map,
 * mapAll, mapWithPath, reduce, all, transpose, ravel, the pretty printer, and the errors for bad input.
 * Expected values are written out by hand.
 */
class TreeTest {

    record Layer(Array weight, Array bias) {}

    record Model(List<Layer> layers, Map<String, Array> cache, int depth, String name) {}

    enum Act { RELU, TANH }

    record Tagged(Array w, Act act, Function<Array, Array> fn, double eps) {}

    record MaybeBias(Array w, Optional<Array> bias) {}

    record Grid(Array[][] cells, String label) {}

    /** A plain class made a node by registration: two arrays and a static tag. */
    static final class Pair {
        final Array left;
        final Array right;
        final String tag;

        Pair(Array left, Array right, String tag) {
            this.left = left;
            this.right = right;
            this.tag = tag;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Pair p && p.left == left && p.right == right && p.tag.equals(tag);
        }

        @Override
        public int hashCode() {
            return Objects.hash(System.identityHashCode(left), System.identityHashCode(right), tag);
        }
    }

    /** Not a record and not registered, but holding an array. */
    static final class Holder {
        final Array secret;

        Holder(Array secret) {
            this.secret = secret;
        }
    }

    /** A record that insists on a vector weight. */
    record VectorOnly(Array w) {
        VectorOnly {
            if (w != null && w.ndim() != 1) {
                throw new IllegalArgumentException("w must be a vector, got rank " + w.ndim());
            }
        }
    }

    /** A record that refuses nulls. */
    record NonNull(Array w, Array b) {
        NonNull {
            Objects.requireNonNull(w, "w");
            Objects.requireNonNull(b, "b");
        }
    }

    @BeforeAll
    static void registerPair() {
        Tree.register(Pair.class, new NodeType<>() {
            @Override
            public List<Object> children(Pair p) {
                return Arrays.asList(p.left, p.right);
            }

            @Override
            public List<String> childNames(Pair p) {
                return List.of("left", "right");
            }

            @Override
            public Object auxData(Pair p) {
                return p.tag;
            }

            @Override
            public Pair rebuild(Object aux, List<Object> kids) {
                return new Pair((Array) kids.get(0), (Array) kids.get(1), (String) aux);
            }
        });
    }

    static Model model() {
        Layer l0 = new Layer(mat(2, 3, 1, 2, 3, 4, 5, 6), vec(0.5, -0.5));
        Layer l1 = new Layer(mat(1, 2, 7, 8), vec(9));
        Map<String, Array> cache = new HashMap<>();
        cache.put("k", vec(10, 11));
        cache.put("a", Array.scalar(12.0));
        return new Model(List.of(l0, l1), cache, 2, "mlp");
    }

    static <T> T roundTrip(T tree) {
        Tree.Flattened f = Tree.flatten(tree);
        return Tree.unflatten(f.def(), f.leaves());
    }

    // ---- round trips ------------------------------------------------------------------------------------

    @Test
    void recordsListsMapsAndStaticsRoundTrip() {
        Model m = model();
        Model back = roundTrip(m);
        assertEquals(m, back);
        assertNotSameButEqualLeaves(m, back);
        assertEquals(2, back.depth());
        assertEquals("mlp", back.name());
        // the leaves are the same objects, depth first, maps in sorted key order
        List<Array> leaves = Tree.leaves(m);
        assertEquals(6, leaves.size());
        assertSame(m.layers().get(0).weight(), leaves.get(0));
        assertSame(m.layers().get(0).bias(), leaves.get(1));
        assertSame(m.layers().get(1).weight(), leaves.get(2));
        assertSame(m.layers().get(1).bias(), leaves.get(3));
        assertSame(m.cache().get("a"), leaves.get(4), "map keys are sorted: \"a\" before \"k\"");
        assertSame(m.cache().get("k"), leaves.get(5));
    }

    private static void assertNotSameButEqualLeaves(Object a, Object b) {
        List<Array> la = Tree.leaves(a);
        List<Array> lb = Tree.leaves(b);
        assertEquals(la.size(), lb.size());
        for (int i = 0; i < la.size(); i++) {
            assertSame(la.get(i), lb.get(i), "leaf " + i);
        }
    }

    @Test
    void mapKeysAreSortedWhateverTheInsertionOrder() {
        Map<String, Array> forward = new LinkedHashMap<>();
        forward.put("b", vec(1));
        forward.put("a", vec(2));
        forward.put("c", vec(3));
        Map<String, Array> backward = new LinkedHashMap<>();
        backward.put("c", forward.get("c"));
        backward.put("a", forward.get("a"));
        backward.put("b", forward.get("b"));
        assertEquals(Tree.structure(forward), Tree.structure(backward));
        assertEquals(List.of(forward.get("a"), forward.get("b"), forward.get("c")), Tree.leaves(forward));
        assertEquals(List.of(forward.get("a"), forward.get("b"), forward.get("c")), Tree.leaves(backward));
        assertEquals(forward, roundTrip(backward));
        Map<Integer, Array> ints = Map.of(10, vec(1), 2, vec(2));
        assertEquals(List.of(ints.get(2), ints.get(10)), Tree.leaves(ints), "integer keys sort numerically");
        Map<Object, Array> mixed = new HashMap<>();
        mixed.put("x", vec(1));
        mixed.put(1, vec(2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tree.flatten(mixed));
        assertTrue(e.getMessage().contains("comparable"), e.getMessage());
    }

    @Test
    void optionalsNullsEnumsFunctionsRoundTrip() {
        Array w = vec(1, 2);
        Array b = vec(3, 4);
        MaybeBias with = new MaybeBias(w, Optional.of(b));
        MaybeBias without = new MaybeBias(w, Optional.empty());
        assertEquals(with, roundTrip(with));
        assertEquals(without, roundTrip(without));
        assertEquals(2, Tree.leaves(with).size());
        assertEquals(1, Tree.leaves(without).size());
        assertNotEquals(Tree.structure(with), Tree.structure(without));

        Layer noBias = new Layer(w, null);
        assertEquals(noBias, roundTrip(noBias));
        assertEquals(1, Tree.leaves(noBias).size());
        assertNull(roundTrip(null));
        assertEquals(0, Tree.leaves(null).size());
        assertEquals(Arrays.asList(w, null, b), roundTrip(Arrays.asList(w, null, b)));

        Function<Array, Array> fn = Jnp::tanh;
        Tagged t = new Tagged(w, Act.TANH, fn, 1e-5);
        Tagged back = roundTrip(t);
        assertEquals(t, back);
        assertSame(fn, back.fn());
        assertEquals(List.of(w), Tree.leaves(t), "enums, functions and numbers are static, not leaves");
        assertNotEquals(Tree.structure(t), Tree.structure(new Tagged(w, Act.RELU, fn, 1e-5)),
                "a different static value is a different structure");
        assertNotEquals(Tree.structure(t), Tree.structure(new Tagged(w, Act.TANH, fn, 1e-6)));
    }

    @Test
    void javaArraysOfArraysRoundTrip() {
        Array a = vec(1);
        Array b = vec(2);
        Array c = vec(3);
        Array[][] cells = {{a, b}, {c}};
        Grid g = new Grid(cells, "g");
        Grid back = roundTrip(g);
        assertInstanceOf(Array[][].class, back.cells());
        assertTrue(Arrays.deepEquals(cells, back.cells()));
        assertEquals("g", back.label());
        Object[] raw = {a, List.of(b, c), null};
        Object[] rawBack = roundTrip(raw);
        assertEquals(Object[].class, rawBack.getClass());
        assertTrue(Arrays.deepEquals(raw, rawBack));
        assertEquals(List.of(a, b, c), Tree.leaves(raw));
        assertNotEquals(Tree.structure(new Array[] {a, b}), Tree.structure(List.of(a, b)),
                "a Java array and a list are different nodes");
    }

    @Test
    void registeredNodeTypesRoundTripWithNamesAndAuxData() {
        Pair p = new Pair(vec(1, 2), vec(3), "t");
        Pair back = roundTrip(p);
        assertEquals(p, back);
        assertEquals("t", back.tag);
        assertEquals(List.of(p.left, p.right), Tree.leaves(p));
        assertNotEquals(Tree.structure(p), Tree.structure(new Pair(p.left, p.right, "u")), "aux data is structure");
        assertEquals(Tree.structure(p), Tree.structure(new Pair(vec(5, 6), vec(7), "t")));
        List<String> paths = Tree.leavesWithPath(List.of(p)).stream().map(x -> x.path().toString()).toList();
        assertEquals(List.of("[0].left", "[0].right"), paths);
        Pair doubled = Tree.map(x -> x.mul(2), p);
        assertArrayEquals(new double[] {2, 4}, doubled.left.toDoubleArray());
        assertEquals("t", doubled.tag);
    }

    @Test
    void structureEqualityIgnoresLeafValuesButNotNodes() {
        Model a = model();
        Model b = Tree.map(x -> x.add(1), a);
        assertEquals(Tree.structure(a), Tree.structure(b));
        assertEquals(Tree.structure(a).hashCode(), Tree.structure(b).hashCode());
        assertEquals(6, Tree.structure(a).numLeaves());
        Model renamed = new Model(a.layers(), a.cache(), 2, "other");
        assertNotEquals(Tree.structure(a), Tree.structure(renamed));
        Model shorter = new Model(a.layers().subList(0, 1), a.cache(), 2, "mlp");
        assertNotEquals(Tree.structure(a), Tree.structure(shorter));
        Map<String, Array> otherKeys = Map.of("k", vec(1), "b", vec(2));
        assertNotEquals(Tree.structure(a), Tree.structure(new Model(a.layers(), otherKeys, 2, "mlp")));
        // a record and a list of the same leaves differ; a leaf and null differ
        assertNotEquals(Tree.structure(new Layer(vec(1), vec(2))), Tree.structure(List.of(vec(1), vec(2))));
        assertNotEquals(Tree.structure(new Layer(vec(1), vec(2))), Tree.structure(new Layer(vec(1), null)));
    }

    // ---- paths -------------------------------------------------------------------------------------------

    record WithCache(Map<String, Array> cache, Array[] extra, Optional<Array> maybe) {}

    @Test
    void leavesWithPathPrintReadablePaths() {
        List<String> paths = Tree.leavesWithPath(model()).stream().map(p -> p.path().toString()).toList();
        assertEquals(List.of("layers[0].weight", "layers[0].bias", "layers[1].weight", "layers[1].bias",
                "cache[\"a\"]", "cache[\"k\"]"), paths);
        WithCache wc = new WithCache(Map.of("k", vec(1)), new Array[] {vec(2)}, Optional.of(vec(3)));
        assertEquals(List.of("cache[\"k\"]", "extra[0]", "maybe[0]"),
                Tree.leavesWithPath(wc).stream().map(p -> p.path().toString()).toList());
        assertEquals(List.of("[3]", "[7]"),
                Tree.leavesWithPath(Map.of(7, vec(1), 3, vec(2))).stream().map(p -> p.path().toString()).toList());
        assertEquals("", Tree.leavesWithPath(vec(1)).getFirst().path().toString(), "a lone leaf is at the root");
        Tree.PathLeaf first = Tree.leavesWithPath(model()).getFirst();
        assertEquals(List.of(new PathKey.Field("layers"), new PathKey.Index(0), new PathKey.Field("weight")),
                first.path().keys());
    }

    // ---- map, mapAll, mapWithPath, reduce, all ------------------------------------------------------------

    @Test
    void mapKeepsTypesAndStatics() {
        Model m = model();
        Model doubled = Tree.map(x -> x.mul(2), m);
        assertEquals(2, doubled.depth());
        assertEquals("mlp", doubled.name());
        assertArrayEquals(new double[] {2, 4, 6, 8, 10, 12}, doubled.layers().get(0).weight().toDoubleArray());
        assertArrayEquals(new double[] {20, 22}, doubled.cache().get("k").toDoubleArray());
        assertArrayEquals(new int[] {2, 3}, doubled.layers().get(0).weight().shape());

        Model sum = Tree.map((x, y) -> x.add(y), m, doubled);
        assertArrayEquals(new double[] {3, 6, 9, 12, 15, 18}, sum.layers().get(0).weight().toDoubleArray());
        Model three = Tree.mapAll(xs -> xs.get(0).add(xs.get(1)).sub(xs.get(2)), List.of(m, doubled, m));
        assertArrayEquals(new double[] {20, 22}, three.cache().get("k").toDoubleArray());
        // a function may return null (an empty node) in a leaf's place
        Model nulls = Tree.map(x -> x.ndim() == 1 ? null : x, m);
        assertNull(nulls.layers().get(0).bias());
        assertSame(m.layers().get(0).weight(), nulls.layers().get(0).weight());
    }

    @Test
    void mapWithPathReduceAndAll() {
        Model m = model();
        List<String> seen = new ArrayList<>();
        Model out = Tree.mapWithPath((p, x) -> {
            seen.add(p.toString());
            return p.toString().startsWith("cache") ? x.neg() : x;
        }, m);
        assertEquals(6, seen.size());
        assertArrayEquals(new double[] {-10, -11}, out.cache().get("k").toDoubleArray());
        assertSame(m.layers().get(1).bias(), out.layers().get(1).bias());

        int total = Tree.reduce((acc, x) -> acc + x.size(), m, 0);
        assertEquals(6 + 2 + 2 + 1 + 1 + 2, total);
        double sum = Tree.reduce((acc, x) -> acc + Arrays.stream(x.toDoubleArray()).sum(), m, 0.0);
        assertEquals(21 + 0 + 15 + 9 + 12 + 21, sum);
        List<String> order = Tree.reduce((acc, x) -> {
            acc.add(x.aval().str());
            return acc;
        }, List.of(vec(1), Array.scalar(1)), new ArrayList<String>());
        assertEquals(List.of("float64[1]", "int32[]"), order);

        assertTrue(Tree.all(m, x -> x.dtype() == DType.FLOAT64));
        assertFalse(Tree.all(List.of(vec(1), Array.scalar(1)), x -> x.dtype().isFloating()));
        assertTrue(Tree.all(List.of(), x -> false), "a tree with no leaves");
    }

    @Test
    void transposeSwapsOuterAndInnerStructure() {
        Map<String, Array> p0 = Map.of("a", vec(1), "b", vec(2));
        Map<String, Array> p1 = Map.of("a", vec(3), "b", vec(4));
        List<Map<String, Array>> rows = List.of(p0, p1);
        TreeDef outer = Tree.structure(List.of(vec(0), vec(0)));
        TreeDef inner = Tree.structure(p0);
        Map<String, List<Array>> t = Tree.transpose(outer, inner, rows);
        assertEquals(List.of(p0.get("a"), p1.get("a")), t.get("a"));
        assertEquals(List.of(p0.get("b"), p1.get("b")), t.get("b"));
        List<Map<String, Array>> back = Tree.transpose(inner, outer, t);
        assertEquals(rows, back);
        // a record outer level cannot hold lists in its array components: a Struct of the same shape
        Layer l0 = new Layer(vec(1), vec(2));
        Layer l1 = new Layer(vec(3), vec(4));
        Struct s = Tree.transpose(Tree.structure(List.of(vec(0), vec(0))), Tree.structure(l0), List.of(l0, l1));
        assertEquals(Layer.class, s.type());
        assertEquals(List.of(l0.weight(), l1.weight()), s.get("weight"));
        assertEquals(List.of(l0.bias(), l1.bias()), s.get("bias"));
        assertEquals(Tree.structure(l0), Tree.structure(new Layer(vec(1), vec(2))));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.get("nope"));
        assertTrue(e.getMessage().contains("weight"), e.getMessage());
    }

    // ---- ravel ---------------------------------------------------------------------------------------------

    @Test
    void ravelConcatenatesRowMajorAndUnravelRestoresShapesAndDtypes() {
        Layer l = new Layer(mat(2, 2, 1, 2, 3, 4), Array.of(new float[] {5, 6}));
        Tree.Raveled<Layer> r = Tree.ravel(l);
        assertEquals(DType.FLOAT64, r.flat().dtype(), "float32 and float64 promote to float64");
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, r.flat().toDoubleArray());
        Layer back = r.unravel().apply(vec(10, 20, 30, 40, 50, 60));
        assertArrayEquals(new int[] {2, 2}, back.weight().shape());
        assertEquals(DType.FLOAT64, back.weight().dtype());
        assertEquals(DType.FLOAT32, back.bias().dtype());
        assertArrayEquals(new double[] {10, 20, 30, 40}, back.weight().toDoubleArray());
        assertArrayEquals(new double[] {50, 60}, back.bias().toDoubleArray());

        Tree.Raveled<List<Array>> mixed = Tree.ravel(List.of(Array.of(new float[] {1.5f}), Array.of(2, 3)));
        assertEquals(DType.FLOAT32, mixed.flat().dtype(), "int32 with float32 gives float32");
        List<Array> mb = mixed.unravel().apply(Array.of(new float[] {7.5f, 8, 9}));
        assertEquals(DType.INT32, mb.get(1).dtype());
        assertArrayEquals(new int[] {8, 9}, mb.get(1).toIntArray());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.unravel().apply(vec(1, 2)));
        assertTrue(e.getMessage().contains("6"), e.getMessage());
        Tree.Raveled<List<Object>> empty = Tree.ravel(List.of());
        assertEquals(0, empty.flat().size());
        assertEquals(List.of(), empty.unravel().apply(empty.flat()));
    }

    /** After JAX's tree_util_test.py testDtypePolymorphicUnravel and testDtypeMonomorphicUnravel (jax#7809). */
    @Test
    void unravelKeepsTheVectorsDtypeForOneDtypeAndRefusesAnotherForSeveral() {
        Array x = Jnp.arange(10).astype(DType.FLOAT32);
        Tree.Raveled<Array> r = Tree.ravel(x);
        Array y = Jnp.less(r.flat(), 5.3);
        Array back = r.unravel().apply(y);
        assertEquals(DType.BOOL, back.dtype(), "one dtype: unravel converts nothing");
        assertArrayEquals(new int[] {10}, back.shape());
        Tree.Raveled<Layer> l = Tree.ravel(new Layer(Array.of(new float[] {1, 2}), Array.of(new float[] {3})));
        Layer l64 = l.unravel().apply(Array.of(0.1, 0.2, 0.3));
        assertEquals(DType.FLOAT64, l64.weight().dtype());
        assertArrayEquals(new double[] {0.1, 0.2}, l64.weight().toDoubleArray(), 0, "no rounding through float32");

        Tree.Raveled<List<Array>> mixed = Tree.ravel(List.of(Jnp.arange(10).astype(DType.FLOAT32), Jnp.arange(10)));
        Array z = Jnp.less(mixed.flat(), 5.3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> mixed.unravel().apply(z));
        assertTrue(e.getMessage().contains("unravel") && e.getMessage().contains("float32")
                && e.getMessage().contains("bool"), e.getMessage());
        assertEquals(DType.INT32, mixed.unravel().apply(mixed.flat()).get(1).dtype(), "its own dtype converts back");
    }

    /** A named pair with fields of any type (JAX's test namedtuple ATuple). */
    record ATuple(Object foo, Object bar) {}

    /**
     * After JAX's tree_util_test.py testFlattenUpTo (its first case) and the last case of testFlattenUpToErrors
     * (a null in the prefix where the tree has [2]: "Expected None").
     */
    @Test
    void flattenUpToMatchesNullsAndRejectsASubtreeUnderANull() {
        Array a1 = Array.of(1.0);
        Array a2 = Array.of(2.0);
        TreeDef prefix = Tree.structure(Arrays.asList(List.of(a1, a2), null, new ATuple(a1, a2)));
        Map<String, Array> foo = Map.of("foo", Array.of(7.0));
        List<Array> pair = List.of(Array.of(3.0), Array.of(4.0));
        List<Array> eleven = List.of(Array.of(11.0), Array.of(9.0));
        List<Object> out = Tree.flattenUpTo(prefix, Arrays.asList(List.of(foo, pair), null, new ATuple(eleven, null)));
        assertEquals(Arrays.asList(foo, pair, eleven, null), out);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tree.flattenUpTo(Tree.structure(null), List.of(a2)));
        assertTrue(e.getMessage().contains("null"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Tree.flattenUpTo(prefix, Arrays.asList(List.of(foo, pair), List.of(a2), new ATuple(eleven, null))));
        assertEquals(List.of(), Tree.flattenUpTo(Tree.structure(null), null));
    }

    // ---- pretty printing -----------------------------------------------------------------------------------

    @Test
    void pformatShowsDtypeAndShapeForArraysAndValuesForScalars() {
        record Big(Array weight, Array bias, int width, String name) {}
        Big b = new Big(Jnp.zeros(DType.FLOAT32, 30, 40), Array.scalar(1.5), 40, "enc");
        String s = Tree.pformat(b);
        assertTrue(s.startsWith("Big("), s);
        assertTrue(s.contains("weight=f32[30,40]"), s);
        assertFalse(s.contains("0.0, 0.0"), "no values for a large array: " + s);
        assertTrue(s.contains("bias=f64[](1.5)"), "the value of a scalar: " + s);
        assertTrue(s.contains("width=40") && s.contains("name=\"enc\""), s);
        String lst = Tree.pformat(List.of(Array.of(new double[] {1, 2, 3}), Jnp.zeros(DType.FLOAT32, 3, 4)));
        // each element must be recognisable on its own: a small array's values must not read as list items
        assertEquals(2, topLevelItems(lst), "two items in " + lst);
        String nested = Tree.pformat(Map.of("enc", b, "dec", b, "head", List.of(b, b)));
        assertTrue(nested.contains("\n"), "a long tree is printed on several lines: " + nested);
        assertTrue(nested.indexOf("\"dec\"") < nested.indexOf("\"enc\""), "map keys in sorted order: " + nested);
        assertEquals("null", Tree.pformat(null));
    }

    /** The number of comma-separated items at bracket depth 1 of a one-line rendering. */
    private static int topLevelItems(String s) {
        int depth = 0;
        int items = 1;
        for (char c : s.toCharArray()) {
            if (c == '[' || c == '(' || c == '{') {
                depth++;
            } else if (c == ']' || c == ')' || c == '}') {
                depth--;
            } else if (c == ',' && depth == 1) {
                items++;
            }
        }
        return items;
    }

    // ---- bad input --------------------------------------------------------------------------------------------

    @Test
    void aRecordWhoseConstructorRejectsTheRebuiltValuesIsNamed() {
        VectorOnly v = new VectorOnly(vec(1, 2, 3, 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tree.map(x -> x.reshape(2, 2), v));
        assertTrue(e.getMessage().contains("VectorOnly"), e.getMessage());
        assertTrue(e.getMessage().contains("w must be a vector"), "the record's own reason: " + e.getMessage());
        assertTrue(e.getMessage().contains("float64[2,2]"), "the offending value: " + e.getMessage());

        NonNull nn = new NonNull(vec(1), Array.of(1));
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                () -> Eqx.partition(nn, Eqx::isInexactArray));
        assertTrue(e2.getMessage().contains("NonNull"), e2.getMessage());
    }

    record Outer(Layer layer, Holder holder) {}

    @Test
    void anUnregisteredClassHoldingArraysIsAClearError() {
        Holder h = new Holder(vec(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tree.flatten(h));
        assertTrue(e.getMessage().contains(Holder.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains("Tree.register(Holder.class"), e.getMessage());
        IllegalArgumentException nested = assertThrows(IllegalArgumentException.class,
                () -> Tree.leaves(new Outer(new Layer(vec(1), vec(2)), h)));
        assertTrue(nested.getMessage().contains("holder"), "the path to it: " + nested.getMessage());
        // a plain object without arrays is a static value
        assertEquals(0, Tree.leaves(new StringBuilder("x")).size());
    }

    @Test
    void mapOfMismatchedStructuresShowsBothStructures() {
        Layer a = new Layer(vec(1), vec(2));
        List<Array> b = List.of(vec(1), vec(2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tree.map((x, y) -> x.add(y), a, b));
        assertTrue(e.getMessage().contains(Tree.structure(a).toString()), e.getMessage());
        assertTrue(e.getMessage().contains(Tree.structure(b).toString()), e.getMessage());
        Layer c = new Layer(vec(1), null);
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                () -> Tree.mapAll(xs -> xs.get(0), List.of(a, a, c)));
        assertTrue(e2.getMessage().contains("Layer(weight=*, bias=*)"), e2.getMessage());
        assertTrue(e2.getMessage().contains("Layer(weight=*, bias=None)"), e2.getMessage());
        IllegalArgumentException e3 = assertThrows(IllegalArgumentException.class,
                () -> Tree.unflatten(Tree.structure(a), List.of(vec(1))));
        assertTrue(e3.getMessage().contains("2 leaves"), e3.getMessage());
    }
}
