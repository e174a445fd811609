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
import dev.solstice.kernel.Kernels;

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
 *
 * <p>Evaluated by {@link Kernels#threefry2x32} (the Vector API kernel where available; the scalar block is
 * {@code dev.solstice.kernel.Threefry}).
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
        int n = in[0].aval().size();
        int[] y0 = new int[n];
        int[] y1 = new int[n];
        if (n > 0 && isOneValue(in[0]) && isOneValue(in[1])) { // a broadcast key: read once, not copied n times
            Kernels.get().threefry2x32(firstValue(in[0]), firstValue(in[1]), in[2].ints(), in[3].ints(), y0, y1, n);
        } else {
            Kernels.get().threefry2x32(in[0].ints(), in[1].ints(), in[2].ints(), in[3].ints(), y0, y1, n);
        }
        return new DenseArray[] {DenseArray.wrap(in[0].aval(), y0), DenseArray.wrap(in[0].aval(), y1)};
    }

    /** Whether every element of {@code x} is one stored word: a view whose strides are all zero. */
    private static boolean isOneValue(DenseArray x) {
        if (x.isContiguous()) {
            return x.aval().size() == 1;
        }
        for (int s : x.strides()) {
            if (s != 0) {
                return false;
            }
        }
        return true;
    }

    private static int firstValue(DenseArray x) {
        return ((int[]) x.storage())[x.offset()];
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
