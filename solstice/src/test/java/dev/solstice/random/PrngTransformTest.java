package dev.solstice.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.Lax;
import dev.solstice.Prng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Keys are arrays: under {@link Jax#vmap} over a batch of keys every operation equals the loop over the keys;
 * random draws inside differentiated functions behave as constants; and bad input is rejected with errors
 * that name the operation.
 */
class PrngTransformTest {

    private static final Generator[] SCHEMES = {Prng.partitionable(), Prng.legacy()};

    /** f applied to each key of the batch [n, 2], results stacked along a new axis 0. */
    private static Array loop(Generator g, Array keys, Function<Array, Array> f) {
        int n = keys.shape()[0];
        List<Array> outs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            outs.add(f.apply(keys.get(i)));
        }
        return Jnp.stack(outs, 0);
    }

    private static void assertVmapEqualsLoop(Generator g, Function<Array, Array> f, String what) {
        Array keys = g.splitKeys(Prng.key(2024), 5);
        Array batched = Jax.vmap(f).apply(keys);
        Array looped = loop(g, keys, f);
        assertArrayEquals(looped.shape(), batched.shape(), what + ": shape");
        assertEquals(looped.dtype(), batched.dtype(), what + ": dtype");
        assertArrayEquals(looped.toDoubleArray(), batched.toDoubleArray(), 0.0, g.scheme() + " " + what);
    }

    @Test
    void vmapOverKeysEqualsTheLoop() {
        for (Generator g : SCHEMES) {
            assertVmapEqualsLoop(g, k -> g.splitKeys(k, 3), "splitKeys");
            assertVmapEqualsLoop(g, k -> g.split(k)[1], "split()[1]");
            assertVmapEqualsLoop(g, k -> g.foldIn(k, 17), "foldIn");
            assertVmapEqualsLoop(g, k -> g.bits(k, 2, 3), "bits");
            assertVmapEqualsLoop(g, k -> g.uniform(k, 4), "uniform float32");
            assertVmapEqualsLoop(g, k -> g.uniform(k, new int[] {3}, DType.FLOAT64, -2, 5), "uniform float64");
            assertVmapEqualsLoop(g, k -> g.normal(k, 2, 2), "normal");
            assertVmapEqualsLoop(g, k -> g.truncatedNormal(k, -1, 1, new int[] {3}, DType.FLOAT32), "truncatedNormal");
            assertVmapEqualsLoop(g, k -> g.bernoulli(k, 0.4, new int[] {6}), "bernoulli");
            assertVmapEqualsLoop(g, k -> g.randint(k, new int[] {5}, -3, 10), "randint");
            assertVmapEqualsLoop(g, k -> g.permutation(k, 9), "permutation");
            assertVmapEqualsLoop(g, k -> g.choice(k, 6, new int[] {3}, false, null), "choice without replacement");
            assertVmapEqualsLoop(g, k -> g.choice(k, 3, new int[] {4}, true, Array.of(0.2f, 0.5f, 0.3f)), "choice with p");
            assertVmapEqualsLoop(g, k -> g.choice(k, 3, new int[] {2, 1}, false, Array.of(0.2f, 0.5f, 0.3f)),
                    "choice with p, without replacement");
            assertVmapEqualsLoop(g, k -> g.categorical(k, Array.of(new float[] {0, 1, 2, 1, 0, -1}, 2, 3), -1, null),
                    "categorical");
            assertVmapEqualsLoop(g, k -> g.gumbel(k, new int[] {3}, DType.FLOAT32), "gumbel");
            assertVmapEqualsLoop(g, k -> g.exponential(k, new int[] {3}, DType.FLOAT64), "exponential");
        }
    }

    @Test
    void vmapOfSplitGivesTheBatchOfSplits() {
        Array keys = Prng.splitKeys(Prng.key(0), 4);
        Array sub = Jax.vmap((Array k) -> Prng.splitKeys(k, 2)).apply(keys);
        assertArrayEquals(new int[] {4, 2, 2}, sub.shape());
        Array[] ks = Prng.split(Prng.key(0), 4);
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(Prng.splitKeys(ks[i], 2).toIntArray(), sub.get(i).toIntArray(), "key " + i);
        }
    }

    @Test
    void vmapWithKeysOnAnotherAxisAndNestedVmap() {
        Array keys = Prng.splitKeys(Prng.key(7), 3); // [3, 2]
        Array keysT = Jnp.transpose(keys); // [2, 3]: batch on axis 1
        Array a = Jax.vmap((Array k) -> Prng.uniform(k, 2), 1, 0).apply(keysT);
        Array b = Jax.vmap((Array k) -> Prng.uniform(k, 2)).apply(keys);
        assertArrayEquals(b.toFloatArray(), a.toFloatArray());
        // vmap of vmap over a [2, 3, 2] grid of keys
        Array grid = Jnp.reshape(Prng.splitKeys(Prng.key(8), 6), 2, 3, 2);
        Array nested = Jax.vmap(Jax.vmap((Array k) -> Prng.normal(k, 4))).apply(grid);
        assertArrayEquals(new int[] {2, 3, 4}, nested.shape());
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                assertArrayEquals(Prng.normal(grid.get(i, j), 4).toFloatArray(), nested.get(i, j).toFloatArray());
            }
        }
    }

    @Test
    void vmapOverDataWithAnUnbatchedKey() {
        Array key = Prng.key(9);
        Array xs = Jnp.arange(4).astype(DType.FLOAT32);
        Array out = Jax.vmap((Array x) -> Jnp.add(x, Prng.uniform(key, 3)), 0, 0).apply(xs);
        float[] u = Prng.uniform(key, 3).toFloatArray();
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(i + u[j], out.toFloatArray()[3 * i + j], 1e-6f);
            }
        }
        // a per-example key made by foldIn with batched data
        Array data = Array.of(0, 1, 2);
        Array folded = Jax.vmap((Array d) -> Prng.uniform(Jnp.add(Prng.key(0), Jnp.multiply(d, Array.of(0, 0))), 2))
                .apply(data);
        assertArrayEquals(new int[] {3, 2}, folded.shape());
    }

    @Test
    void tracedShufflesOfManyElementsEqualConcreteOnes() {
        // 5000 elements take two rounds of JAX's shuffle; traced keys go through the sort primitive and a gather
        Array keys = Prng.splitKeys(Prng.key(3), 2);
        Array batched = Jax.vmap((Array k) -> Prng.permutation(k, 5000)).apply(keys);
        Array rows = Jnp.reshape(Jnp.arange(3 * 5000), 5000, 3);
        Array batchedRows = Jax.vmap((Array k) -> Prng.permutation(k, rows)).apply(keys);
        Array jitted = Jax.jit((Array k) -> Prng.choice(k, 5000, new int[] {7}, false, null)).apply(keys.get(1));
        for (int i = 0; i < 2; i++) {
            Array k = keys.get(i);
            assertArrayEquals(Prng.permutation(k, 5000).toIntArray(), batched.get(i).toIntArray(), "permutation " + i);
            assertArrayEquals(Prng.permutation(k, rows).toDoubleArray(), batchedRows.get(i).toDoubleArray(), "rows " + i);
        }
        assertArrayEquals(Prng.choice(keys.get(1), 5000, new int[] {7}, false, null).toIntArray(), jitted.toIntArray());
    }

    @Test
    void choiceWithTracedProbabilitiesEqualsConcrete() {
        // p batched under vmap takes the masked-sum cumsum and the comparison search
        Array ps = Array.of(new float[] {0.1f, 0.6f, 0.3f, 0.5f, 0.25f, 0.25f}, 2, 3);
        Array key = Prng.key(41);
        Array batched = Jax.vmap((Array p) -> Prng.choice(key, 3, new int[] {50}, true, p)).apply(ps);
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(Prng.choice(key, 3, new int[] {50}, true, ps.get(i)).toIntArray(), batched.get(i).toIntArray());
        }
    }

    @Test
    void drawsInsideGradAreConstants() {
        Array key = Prng.key(3);
        Array noise = Prng.normal(key, 5);
        Array x = Array.of(new float[] {1, 2, 3, 4, 5});
        Array grad = Jax.grad((Array v) -> Jnp.sum(Jnp.multiply(v, Prng.normal(key, 5)))).apply(x);
        assertArrayEquals(noise.toFloatArray(), grad.toFloatArray());
        // dropout-style mask: gradient is the mask over the keep probability
        Array mask = Prng.bernoulli(key, 0.5, new int[] {5});
        Array g2 = Jax.grad((Array v) -> Jnp.sum(Jnp.where(Prng.bernoulli(key, 0.5, new int[] {5}), Jnp.divide(v, 0.5),
                Jnp.zerosLike(v)))).apply(x);
        boolean[] m = mask.toBooleanArray();
        float[] gv = g2.toFloatArray();
        for (int i = 0; i < 5; i++) {
            assertEquals(m[i] ? 2f : 0f, gv[i]);
        }
    }

    // ------------------------------------------------------------------ errors

    private static void assertRejects(Runnable r, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message should contain '" + f + "': " + e.getMessage());
        }
    }

    @Test
    void badKeysAreRejectedNamingTheOperation() {
        Array floatKey = Array.of(1f, 2f);
        assertRejects(() -> Prng.split(floatKey, 2), "Prng.split", "float32[2]", "int32 array of shape [2]");
        assertRejects(() -> Prng.foldIn(Array.of(1, 2, 3), 0), "Prng.foldIn", "int32[3]");
        assertRejects(() -> Prng.bits(Array.scalar(1), 3), "Prng.bits", "int32[]");
        assertRejects(() -> Prng.uniform(Prng.splitKeys(Prng.key(0), 3), 2), "Prng.uniform", "int32[3,2]", "Jax.vmap");
        assertRejects(() -> Prng.normal(Array.of(1.0, 2.0), 2), "Prng.normal", "float64[2]");
        assertRejects(() -> Prng.randint(Array.of(true, false), new int[] {2}, 0, 3), "Prng.randint", "bool[2]");
        assertRejects(() -> Prng.permutation(floatKey, 3), "Prng.permutation");
        assertRejects(() -> Prng.choice(floatKey, 3, 2), "Prng.choice");
        assertRejects(() -> Prng.categorical(floatKey, Array.of(1f, 2f)), "Prng.categorical");
        assertRejects(() -> Prng.gumbel(floatKey, 2), "Prng.gumbel");
        assertRejects(() -> Prng.exponential(floatKey, 2), "Prng.exponential");
        assertRejects(() -> Prng.bernoulli(floatKey, 2), "Prng.bernoulli");
        assertRejects(() -> Prng.truncatedNormal(floatKey, -1, 1, 2), "Prng.truncatedNormal");
        assertRejects(() -> Prng.split(null, 2), "Prng.split", "null");
        assertRejects(() -> Prng.keyData(Array.of(1.5f, 2f)), "Prng.keyData", "float32[2]");
        assertRejects(() -> Prng.wrapKeyData(1L << 32, 0), "Prng.wrapKeyData", "4294967296");
    }

    @Test
    void badSizesAndArgumentsAreRejected() {
        Array key = Prng.key(0);
        assertRejects(() -> Prng.split(key, -1), "Prng.split", "-1");
        assertRejects(() -> Prng.splitKeys(key, -2), "Prng.split", "-2");
        assertRejects(() -> Prng.legacy().split(key, -1), "Prng.split", "-1");
        assertRejects(() -> Prng.bits(key, 2, -3), "Prng.bits", "[2, -3]");
        assertRejects(() -> Prng.uniform(key, -1), "Prng.uniform", "negative");
        assertRejects(() -> Prng.bits(key, new int[] {2}, 12), "Prng.bits", "12");
        assertRejects(() -> Prng.uniform(key, new int[] {2}, DType.INT32, 0, 1), "Prng.uniform", "int32");
        assertRejects(() -> Prng.normal(key, new int[] {2}, DType.BOOL), "Prng.normal", "bool");
        assertRejects(() -> Prng.permutation(key, -4), "Prng.permutation", "-4");
        assertRejects(() -> Prng.permutation(key, Array.scalar(3.0)), "Prng.permutation", "float64[]");
        assertRejects(() -> Prng.choice(key, 3, new int[] {4}, false, null), "Prng.choice", "larger sample");
        assertRejects(() -> Prng.choice(key, 0, 2), "Prng.choice", "n must be > 0");
        assertRejects(() -> Prng.choice(key, 3, new int[] {2}, true, Array.of(0.5f, 0.5f)), "Prng.choice", "length 3",
                "float32[2]");
        assertRejects(() -> Prng.categorical(key, Array.of(1, 2)), "Prng.categorical", "int32[2]");
        assertRejects(() -> Prng.categorical(key, Array.of(1f, 2f), 1, null), "Prng.categorical", "axis 1");
        assertRejects(() -> Prng.categorical(key, Array.of(new float[] {1, 2, 3, 4}, 2, 2), -1, new int[] {3}),
                "Prng.categorical", "[3]", "[2]");
        assertRejects(() -> Prng.truncatedNormal(key, Double.NaN, 1, 2), "Prng.truncatedNormal", "NaN");
        assertRejects(() -> Lax.threefry2x32(Array.of(1, 2), Array.of(1, 2), Array.of(1, 2), Array.of(1)),
                "threefry2x32", "int32[1]");
        assertRejects(() -> Lax.threefry2x32(Array.of(1f), Array.of(1), Array.of(1), Array.of(1)), "threefry2x32",
                "float32[1]");
    }

    @Test
    void keysArePlainArraysInTrees() {
        record Params(Array w, Array key) {}
        Params p = new Params(Array.of(1.0, 2.0), Prng.key(5));
        Params q = dev.solstice.tree.Tree.map(a -> a, p);
        assertArrayEquals(Prng.keyData(p.key()), Prng.keyData(q.key()));
        assertEquals(Arrays.toString(Prng.uniform(p.key(), 2).toFloatArray()),
                Arrays.toString(Prng.uniform(q.key(), 2).toFloatArray()));
    }
}
