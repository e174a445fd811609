package dev.solstice.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.Eqx;
import dev.solstice.Jitted;
import dev.solstice.Jnp;
import dev.solstice.Lax;
import dev.solstice.DType;
import dev.solstice.Pair;
import dev.solstice.io.Safetensors;
import dev.solstice.optim.Aliases;
import dev.solstice.optim.GradientTransformation;
import dev.solstice.optim.Optim;
import dev.solstice.optim.Update;
import dev.solstice.tree.Tree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Shared}: a tiny language model whose output projection reuses the input embedding. The oracle is the
 * gradient written out by hand in double loops (both uses' contributions added), and an untied copy of the
 * model whose two gradients are added.
 */
class SharedTest {
    static final int V = 5;
    static final int D = 3;
    static final int[] TOKENS = {3, 0, 3, 4};

    /** The tied model: logits {@code W E[t] + b} with {@code W} the embedding table itself. */
    record TiedLm(Shared<Pair<Embedding, Linear>> tied) implements Module {
        Array loss(Array c) {
            Pair<Embedding, Linear> p = tied.apply();
            return lossOf(p.first(), p.second(), c);
        }
    }

    /** The same model with two separate tables. */
    record UntiedLm(Embedding embedding, Linear head) implements Module {
        Array loss(Array c) {
            return lossOf(embedding, head, c);
        }
    }

    /** {@code sum_k sum_v c[k, v] tanh(z_kv)}, {@code z_k = head(embedding(t_k))}. */
    static Array lossOf(Embedding embedding, Linear head, Array c) {
        Array total = Array.scalar(0.0);
        for (int k = 0; k < TOKENS.length; k++) {
            Array z = head.apply(embedding.apply(Array.scalar(TOKENS[k])));
            Array row = Jnp.reshape(Lax.sliceInDim(c, k, k + 1, 0), V);
            total = Jnp.add(total, Jnp.sum(Jnp.multiply(row, Jnp.tanh(z))));
        }
        return total;
    }

    static double[] table() {
        double[] e = new double[V * D];
        for (int i = 0; i < e.length; i++) {
            e[i] = 0.6 * Math.sin(1.3 * i + 0.4);
        }
        return e;
    }

    static double[] bias() {
        double[] b = new double[V];
        for (int v = 0; v < V; v++) {
            b[v] = 0.1 * v - 0.2;
        }
        return b;
    }

    static double[] weights() {
        double[] c = new double[TOKENS.length * V];
        for (int i = 0; i < c.length; i++) {
            c[i] = Math.cos(0.7 * i) + 0.3;
        }
        return c;
    }

    static TiedLm tied() {
        Array e = Array.of(table(), V, D);
        Embedding embed = new Embedding(e);
        Linear head = new Linear(Array.of(table(), V, D), Array.of(bias(), V), D, V);
        return new TiedLm(Shared.of(new Pair<>(embed, head), p -> p.second().weight(), p -> p.first().weight()));
    }

    /** The tied table's gradient by hand: the head's use plus the embedding's use. */
    static double[] handGradient(double[] e, double[] b, double[] c) {
        double[] g = new double[V * D];
        for (int k = 0; k < TOKENS.length; k++) {
            int t = TOKENS[k];
            for (int v = 0; v < V; v++) {
                double z = b[v];
                for (int d = 0; d < D; d++) {
                    z += e[v * D + d] * e[t * D + d];
                }
                double dz = c[k * V + v] * (1 - Math.tanh(z) * Math.tanh(z));
                for (int d = 0; d < D; d++) {
                    g[v * D + d] += dz * e[t * D + d]; // as the head's weight
                    g[t * D + d] += dz * e[v * D + d]; // as the embedding's row
                }
            }
        }
        return g;
    }

    static Array c() {
        return Array.of(weights(), TOKENS.length, V);
    }

    @Test
    void theTiedArrayIsHeldOnceAndPutBackInBothPlaces() {
        TiedLm lm = tied();
        assertNull(lm.tied().tree().second().weight());
        Pair<Embedding, Linear> p = lm.tied().apply();
        assertSame(p.first().weight(), p.second().weight());
        assertEquals(2, Tree.leaves(lm).size(), "the table and the bias, each once");
        Eqx.treeCheck(lm);
    }

    @Test
    void gradientSumsBothUsesAsHandComputed() {
        TiedLm lm = tied();
        TiedLm g = Eqx.filterGrad((TiedLm m) -> m.loss(c())).apply(lm);
        assertNull(g.tied().tree().second().weight());
        assertArrayEquals(handGradient(table(), bias(), weights()), g.tied().tree().first().weight().toDoubleArray(), 1e-12);
    }

    @Test
    void gradientIsTheSumOfAnUntiedModelsTwoGradients() {
        UntiedLm untied = new UntiedLm(new Embedding(Array.of(table(), V, D)),
                new Linear(Array.of(table(), V, D), Array.of(bias(), V), D, V));
        UntiedLm gu = Eqx.filterGrad((UntiedLm m) -> m.loss(c())).apply(untied);
        TiedLm gt = Eqx.filterGrad((TiedLm m) -> m.loss(c())).apply(tied());
        double[] a = gu.embedding().weight().toDoubleArray();
        double[] b = gu.head().weight().toDoubleArray();
        double[] sum = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            sum[i] = a[i] + b[i];
        }
        assertArrayEquals(sum, gt.tied().tree().first().weight().toDoubleArray(), 1e-12);
        assertArrayEquals(gu.head().bias().toDoubleArray(), gt.tied().tree().second().bias().toDoubleArray(), 1e-12);
    }

    @Test
    void jittedLossAndGradientAgreeWithEager() {
        TiedLm lm = tied();
        Jitted<TiedLm, Array> loss = Eqx.filterJit((TiedLm m) -> m.loss(c()));
        assertEquals(lm.loss(c()).item(), loss.apply(lm).item(), 1e-12);
        Jitted<TiedLm, TiedLm> grad = Eqx.filterJit(Eqx.filterGrad((TiedLm m) -> m.loss(c())));
        assertArrayEquals(handGradient(table(), bias(), weights()),
                grad.apply(lm).tied().tree().first().weight().toDoubleArray(), 1e-12);
        grad.apply(lm);
        assertEquals(1, grad.traceCount(), "the tie functions are static and compare equal: one trace");
    }

    @Test
    void anOptimiserStepUpdatesTheOneCopyThatBothUsesRead() {
        double lr = 0.1;
        TiedLm lm = tied();
        GradientTransformation<?> sgd = Aliases.sgd(lr);
        Object state = sgd.init(Eqx.filter(lm, Eqx::isInexactArray));
        TiedLm g = Eqx.filterGrad((TiedLm m) -> m.loss(c())).apply(lm);
        Update<?> u = Optim.update(sgd, g, state, lm);
        TiedLm next = Eqx.applyUpdates(lm, u.updates());
        double[] expected = table();
        double[] hand = handGradient(table(), bias(), weights());
        for (int i = 0; i < expected.length; i++) {
            expected[i] -= lr * hand[i];
        }
        Pair<Embedding, Linear> p = next.tied().apply();
        assertArrayEquals(expected, p.first().weight().toDoubleArray(), 1e-12);
        assertSame(p.first().weight(), p.second().weight());
        assertNull(next.tied().tree().second().weight());
    }

    @Test
    void savingKeepsOneCopyAndLoadingTiesAgain(@TempDir Path dir) throws Exception {
        TiedLm lm = tied();
        Path file = dir.resolve("lm.safetensors");
        Eqx.treeSerialiseLeaves(file, lm);
        assertEquals(Set.of("tied.tree.first.weight", "tied.tree.second.bias"), Safetensors.read(file).keySet());
        TiedLm zeros = new TiedLm(Shared.of(new Pair<>(new Embedding(Jnp.zeros(DType.FLOAT64, V, D)),
                new Linear(Jnp.zeros(DType.FLOAT64, V, D), Jnp.zeros(DType.FLOAT64, V), D, V)),
                p -> p.second().weight(), p -> p.first().weight()));
        TiedLm back = Eqx.treeDeserialiseLeaves(file, zeros);
        Pair<Embedding, Linear> p = back.tied().apply();
        assertArrayEquals(table(), p.second().weight().toDoubleArray(), 0);
        assertSame(p.first().weight(), p.second().weight());
    }

    /** Two matrices tied through a transpose: {@code b = a^T}. */
    record TwoMats(Array a, Array b) {}

    @Test
    void getMayTransformTheSharedNode() {
        double[] a = {1, 2, 3, 4, 5, 6};
        double[] x = {0.5, -1, 2, 3, 0.25, -2};
        double[] y = {7, 8, 9, 10, 11, 12};
        Shared<TwoMats> s = Shared.of(new TwoMats(Array.of(a, 2, 3), Array.of(new double[6], 3, 2)), TwoMats::b,
                t -> Jnp.transpose(t.a()));
        Function<Shared<TwoMats>, Array> f = m -> {
            TwoMats t = m.apply();
            return Jnp.add(Jnp.sum(Jnp.multiply(t.a(), Array.of(x, 2, 3))), Jnp.sum(Jnp.multiply(t.b(), Array.of(y, 3, 2))));
        };
        Shared<TwoMats> g = Eqx.filterGrad(f).apply(s);
        // d/da: x from the first use, y^T from the second (b[j][i] = a[i][j])
        double[] expected = new double[6];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                expected[i * 3 + j] = x[i * 3 + j] + y[j * 2 + i];
            }
        }
        assertArrayEquals(expected, g.tree().a().toDoubleArray(), 0);
    }

    @Test
    void severalTiesAtOnce() {
        Linear a = new Linear(Array.of(table(), V, D), Array.of(bias(), V), D, V);
        Linear b = new Linear(Jnp.zeros(DType.FLOAT64, V, D), Jnp.zeros(DType.FLOAT64, V), D, V);
        Shared<Pair<Linear, Linear>> s = Shared.ofAll(new Pair<>(a, b), p -> List.of(p.second().weight(), p.second().bias()),
                p -> List.of(p.first().weight(), p.first().bias()));
        assertEquals(2, Tree.leaves(s).size());
        Pair<Linear, Linear> p = s.apply();
        assertSame(a.weight(), p.second().weight());
        assertSame(a.bias(), p.second().bias());
    }

    @Test
    void aWholeLayerCanBeTied() {
        Linear a = new Linear(Array.of(table(), V, D), Array.of(bias(), V), D, V);
        Linear b = new Linear(Array.of(table(), V, D), Array.of(bias(), V), D, V);
        Shared<Pair<Linear, Linear>> s = Shared.of(new Pair<>(a, b), Pair::second, Pair::first);
        assertEquals(2, Tree.leaves(s).size());
        assertSame(a, s.apply().second());
        Eqx.treeCheck(s);
    }

    @Test
    void mismatchedTiesAreRefusedClearly() {
        Embedding embed = new Embedding(Array.of(table(), V, D));
        Linear wide = new Linear(Jnp.zeros(DType.FLOAT64, D, V), Jnp.zeros(DType.FLOAT64, D), V, D);
        var e = assertThrows(IllegalArgumentException.class,
                () -> Shared.of(new Pair<>(embed, wide), p -> p.second().weight(), p -> p.first().weight()));
        assertTrue(e.getMessage().contains("Shared.of") && e.getMessage().contains("float64[3,5]")
                && e.getMessage().contains("float64[5,3]"), e.getMessage());
        var f = assertThrows(IllegalArgumentException.class,
                () -> Shared.of(new Pair<>(embed, wide), p -> p.first().weight(), p -> p.first().weight()));
        assertTrue(f.getMessage().contains("get"), f.getMessage());
    }

    @Test
    void aListElementCannotBeTiedAndSaysWhy() {
        List<Array> l = List.of(Array.of(1.0, 2.0), Array.of(3.0, 4.0));
        var e = assertThrows(IllegalArgumentException.class, () -> Shared.of(l, t -> t.get(1), t -> t.get(0)));
        assertTrue(e.getMessage().contains("record components"), e.getMessage());
    }

    @Test
    void treeAtReplacesTheOneCopyAndBothUsesSeeIt() {
        TiedLm lm = tied();
        Array table = Jnp.ones(DType.FLOAT64, V, D);
        TiedLm next = Eqx.treeAt((TiedLm m) -> m.tied().tree().first().weight(), lm, table);
        Pair<Embedding, Linear> p = next.tied().apply();
        assertSame(table, p.first().weight());
        assertSame(table, p.second().weight());
        Array bias = Jnp.zeros(DType.FLOAT64, V);
        assertSame(bias, Eqx.treeAt((TiedLm m) -> m.tied().tree().second().bias(), lm, bias).tied().apply().second().bias());
    }
}
