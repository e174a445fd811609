package dev.solstice.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Prng;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The distributions: statistical sanity (moments and ranges within generous bounds, several standard errors
 * wide), and the exact constructions from bits re-derived independently here with Java integer arithmetic
 * where JAX's construction is exact (randint, permutation, uniform, bernoulli).
 */
class DistributionsTest {

    private static final int N = 20000;
    private static final Generator[] SCHEMES = {Prng.partitionable(), Prng.legacy()};

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(Double.NaN);
    }

    private static double variance(double[] v) {
        double m = mean(v);
        return Arrays.stream(v).map(x -> (x - m) * (x - m)).sum() / (v.length - 1);
    }

    private static void assertNear(double expected, double actual, double tol, String what) {
        assertTrue(Math.abs(expected - actual) <= tol, what + ": expected " + expected + " +- " + tol + ", got " + actual);
    }

    @Test
    void uniformMomentsAndRange() {
        for (Generator g : SCHEMES) {
            for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                Array u = g.uniform(Prng.key(11), new int[] {N}, t, 0, 1);
                assertEquals(t, u.dtype());
                double[] v = u.toDoubleArray();
                assertTrue(Arrays.stream(v).allMatch(x -> x >= 0 && x < 1), g + " " + t + ": range");
                assertNear(0.5, mean(v), 0.01, g + " " + t + " mean");
                assertNear(1.0 / 12, variance(v), 0.004, g + " " + t + " variance");
            }
        }
    }

    @Test
    void normalMomentsAndConstruction() {
        for (Generator g : SCHEMES) {
            for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                double[] v = g.normal(Prng.key(12), new int[] {N}, t).toDoubleArray();
                assertTrue(Arrays.stream(v).allMatch(Double::isFinite), g + " " + t + ": finite");
                assertNear(0, mean(v), 0.04, g + " " + t + " mean");
                assertNear(1, variance(v), 0.05, g + " " + t + " variance");
                double fourth = Arrays.stream(v).map(x -> x * x * x * x).average().orElse(0);
                assertNear(3, fourth, 0.3, g + " " + t + " fourth moment");
            }
            // normal = sqrt(2) erf_inv(uniform(nextafter(-1, 0), 1)), checked against Hipparchus' erfInv
            double[] u = g.uniform(Prng.key(12), new int[] {200}, DType.FLOAT64, Math.nextUp(-1.0), 1).toDoubleArray();
            double[] z = g.normal(Prng.key(12), new int[] {200}, DType.FLOAT64).toDoubleArray();
            for (int i = 0; i < u.length; i++) {
                double expected = Math.sqrt(2) * org.hipparchus.special.Erf.erfInv(u[i]);
                assertEquals(expected, z[i], 1e-12 * Math.max(1, Math.abs(expected)), "float64 normal element " + i);
            }
            float[] u32 = g.uniform(Prng.key(12), new int[] {200}, DType.FLOAT32, Math.nextUp(-1f), 1).toFloatArray();
            float[] z32 = g.normal(Prng.key(12), 200).toFloatArray();
            for (int i = 0; i < u32.length; i++) {
                double expected = Math.sqrt(2) * org.hipparchus.special.Erf.erfInv(u32[i]);
                assertEquals(expected, z32[i], 2e-6 * Math.max(1, Math.abs(expected)), "float32 normal element " + i);
            }
        }
    }

    @Test
    void truncatedNormalStaysInsideWithTheRightMean() {
        for (Generator g : SCHEMES) {
            for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                double[] v = g.truncatedNormal(Prng.key(13), -1, 2, new int[] {N}, t).toDoubleArray();
                assertTrue(Arrays.stream(v).allMatch(x -> x > -1 && x < 2), g + " " + t + ": inside (-1, 2)");
                double phiA = Math.exp(-0.5) / Math.sqrt(2 * Math.PI);
                double phiB = Math.exp(-2) / Math.sqrt(2 * Math.PI);
                double mass = 0.5 * (org.hipparchus.special.Erf.erf(2 / Math.sqrt(2)) - org.hipparchus.special.Erf.erf(-1 / Math.sqrt(2)));
                assertNear((phiA - phiB) / mass, mean(v), 0.03, g + " " + t + " mean");
            }
            double[] tail = g.truncatedNormal(Prng.key(14), 3, Double.POSITIVE_INFINITY, new int[] {2000}, DType.FLOAT64).toDoubleArray();
            assertTrue(Arrays.stream(tail).allMatch(x -> x > 3 && Double.isFinite(x)), g + ": one-sided tail");
            double[] narrow = g.truncatedNormal(Prng.key(15), 0.5, 0.5000001, new int[] {100}, DType.FLOAT64).toDoubleArray();
            assertTrue(Arrays.stream(narrow).allMatch(x -> x > 0.5 && x < 0.5000001), g + ": narrow interval");
        }
    }

    @Test
    void bernoulliIsUniformBelowP() {
        for (Generator g : SCHEMES) {
            Array b = g.bernoulli(Prng.key(16), 0.3, new int[] {N});
            assertEquals(DType.BOOL, b.dtype());
            boolean[] v = b.toBooleanArray();
            float[] u = g.uniform(Prng.key(16), N).toFloatArray();
            int ones = 0;
            for (int i = 0; i < N; i++) {
                assertEquals(u[i] < 0.3f, v[i], "element " + i);
                ones += v[i] ? 1 : 0;
            }
            assertNear(0.3, ones / (double) N, 0.015, g + " frequency");
            assertTrue(Arrays.equals(new boolean[50], g.bernoulli(Prng.key(1), 0.0, new int[] {50}).toBooleanArray()));
        }
        Array fair = Prng.bernoulli(Prng.key(17), 4, 5);
        assertArrayEquals(new int[] {4, 5}, fair.shape());
    }

    /** JAX's randint, re-derived with Java longs from the bits of the two split keys. */
    private static int[] randintByHand(Generator g, Array key, int n, int lo, int hi) {
        Array[] k = g.split(key, 2);
        int[] higher = g.bits(k[0], n).toIntArray();
        int[] lower = g.bits(k[1], n).toIntArray();
        long span = hi <= lo ? 1 : ((long) hi - lo) & 0xFFFFFFFFL;
        long mult = (1L << 16) % span;
        mult = ((mult * mult) & 0xFFFFFFFFL) % span;
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            long h = Integer.toUnsignedLong(higher[i]) % span;
            long l = Integer.toUnsignedLong(lower[i]) % span;
            long offset = ((h * mult + l) & 0xFFFFFFFFL) % span;
            out[i] = (int) (lo + offset);
        }
        return out;
    }

    @Test
    void randintFollowsJaxsConstruction() {
        int[][] ranges = {{0, 8}, {-5, 7}, {0, 10}, {0, 100000}, {-1000000007, 1000000009}, {3, 3}, {5, 2},
            {Integer.MIN_VALUE, Integer.MAX_VALUE}, {0, 65537}};
        for (Generator g : SCHEMES) {
            for (int[] r : ranges) {
                Array key = Prng.key(r[0] * 31 + r[1]);
                int[] got = g.randint(key, new int[] {257}, r[0], r[1]).toIntArray();
                assertArrayEquals(randintByHand(g, key, 257, r[0], r[1]), got, g + " randint " + Arrays.toString(r));
            }
        }
    }

    @Test
    void randintIsUniformOnItsRange() {
        for (Generator g : SCHEMES) {
            int[] v = g.randint(Prng.key(18), new int[] {N}, -5, 7).toIntArray();
            int[] counts = new int[12];
            for (int x : v) {
                assertTrue(x >= -5 && x < 7, "value " + x);
                counts[x + 5]++;
            }
            for (int c : counts) {
                assertNear(1.0 / 12, c / (double) N, 0.01, g + " frequency");
            }
            assertTrue(Arrays.stream(g.randint(Prng.key(1), new int[] {20}, 4, 4).toIntArray()).allMatch(x -> x == 4));
            assertTrue(Arrays.stream(g.randint(Prng.key(1), new int[] {20}, 4, -9).toIntArray()).allMatch(x -> x == 4));
        }
    }

    /** JAX's _shuffle re-derived: rounds of (split, 32-bit sort keys, stable sort by unsigned key). */
    private static int[] shuffleByHand(Generator g, Array key, int n) {
        Integer[] x = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        int rounds = (int) Math.ceil(3 * Math.log(Math.max(1, n)) / Math.log(4294967295.0));
        for (int r = 0; r < rounds; r++) {
            Array[] k = g.split(key, 2);
            key = k[0];
            int[] sortKeys = g.bits(k[1], n).toIntArray();
            Integer[] pos = IntStream.range(0, n).boxed().toArray(Integer[]::new);
            Arrays.sort(pos, Comparator.comparing((Integer i) -> sortKeys[i], Integer::compareUnsigned)); // stable
            Integer[] next = new Integer[n];
            for (int i = 0; i < n; i++) {
                next[i] = x[pos[i]];
            }
            x = next;
        }
        return Arrays.stream(x).mapToInt(Integer::intValue).toArray();
    }

    @Test
    void permutationIsJaxsSortingShuffle() {
        for (Generator g : SCHEMES) {
            for (int n : new int[] {0, 1, 2, 10, 100, 1700}) {
                Array key = Prng.key(n + 1);
                int[] p = g.permutation(key, n).toIntArray();
                assertArrayEquals(shuffleByHand(g, key, n), p, g + " permutation of " + n);
                int[] sorted = p.clone();
                Arrays.sort(sorted);
                assertArrayEquals(IntStream.range(0, n).toArray(), sorted, g + ": a permutation of 0.." + (n - 1));
            }
            assertNotEquals(Arrays.toString(g.permutation(Prng.key(1), 20).toIntArray()),
                    Arrays.toString(g.permutation(Prng.key(2), 20).toIntArray()));
        }
    }

    @Test
    void largePermutationsTakeTheConcreteSortAndAgreeWithTheTracedOne() {
        Generator g = Prng.partitionable();
        int n = 60000; // an MNIST-sized shuffle: two rounds
        int[] p = g.permutation(Prng.key(31), n).toIntArray();
        assertArrayEquals(shuffleByHand(g, Prng.key(31), n), p);
        // the comparison-based path under vmap gives the same permutation as the concrete sort
        Array keys = g.splitKeys(Prng.key(32), 2);
        Array traced = dev.solstice.Jax.vmap((Array k) -> g.permutation(k, 1800)).apply(keys);
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(g.permutation(keys.get(i), 1800).toIntArray(), traced.get(i).toIntArray());
        }
    }

    @Test
    void permutationOfAnArray() {
        for (Generator g : SCHEMES) {
            Array key = Prng.key(21);
            int[] perm = g.permutation(key, 6).toIntArray();
            double[] x = {10, 11, 12, 13, 14, 15};
            double[] shuffled = g.permutation(key, Array.of(x)).toDoubleArray();
            for (int i = 0; i < 6; i++) {
                assertEquals(x[perm[i]], shuffled[i]);
            }
            Array rows = Array.of(new float[] {0, 1, 10, 11, 20, 21, 30, 31, 40, 41, 50, 51}, 6, 2);
            float[] r = g.permutation(key, rows).toFloatArray();
            for (int i = 0; i < 6; i++) {
                assertEquals(10f * perm[i], r[2 * i]);
                assertEquals(10f * perm[i] + 1, r[2 * i + 1]);
            }
            boolean[] flags = g.permutation(key, Array.of(true, false, false, true, false, false)).toBooleanArray();
            for (int i = 0; i < 6; i++) {
                assertEquals(perm[i] == 0 || perm[i] == 3, flags[i]);
            }
        }
    }

    @Test
    void choiceWithAndWithoutReplacement() {
        for (Generator g : SCHEMES) {
            Array key = Prng.key(22);
            int[] with = g.choice(key, 5, new int[] {N}, true, null).toIntArray();
            assertArrayEquals(g.randint(key, new int[] {N}, 0, 5).toIntArray(), with, "choice with replacement is randint");
            int[] without = g.choice(key, 10, new int[] {2, 5}, false, null).toIntArray();
            assertArrayEquals(g.permutation(key, 10).toIntArray(), without, "all ten without replacement: a permutation");
            int[] some = g.choice(key, 50, new int[] {7}, false, null).toIntArray();
            assertEquals(7, Arrays.stream(some).distinct().count(), "distinct without replacement");
            assertArrayEquals(new int[] {3, 0}, g.choice(key, 4, new int[] {3, 0}, false, null).shape());
        }
        Array picked = Prng.choice(Prng.key(23), Array.of(2.5, 3.5, 4.5), new int[] {4}, true, null);
        for (double v : picked.toDoubleArray()) {
            assertTrue(v == 2.5 || v == 3.5 || v == 4.5);
        }
        assertArrayEquals(new int[] {4}, Prng.choice(Prng.key(23), 3, 4).shape());
        // large population, many draws: concrete rows are copied, not gathered through an [m, n] one-hot
        Array population = dev.solstice.Jnp.arange(50000).astype(DType.FLOAT32);
        Array drawn = Prng.choice(Prng.key(23), population, new int[] {20000}, true, null);
        int[] ind = Prng.choice(Prng.key(23), 50000, new int[] {20000}, true, null).toIntArray();
        float[] dv = drawn.toFloatArray();
        for (int i = 0; i < ind.length; i++) {
            assertEquals((float) ind[i], dv[i]);
        }
        // and the traced path (under vmap) agrees with the concrete one
        Array keys = Prng.splitKeys(Prng.key(40), 2);
        Array tracedDraws = dev.solstice.Jax.vmap((Array k) -> Prng.choice(k, Array.of(new double[] {1, 2, 3, 4, 5, 6}, 3, 2),
                new int[] {4}, true, null)).apply(keys);
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(Prng.choice(keys.get(i), Array.of(new double[] {1, 2, 3, 4, 5, 6}, 3, 2), new int[] {4}, true, null)
                    .toDoubleArray(), tracedDraws.get(i).toDoubleArray());
        }
    }

    @Test
    void choiceWithProbabilities() {
        float[] p = {0.1f, 0.6f, 0.0f, 0.3f};
        for (Generator g : SCHEMES) {
            int[] v = g.choice(Prng.key(24), 4, new int[] {N}, true, Array.of(p)).toIntArray();
            int[] counts = new int[4];
            for (int x : v) {
                counts[x]++;
            }
            for (int i = 0; i < 4; i++) {
                assertNear(p[i], counts[i] / (double) N, 0.015, g + " frequency of " + i);
            }
            // unnormalised weights give the same distribution
            int[] w = g.choice(Prng.key(24), 4, new int[] {N}, true, Array.of(1f, 6f, 0f, 3f)).toIntArray();
            int differ = 0;
            for (int i = 0; i < N; i++) {
                differ += v[i] != w[i] ? 1 : 0;
            }
            assertTrue(differ < N / 100, "scaling p changes almost nothing: " + differ);
            // without replacement: the Gumbel top-k trick; zero weight never drawn while others remain
            int firstIsOne = 0;
            for (int s = 0; s < 300; s++) {
                int[] d = g.choice(Prng.key(1000 + s), 4, new int[] {3}, false, Array.of(p)).toIntArray();
                assertEquals(3, Arrays.stream(d).distinct().count());
                assertTrue(Arrays.stream(d).noneMatch(x -> x == 2), "zero-probability item drawn: " + Arrays.toString(d));
                firstIsOne += d[0] == 1 ? 1 : 0;
            }
            assertNear(0.6, firstIsOne / 300.0, 0.1, g + " first draw is the heavy item");
        }
    }

    @Test
    void categoricalMatchesSoftmax() {
        double[] logits = {0.0, 1.0, -1.0, 2.0};
        double z = Arrays.stream(logits).map(Math::exp).sum();
        for (Generator g : SCHEMES) {
            Array l = Array.of(new float[] {0, 1, -1, 2, 0, 1, -1, 2}, 2, 4);
            Array batch = g.categorical(Prng.key(25), l, -1, null);
            assertArrayEquals(new int[] {2}, batch.shape());
            assertEquals(DType.INT32, batch.dtype());
            int[] v = g.categorical(Prng.key(25), Array.of(new float[] {0, 1, -1, 2}), -1, new int[] {N}).toIntArray();
            int[] counts = new int[4];
            for (int x : v) {
                counts[x]++;
            }
            for (int i = 0; i < 4; i++) {
                assertNear(Math.exp(logits[i]) / z, counts[i] / (double) N, 0.015, g + " frequency of " + i);
            }
            Array prefixed = g.categorical(Prng.key(26), l, 1, new int[] {7, 2});
            assertArrayEquals(new int[] {7, 2}, prefixed.shape());
            // axis 0: categories down the columns
            Array cols = g.categorical(Prng.key(27), Array.of(new double[] {0, -50, -50, 0}, 2, 2), 0, null);
            assertArrayEquals(new int[] {0, 1}, cols.toIntArray());
        }
        assertArrayEquals(new int[0], Prng.categorical(Prng.key(1), Array.of(1f, 2f)).shape());
    }

    @Test
    void gumbelMoments() {
        for (Generator g : SCHEMES) {
            for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                double[] v = g.gumbel(Prng.key(28), new int[] {N}, t).toDoubleArray();
                assertTrue(Arrays.stream(v).allMatch(Double::isFinite));
                assertNear(0.5772156649, mean(v), 0.04, g + " " + t + " mean");
                assertNear(Math.PI * Math.PI / 6, variance(v), 0.1, g + " " + t + " variance");
            }
        }
    }

    @Test
    void exponentialMoments() {
        for (Generator g : SCHEMES) {
            for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                double[] v = g.exponential(Prng.key(29), new int[] {N}, t).toDoubleArray();
                assertTrue(Arrays.stream(v).allMatch(x -> x >= 0 && Double.isFinite(x)));
                assertNear(1, mean(v), 0.04, g + " " + t + " mean");
                assertNear(1, variance(v), 0.1, g + " " + t + " variance");
            }
        }
        float[] e = Prng.exponential(Prng.key(29), 10).toFloatArray();
        float[] u = Prng.uniform(Prng.key(29), 10).toFloatArray();
        for (int i = 0; i < 10; i++) {
            assertEquals((float) -Math.log1p(-u[i]), e[i], 1e-6f * Math.max(1, e[i]));
        }
    }

    @Test
    void differentKeysDifferentDraws() {
        Array[] k = Prng.split(Prng.key(30), 2);
        assertNotEquals(Arrays.toString(Prng.uniform(k[0], 8).toFloatArray()), Arrays.toString(Prng.uniform(k[1], 8).toFloatArray()));
        assertArrayEquals(Prng.uniform(k[0], 8).toFloatArray(), Prng.uniform(k[0], 8).toFloatArray(), "deterministic");
    }
}
