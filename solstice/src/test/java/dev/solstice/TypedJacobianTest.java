package dev.solstice;

import static dev.solstice.tree.TreeOracles.fdJacobian;
import static dev.solstice.tree.TreeOracles.pack;
import static dev.solstice.tree.TreeOracles.piece;
import static dev.solstice.tree.TreeOracles.vec;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.testing.Numeric;
import dev.solstice.tree.KeyPath;
import dev.solstice.tree.PathKey;
import dev.solstice.tree.Struct;
import dev.solstice.tree.Tree;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@link TreeJacobian} and {@link Hessian}: each block against the untyped tree-of-trees layout (the result the
 * transformations gave before they were typed), against the dense Hessian of the raveled function, and against
 * central differences of the gradient.
 */
class TypedJacobianTest {

    /** A model with an integer leaf (not differentiated by the filtered forms) and a static value. */
    record Affine(Array w, Array b, Array steps, int width) {}

    private static final Array X = vec(0.5, -1.25, 2.0);
    private static final Array FLAT = vec(0.3, -0.7, 1.1, 0.2, -0.4, 0.9, 0.1, -0.2);

    private static Affine affine(Array flat) {
        return new Affine(piece(flat, 0, 2, 3), piece(flat, 6, 2), Array.of(3), 2);
    }

    private static Array predict(Affine m) {
        return Jnp.tanh(m.w().matmul(X).add(m.b()));
    }

    private static Array loss(Affine m) {
        Array p = predict(m);
        return Jnp.sum(p.mul(p).mul(p)).add(Jnp.sum(Jnp.sin(m.w())));
    }

    private static Affine noSteps(Affine m) {
        return new Affine(m.w(), m.b(), Array.of(3.0), m.width());
    }

    @Test
    void hessianBlocksMatchTheUntypedLayoutTheDenseMatrixAndDifferences() {
        Affine m = affine(FLAT);
        Hessian<Affine> h = Eqx.filterHessian(TypedJacobianTest::loss).apply(m);
        assertEquals(List.of("w", "b"), h.inputPaths().stream().map(KeyPath::toString).toList(), "the int leaf is not differentiated");
        assertEquals(h.inputPaths(), h.outputPaths());

        // the untyped layout: a Struct of Affines (an Affine cannot hold Affines)
        Struct s = (Struct) h.tree();
        Affine byW = s.get("w");
        Numeric.assertClose(byW.b(), h.block("w", "b"), 0, 0, "block vs tree layout");
        assertArrayEquals(new int[] {2, 3, 2}, h.block("w", "b").shape());
        Affine rowW = h.row("w");
        Numeric.assertClose(byW.w(), rowW.w(), 0, 0, "row vs tree layout");
        assertNull(rowW.steps(), "an undifferentiated leaf is null in a row");
        assertEquals(2, rowW.width(), "static values are kept");
        KeyPath b = new KeyPath(List.of(new PathKey.Field("b")));
        Numeric.assertClose(h.block("b", "w"), h.block(b, new KeyPath(List.of(new PathKey.Field("w")))), 0, 0, "KeyPath access");

        // the dense matrix: Jax.hessian of the raveled function (the steps leaf is closed over)
        Tree.Raveled<Array[]> r = Tree.ravel(new Array[] {m.w(), m.b()});
        Array dense = Jax.hessian((Array v) -> {
            Array[] p = r.unravel().apply(v);
            return loss(new Affine(p[0], p[1], m.steps(), 2));
        }).apply(r.flat());
        Numeric.assertClose(dense, h.asMatrix(), 1e-15, 1e-15, "asMatrix vs the Hessian of the raveled loss");

        // central differences of the gradient
        double[][] fd = fdJacobian(v -> {
            Affine g = Jax.grad((Affine a) -> loss(a)).apply(noSteps(affine(v)));
            return pack(g.w(), g.b());
        }, FLAT);
        double[] flatFd = new double[64];
        for (int i = 0; i < 8; i++) {
            System.arraycopy(fd[i], 0, flatFd, i * 8, 8);
        }
        Numeric.assertClose(flatFd, h.asMatrix().toDoubleArray(), 1e-6, 1e-8, "asMatrix vs differences");
    }

    @Test
    void jacobianOfAnArrayOutputIsATreeOfTheInputsType() {
        Affine m = noSteps(affine(FLAT));
        TreeJacobian<Affine> jf = Jax.jacfwd(TypedJacobianTest::predict).apply(m);
        TreeJacobian<Affine> jr = Jax.jacrev(TypedJacobianTest::predict).apply(m);
        Affine rows = jf.asInputTree();
        assertArrayEquals(new int[] {2, 2, 3}, rows.w().shape(), "out + in");
        Numeric.assertClose(rows.w(), jf.block("", "w"), 0, 0, "asInputTree vs block");
        Numeric.assertClose(jf.asMatrix(), jr.asMatrix(), 1e-15, 1e-15, "forward vs reverse");
        double[][] fd = fdJacobian(v -> predict(noSteps(affine(v))), FLAT);
        for (int i = 0; i < 2; i++) {
            double[] row = jf.asMatrix().get(i).toDoubleArray();
            Numeric.assertClose(java.util.Arrays.copyOf(fd[i], 8), java.util.Arrays.copyOf(row, 8), 1e-7, 1e-9, "row " + i);
        }
        assertEquals(List.of("w", "b", "steps"), jf.inputPaths().stream().map(KeyPath::toString).toList());
    }

    @Test
    void jacobianOfATreeOutputHasRowsPerOutputLeaf() {
        Affine m = affine(FLAT);
        Function<Affine, Map<String, Array>> f = a -> Map.of("p", predict(a), "s", Jnp.sum(a.w()));
        TreeJacobian<Affine> j = Eqx.filterJacrev(f).apply(m);
        assertEquals(List.of("[\"p\"]", "[\"s\"]"), j.outputPaths().stream().map(KeyPath::toString).toList());
        Affine ds = j.row("[\"s\"]");
        Numeric.assertClose(Jnp.onesLike(m.w()), ds.w(), 0, 0, "d sum(w) / dw");
        Numeric.assertClose(Jnp.zerosLike(m.b()), ds.b(), 0, 0, "d sum(w) / db");
        @SuppressWarnings("unchecked")
        Map<String, Affine> layout = (Map<String, Affine>) j.tree();
        Numeric.assertClose(layout.get("p").w(), j.block("[\"p\"]", "w"), 0, 0, "block vs layout");
        assertArrayEquals(new int[] {3, 8}, j.asMatrix().shape(), "2 + 1 output elements by 8 inputs");
        IllegalStateException single = assertThrows(IllegalStateException.class, j::asInputTree);
        assertTrue(single.getMessage().contains("row(path)"), single.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> j.block("q", "w"));
        assertTrue(bad.getMessage().contains("[\"p\"]") && bad.getMessage().contains("q"), bad.getMessage());
    }

    @Test
    void hessianOfAnArrayIsAnArrayAndOfAnArrayTreeTheSame() {
        Array x = vec(0.3, -1.2, 2.0);
        Function<Array, Array> f = v -> Jnp.sum(Jnp.sin(v).mul(v));
        // a Function variable takes the tree overload: a typed Hessian<Array> whose one block is the array Hessian
        Hessian<Array> h = Jax.hessian(f).apply(x);
        Numeric.assertClose(Jax.hessian((Array v) -> f.apply(v)).apply(x), h.asInputTree(), 0, 0, "Hessian<Array>");
        Numeric.assertClose(h.asInputTree(), h.asMatrix(), 0, 0, "a vector's Hessian is its matrix");
        Numeric.assertClose(h.asInputTree(), h.block("", ""), 0, 0, "the root block");
    }
}
