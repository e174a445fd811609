package dev.solstice.kernel;

/**
 * The Threefry-2x32 block cipher with 20 rounds (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3",
 * SC 2011), one block at a time: the plain Java loops behind {@link Kernels#threefry2x32} and
 * {@link Kernels#threefry2x32Counters}, and the scalar tails of the Vector API ones. Words are int32 bit
 * patterns of uint32 values; every operation is on bits (wrapping adds, xor, rotations), so signedness does
 * not matter.
 *
 * <p>Key schedule {@code ks = [k0, k1, k0 ^ k1 ^ 0x1BD11BDA]}; {@code x0 += ks0, x1 += ks1}; then five groups
 * of four rounds, the rotations alternating between {@code [13, 15, 26, 6]} and {@code [17, 29, 16, 24]}, one
 * round being {@code x0 += x1; x1 = rotl(x1, r) ^ x0}; after group {@code g = 1..5},
 * {@code x0 += ks[g % 3], x1 += ks[(g + 1) % 3] + g}.
 */
public final class Threefry {
    /** The key-schedule parity constant of Threefry-2x32. */
    public static final int PARITY = 0x1BD11BDA;

    private Threefry() {}

    /**
     * The block of key {@code (k0[i], k1[i])} and counter {@code (x0[i], x1[i])} into {@code y0[i], y1[i]}, for
     * {@code i} in {@code [from, to)}.
     */
    public static void hash(int[] k0, int[] k1, int[] x0, int[] x1, int[] y0, int[] y1, int from, int to) {
        for (int i = from; i < to; i++) {
            long y = block(k0[i], k1[i], x0[i], x1[i]);
            y0[i] = (int) (y >>> 32);
            y1[i] = (int) y;
        }
    }

    /**
     * The blocks of one key {@code (k0, k1)} and counter {@code (x0[i], x1[i])} into {@code y0[i], y1[i]}, for
     * {@code i} in {@code [from, to)}.
     */
    public static void hash(int k0, int k1, int[] x0, int[] x1, int[] y0, int[] y1, int from, int to) {
        for (int i = from; i < to; i++) {
            long y = block(k0, k1, x0[i], x1[i]);
            y0[i] = (int) (y >>> 32);
            y1[i] = (int) y;
        }
    }

    /**
     * The blocks of one key {@code (k0, k1)} and the counters {@code x0 = x0Start + i * x0Step},
     * {@code x1 = x1Start + i * x1Step} (wrapping), for {@code i} in {@code [from, to)}: the first word into
     * {@code y0[y0Off + i]} and the second into {@code y1[y1Off + i]}, or, when {@code y1} is null, their xor
     * into {@code y0[y0Off + i]}.
     */
    public static void counters(int k0, int k1, int x0Start, int x0Step, int x1Start, int x1Step,
            int[] y0, int y0Off, int[] y1, int y1Off, int from, int to) {
        for (int i = from; i < to; i++) {
            long y = block(k0, k1, x0Start + i * x0Step, x1Start + i * x1Step);
            if (y1 == null) {
                y0[y0Off + i] = (int) (y >>> 32) ^ (int) y;
            } else {
                y0[y0Off + i] = (int) (y >>> 32);
                y1[y1Off + i] = (int) y;
            }
        }
    }

    /**
     * One block: the two output words packed as {@code (y0 << 32) | (y1 & 0xFFFFFFFF)}. Written out with
     * constant rotations, as a loop over arrays of rotations cost twice as much.
     */
    public static long block(int k0, int k1, int x0, int x1) {
        int k2 = k0 ^ k1 ^ PARITY;
        int a = x0 + k0;
        int b = x1 + k1;
        a += b; b = Integer.rotateLeft(b, 13) ^ a;
        a += b; b = Integer.rotateLeft(b, 15) ^ a;
        a += b; b = Integer.rotateLeft(b, 26) ^ a;
        a += b; b = Integer.rotateLeft(b, 6) ^ a;
        a += k1;
        b += k2 + 1;
        a += b; b = Integer.rotateLeft(b, 17) ^ a;
        a += b; b = Integer.rotateLeft(b, 29) ^ a;
        a += b; b = Integer.rotateLeft(b, 16) ^ a;
        a += b; b = Integer.rotateLeft(b, 24) ^ a;
        a += k2;
        b += k0 + 2;
        a += b; b = Integer.rotateLeft(b, 13) ^ a;
        a += b; b = Integer.rotateLeft(b, 15) ^ a;
        a += b; b = Integer.rotateLeft(b, 26) ^ a;
        a += b; b = Integer.rotateLeft(b, 6) ^ a;
        a += k0;
        b += k1 + 3;
        a += b; b = Integer.rotateLeft(b, 17) ^ a;
        a += b; b = Integer.rotateLeft(b, 29) ^ a;
        a += b; b = Integer.rotateLeft(b, 16) ^ a;
        a += b; b = Integer.rotateLeft(b, 24) ^ a;
        a += k1;
        b += k2 + 4;
        a += b; b = Integer.rotateLeft(b, 13) ^ a;
        a += b; b = Integer.rotateLeft(b, 15) ^ a;
        a += b; b = Integer.rotateLeft(b, 26) ^ a;
        a += b; b = Integer.rotateLeft(b, 6) ^ a;
        a += k2;
        b += k0 + 5;
        return ((long) a << 32) | (b & 0xFFFFFFFFL);
    }
}
