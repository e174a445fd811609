package dev.solstice.tree;

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
import dev.solstice.LinearizeResult;
import dev.solstice.ValueAndGrad;
import dev.solstice.ValueAndGradAux;
import dev.solstice.VjpResult;
import dev.solstice.WithAux;
import dev.solstice.testing.Numeric;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * JAX's transformations on trees: grad, valueAndGrad, jvp, linearize, vjp, jacfwd, jacrev and hessian with
 * records, lists, maps and nested trees as inputs and outputs. Oracles: central differences in float64 of
 * the same function written over a hand-packed vector, closed forms, and Jax on the raveled function.
 */
class TreeTransformTest {

    /** a: [2], b: [2,2], plus static fields that must survive every transformation. */
    record P(Array a, Array b, int k, String tag) {}

    static final Array P_FLAT = vec(0.3, -0.8, 0.5, -1.1, 0.7, 0.2);

    static P p(Array flat) {
        return new P(piece(flat, 0, 2), piece(flat, 2, 2, 2), 7, "p");
    }

    /** A scalar function of P. */
    static Array f(P p) {
        return Jnp.sum(Jnp.sin(p.b().matmul(p.a()))).add(Jnp.sum(p.a().mul(p.a())).mul(0.5))
                .add(Jnp.sum(Jnp.exp(p.b().mul(0.3))));
    }

    /** A vector function of P: [3]. */
    static Array g(P p) {
        Array y = Jnp.tanh(p.b().matmul(p.a()));
        return Jnp.concatenate(List.of(y, Jnp.sum(p.b().mul(p.a())).reshape(1)), 0);
    }

    // ---- grad over records, lists, maps, nested trees -----------------------------------------------------------

    @Test
    void gradOfARecordIsARecordWithStaticsKept() {
        P x = p(P_FLAT);
        P gr = Jax.grad(TreeTransformTest::f).apply(x);
        assertEquals(7, gr.k());
        assertEquals("p", gr.tag());
        assertShape(shape(2, 2), gr.b(), "gradient leaf");
        Numeric.assertClose(fdGradient(v -> f(p(v)), P_FLAT), pack(gr.a(), gr.b()).toDoubleArray(), 1e-8, 1e-10, "grad P");
        ValueAndGrad<P> vg = Jax.valueAndGrad(TreeTransformTest::f).apply(x);
        assertEquals(f(x).item(), vg.value().item(), 1e-15);
        assertTrue(Eqx.treeEqual(gr, vg.grad()));
    }

    @Test
    void gradOfListsAndMaps() {
        List<Array> l = List.of(vec(0.5, -0.25), mat(2, 2, 1, 2, 3, 4).mul(0.1), Array.scalar(0.9));
        Function<List<Array>, Array> fl = t -> Jnp.sum(t.get(1).matmul(t.get(0)).mul(t.get(2))).add(Jnp.sum(Jnp.exp(t.get(0))));
        List<Array> gl = Jax.grad(fl).apply(l);
        assertEquals(3, gl.size());
        Function<Array, List<Array>> unpackL = v -> List.of(piece(v, 0, 2), piece(v, 2, 2, 2), piece(v, 6));
        Array lf = pack(l.get(0), l.get(1), l.get(2));
        Numeric.assertClose(fdGradient(v -> fl.apply(unpackL.apply(v)), lf), pack(gl.get(0), gl.get(1), gl.get(2)).toDoubleArray(),
                1e-8, 1e-10, "grad list");
        assertShape(shape(), gl.get(2), "scalar leaf");

        // keys "y" < "z" < "a"? no: sorted "a", "y", "z" -- the gradient is a map with the same keys
        Map<String, Array> m = Map.of("z", vec(1.5), "a", vec(0.2, 0.4), "y", vec(-0.3, 0.6));
        Function<Map<String, Array>, Array> fm = t -> Jnp.sum(t.get("a").mul(t.get("y")).mul(t.get("z"))).add(Jnp.sum(Jnp.sin(t.get("y"))));
        Map<String, Array> gm = Jax.grad(fm).apply(m);
        assertEquals(m.keySet(), gm.keySet());
        Function<Array, Map<String, Array>> unpackM = v -> Map.of("a", piece(v, 0, 2), "y", piece(v, 2, 2), "z", piece(v, 4, 1));
        Array mf = pack(m.get("a"), m.get("y"), m.get("z"));
        Numeric.assertClose(fdGradient(v -> fm.apply(unpackM.apply(v)), mf), pack(gm.get("a"), gm.get("y"), gm.get("z")).toDoubleArray(),
                1e-8, 1e-10, "grad map");
    }

    record Nested(P p, List<Array> xs, Map<String, Array> cache, Array none) {}

    static Nested nested(Array v) {
        return new Nested(p(piece(v, 0, 6)), List.of(piece(v, 6, 2), piece(v, 8)), Map.of("k", piece(v, 9, 2)), null);
    }

    static Array fn(Nested n) {
        return f(n.p()).mul(n.xs().get(1)).add(Jnp.sum(n.xs().get(0).mul(n.cache().get("k")).mul(n.p().a())));
    }

    static final Array N_FLAT = vec(0.3, -0.8, 0.5, -1.1, 0.7, 0.2, 1.2, -0.4, 0.6, 0.9, -0.5);

    @Test
    void gradJvpVjpAndLinearizeOfANestedTree() {
        Nested n = nested(N_FLAT);
        Nested gr = Jax.grad(TreeTransformTest::fn).apply(n);
        assertNull(gr.none());
        assertEquals(7, gr.p().k());
        Array got = pack(gr.p().a(), gr.p().b(), gr.xs().get(0), gr.xs().get(1), gr.cache().get("k"));
        Numeric.assertClose(fdGradient(v -> fn(nested(v)), N_FLAT), got.toDoubleArray(), 1e-8, 1e-10, "grad nested");

        Array dir = vec(1, -2, 0.5, 0.25, -1, 3, 0.1, 0.2, -0.3, 0.4, 2);
        Nested t = nested(dir);
        double expected = Numeric.centralDifference(v -> fn(nested(v)), N_FLAT, dir, 1e-3)[0];
        JvpResult<Array> jv = Jax.jvp(TreeTransformTest::fn, n, t);
        assertEquals(fn(n).item(), jv.primal().item(), 1e-15);
        assertEquals(expected, jv.tangent().item(), 1e-9);
        LinearizeResult<Nested, Array> lin = Jax.linearize(TreeTransformTest::fn, n);
        assertEquals(expected, lin.jvp().apply(t).item(), 1e-9);

        VjpResult<Nested, Array> vj = Jax.vjp(TreeTransformTest::fn, n);
        Nested ct = vj.pullback().apply(Array.scalar(2.0));
        Array ctFlat = pack(ct.p().a(), ct.p().b(), ct.xs().get(0), ct.xs().get(1), ct.cache().get("k"));
        Numeric.assertClose(got.mul(2.0), ctFlat, 1e-14, 0, "pullback of 2 is twice the gradient");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Jax.<Object, Array>jvp(o -> fn((Nested) o), n, n.p()));
        assertTrue(e.getMessage().contains("tangent") && e.getMessage().contains("Nested("), e.getMessage());
    }

    @Test
    void vjpOfATreeValuedFunction() {
        P x = p(P_FLAT);
        Function<P, Map<String, Object>> h = q -> Map.of("y", g(q), "pair", List.of(Jnp.sum(q.a()), q.b().mul(2.0)));
        VjpResult<P, Map<String, Object>> r = Jax.vjp(h, x);
        Map<String, Object> c = Map.of("y", vec(1, -1, 0.5), "pair", List.of(Array.scalar(3.0), mat(2, 2, 1, 0, 0, 1)));
        P ct = r.pullback().apply(c);
        // c . h as a scalar function of the packed vector
        Function<Array, Array> dotted = v -> {
            P q = p(v);
            return Jnp.sum(g(q).mul(vec(1, -1, 0.5))).add(Jnp.sum(q.a()).mul(3.0)).add(Jnp.sum(q.b().mul(2.0).mul(mat(2, 2, 1, 0, 0, 1))));
        };
        Numeric.assertClose(fdGradient(dotted, P_FLAT), pack(ct.a(), ct.b()).toDoubleArray(), 1e-8, 1e-10, "pullback");
        assertEquals(7, ct.k());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.pullback().apply(Map.of("y", vec(1, 1, 1))));
        assertTrue(e.getMessage().contains("cotangent"), e.getMessage());
    }

    @Test
    void valueAndGradWithAuxTree() {
        P x = p(P_FLAT);
        ValueAndGradAux<P, Map<String, Object>> r = Jax.valueAndGradWithAuxTree((P q) -> {
            Array y = g(q);
            return new WithAux<Map<String, Object>>(f(q), Map.of("y", y, "half", new P(q.a().mul(0.5), q.b(), 1, "aux")));
        }).apply(x);
        assertEquals(f(x).item(), r.value().item(), 1e-15);
        Numeric.assertClose(g(x), (Array) r.aux().get("y"), 0, 0, "aux");
        P half = (P) r.aux().get("half");
        Numeric.assertClose(x.a().mul(0.5), half.a(), 0, 0, "aux record");
        assertEquals("aux", half.tag());
        Numeric.assertClose(fdGradient(v -> f(p(v)), P_FLAT), pack(r.grad().a(), r.grad().b()).toDoubleArray(), 1e-8, 1e-10, "grad");
    }

    // ---- Jacobians: leaf shapes out + leaf, output structure outside input structure ------------------------

    @Test
    void jacobiansOfAnArrayFunctionOfARecordHaveLeafShapesOutPlusLeaf() {
        P x = p(P_FLAT);
        double[][] fd = fdJacobian(v -> g(p(v)), P_FLAT);
        P jf = Jax.jacfwd(TreeTransformTest::g).apply(x).asInputTree();
        P jr = Jax.jacrev(TreeTransformTest::g).apply(x).asInputTree();
        for (P j : List.of(jf, jr)) {
            assertShape(shape(3, 2), j.a(), "out + a");
            assertShape(shape(3, 2, 2), j.b(), "out + b");
            assertEquals(7, j.k());
            Numeric.assertClose(columns(fd, 0, 2), j.a().toDoubleArray(), 1e-8, 1e-10, "dg/da");
            Numeric.assertClose(columns(fd, 2, 4), j.b().toDoubleArray(), 1e-8, 1e-10, "dg/db");
        }
    }

    @Test
    void jacobiansOfTreeValuedFunctionsNestOutputStructureOutsideInputStructure() {
        P x = p(P_FLAT);
        Function<P, Map<String, Object>> h = q -> Map.of("u", g(q), "v", List.of(Jnp.sum(q.a().mul(q.a())), q.b().matmul(q.a())));
        Function<Array, Array> packed = v -> {
            Map<String, Object> o = h.apply(p(v));
            @SuppressWarnings("unchecked")
            List<Array> vv = (List<Array>) o.get("v");
            return pack((Array) o.get("u"), vv.get(0), vv.get(1));
        };
        double[][] fd = fdJacobian(packed, P_FLAT);
        Map<String, Object> jf = (Map<String, Object>) Jax.jacfwd(h).apply(x).tree();
        Map<String, Object> jr = (Map<String, Object>) Jax.jacrev(h).apply(x).tree();
        for (Map<String, Object> j : List.of(jf, jr)) {
            P u = (P) j.get("u");
            @SuppressWarnings("unchecked")
            List<P> v = (List<P>) j.get("v");
            assertShape(shape(3, 2), u.a(), "u + a");
            assertShape(shape(2), v.get(0).a(), "scalar output + a");
            assertShape(shape(2, 2, 2), v.get(1).b(), "v[1] + b");
            double[][] rowsU = java.util.Arrays.copyOfRange(fd, 0, 3);
            double[][] rowsV0 = java.util.Arrays.copyOfRange(fd, 3, 4);
            double[][] rowsV1 = java.util.Arrays.copyOfRange(fd, 4, 6);
            Numeric.assertClose(columns(rowsU, 0, 2), u.a().toDoubleArray(), 1e-8, 1e-10, "du/da");
            Numeric.assertClose(columns(rowsU, 2, 4), u.b().toDoubleArray(), 1e-8, 1e-10, "du/db");
            Numeric.assertClose(columns(rowsV0, 0, 2), v.get(0).a().toDoubleArray(), 1e-8, 1e-10, "dv0/da");
            Numeric.assertExactly(new double[4], v.get(0).b().toDoubleArray(), "v0 does not depend on b");
            Numeric.assertClose(columns(rowsV1, 0, 2), v.get(1).a().toDoubleArray(), 1e-8, 1e-10, "dv1/da");
            Numeric.assertClose(columns(rowsV1, 2, 4), v.get(1).b().toDoubleArray(), 1e-8, 1e-10, "dv1/db");
        }
        // an array input: the inner level is the array itself
        Function<Array, P> toP = a -> new P(Jnp.sin(a), Jnp.outer(a, a), 1, "o");
        P ja = (P) Jax.jacfwd(toP).apply(vec(0.5, -0.5)).tree();
        P jaRev = (P) Jax.jacrev(toP).apply(vec(0.5, -0.5)).tree();
        assertShape(shape(2, 2), ja.a(), "a + x");
        assertShape(shape(2, 2, 2), ja.b(), "b + x");
        assertEquals(1, ja.k());
        Numeric.assertClose(new double[] {Math.cos(0.5), 0, 0, Math.cos(-0.5)}, ja.a().toDoubleArray(), 1e-15, 0, "d sin");
        // d(x_i x_j)/dx_k = delta_ik x_j + x_i delta_jk at x = (0.5, -0.5)
        double[] xv = {0.5, -0.5};
        double[] outer = new double[8];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                for (int k = 0; k < 2; k++) {
                    outer[(i * 2 + j) * 2 + k] = (i == k ? xv[j] : 0) + (j == k ? xv[i] : 0);
                }
            }
        }
        Numeric.assertClose(outer, ja.b().toDoubleArray(), 1e-15, 0, "d outer");
        Numeric.assertClose(outer, jaRev.b().toDoubleArray(), 1e-15, 0, "d outer by jacrev");
    }

    // ---- Hessians: trees of trees ----------------------------------------------------------------------------

    @Test
    void hessianOfATreeFunctionIsATreeOfTreesAgreeingBlockByBlockWithTheRaveledHessian() {
        P x = p(P_FLAT);
        Struct h = (Struct) Jax.hessian(TreeTransformTest::f).apply(x).tree();
        assertEquals(P.class, h.type());
        assertEquals(7, (int) h.<Integer>get("k"));
        P ha = h.get("a");
        P hb = h.get("b");
        assertShape(shape(2, 2), ha.a(), "a + a");
        assertShape(shape(2, 2, 2), ha.b(), "a + b");
        assertShape(shape(2, 2, 2), hb.a(), "b + a");
        assertShape(shape(2, 2, 2, 2), hb.b(), "b + b");
        Tree.Raveled<P> r = Tree.ravel(x);
        Array full = Jax.hessian((Array v) -> f(r.unravel().apply(v))).apply(r.flat());
        Numeric.assertClose(block(full, 0, 2, 0, 2), ha.a().toDoubleArray(), 1e-13, 1e-14, "aa");
        Numeric.assertClose(block(full, 0, 2, 2, 4), ha.b().toDoubleArray(), 1e-13, 1e-14, "ab");
        Numeric.assertClose(block(full, 2, 4, 0, 2), hb.a().toDoubleArray(), 1e-13, 1e-14, "ba");
        Numeric.assertClose(block(full, 2, 4, 2, 4), hb.b().toDoubleArray(), 1e-13, 1e-14, "bb");
        // and with central differences of the tree gradient, an oracle that does not use Jax.hessian
        Function<Array, Array> gradPacked = v -> {
            P gp = Jax.grad(TreeTransformTest::f).apply(p(v));
            return pack(gp.a(), gp.b());
        };
        double[][] fd = fdJacobian(gradPacked, P_FLAT);
        double[] fdAB = new double[8];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 4; j++) {
                fdAB[i * 4 + j] = fd[i][2 + j];
            }
        }
        Numeric.assertClose(fdAB, ha.b().toDoubleArray(), 1e-7, 1e-9, "ab by differences of the gradient");

        // a map input gives a map of maps
        Map<String, Array> m = Map.of("u", vec(0.4), "w", vec(-0.6, 1.1));
        Map<String, Map<String, Array>> hm = (Map<String, Map<String, Array>>) Jax.hessian(
                (Map<String, Array> t) -> Jnp.sum(t.get("u").mul(t.get("w")).mul(t.get("w")))).apply(m).tree();
        Numeric.assertClose(new double[] {0.8, 0, 0, 0.8}, hm.get("w").get("w").toDoubleArray(), 1e-15, 0, "d2/dw dw = 2u I");
        Numeric.assertClose(new double[] {-1.2, 2.2}, hm.get("u").get("w").toDoubleArray(), 1e-15, 0, "d2/du dw = 2w");
        assertShape(shape(1, 1), hm.get("u").get("u"), "u + u");
        assertAllZero(hm.get("u").get("u"), "linear in u");
    }

    @Test
    void differentiatingWithRespectToIntLeavesIsAClearErrorButEqxFiltersThem() {
        record WithInt(Array w, Array n) {}
        WithInt wi = new WithInt(vec(1, 2), Array.of(3, 4));
        Function<WithInt, Array> loss = t -> Jnp.sum(t.w().mul(t.n().astype(DType.FLOAT64)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Jax.grad(loss).apply(wi));
        assertTrue(e.getMessage().contains("n") && e.getMessage().contains("int32[2]"), e.getMessage());
        WithInt g = Eqx.filterGrad(loss).apply(wi);
        Numeric.assertClose(new double[] {3, 4}, g.w().toDoubleArray(), 0, 0, "d/dw");
        assertNull(g.n());
        assertSame(null, Eqx.filterGrad(loss).apply(wi).n());
    }
}
