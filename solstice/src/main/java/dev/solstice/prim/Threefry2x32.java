package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.Batched;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Interpreters;
import dev.solstice.core.Primitive;
import dev.solstice.core.Shapes;
import dev.solstice.core.Zero;

/**
 * The Threefry-2x32 block cipher with 20 rounds (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3",
 * SC 2011; JAX's {@code threefry2x32_p}): for each element, the 64-bit key {@code (k0, k1)} encrypts the 64-bit
 * counter {@code (x0, x1)} into {@code (y0, y1)}. Operands and results are int32 arrays holding uint32 words as
 * bit patterns (Solstice has no unsigned type; every operation here is on bits, so the signedness does not
 * matter). The four operands have one shape; the two results have it too.
 *
 * <p>The algorithm, as {@code jax/_src/prng.py}: key schedule {@code ks = [k0, k1, k0 ^ k1 ^ 0x1BD11BDA]};
 * {@code x0 += ks0, x1 += ks1}; then five groups of four rounds, the rotations alternating between
 * {@code [13, 15, 26, 6]} and {@code [17, 29, 16, 24]}, one round being {@code x0 += x1; x1 = rotl(x1, r);
 * x1 ^= x0}; after group {@code i = 1..5}, {@code x0 += ks[i % 3], x1 += ks[(i + 1) % 3] + i}.
 *
 * <p>No derivative (integer operands and results). Batching is elementwise: operands batched on one axis pass
 * through; otherwise every operand's batch axis goes first (unbatched ones are broadcast).
 */
public record Threefry2x32() implements Primitive {


    @Override
    public Aval[] shapeRule(Aval[] in) {
        Shapes.arity(this, in, 4);
        for (Aval a : in) {
            if (a.dtype() != DType.INT32) {
                throw new IllegalArgumentException(name() + ": operands (k0, k1, x0, x1) must be int32 arrays holding"
                        + " uint32 words, got " + Shapes.str(in));
            }
        }
        for (int i = 1; i < 4; i++) {
            if (!in[i].sameShape(in[0])) {
                throw new IllegalArgumentException(name() + ": operands (k0, k1, x0, x1) must have one shape, got "
                        + Shapes.str(in) + "; broadcast the key words to the counters' shape first");
            }
        }
        return new Aval[] {in[0], in[0]};
    }

    @Override
    public DenseArray[] eval(DenseArray[] in, Aval[] outAvals) {
        int[] k0 = in[0].ints();
        int[] k1 = in[1].ints();
        int[] x0 = in[2].ints();
        int[] x1 = in[3].ints();
        int n = k0.length;
        int[] y0 = new int[n];
        int[] y1 = new int[n];
        for (int i = 0; i < n; i++) {
            hash(k0[i], k1[i], x0[i], x1[i], y0, y1, i);
        }
        return new DenseArray[] {DenseArray.wrap(in[0].aval(), y0), DenseArray.wrap(in[0].aval(), y1)};
    }

    /**
     * One block into {@code y0[i], y1[i]}: five groups of four rounds (rotations 13, 15, 26, 6, then 17, 29,
     * 16, 24, alternating), each followed by a key injection; written out with constants, as the loop over
     * arrays of rotations cost twice as much.
     */
    static void hash(int k0, int k1, int x0, int x1, int[] y0, int[] y1, int i) {
        int k2 = k0 ^ k1 ^ 0x1BD11BDA;
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
        y0[i] = a;
        y1[i] = b;
    }

    /** Integer operands and results: no tangent. */
    @Override
    public Array[] jvp(Array[] primals, Array[] outs, Array[] tangents) {
        return new Array[] {Zero.like(outs[0]), Zero.like(outs[1])};
    }

    /** Batching: elementwise over the four operands. */
    @Override
    public Batched batch(Array[] vals, int[] dims, int axisSize) {
        boolean same = true;
        for (int d : dims) {
            same &= d == dims[0] && d != Batched.NOT_BATCHED;
        }
        Array[] args = same ? vals : BatchRules.allToFront(vals, dims, axisSize);
        int dim = same ? dims[0] : 0;
        Array[] outs = Interpreters.bind(this, args);
        return new Batched(outs, new int[] {dim, dim});
    }
}
