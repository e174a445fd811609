package dev.solstice.kernel.vector;

import dev.solstice.kernel.Threefry;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Threefry-2x32 ({@link Threefry}) on {@code SPECIES_PREFERRED} int vectors, one block per lane, and a scalar
 * tail through {@link Threefry}: wrapping adds, xor and rotations are exact, so every lane equals the scalar
 * block bit for bit. One vector of blocks is one call with array and int arguments only: the vectors never
 * cross a call (one that is not inlined would box them), and the loops stay small (C2 gave up on the loop with
 * the 20 rounds written inside it, "too many clones ... in partial peeling", and left it to C1).
 */
final class VectorThreefry {
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;

    /**
     * Whether these loops pay: with 512-bit vectors (AVX-512) the rotate is one instruction and beat two shifts
     * and an or by 8%, with 256-bit ones (AVX2) they tied; with 128-bit ones (SSE, -XX:UseAVX=0 or 1) the
     * rotate was not compiled to vector code and the hash ran about 5x slower than the scalar one, so the
     * kernels keep the scalar loops there. (Choosing the rotation per width in a helper method boxed the
     * vectors.)
     */
    static final boolean FAST = I.vectorBitSize() >= 256;

    private VectorThreefry() {}

    /** {@link Threefry#hash} over {@code [from, to)}. */
    static void hash(int[] k0, int[] k1, int[] x0, int[] x1, int[] y0, int[] y1, int from, int to) {
        int i = from;
        for (int bound = from + I.loopBound(to - from); i < bound; i += I.length()) {
            hashVector(k0, k1, 0, 0, x0, x1, y0, y1, i);
        }
        Threefry.hash(k0, k1, x0, x1, y0, y1, i, to);
    }

    /** {@link Threefry#hash} of one key over {@code [from, to)}. */
    static void hash(int k0, int k1, int[] x0, int[] x1, int[] y0, int[] y1, int from, int to) {
        int i = from;
        for (int bound = from + I.loopBound(to - from); i < bound; i += I.length()) {
            hashVector(null, null, k0, k1, x0, x1, y0, y1, i);
        }
        Threefry.hash(k0, k1, x0, x1, y0, y1, i, to);
    }

    /**
     * The blocks of elements {@code [i, i + lanes)}, under the keys {@code k0[i..], k1[i..]}, or under the one
     * key {@code (key0, key1)} when the arrays are null.
     */
    private static void hashVector(int[] k0, int[] k1, int key0, int key1, int[] x0, int[] x1, int[] y0, int[] y1,
            int i) {
        IntVector ka = k0 == null ? IntVector.broadcast(I, key0) : IntVector.fromArray(I, k0, i);
        IntVector kb = k1 == null ? IntVector.broadcast(I, key1) : IntVector.fromArray(I, k1, i);
        IntVector kc = ka.lanewise(VectorOperators.XOR, kb).lanewise(VectorOperators.XOR, Threefry.PARITY);
        IntVector a = IntVector.fromArray(I, x0, i).add(ka);
        IntVector b = IntVector.fromArray(I, x1, i).add(kb);
        a = a.add(b); b = b.lanewise(VectorOperators.ROL, 13).lanewise(VectorOperators.XOR, a);
        a = a.add(b); b = b.lanewise(VectorOperators.ROL, 15).lanewise(VectorOperators.XOR, a);
        a = a.add(b); b = b.lanewise(VectorOperators.ROL, 26).lanewise(VectorOperators.XOR, a);
        a = a.add(b); b = b.lanewise(VectorOperators.ROL, 6).lanewise(VectorOperators.XOR, a);
        a = a.add(kb);
        b = b.add(kc).add(1);
        a = a.add(b); b = b.lanewise(VectorOperators.ROL, 17).lanewise(VectorOperators.XOR, a);
        a = a.add(b); b = b.lanewise(VectorOperators.ROL, 29).lanewise(VectorOperators.XOR, a);
        a = a.add(b); b = b.lanewise(VectorOperators.ROL, 16).lanewise(VectorOperators.XOR, a);
        a = a.add(b); b = b.lanewise(VectorOperators.ROL, 24).lanewise(VectorOperators.XOR, a);
        a = a.add(kc);
        b = b.add(ka).add(2);
        a = a.add(b); b = b.lanewise(VectorOperators.ROL, 13).lanewise(VectorOperators.XOR, a);
        a = a.add(b); b = b.lanewise(VectorOperators.ROL, 15).lanewise(VectorOperators.XOR, a);
        a = a.add(b); b = b.lanewise(VectorOperators.ROL, 26).lanewise(VectorOperators.XOR, a);
        a = a.add(b); b = b.lanewise(VectorOperators.ROL, 6).lanewise(VectorOperators.XOR, a);
        a = a.add(ka);
        b = b.add(kb).add(3);
        a = a.add(b); b = b.lanewise(VectorOperators.ROL, 17).lanewise(VectorOperators.XOR, a);
        a = a.add(b); b = b.lanewise(VectorOperators.ROL, 29).lanewise(VectorOperators.XOR, a);
        a = a.add(b); b = b.lanewise(VectorOperators.ROL, 16).lanewise(VectorOperators.XOR, a);
        a = a.add(b); b = b.lanewise(VectorOperators.ROL, 24).lanewise(VectorOperators.XOR, a);
        a = a.add(kb);
        b = b.add(kc).add(4);
        a = a.add(b); b = b.lanewise(VectorOperators.ROL, 13).lanewise(VectorOperators.XOR, a);
        a = a.add(b); b = b.lanewise(VectorOperators.ROL, 15).lanewise(VectorOperators.XOR, a);
        a = a.add(b); b = b.lanewise(VectorOperators.ROL, 26).lanewise(VectorOperators.XOR, a);
        a = a.add(b); b = b.lanewise(VectorOperators.ROL, 6).lanewise(VectorOperators.XOR, a);
        a = a.add(kc);
        b = b.add(ka).add(5);
        a.intoArray(y0, i);
        b.intoArray(y1, i);
    }

    /** {@link Threefry#counters} over {@code [from, to)}. */
    static void counters(int k0, int k1, int x0Start, int x0Step, int x1Start, int x1Step, int[] y0, int y0Off,
            int[] y1, int y1Off, int from, int to) {
        int i = from;
        for (int bound = from + I.loopBound(to - from); i < bound; i += I.length()) {
            countersVector(k0, k1, x0Start + i * x0Step, x0Step, x1Start + i * x1Step, x1Step, y0, y0Off + i, y1,
                    y1Off + i);
        }
        Threefry.counters(k0, k1, x0Start, x0Step, x1Start, x1Step, y0, y0Off, y1, y1Off, i, to);
    }

    /**
     * The blocks of one vector of counters, {@code x0 + j * x0Step, x1 + j * x1Step} for lane {@code j}, into
     * {@code y0[y0At + j]} and {@code y1[y1At + j]} (or their xor into {@code y0[y0At + j]} when {@code y1} is
     * null).
     */
    private static void countersVector(int k0, int k1, int x0, int x0Step, int x1, int x1Step, int[] y0, int y0At,
            int[] y1, int y1At) {
        int k2 = k0 ^ k1 ^ Threefry.PARITY;
        IntVector iota = IntVector.zero(I).addIndex(1);
        IntVector a = iota.mul(x0Step).add(x0 + k0);
        IntVector b = iota.mul(x1Step).add(x1 + k1);
        a = a.add(b); b = b.lanewise(VectorOperators.ROL, 13).lanewise(VectorOperators.XOR, a);
        a = a.add(b); b = b.lanewise(VectorOperators.ROL, 15).lanewise(VectorOperators.XOR, a);
        a = a.add(b); b = b.lanewise(VectorOperators.ROL, 26).lanewise(VectorOperators.XOR, a);
        a = a.add(b); b = b.lanewise(VectorOperators.ROL, 6).lanewise(VectorOperators.XOR, a);
        a = a.add(k1);
        b = b.add(k2 + 1);
        a = a.add(b); b = b.lanewise(VectorOperators.ROL, 17).lanewise(VectorOperators.XOR, a);
        a = a.add(b); b = b.lanewise(VectorOperators.ROL, 29).lanewise(VectorOperators.XOR, a);
        a = a.add(b); b = b.lanewise(VectorOperators.ROL, 16).lanewise(VectorOperators.XOR, a);
        a = a.add(b); b = b.lanewise(VectorOperators.ROL, 24).lanewise(VectorOperators.XOR, a);
        a = a.add(k2);
        b = b.add(k0 + 2);
        a = a.add(b); b = b.lanewise(VectorOperators.ROL, 13).lanewise(VectorOperators.XOR, a);
        a = a.add(b); b = b.lanewise(VectorOperators.ROL, 15).lanewise(VectorOperators.XOR, a);
        a = a.add(b); b = b.lanewise(VectorOperators.ROL, 26).lanewise(VectorOperators.XOR, a);
        a = a.add(b); b = b.lanewise(VectorOperators.ROL, 6).lanewise(VectorOperators.XOR, a);
        a = a.add(k0);
        b = b.add(k1 + 3);
        a = a.add(b); b = b.lanewise(VectorOperators.ROL, 17).lanewise(VectorOperators.XOR, a);
        a = a.add(b); b = b.lanewise(VectorOperators.ROL, 29).lanewise(VectorOperators.XOR, a);
        a = a.add(b); b = b.lanewise(VectorOperators.ROL, 16).lanewise(VectorOperators.XOR, a);
        a = a.add(b); b = b.lanewise(VectorOperators.ROL, 24).lanewise(VectorOperators.XOR, a);
        a = a.add(k1);
        b = b.add(k2 + 4);
        a = a.add(b); b = b.lanewise(VectorOperators.ROL, 13).lanewise(VectorOperators.XOR, a);
        a = a.add(b); b = b.lanewise(VectorOperators.ROL, 15).lanewise(VectorOperators.XOR, a);
        a = a.add(b); b = b.lanewise(VectorOperators.ROL, 26).lanewise(VectorOperators.XOR, a);
        a = a.add(b); b = b.lanewise(VectorOperators.ROL, 6).lanewise(VectorOperators.XOR, a);
        a = a.add(k2);
        b = b.add(k0 + 5);
        if (y1 == null) {
            a.lanewise(VectorOperators.XOR, b).intoArray(y0, y0At);
        } else {
            a.intoArray(y0, y0At);
            b.intoArray(y1, y1At);
        }
    }
}
