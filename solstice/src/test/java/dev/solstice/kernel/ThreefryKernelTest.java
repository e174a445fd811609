package dev.solstice.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.solstice.kernel.vector.VectorKernels;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Threefry-2x32 kernels of both implementations, and the scalar block, against an oracle written here from
 * the Random123 description (unsigned longs reduced mod 2^32, the rounds as loops over the rotation table),
 * itself checked on Random123's published vectors. Lengths cover the tails of every vector width (4, 8 and 16
 * int lanes: 0, 1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33) and lengths that split across threads; words mix
 * random ones with 0, -1 and 0x80000000.
 */
class ThreefryKernelTest {
    static final int[] LENGTHS = {0, 1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 1003, 5003};
    static final int[] SPECIAL = {0, -1, 0x80000000, 0x7FFFFFFF, 1};

    static Stream<Kernels> kernels() {
        return Stream.of(JavaKernels.INSTANCE, VectorKernels.INSTANCE);
    }

    /** Threefry-2x32, 20 rounds, from the Random123 description: {@code {y0, y1}} as int bit patterns. */
    static int[] oracle(int key0, int key1, int count0, int count1) {
        long m = 0xFFFFFFFFL;
        long[] ks = {key0 & m, key1 & m, (key0 & m) ^ (key1 & m) ^ 0x1BD11BDAL};
        int[][] rotations = {{13, 15, 26, 6}, {17, 29, 16, 24}};
        long x0 = ((count0 & m) + ks[0]) & m;
        long x1 = ((count1 & m) + ks[1]) & m;
        for (int group = 1; group <= 5; group++) {
            for (int r : rotations[(group - 1) % 2]) {
                x0 = (x0 + x1) & m;
                x1 = (((x1 << r) | (x1 >>> (32 - r))) & m) ^ x0;
            }
            x0 = (x0 + ks[group % 3]) & m;
            x1 = (x1 + ks[(group + 1) % 3] + group) & m;
        }
        return new int[] {(int) x0, (int) x1};
    }

    @Test
    void oracleAndScalarBlockGiveRandom123Vectors() {
        int[][] cases = {{0, 0, 0, 0, 0x6b200159, 0x99ba4efe}, {-1, -1, -1, -1, 0x1cb996fc, 0xbb002be7},
            {0x13198a2e, 0x03707344, 0x243f6a88, 0x85a308d3, 0xc4923a9c, 0x483df7a0}};
        for (int[] c : cases) {
            assertArrayEquals(new int[] {c[4], c[5]}, oracle(c[0], c[1], c[2], c[3]));
            long y = Threefry.block(c[0], c[1], c[2], c[3]);
            assertArrayEquals(new int[] {c[4], c[5]}, new int[] {(int) (y >>> 32), (int) y});
        }
    }

    /** Random words with a special word at about every fourth position. */
    static int[] words(SplittableRandom rnd, int n) {
        int[] w = new int[n];
        for (int i = 0; i < n; i++) {
            w[i] = rnd.nextInt(4) == 0 ? SPECIAL[rnd.nextInt(SPECIAL.length)] : rnd.nextInt();
        }
        return w;
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void elementwiseEqualsTheOracleAndTheScalarBlock(Kernels kernels) {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int n : LENGTHS) {
            int[] k0 = words(rnd, n);
            int[] k1 = words(rnd, n);
            int[] x0 = words(rnd, n);
            int[] x1 = words(rnd, n);
            int[] y0 = new int[n];
            int[] y1 = new int[n];
            kernels.threefry2x32(k0, k1, x0, x1, y0, y1, n);
            int[] s0 = new int[n];
            int[] s1 = new int[n];
            Threefry.hash(k0, k1, x0, x1, s0, s1, 0, n);
            for (int i = 0; i < n; i++) {
                int[] e = oracle(k0[i], k1[i], x0[i], x1[i]);
                assertEquals(e[0], y0[i], kernels.getClass().getSimpleName() + " n=" + n + " y0 at " + i);
                assertEquals(e[1], y1[i], kernels.getClass().getSimpleName() + " n=" + n + " y1 at " + i);
            }
            assertArrayEquals(s0, y0, "kernel against the scalar block, n=" + n);
            assertArrayEquals(s1, y1, "kernel against the scalar block, n=" + n);
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void oneKeyEqualsTheOracleAndTheScalarBlock(Kernels kernels) {
        SplittableRandom rnd = new SplittableRandom(9);
        int[][] keys = {{0, 0}, {-1, -1}, {0x80000000, -1}, {rnd.nextInt(), rnd.nextInt()}};
        for (int n : LENGTHS) {
            for (int[] k : keys) {
                int[] x0 = words(rnd, n);
                int[] x1 = words(rnd, n);
                int[] y0 = new int[n];
                int[] y1 = new int[n];
                kernels.threefry2x32(k[0], k[1], x0, x1, y0, y1, n);
                int[] s0 = new int[n];
                int[] s1 = new int[n];
                Threefry.hash(k[0], k[1], x0, x1, s0, s1, 0, n);
                for (int i = 0; i < n; i++) {
                    int[] e = oracle(k[0], k[1], x0[i], x1[i]);
                    assertEquals(e[0], y0[i], kernels.getClass().getSimpleName() + " n=" + n + " y0 at " + i);
                    assertEquals(e[1], y1[i], kernels.getClass().getSimpleName() + " n=" + n + " y1 at " + i);
                }
                assertArrayEquals(s0, y0, "kernel against the scalar block, n=" + n);
                assertArrayEquals(s1, y1, "kernel against the scalar block, n=" + n);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void generatedCountersEqualTheOracle(Kernels kernels) {
        SplittableRandom rnd = new SplittableRandom(11);
        // (start0, step0, start1, step1): the partitionable (0, i), the legacy (i, half + i), wrapping starts and
        // other steps
        int[][] forms = {{0, 0, 0, 1}, {0, 1, 17, 1}, {-3, 1, Integer.MAX_VALUE - 5, 1}, {5, -1, 0x80000000, 3}};
        int[][] keys = {{0, 0}, {-1, -1}, {0x80000000, 0}, {rnd.nextInt(), rnd.nextInt()}};
        for (int n : LENGTHS) {
            for (int[] f : forms) {
                for (int[] k : keys) {
                    int off0 = rnd.nextInt(3);
                    int off1 = rnd.nextInt(3);
                    int[] y0 = new int[n + off0];
                    int[] y1 = new int[n + off1];
                    int[] xor = new int[n + off0];
                    kernels.threefry2x32Counters(k[0], k[1], f[0], f[1], f[2], f[3], y0, off0, y1, off1, n);
                    kernels.threefry2x32Counters(k[0], k[1], f[0], f[1], f[2], f[3], xor, off0, null, 0, n);
                    for (int i = 0; i < n; i++) {
                        int[] e = oracle(k[0], k[1], f[0] + i * f[1], f[2] + i * f[3]);
                        String at = kernels.getClass().getSimpleName() + " n=" + n + " form "
                                + java.util.Arrays.toString(f) + " at " + i;
                        assertEquals(e[0], y0[off0 + i], at + " y0");
                        assertEquals(e[1], y1[off1 + i], at + " y1");
                        assertEquals(e[0] ^ e[1], xor[off0 + i], at + " y0 ^ y1");
                    }
                    for (int i = 0; i < off0; i++) {
                        assertEquals(0, y0[i], "no write before the offset");
                    }
                }
            }
        }
    }
}
