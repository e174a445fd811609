package dev.solstice.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Lax;
import dev.solstice.Prng;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Known-answer tests against the vectors published with JAX (tests/random_test.py, docstrings) and Random123,
 * in both key-derivation schemes, plus the values the reference notes derive from JAX's source (marked
 * "derived"). Expected words are written as unsigned decimals, as JAX prints them.
 */
class PrngTest {

    private static final Generator LEGACY = Prng.legacy();
    private static final Generator PART = Prng.partitionable();

    /** A key's (or keys') words as unsigned longs. */
    private static long[] words(Array keyOrBits) {
        int[] w = keyOrBits.toIntArray();
        long[] out = new long[w.length];
        for (int i = 0; i < w.length; i++) {
            out[i] = Integer.toUnsignedLong(w[i]);
        }
        return out;
    }

    private static long[] threefry(long k0, long k1, long x0, long x1) {
        Array[] y = Lax.threefry2x32(Array.of((int) k0), Array.of((int) k1), Array.of((int) x0), Array.of((int) x1));
        return new long[] {Integer.toUnsignedLong(y[0].toIntArray()[0]), Integer.toUnsignedLong(y[1].toIntArray()[0])};
    }

    // ------------------------------------------------------------------ Threefry (Random123 vectors)

    @Test
    void threefryRandom123Vectors() {
        assertArrayEquals(new long[] {0x6b200159L, 0x99ba4efeL}, threefry(0, 0, 0, 0));
        assertArrayEquals(new long[] {0x1cb996fcL, 0xbb002be7L},
                threefry(0xffffffffL, 0xffffffffL, 0xffffffffL, 0xffffffffL));
        assertArrayEquals(new long[] {0xc4923a9cL, 0x483df7a0L},
                threefry(0x13198a2eL, 0x03707344L, 0x243f6a88L, 0x85a308d3L));
    }

    // ------------------------------------------------------------------ seeds

    @Test
    void keyFromSeed() {
        assertArrayEquals(new long[] {0, 0}, Prng.keyData(Prng.key(0)));
        assertArrayEquals(new long[] {0, 1701}, Prng.keyData(Prng.key(1701)));
        // tests/random_test.py:500-513: int32 seeds (JAX's default) put the seed's bits in the low word
        assertArrayEquals(new long[] {0, 4294967295L}, Prng.keyData(Prng.key(-1)));
        assertArrayEquals(new long[] {0, 4294967294L}, Prng.keyData(Prng.key(-2)));
        assertArrayEquals(new long[] {0, 2147483647L}, Prng.keyData(Prng.key(Integer.MAX_VALUE)));
        // 64-bit seeds (JAX with x64): [seed >>> 32, low word]
        assertArrayEquals(new long[] {4294967295L, 4294967295L}, Prng.keyData(Prng.key(-1L)));
        assertArrayEquals(new long[] {4294967295L, 4294967293L}, Prng.keyData(Prng.key(-3L)));
        assertArrayEquals(new long[] {1, 5}, Prng.keyData(Prng.key((1L << 32) + 5)));
        assertArrayEquals(new long[] {0, 7}, Prng.keyData(Prng.key(7L)));
        assertEquals(DType.INT32, Prng.key(3).dtype());
        assertArrayEquals(new int[] {2}, Prng.key(3).shape());
        assertArrayEquals(new long[] {4294967295L, 12}, Prng.keyData(Prng.wrapKeyData(4294967295L, 12)));
        assertArrayEquals(Prng.key(0).toIntArray(), LEGACY.key(0).toIntArray(), "seeding is the same in both schemes");
    }

    // ------------------------------------------------------------------ legacy scheme (published)

    @Test
    void legacySplitOfPrngKey0Into4() {
        long[][] expected = {{2285895361L, 1501764800L}, {1518642379L, 4090693311L}, {433833334L, 4221794875L},
            {839183663L, 3740430601L}};
        Array keys = LEGACY.splitKeys(Prng.key(0), 4);
        assertArrayEquals(new int[] {4, 2}, keys.shape());
        assertArrayEquals(Arrays.stream(expected).flatMapToLong(Arrays::stream).toArray(), words(keys));
        Array[] unstacked = LEGACY.split(Prng.key(0), 4);
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(expected[i], words(unstacked[i]), "key " + i);
        }
    }

    @Test
    void legacyFoldIn() {
        assertArrayEquals(new long[] {2285895361L, 433833334L}, words(LEGACY.foldIn(Prng.key(0), 4)));
    }

    @Test
    void legacyBitsOfKey1701() {
        assertArrayEquals(new long[] {56197195L, 4200222568L, 961309823L}, words(LEGACY.bits(Prng.key(1701), 3)));
    }

    @Test
    void legacyBitsOfKey1701Narrow() {
        // tests/random_test.py:261-286: uint8 and uint16
        assertArrayEquals(new int[] {216, 115, 43}, LEGACY.bits(Prng.key(1701), new int[] {3}, 8).toIntArray());
        assertArrayEquals(new int[] {41682, 1300, 55017}, LEGACY.bits(Prng.key(1701), new int[] {3}, 16).toIntArray());
        assertArrayEquals(LEGACY.bits(Prng.key(1701), 3).toIntArray(), LEGACY.bits(Prng.key(1701), new int[] {3}, 32).toIntArray());
        assertArrayEquals(new int[] {2, 2}, LEGACY.bits(Prng.key(1701), new int[] {2, 2}, 8).shape());
        assertArrayEquals(new int[] {0}, LEGACY.bits(Prng.key(1701), new int[] {0}, 16).shape());
        // partitionable: the low bits of the 32-bit draws
        int[] b32 = Prng.bits(Prng.key(1701), 5).toIntArray();
        int[] b8 = Prng.bits(Prng.key(1701), new int[] {5}, 8).toIntArray();
        int[] b16 = Prng.bits(Prng.key(1701), new int[] {5}, 16).toIntArray();
        for (int i = 0; i < 5; i++) {
            assertEquals(b32[i] & 0xFF, b8[i]);
            assertEquals(b32[i] & 0xFFFF, b16[i]);
        }
    }

    @Test
    void legacyRandint() {
        Array r = LEGACY.randint(Prng.key(0), new int[] {3, 3}, 0, 8);
        assertEquals(DType.INT32, r.dtype());
        assertArrayEquals(new int[] {3, 3}, r.shape());
        assertArrayEquals(new int[] {2, 1, 3, 6, 1, 5, 6, 3, 4}, r.toIntArray());
    }

    @Test
    void legacySplitInTwo() {
        Array[] k = LEGACY.split(Prng.key(0));
        assertArrayEquals(new long[] {4146024105L, 967050713L}, words(k[0]), "old JAX docs (Common Gotchas)");
        assertArrayEquals(new long[] {2718843009L, 1272950319L}, words(k[1]), "derived");
    }

    @Test
    void legacyUniformDerived() {
        Array u = LEGACY.uniform(Prng.key(0), 3);
        assertEquals(DType.FLOAT32, u.dtype());
        assertArrayEquals(new float[] {0.96532142f, 0.31468165f, 0.63302994f}, u.toFloatArray(), 1e-7f);
    }

    // ------------------------------------------------------------------ partitionable scheme

    @Test
    void partitionableFoldInEqualsSplit() {
        long[] k0 = {1797259609L, 2579123966L};
        long[] k1 = {928981903L, 3453687069L};
        assertArrayEquals(k0, words(Prng.foldIn(Prng.key(0), 0)));
        assertArrayEquals(k1, words(Prng.foldIn(Prng.key(0), 1)));
        Array[] s = Prng.split(Prng.key(0), 2);
        assertArrayEquals(k0, words(s[0]));
        assertArrayEquals(k1, words(s[1]));
        assertArrayEquals(new long[] {k0[0], k0[1], k1[0], k1[1]}, words(Prng.splitKeys(Prng.key(0), 2)));
        // fold_in is the same function in both schemes
        assertArrayEquals(k0, words(LEGACY.foldIn(Prng.key(0), 0)));
        assertArrayEquals(k1, words(LEGACY.foldIn(Prng.key(0), 1)));
    }

    @Test
    void partitionableBitsAndUniformDerived() {
        Array b = Prng.bits(Prng.key(0), 3);
        assertEquals(DType.INT32, b.dtype());
        // y0 ^ y1 of threefry(key(0), (0, i)); element 0 is 0x6b200159 ^ 0x99ba4efe (the Random123 vector).
        // The reference notes list [1111271205, 2679469115, 974515252] as "derived"; that vector contradicts
        // JAX's _threefry_random_bits_partitionable (bits1 ^ bits2 on iota_2x32_shape counters), the Random123
        // vector, and the notes' own derived uniform values (see notesBitsVectorContradictsNotesUniform).
        assertArrayEquals(new long[] {0x6b200159L ^ 0x99ba4efeL, 4202968722L, 1427181096L}, words(b));
        Array u = Prng.uniform(Prng.key(0), 3);
        assertArrayEquals(new float[] {0.94766700f, 0.97857988f, 0.33229148f}, u.toFloatArray(), 1e-7f);
        // exactly JAX's mantissa construction: (bits >>> 9) * 2^-23
        float[] v = u.toFloatArray();
        int[] bits = b.toIntArray();
        for (int i = 0; i < 3; i++) {
            assertEquals((bits[i] >>> 9) * 0x1p-23f, v[i]);
        }
    }

    /**
     * The notes' "derived" partitionable bits cannot produce the notes' "derived" partitionable uniform values
     * under JAX's uniform ((bits >>> 9) * 2^-23), while this implementation's bits do: evidence for which
     * of the two noted vectors is wrong.
     */
    @Test
    void notesBitsVectorContradictsNotesUniform() {
        long[] notedBits = {1111271205L, 2679469115L, 974515252L};
        float[] notedUniform = {0.94766700f, 0.97857988f, 0.33229148f};
        assertNotEquals(notedUniform[0], (notedBits[0] >>> 9) * 0x1p-23f, 1e-3f);
        long[] ours = words(Prng.bits(Prng.key(0), 3));
        for (int i = 0; i < 3; i++) {
            assertEquals(notedUniform[i], (ours[i] >>> 9) * 0x1p-23f, 1e-7f);
        }
    }

    @Test
    void schemesDifferOnlyWhereJaxSaysTheyDo() {
        assertNotEquals(Arrays.toString(words(Prng.splitKeys(Prng.key(0), 4))),
                Arrays.toString(words(LEGACY.splitKeys(Prng.key(0), 4))));
        assertSame(Prng.Scheme.LEGACY, Prng.legacy().scheme());
        assertSame(Prng.Scheme.PARTITIONABLE, Prng.generator(Prng.Scheme.PARTITIONABLE).scheme());
        assertSame(Prng.legacy(), Prng.generator(Prng.Scheme.LEGACY));
    }

    @Test
    void splitShapesAndEdgeCases() {
        for (Generator g : new Generator[] {PART, LEGACY}) {
            assertArrayEquals(new int[] {0, 2}, g.splitKeys(Prng.key(1), 0).shape());
            assertEquals(0, g.split(Prng.key(1), 0).length);
            assertArrayEquals(new int[] {1, 2}, g.splitKeys(Prng.key(1), 1).shape());
            Array[] five = g.split(Prng.key(1), 5);
            Array stacked = g.splitKeys(Prng.key(1), 5);
            for (int i = 0; i < 5; i++) {
                assertArrayEquals(Arrays.copyOfRange(stacked.toIntArray(), 2 * i, 2 * i + 2), five[i].toIntArray());
            }
            assertArrayEquals(new int[] {2, 3, 4}, g.bits(Prng.key(1), 2, 3, 4).shape());
            assertArrayEquals(new int[0], g.bits(Prng.key(1)).shape());
            assertArrayEquals(new int[] {0, 3}, g.bits(Prng.key(1), 0, 3).shape());
            // odd sizes pad the counters with a zero (legacy): a prefix of the next even size's bits is not implied,
            // but the first half of the counters is shared, so bits(5)[0..2] hash counters (0..2) against (3,4,0)
            assertEquals(5, g.bits(Prng.key(1), 5).size());
        }
    }

    @Test
    void legacyOddLengthBitsFollowThePaddedLayout() {
        // threefry_2x32(key, [0,1,2]): padded to [0,1,2,0], x0 = [0,1], x1 = [2,0], out = [y0[0], y0[1], y1[0]]
        Array key = Prng.key(1701);
        long[] k = Prng.keyData(key);
        long[] a = threefry(k[0], k[1], 0, 2);
        long[] b = threefry(k[0], k[1], 1, 0);
        assertArrayEquals(new long[] {a[0], b[0], a[1]}, words(LEGACY.bits(key, 3)));
        // partitionable: element i is y0 ^ y1 of threefry(key, (0, i))
        long[] p = new long[3];
        for (int i = 0; i < 3; i++) {
            long[] y = threefry(k[0], k[1], 0, i);
            p[i] = y[0] ^ y[1];
        }
        assertArrayEquals(p, words(Prng.bits(key, 3)));
    }

    @Test
    void uniformFloat64UsesSixtyFourBits() {
        for (Generator g : new Generator[] {PART, LEGACY}) {
            Array key = Prng.key(42);
            Array u = g.uniform(key, new int[] {5}, DType.FLOAT64, 0, 1);
            assertEquals(DType.FLOAT64, u.dtype());
            Array[] w = g.bits64(key, 5);
            int[] hi = w[0].toIntArray();
            int[] lo = w[1].toIntArray();
            double[] v = u.toDoubleArray();
            for (int i = 0; i < 5; i++) {
                long bits = ((long) hi[i] << 32) | Integer.toUnsignedLong(lo[i]);
                double expected = Double.longBitsToDouble((bits >>> 12) | Double.doubleToLongBits(1.0)) - 1.0;
                assertEquals(expected, v[i], 0.0, "element " + i);
            }
        }
    }

    @Test
    void legacyBits64SplitsTheCountersInHalves() {
        // legacy random_bits(key, 64, (2,)): threefry_2x32(key, iota(4)); the first half are the high words
        Array key = Prng.key(3);
        long[] k = Prng.keyData(key);
        long[] a = threefry(k[0], k[1], 0, 2);
        long[] b = threefry(k[0], k[1], 1, 3);
        Array[] w = LEGACY.bits64(key, 2);
        assertArrayEquals(new long[] {a[0], b[0]}, words(w[0]));
        assertArrayEquals(new long[] {a[1], b[1]}, words(w[1]));
    }

    @Test
    void uniformRespectsBounds() {
        Array u = Prng.uniform(Prng.key(5), new int[] {1000}, DType.FLOAT32, -3, 2);
        for (float f : u.toFloatArray()) {
            assertTrue(f >= -3f && f < 2f, "value " + f);
        }
        Array d = Prng.uniform(Prng.key(5), new int[] {1000}, DType.FLOAT64, 10, 11);
        for (double f : d.toDoubleArray()) {
            assertTrue(f >= 10 && f < 11, "value " + f);
        }
    }
}
