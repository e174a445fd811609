package dev.solstice.eqx;

import static dev.solstice.tree.TreeOracles.columns;
import static dev.solstice.tree.TreeOracles.fdGradient;
import static dev.solstice.tree.TreeOracles.fdJacobian;
import static dev.solstice.tree.TreeOracles.mat;
import static dev.solstice.tree.TreeOracles.pack;
import static dev.solstice.tree.TreeOracles.piece;
import static dev.solstice.tree.TreeOracles.vec;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.Eqx;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.testing.Numeric;
import dev.solstice.tree.Struct;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Records whose canonical constructors validate their components: the transformations and the error paths
 * read such a record's paths without rebuilding it with stand-in values (a scalar marker or a null), so
 * they work on it.
 */
class ValidatingRecordTest {

    /** An affine map that refuses anything but a matrix for {@code w}, and a missing {@code b}. */
    record Gram(Array w, Array b, int steps) {
        Gram {
            if (w == null || w.ndim() < 2) {
                throw new IllegalArgumentException("Gram: w must be a matrix, got " + (w == null ? "null" : w.aval().str()));
            }
            if (b == null) {
                throw new IllegalArgumentException("Gram: b is required");
            }
        }

        Array apply(Array x) {
            return Jnp.tanh(w.matmul(x).add(b));
        }
    }

    private static final Array X = vec(0.5, -1.25);
    private static final Array FLAT = vec(0.3, -0.7, 1.1, 0.2, -0.4, 0.9);

    private static Gram gram(Array flat) {
        return new Gram(piece(flat, 0, 2, 2), piece(flat, 4, 2), 7);
    }

    private static Array loss(Gram g) {
        return Jnp.sum(Jnp.square(g.apply(X)));
    }

    @Test
    void filteredAndPlainDerivativesWorkOnIt() {
        Gram g = gram(FLAT);
        double[] fd = fdGradient(v -> loss(gram(v)), FLAT);
        Gram eg = Eqx.filterGrad(ValidatingRecordTest::loss).apply(g);
        Numeric.assertClose(fd, pack(eg.w(), eg.b()).toDoubleArray(), 1e-8, 1e-10, "filterGrad");
        assertEquals(7, eg.steps(), "static fields come from the input");
        Gram jg = Jax.grad(ValidatingRecordTest::loss).apply(g);
        Numeric.assertClose(fd, pack(jg.w(), jg.b()).toDoubleArray(), 1e-8, 1e-10, "Jax.grad");

        double[][] fdJ = fdJacobian(v -> gram(v).apply(X), FLAT);
        Gram jr = Eqx.filterJacrev((Gram m) -> m.apply(X)).apply(g).asInputTree();
        Gram jf = Jax.jacfwd((Gram m) -> m.apply(X)).apply(g).asInputTree();
        for (Gram j : new Gram[] {jr, jf}) {
            // rows: output element; columns: w (4) then b (2)
            Numeric.assertClose(columns(fdJ, 0, 4), j.w().reshape(2, 4).toDoubleArray(), 1e-8, 1e-10, "dy/dw");
            Numeric.assertClose(columns(fdJ, 4, 2), j.b().toDoubleArray(), 1e-8, 1e-10, "dy/db");
        }

        double[][] fdH = fdJacobian(v -> {
            Gram d = Eqx.filterGrad(ValidatingRecordTest::loss).apply(gram(v));
            return pack(d.w(), d.b());
        }, FLAT);
        Struct h = (Struct) Eqx.filterHessian(ValidatingRecordTest::loss).apply(g).tree();
        Gram hw = h.get("w");
        Numeric.assertClose(columns(Arrays.copyOfRange(fdH, 0, 4), 0, 4), hw.w().reshape(4, 4).toDoubleArray(), 1e-6, 1e-8, "d2/dw2");
        Numeric.assertClose(columns(Arrays.copyOfRange(fdH, 0, 4), 4, 2), hw.b().reshape(4, 2).toDoubleArray(), 1e-6, 1e-8, "d2/dw db");
    }

    @Test
    void vmapReturnsIt() {
        int members = 3;
        double[] w = new double[members * 4];
        double[] b = new double[members * 2];
        for (int i = 0; i < w.length; i++) {
            w[i] = Math.sin(0.7 * i);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = Math.cos(0.3 * i);
        }
        Gram stacked = new Gram(Array.of(w, members, 2, 2), Array.of(b, members, 2), 1);
        Function<Gram, Gram> step = m -> new Gram(m.w().mul(2.0), m.b().add(1.0), m.steps() + 1);
        for (Gram out : new Gram[] {Eqx.filterVmap(step).apply(stacked), Jax.vmap(step).apply(stacked)}) {
            assertArrayEquals(new int[] {members, 2, 2}, out.w().shape());
            assertEquals(2, out.steps());
            double[] ow = out.w().toDoubleArray();
            double[] ob = out.b().toDoubleArray();
            for (int i = 0; i < w.length; i++) {
                assertEquals(2 * w[i], ow[i], 0, "w " + i);
            }
            for (int i = 0; i < b.length; i++) {
                assertEquals(b[i] + 1, ob[i], 0, "b " + i);
            }
        }
        // out axis -1: the examples go last in every leaf of the record
        Gram last = Jax.vmap(step, 0, -1).apply(stacked);
        assertArrayEquals(new int[] {2, 2, members}, last.w().shape());
        assertEquals(2 * w[4 + 2 * 1 + 0], last.w().toDoubleArray()[(1 * 2 + 0) * members + 1], 0, "member 1, w[1][0]");
    }

    @Test
    void applyUpdatesNamesTheBadLeafInAModelHoldingIt() {
        Map<String, Object> model = Map.of("g", gram(FLAT), "s", Array.scalar(1.0));
        Map<String, Object> updates = new TreeMap<>();
        updates.put("g", null);
        updates.put("s", "x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Eqx.applyUpdates(model, updates));
        assertTrue(e.getMessage().contains("[\"s\"]") && e.getMessage().contains("String"), e.getMessage());
        Map<String, Object> good = new TreeMap<>();
        good.put("g", new Gram(mat(2, 2, 1, 1, 1, 1), vec(0, 0), 7));
        good.put("s", null);
        Map<String, Object> stepped = Eqx.applyUpdates(model, good);
        assertArrayEquals(new double[] {1.3, 0.3, 2.1, 1.2}, ((Gram) stepped.get("g")).w().toDoubleArray(), 1e-15);
    }
}
