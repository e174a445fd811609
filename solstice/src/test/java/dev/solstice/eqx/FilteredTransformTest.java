package dev.solstice.eqx;

import static dev.solstice.tree.TreeOracles.assertAllZero;
import static dev.solstice.tree.TreeOracles.assertShape;
import static dev.solstice.tree.TreeOracles.block;
import static dev.solstice.tree.TreeOracles.columns;
import static dev.solstice.tree.TreeOracles.fdGradient;
import static dev.solstice.tree.TreeOracles.fdJacobian;
import static dev.solstice.tree.TreeOracles.mat;
import static dev.solstice.tree.TreeOracles.pack;
import static dev.solstice.tree.TreeOracles.piece;
import static dev.solstice.tree.TreeOracles.shape;
import static dev.solstice.tree.TreeOracles.vec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Eqx;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.JvpResult;
import dev.solstice.Lax;
import dev.solstice.Nn;
import dev.solstice.TreeJacobian;
import dev.solstice.ValueAndGrad;
import dev.solstice.ValueAndGradAux;
import dev.solstice.VjpResult;
import dev.solstice.WithAux;
import dev.solstice.nn.Module;
import dev.solstice.testing.Numeric;
import dev.solstice.tree.Struct;
import dev.solstice.tree.Tree;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Equinox's filtered transformations over modules: its own regression cases written fresh (issue #801 and
 * PR #734: an MLP with relu, filterGrad against filterJacrev and filterJacfwd, Map outputs, constant and
 * closed-over outputs, numbers as outputs), filterHessian on piecewise-linear functions and records with
 * static fields, filterJvp/filterVjp/filterValueAndGradWithAux, and custom rules over trees. Oracles:
 * closed forms, central differences in float64 of functions of hand-packed vectors, and Jax.hessian of the
 * raveled function.
 */
class FilteredTransformTest {

    // ---- an MLP as records ---------------------------------------------------------------------------------

    record Layer(Array w, Array b, String activation) implements Module {
        Array apply(Array x) {
            Array y = w.matmul(x).add(b);
            return activation.equals("relu") ? Nn.relu(y) : y;
        }
    }

    record Mlp(List<Layer> layers, Array steps, int depth) implements Module {
        Array apply(Array x) {
            for (Layer l : layers) {
                x = l.apply(x);
            }
            return x;
        }
    }

    static final Array X = vec(0.3, -0.7, 1.1);

    /** in 3, hidden 4 (relu), out 2; 26 parameters; an int32 step counter that is not differentiated. */
    static Mlp mlp(Array flat) {
        return new Mlp(List.of(new Layer(piece(flat, 0, 4, 3), piece(flat, 12, 4), "relu"),
                new Layer(piece(flat, 16, 2, 4), piece(flat, 24, 2), "identity")), Array.of(5), 2);
    }

    static Array mlpFlat() {
        Random r = new Random(7);
        double[] v = new double[26];
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.round((r.nextDouble() * 2 - 1) * 100) / 100.0;
        }
        return Array.of(v);
    }

    static Array mlpLoss(Mlp m) {
        Array y = m.apply(X);
        return Jnp.sum(y.mul(y));
    }

    static Array packMlp(Mlp m) {
        Layer a = m.layers().get(0);
        Layer b = m.layers().get(1);
        return pack(a.w(), a.b(), b.w(), b.b());
    }

    @Test
    void theMlpIsAwayFromReluKinksSoFiniteDifferencesApply() {
        Array pre = mlp(mlpFlat()).layers().getFirst().w().matmul(X).add(mlp(mlpFlat()).layers().getFirst().b());
        for (double z : pre.toDoubleArray()) {
            assertTrue(Math.abs(z) > 0.05, "pre-activation " + z + " is too close to the kink");
        }
    }

    /** Equinox's test_pytree_jacfwd (PR #734), written fresh: grad, jacrev and jacfwd of the same loss agree. */
    @Test
    void mlpFilterGradEqualsFilterJacrevAndFilterJacfwd() {
        Mlp m = mlp(mlpFlat());
        Mlp g = Eqx.filterGrad(FilteredTransformTest::mlpLoss).apply(m);
        Mlp jr = Eqx.filterJacrev(FilteredTransformTest::mlpLoss).apply(m).asInputTree();
        Mlp jf = Eqx.filterJacfwd(FilteredTransformTest::mlpLoss).apply(m).asInputTree();
        double[] fd = fdGradient(v -> mlpLoss(mlp(v)), mlpFlat());
        Numeric.assertClose(fd, packMlp(g).toDoubleArray(), 1e-7, 1e-9, "filterGrad vs central differences");
        assertTrue(Eqx.treeEqual(g, jr, 1e-12, 1e-14), "filterGrad vs filterJacrev");
        assertTrue(Eqx.treeEqual(g, jf, 1e-12, 1e-14), "filterGrad vs filterJacfwd");
        for (Mlp t : List.of(g, jr, jf)) {
            assertNull(t.steps(), "int leaves get null");
            assertEquals(2, t.depth());
            assertEquals("relu", t.layers().get(0).activation());
            assertShape(shape(4, 3), t.layers().get(0).w(), "gradient leaf shape");
        }
        ValueAndGrad<Mlp> vg = Eqx.filterValueAndGrad(FilteredTransformTest::mlpLoss).apply(m);
        assertEquals(mlpLoss(m).item(), vg.value().item(), 1e-15);
        assertTrue(Eqx.treeEqual(g, vg.grad()));
    }

    @Test
    void float32MlpGradsMatchInFloat32() {
        Mlp m64 = mlp(mlpFlat());
        Mlp m = Tree.map(a -> a.dtype() == DType.FLOAT64 ? a.astype(DType.FLOAT32) : a, m64);
        Function<Mlp, Array> loss = mm -> {
            Array y = mm.apply(X.astype(DType.FLOAT32));
            return Jnp.sum(y.mul(y));
        };
        Mlp g = Eqx.filterGrad(loss).apply(m);
        Mlp jf = Eqx.filterJacfwd(loss).apply(m).asInputTree();
        Mlp jr = Eqx.filterJacrev(loss).apply(m).asInputTree();
        assertEquals(DType.FLOAT32, g.layers().get(1).w().dtype());
        assertTrue(Eqx.treeEqual(g, jr, 1e-5, 1e-6));
        assertTrue(Eqx.treeEqual(g, jf, 1e-5, 1e-6));
        double[] fd = fdGradient(v -> mlpLoss(mlp(v)), mlpFlat());
        Numeric.assertClose(fd, packMlp(g).toDoubleArray(), 1e-4, 1e-4, "float32 gradient vs float64 differences");
    }

    /**
     * The Hessian with respect to the MLP: a record holding a list of records cannot hold trees in its layers,
     * so the outer level is a Struct all the way down to the inner MLP-shaped blocks.
     */
    @Test
    void filterHessianOfTheMlpIsAStructOfStructsWithMlpBlocks() {
        Mlp m = mlp(mlpFlat());
        Struct h = (Struct) Eqx.filterHessian(FilteredTransformTest::mlpLoss).apply(m).tree();
        assertEquals(Mlp.class, h.type());
        assertNull(h.get("steps"));
        assertEquals(2, (int) h.<Integer>get("depth"));
        List<Struct> layers = h.get("layers");
        assertEquals(Layer.class, layers.get(1).type());
        assertEquals("identity", layers.get(1).get("activation"));
        Mlp rowW2 = layers.get(1).get("w");
        Mlp rowB1 = layers.get(0).get("b");
        assertShape(shape(2, 4, 2, 4), rowW2.layers().get(1).w(), "w2 + w2");
        assertShape(shape(4, 4, 3), rowB1.layers().get(0).w(), "b1 + w1");
        Tree.Raveled<Mlp> r = Tree.ravel(Eqx.filter(m, Eqx::isInexactArray));
        Mlp rest = Eqx.filterOut(m, Eqx::isInexactArray);
        Array full = Jax.hessian((Array v) -> mlpLoss(Eqx.combine(r.unravel().apply(v), rest))).apply(r.flat());
        Numeric.assertClose(block(full, 16, 8, 16, 8), rowW2.layers().get(1).w().toDoubleArray(), 1e-12, 1e-13, "w2 w2");
        Numeric.assertClose(block(full, 16, 8, 0, 12), rowW2.layers().get(0).w().toDoubleArray(), 1e-12, 1e-13, "w2 w1");
        Numeric.assertClose(block(full, 12, 4, 0, 12), rowB1.layers().get(0).w().toDoubleArray(), 1e-12, 1e-13, "b1 w1");
        Numeric.assertClose(block(full, 12, 4, 24, 2), rowB1.layers().get(1).b().toDoubleArray(), 1e-12, 1e-13, "b1 b2");
        // relu is piecewise linear: the loss is quadratic in the last layer, so d2/db2 db2 = 2 I exactly
        Mlp rowB2 = layers.get(1).get("b");
        Numeric.assertClose(new double[] {2, 0, 0, 2}, rowB2.layers().get(1).b().toDoubleArray(), 1e-15, 0, "b2 b2");
    }

    record Heads(Layer trunk, Map<String, Layer> heads) implements Module {
        Array apply(Array x, String head) {
            return heads.get(head).apply(trunk.apply(x));
        }
    }

    @Test
    void modulesHoldingMapsOfModules() {
        Array flat = vec(0.5, -0.3, 0.8, 0.2, -0.6, 0.4, 0.1, -0.2, 0.7, -0.9, 0.3);
        Function<Array, Heads> build = v -> new Heads(new Layer(piece(v, 0, 2, 3), piece(v, 6, 2), "relu"),
                Map.of("y", new Layer(piece(v, 8, 1, 2), piece(v, 10, 1), "identity"),
                        "a", new Layer(mat(1, 1, 1.0), vec(0.0), "identity")));
        Heads hd = build.apply(flat);
        Function<Heads, Array> loss = t -> Jnp.sum(Jnp.tanh(t.apply(X, "y")));
        Heads g = Eqx.filterGrad(loss).apply(hd);
        assertEquals(List.of("a", "y"), List.copyOf(g.heads().keySet()));
        assertAllZero(g.heads().get("a").w(), "an unused head");
        Array used = pack(hd.trunk().w(), hd.trunk().b(), hd.heads().get("y").w(), hd.heads().get("y").b());
        double[] fd = fdGradient(v -> {
            Heads t = new Heads(new Layer(piece(v, 0, 2, 3), piece(v, 6, 2), "relu"),
                    Map.of("y", new Layer(piece(v, 8, 1, 2), piece(v, 10, 1), "identity")));
            return Jnp.sum(Jnp.tanh(t.apply(X, "y")));
        }, used);
        Array got = pack(g.trunk().w(), g.trunk().b(), g.heads().get("y").w(), g.heads().get("y").b());
        Numeric.assertClose(fd, got.toDoubleArray(), 1e-8, 1e-10, "gradient through a map of modules");
    }

    /** Equinox issue #741: dict outputs of filter_jacfwd crashed in combine. */
    @Test
    void mapOutputsOfFilterJacfwdAndFilterJacrev() {
        Mlp m = mlp(mlpFlat());
        Function<Mlp, Map<String, Array>> f = mm -> Map.of("loss", mlpLoss(mm), "pred", mm.apply(X));
        Map<String, Mlp> jf = (Map<String, Mlp>) Eqx.filterJacfwd(f).apply(m).tree();
        Map<String, Mlp> jr = (Map<String, Mlp>) Eqx.filterJacrev(f).apply(m).tree();
        assertEquals(List.of("loss", "pred"), List.copyOf(jf.keySet()));
        double[][] fd = fdJacobian(v -> mlp(v).apply(X), mlpFlat());
        for (Map<String, Mlp> j : List.of(jf, jr)) {
            Mlp pred = j.get("pred");
            assertShape(shape(2, 4, 3), pred.layers().get(0).w(), "out + leaf");
            assertShape(shape(2, 2), pred.layers().get(1).b(), "out + leaf");
            assertNull(pred.steps());
            Numeric.assertClose(columns(fd, 0, 12), pred.layers().get(0).w().toDoubleArray(), 1e-7, 1e-9, "d pred / d w1");
            Numeric.assertClose(columns(fd, 12, 4), pred.layers().get(0).b().toDoubleArray(), 1e-7, 1e-9, "d pred / d b1");
            Numeric.assertClose(columns(fd, 16, 8), pred.layers().get(1).w().toDoubleArray(), 1e-7, 1e-9, "d pred / d w2");
            Numeric.assertClose(columns(fd, 24, 2), pred.layers().get(1).b().toDoubleArray(), 1e-7, 1e-9, "d pred / d b2");
            assertTrue(Eqx.treeEqual(Eqx.filterGrad(FilteredTransformTest::mlpLoss).apply(m), j.get("loss"), 1e-12, 1e-14));
        }
    }

    /** PR #734: an output that does not depend on the input is not its own derivative but zeros of shape out + in. */
    @Test
    void constantAndClosedOverOutputsGiveZerosOfTheRightShape() {
        Mlp m = mlp(mlpFlat());
        Array closed = mat(2, 2, 1, 2, 3, 4);
        Function<Mlp, List<Array>> f = mm -> List.of(mlpLoss(mm), Jnp.ones(DType.FLOAT64, 3), closed, Array.scalar(1.0));
        for (String mode : List.of("filterJacfwd", "filterJacrev")) {
            List<Mlp> j = mode.equals("filterJacfwd") ? (List<Mlp>) Eqx.filterJacfwd(f).apply(m).tree()
                    : (List<Mlp>) Eqx.filterJacrev(f).apply(m).tree();
            assertEquals(4, j.size());
            assertShape(shape(3, 4, 3), j.get(1).layers().get(0).w(), mode + " constant");
            assertShape(shape(2, 2, 2), j.get(2).layers().get(1).b(), mode + " closed-over");
            assertShape(shape(2, 4), j.get(3).layers().get(1).w(), mode + " scalar constant");
            for (int i = 1; i < 4; i++) {
                for (Array leaf : Tree.leaves(j.get(i))) {
                    assertAllZero(leaf, mode + " output " + i);
                }
                assertNull(j.get(i).steps());
            }
        }
        // an array-valued function of an array whose output ignores the input
        Array z = Eqx.filterJacfwd((Array x) -> closed).apply(vec(1, 2, 3));
        assertShape(shape(2, 2, 3), z, "jacobian of a closed-over array");
        assertAllZero(z, "jacobian of a closed-over array");
        Array h = Eqx.filterHessian((Array x) -> Array.scalar(2.0)).apply(vec(1, 2));
        assertShape(shape(2, 2), h, "hessian of a constant");
        assertAllZero(h, "hessian of a constant");
    }

    /** A value of an outer transformation closed over is a constant for the inner one. */
    @Test
    void aValueOfAnOuterTransformationClosedOverIsAConstant() {
        Mlp m = mlp(mlpFlat());
        for (boolean forward : new boolean[] {true, false}) {
            Array g = Jax.grad((Array y) -> {
                Function<Mlp, Array> inner = mm -> y.mul(2.0);
                Mlp j = forward ? Eqx.filterJacfwd(inner).apply(m).asInputTree() : Eqx.filterJacrev(inner).apply(m).asInputTree();
                return Jnp.sum(j.layers().get(0).w()).add(y.mul(y));
            }).apply(Array.scalar(3.0));
            assertEquals(6.0, g.item(), forward ? "filterJacfwd" : "filterJacrev");
        }
    }

    @Test
    void javaNumbersAsOutputsAreAClearError() {
        Mlp m = mlp(mlpFlat());
        List<Executable> calls = List.of(
                () -> Eqx.filterJacfwd((Mlp mm) -> 1.0).apply(m),
                () -> Eqx.filterJacrev((Mlp mm) -> 1.0f).apply(m),
                () -> Eqx.filterHessian((Mlp mm) -> 2).apply(m),
                () -> Eqx.filterJacfwd((Mlp mm) -> List.of(mlpLoss(mm), 3)).apply(m),
                () -> Eqx.filterJacrev((Mlp mm) -> Map.of("k", 1.5)).apply(m));
        // (filterJvp and filterVjp pass non-array outputs through, as Equinox's: see FilterNonArrayTest)
        for (int i = 0; i < calls.size(); i++) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, calls.get(i), "call " + i);
            assertTrue(e.getMessage().contains("must return an array or a tree of arrays"), e.getMessage());
            assertTrue(e.getMessage().contains("Array.scalar"), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Eqx.filterJacfwd((Mlp mm) -> List.of(mlpLoss(mm), 3)).apply(m));
        assertTrue(e.getMessage().contains("Integer 3 at [1]"), "names the number and where it is: " + e.getMessage());
        IllegalArgumentException g = assertThrows(IllegalArgumentException.class,
                () -> Eqx.filterGrad((Mlp mm) -> mm.apply(X)).apply(m));
        assertTrue(g.getMessage().contains("scalar") && g.getMessage().contains("float64[2]"), g.getMessage());
    }

    // ---- filterHessian ---------------------------------------------------------------------------------------

    /** Equinox issue #801: filter_hessian(relu)(1.0) returned 1.0. */
    @Test
    void filterHessianOfReluIsZeroInFloat32AndFloat64() {
        Function<Array, Array> hf = Eqx.filterHessian(Nn::relu);
        assertEquals(0.0, hf.apply(Array.scalar(1.0f)).item(), "the seed case");
        for (double x : new double[] {1.0, -1.0, 0.0, 2.5, -0.25}) {
            Array h32 = hf.apply(Array.scalar((float) x));
            Array h64 = hf.apply(Array.scalar(x));
            assertEquals(DType.FLOAT32, h32.dtype());
            assertEquals(DType.FLOAT64, h64.dtype());
            assertEquals(0.0, h32.item(), "float32 at " + x);
            assertEquals(0.0, h64.item(), "float64 at " + x);
            assertEquals(x > 0 ? 1.0 : 0.0, Eqx.filterJacrev(Nn::relu).apply(Array.scalar(x)).item(),
                    "the first derivative is not zero: " + x);
        }
        Array hv = hf.apply(vec(1.0, -2.0, 3.0));
        assertShape(shape(3, 3, 3), hv, "hessian of a vector function");
        assertAllZero(hv, "relu on a vector");
        // every composition of first-derivative operators, and the other piecewise-linear functions
        List<UnaryOperator<Array>> pwl = List.of(Nn::relu, Jnp::abs, Nn::leakyRelu, x -> Jnp.maximum(x, 0.5),
                x -> Jnp.where(Jnp.greater(x, 0.0), x.mul(2.0), x.neg()));
        for (UnaryOperator<Array> f : pwl) {
            for (double x : new double[] {1.0, -1.0}) {
                Array p = Array.scalar(x);
                assertEquals(0.0, Eqx.filterHessian(f).apply(p).item(), "filterHessian at " + x);
                assertEquals(0.0, Eqx.filterJacfwd(Eqx.filterJacrev(f)).apply(p).item());
                assertEquals(0.0, Eqx.filterJacrev(Eqx.filterJacrev(f)).apply(p).item());
                assertEquals(0.0, Eqx.filterJacfwd(Eqx.filterJacfwd(f)).apply(p).item());
                assertEquals(0.0, Eqx.filterJacrev(Eqx.filterJacfwd(f)).apply(p).item());
            }
        }
        // and a smooth function is not trivially zero
        assertEquals(-Math.sin(0.7), Eqx.filterHessian(Jnp::sin).apply(Array.scalar(0.7)).item(), 1e-15);
    }

    record Quad(Array a, Array b, Array idx, int power, String name) implements Module {}

    /** f = sum(a^2 b) + sum(sin a) + sum(idx a): the Hessian blocks are diagonal and written out below. */
    static Array quadLoss(Quad q) {
        return Jnp.sum(q.a().mul(q.a()).mul(q.b())).add(Jnp.sum(Jnp.sin(q.a())))
                .add(Jnp.sum(q.idx().astype(DType.FLOAT64).mul(q.a())));
    }

    @Test
    void filterHessianOfARecordWithStaticFieldsIsARecordOfRecords() {
        Quad q = new Quad(vec(0.5, -1.0, 2.0), vec(1.5, 0.25, -0.5), Array.of(1, 2, 3), 3, "quad");
        Struct h = (Struct) Eqx.filterHessian(FilteredTransformTest::quadLoss).apply(q).tree();
        assertEquals(Quad.class, h.type());
        assertNull(h.get("idx"), "int leaves get null");
        assertEquals(3, (int) h.<Integer>get("power"));
        assertEquals("quad", h.get("name"));
        Quad ha = h.get("a");
        Quad hb = h.get("b");
        assertEquals(3, ha.power());
        assertEquals("quad", hb.name());
        assertNull(ha.idx());
        double[] a = q.a().toDoubleArray();
        double[] b = q.b().toDoubleArray();
        double[] aa = new double[9];
        double[] ab = new double[9];
        for (int i = 0; i < 3; i++) {
            aa[i * 4] = 2 * b[i] - Math.sin(a[i]);
            ab[i * 4] = 2 * a[i];
        }
        Numeric.assertClose(aa, ha.a().toDoubleArray(), 1e-14, 1e-15, "d2f/da da");
        Numeric.assertClose(ab, ha.b().toDoubleArray(), 1e-14, 1e-15, "d2f/da db");
        Numeric.assertClose(ab, hb.a().toDoubleArray(), 1e-14, 1e-15, "d2f/db da");
        Numeric.assertExactly(new double[9], hb.b().toDoubleArray(), "d2f/db db");
        assertShape(shape(3, 3), ha.b(), "leaf + leaf");

        // block by block against Jax.hessian of the raveled function (the Equinox idiom: partition, ravel, combine)
        Eqx.Partitioned<Quad> p = Eqx.partition(q, Eqx::isInexactArray);
        Tree.Raveled<Quad> r = Tree.ravel(p.matching());
        Array full = Jax.hessian((Array v) -> quadLoss(Eqx.combine(r.unravel().apply(v), p.rest()))).apply(r.flat());
        assertShape(shape(6, 6), full, "raveled hessian");
        Numeric.assertClose(block(full, 0, 3, 0, 3), ha.a().toDoubleArray(), 1e-14, 1e-15, "block a a");
        Numeric.assertClose(block(full, 0, 3, 3, 3), ha.b().toDoubleArray(), 1e-14, 1e-15, "block a b");
        Numeric.assertClose(block(full, 3, 3, 0, 3), hb.a().toDoubleArray(), 1e-14, 1e-15, "block b a");
        Numeric.assertClose(block(full, 3, 3, 3, 3), hb.b().toDoubleArray(), 1e-14, 1e-15, "block b b");
    }

    record TwoLayer(Array w1, Array b1, Array w2, Array b2, int hidden, String activation) implements Module {
        Array apply(Array x) {
            return w2.matmul(Nn.relu(w1.matmul(x).add(b1))).add(b2);
        }
    }

    record Problem(TwoLayer net, Array x) implements Module {}

    static TwoLayer twoLayer() {
        return new TwoLayer(mat(4, 3, 0.5, -0.2, 0.1, -0.3, 0.8, 0.4, 0.6, 0.1, -0.7, -0.4, -0.5, 0.9),
                vec(0.1, -0.2, 0.3, 0.05), mat(2, 4, 1.0, -0.5, 0.25, 0.75, -1.5, 0.5, 2.0, -0.25), vec(0.3, -0.1), 4, "relu");
    }

    static final Array X2 = vec(0.9, -0.4, 0.7);

    @Test
    void hessianOfATwoLayerReluNetworkWithRespectToItsInputIsExactlyZero() {
        TwoLayer net = twoLayer();
        Array pre = net.w1().matmul(X2).add(net.b1());
        for (double z : pre.toDoubleArray()) {
            assertTrue(Math.abs(z) > 0.05, "pre-activation " + z + " is too close to the kink");
        }
        Array hx = Eqx.filterHessian((Array x) -> Jnp.sum(net.apply(x))).apply(X2);
        assertShape(shape(3, 3), hx, "hessian in x");
        Numeric.assertExactly(new double[9], hx.toDoubleArray(), "piecewise linear in x");
        // a squared loss is not: its Hessian is 2 J^T J with J = w2 diag(relu'(pre)) w1
        Array hs = Eqx.filterHessian((Array x) -> {
            Array y = net.apply(x);
            return Jnp.sum(y.mul(y));
        }).apply(X2);
        double[] w1 = net.w1().toDoubleArray();
        double[] w2 = net.w2().toDoubleArray();
        double[] z = pre.toDoubleArray();
        double[][] j = new double[2][3];
        for (int o = 0; o < 2; o++) {
            for (int i = 0; i < 3; i++) {
                for (int k = 0; k < 4; k++) {
                    j[o][i] += w2[o * 4 + k] * (z[k] > 0 ? 1 : 0) * w1[k * 3 + i];
                }
            }
        }
        double[] expected = new double[9];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                expected[r * 3 + c] = 2 * (j[0][r] * j[0][c] + j[1][r] * j[1][c]);
            }
        }
        Numeric.assertClose(expected, hs.toDoubleArray(), 1e-13, 1e-14, "2 J^T J");

        // the whole problem as a record of records: every block agrees with Jax.hessian of the raveled function
        Problem pb = new Problem(net, X2);
        Function<Problem, Array> loss = p -> Jnp.sum(p.net().apply(p.x()));
        Struct h = (Struct) Eqx.filterHessian(loss).apply(pb).tree();
        Tree.Raveled<Problem> r = Tree.ravel(pb);
        Array full = Jax.hessian((Array v) -> loss.apply(r.unravel().apply(v))).apply(r.flat());
        Problem hxRow = h.get("x");
        Numeric.assertExactly(new double[9], hxRow.x().toDoubleArray(), "block x x");
        Struct netRow = h.get("net");
        assertEquals(TwoLayer.class, netRow.type());
        assertEquals(4, (int) netRow.<Integer>get("hidden"));
        String[] names = {"w1", "b1", "w2", "b2"};
        int[] offsets = {0, 12, 16, 24, 26};
        for (int i = 0; i < 4; i++) {
            Problem row = netRow.get(names[i]);
            int ni = offsets[i + 1] - offsets[i];
            assertEquals("relu", row.net().activation());
            for (int k = 0; k < 4; k++) {
                Array blk = (Array) Tree.leaves(row.net()).get(k);
                int nk = offsets[k + 1] - offsets[k];
                Numeric.assertClose(block(full, offsets[i], ni, offsets[k], nk), blk.toDoubleArray(), 1e-13, 1e-14,
                        "block " + names[i] + " " + names[k]);
            }
            Numeric.assertClose(block(full, offsets[i], ni, 26, 3), row.x().toDoubleArray(), 1e-13, 1e-14,
                    "block " + names[i] + " x");
        }
        Numeric.assertClose(block(full, 26, 3, 0, 12), hxRow.net().w1().toDoubleArray(), 1e-13, 1e-14, "block x w1");
        assertShape(shape(3, 2, 4), hxRow.net().w2(), "x + w2");
        assertShape(shape(4, 3, 3), ((Problem) netRow.get("w1")).x(), "w1 + x");
    }

    // ---- filterJvp, filterVjp, value and grad with aux --------------------------------------------------------

    record Lin(Array w, Array b, Array steps, int width) implements Module {
        Array apply(Array x) {
            Array y = w.matmul(x);
            return Jnp.tanh(b == null ? y : y.add(b));
        }
    }

    static final Array XL = vec(0.4, -1.2);

    static Lin lin(Array flat) {
        return new Lin(piece(flat, 0, 2, 2), piece(flat, 4, 2), Array.of(3), 2);
    }

    static final Array LIN_FLAT = vec(0.3, -0.6, 0.9, 0.2, -0.1, 0.5);

    @Test
    void filterJvpWithNullTangents() {
        Lin l = lin(LIN_FLAT);
        Array tw = mat(2, 2, 1, -1, 0.5, 2);
        JvpResult<Array> r = Eqx.filterJvp((Lin m) -> m.apply(XL), l, new Lin(tw, null, null, 2));
        Numeric.assertClose(l.apply(XL), r.primal(), 0, 0, "primal");
        double[] fd = Numeric.centralDifference(v -> lin(v).apply(XL), LIN_FLAT, pack(tw, vec(0, 0)), 1e-3);
        Numeric.assertClose(fd, r.tangent().toDoubleArray(), 1e-8, 1e-10, "tangent along w only");
        // all-null tangents: a zero tangent, real zeros out
        JvpResult<Array> z = Eqx.filterJvp((Lin m) -> m.apply(XL), l, new Lin(null, null, null, 2));
        assertAllZero(z.tangent(), "null tangents");
        assertShape(shape(2), z.tangent(), "null tangents");
        // a primal with a null component (no bias) takes a null tangent there
        Lin noBias = new Lin(l.w(), null, l.steps(), 2);
        JvpResult<Array> nb = Eqx.filterJvp((Lin m) -> m.apply(XL), noBias, new Lin(tw, null, null, 2));
        double[] fdNb = Numeric.centralDifference(v -> new Lin(piece(v, 0, 2, 2), null, null, 2).apply(XL),
                pack(l.w()), pack(tw), 1e-3);
        Numeric.assertClose(fdNb, nb.tangent().toDoubleArray(), 1e-8, 1e-10, "no bias");
        // tree outputs get tree tangents
        JvpResult<List<Array>> lt = Eqx.filterJvp((Lin m) -> List.of(m.apply(XL), Jnp.sum(m.w())), l, new Lin(tw, null, null, 2));
        assertEquals(2.5, lt.tangent().get(1).item(), 1e-15);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Eqx.<Object, Array>filterJvp(m -> ((Lin) m).apply(XL), l, List.of(tw)));
        assertTrue(e.getMessage().contains("filterJvp"), e.getMessage());
    }

    @Test
    void filterVjpGivesNullAtUndifferentiatedLeaves() {
        Lin l = lin(LIN_FLAT);
        VjpResult<Lin, Array> r = Eqx.filterVjp((Lin m) -> m.apply(XL), l);
        Numeric.assertClose(l.apply(XL), r.primal(), 0, 0, "primal");
        Array c = vec(0.7, -1.3);
        Lin g = r.pullback().apply(c);
        assertNull(g.steps());
        assertEquals(2, g.width());
        double[] fd = fdGradient(v -> Jnp.sum(lin(v).apply(XL).mul(c)), LIN_FLAT);
        Numeric.assertClose(fd, pack(g.w(), g.b()).toDoubleArray(), 1e-8, 1e-10, "pullback vs differences of c . f");
        Lin g2 = r.pullback().apply(vec(1, 0));
        double[] fd2 = fdGradient(v -> lin(v).apply(XL).get(0), LIN_FLAT);
        Numeric.assertClose(fd2, pack(g2.w(), g2.b()).toDoubleArray(), 1e-8, 1e-10, "second pullback");
        // tree outputs take tree cotangents
        VjpResult<Lin, Map<String, Array>> rm = Eqx.filterVjp((Lin m) -> Map.of("y", m.apply(XL), "s", Jnp.sum(m.b())), l);
        Lin gm = rm.pullback().apply(Map.of("y", vec(0, 0), "s", Array.scalar(2.0)));
        Numeric.assertClose(new double[] {2, 2}, gm.b().toDoubleArray(), 0, 0, "d(2 sum b)/db");
        Numeric.assertExactly(new double[4], gm.w().toDoubleArray(), "w does not reach s");
    }

    @Test
    void filterValueAndGradWithAux() {
        Lin l = lin(LIN_FLAT);
        Function<Lin, WithAux<Map<String, Object>>> f = m -> {
            Array y = m.apply(XL);
            return new WithAux<>(Jnp.sum(y.mul(y)), Map.of("pred", y, "steps", m.steps()));
        };
        ValueAndGradAux<Lin, Map<String, Object>> r = Eqx.filterValueAndGradWithAux(f).apply(l);
        Array y = l.apply(XL);
        assertEquals(Jnp.sum(y.mul(y)).item(), r.value().item(), 1e-15);
        Numeric.assertClose(y, (Array) r.aux().get("pred"), 0, 0, "aux carries the prediction, undifferentiated");
        assertSame(l.steps(), r.aux().get("steps"));
        assertNull(r.grad().steps());
        double[] fd = fdGradient(v -> {
            Array p = lin(v).apply(XL);
            return Jnp.sum(p.mul(p));
        }, LIN_FLAT);
        Numeric.assertClose(fd, pack(r.grad().w(), r.grad().b()).toDoubleArray(), 1e-8, 1e-10, "gradient");
    }

    @Test
    void boundMethodsOfModulesAreFunctions() {
        TwoLayer net = twoLayer();
        Function<Array, Array> apply = net::apply;
        Array j = Eqx.filterJacfwd(apply).apply(X2).asInputTree(); // a Function variable takes the tree overload
        double[][] fd = fdJacobian(net::apply, X2);
        Numeric.assertClose(columns(fd, 0, 3), j.toDoubleArray(), 1e-8, 1e-10, "jacobian of net::apply");
        Array jr = Jax.jacrev(net::apply).apply(X2);
        Numeric.assertClose(j, jr, 1e-14, 1e-15, "Jax.jacrev of a bound method");
    }

    // ---- custom rules over trees ------------------------------------------------------------------------------

    record Pq(Array a, Array b, Array idx, int k) implements Module {}

    /** sum(a^3 b), computed behind stopGradient so that only the custom rule can give derivatives. */
    static Array cubic(Pq p) {
        return Lax.stopGradient(Jnp.sum(p.a().mul(p.a()).mul(p.a()).mul(p.b())));
    }

    @Test
    void filterCustomJvpRuleIsUsedAndDifferentiatedForTheHessian() {
        Function<Pq, Array> f = Eqx.filterCustomJvp(FilteredTransformTest::cubic, (p, t) -> {
            assertNull(t.idx(), "int leaves get a null tangent");
            assertEquals(4, t.k());
            Array a = p.a();
            Array b = p.b();
            Array value = Jnp.sum(a.mul(a).mul(a).mul(b));
            Array tangent = Jnp.sum(a.mul(a).mul(b).mul(3.0).mul(t.a())).add(Jnp.sum(a.mul(a).mul(a).mul(t.b())));
            return new JvpResult<>(value, tangent);
        });
        Pq p = new Pq(vec(0.5, -1.5), vec(2.0, 0.25), Array.of(1, 2), 4);
        double[] a = p.a().toDoubleArray();
        double[] b = p.b().toDoubleArray();
        assertEquals(a[0] * a[0] * a[0] * b[0] + a[1] * a[1] * a[1] * b[1], f.apply(p).item(), 1e-15);
        Pq g = Eqx.filterGrad(f).apply(p);
        Numeric.assertClose(new double[] {3 * a[0] * a[0] * b[0], 3 * a[1] * a[1] * b[1]}, g.a().toDoubleArray(), 1e-14, 0, "df/da");
        Numeric.assertClose(new double[] {a[0] * a[0] * a[0], a[1] * a[1] * a[1]}, g.b().toDoubleArray(), 1e-14, 0, "df/db");
        assertNull(g.idx());
        Pq jf = Eqx.filterJacfwd(f).apply(p).asInputTree();
        assertTrue(Eqx.treeEqual(g, jf, 1e-14, 0), "forward mode through the rule");
        Struct h = (Struct) Eqx.filterHessian(f).apply(p).tree();
        Pq ha = h.get("a");
        Pq hb = h.get("b");
        Numeric.assertClose(new double[] {6 * a[0] * b[0], 0, 0, 6 * a[1] * b[1]}, ha.a().toDoubleArray(), 1e-14, 0, "aa");
        Numeric.assertClose(new double[] {3 * a[0] * a[0], 0, 0, 3 * a[1] * a[1]}, ha.b().toDoubleArray(), 1e-14, 0, "ab");
        Numeric.assertClose(new double[] {3 * a[0] * a[0], 0, 0, 3 * a[1] * a[1]}, hb.a().toDoubleArray(), 1e-14, 0, "ba");
        Numeric.assertExactly(new double[4], hb.b().toDoubleArray(), "bb");
        // without the rule the stop-gradient gives zeros: the rule, not the function, was differentiated
        assertAllZero(Eqx.filterGrad(FilteredTransformTest::cubic).apply(p).a(), "no rule");
    }

    @Test
    void filterCustomVjpWorksUnderFilterGradAndForwardModeIsAnError() {
        Function<Pq, Array> f = Eqx.filterCustomVjp(FilteredTransformTest::cubic,
                p -> new Eqx.CustomVjpFwdTree<>(cubic(p), List.of(p.a(), p.b())),
                (res, ct) -> {
                    @SuppressWarnings("unchecked")
                    List<Array> r = (List<Array>) res;
                    Array a = r.get(0);
                    Array b = r.get(1);
                    return new Pq(a.mul(a).mul(b).mul(3.0).mul(ct), a.mul(a).mul(a).mul(ct), null, 4);
                });
        Pq p = new Pq(vec(0.5, -1.5), vec(2.0, 0.25), Array.of(1, 2), 4);
        double[] a = p.a().toDoubleArray();
        double[] b = p.b().toDoubleArray();
        Pq g = Eqx.filterGrad(f).apply(p);
        Numeric.assertClose(new double[] {3 * a[0] * a[0] * b[0], 3 * a[1] * a[1] * b[1]}, g.a().toDoubleArray(), 1e-14, 0, "df/da");
        Numeric.assertClose(new double[] {a[0] * a[0] * a[0], a[1] * a[1] * a[1]}, g.b().toDoubleArray(), 1e-14, 0, "df/db");
        assertNull(g.idx());
        Pq jr = Eqx.filterJacrev(f).apply(p).asInputTree();
        assertTrue(Eqx.treeEqual(g, jr, 1e-14, 0));
        // a bwd that returns null for a float leaf means a zero cotangent there
        Function<Pq, Array> half = Eqx.filterCustomVjp(FilteredTransformTest::cubic,
                p2 -> new Eqx.CustomVjpFwdTree<>(cubic(p2), List.of()), (res, ct) -> new Pq(null, Jnp.onesLike(p.b()).mul(ct), null, 4));
        Pq gh = Eqx.filterGrad(half).apply(p);
        assertAllZero(gh.a(), "null cotangent");
        List<Executable> forward = List.of(
                () -> Eqx.filterJacfwd(f).apply(p).asInputTree(),
                () -> Eqx.filterJvp(f, p, new Pq(p.a(), p.b(), null, 4)));
        for (int i = 0; i < forward.size(); i++) {
            RuntimeException ex = assertThrows(RuntimeException.class, forward.get(i), "forward mode " + i);
            assertTrue(ex.getMessage() != null && ex.getMessage().contains("forward"), "a message: " + ex);
        }
        // reverse over reverse differentiates bwd itself: the Hessian of the custom gradient
        TreeJacobian<Pq> h = Eqx.filterJacrev(Eqx.filterJacrev(f)).apply(p);
        Pq ha = h.row("a");
        Numeric.assertClose(ha.b(), h.block("a", "b"), 0, 0, "a block is the row's leaf");
        Numeric.assertClose(new double[] {6 * a[0] * b[0], 0, 0, 6 * a[1] * b[1]}, ha.a().toDoubleArray(), 1e-14, 0, "aa");
        Numeric.assertClose(new double[] {3 * a[0] * a[0], 0, 0, 3 * a[1] * a[1]}, ha.b().toDoubleArray(), 1e-14, 0, "ab");
    }

    /**
     * filterHessian is forward over reverse. JAX refuses forward mode over a custom VJP even there; Solstice
     * documents that it differentiates fwd and bwd instead (Jax.customVjp): the Hessian of the custom gradient.
     */
    @Test
    void filterHessianOfAFilterCustomVjpDifferentiatesBwd() {
        Function<Pq, Array> f = Eqx.filterCustomVjp(FilteredTransformTest::cubic,
                p -> new Eqx.CustomVjpFwdTree<>(cubic(p), List.of(p.a(), p.b())),
                (res, ct) -> {
                    @SuppressWarnings("unchecked")
                    List<Array> r = (List<Array>) res;
                    Array a = r.get(0);
                    Array b = r.get(1);
                    return new Pq(a.mul(a).mul(b).mul(3.0).mul(ct), a.mul(a).mul(a).mul(ct), null, 4);
                });
        Pq p = new Pq(vec(0.5, -1.5), vec(2.0, 0.25), Array.of(1, 2), 4);
        double[] a = p.a().toDoubleArray();
        double[] b = p.b().toDoubleArray();
        Struct h = (Struct) Eqx.filterHessian(f).apply(p).tree();
        Pq ha = h.get("a");
        Pq hb = h.get("b");
        Numeric.assertClose(new double[] {6 * a[0] * b[0], 0, 0, 6 * a[1] * b[1]}, ha.a().toDoubleArray(), 1e-14, 0, "aa");
        Numeric.assertClose(new double[] {3 * a[0] * a[0], 0, 0, 3 * a[1] * a[1]}, hb.a().toDoubleArray(), 1e-14, 0, "ba");
        Numeric.assertExactly(new double[4], hb.b().toDoubleArray(), "bb");
    }
}
