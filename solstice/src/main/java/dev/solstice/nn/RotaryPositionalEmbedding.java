package dev.solstice.nn;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jnp;
import dev.solstice.Lax;
import dev.solstice.tree.Tree;
import java.util.List;

/**
 * Rotary positional embedding (Equinox's {@code eqx.nn.RotaryPositionalEmbedding}, RoFormer) of one sequence
 * {@code x [seqLen, embeddingSize]}: with {@code d = embeddingSize / 2}, frequencies
 * {@code f_j = theta^(-2j / embeddingSize)} for {@code j < d} and angles {@code a[t, j] = t f_j},
 * <pre>
 * out[t, j]     = x[t, j]     cos a[t, j] - x[t, j + d] sin a[t, j]
 * out[t, j + d] = x[t, j + d] cos a[t, j] + x[t, j]     sin a[t, j]
 * </pre>
 * (Equinox's "rotate half" layout: the pairs are {@code (j, j + d)}, not adjacent elements). It has no
 * parameters. The sines and cosines are computed in double and rounded to {@code dtype} (Equinox computes them
 * in {@code dtype}, so float32 tables may differ from Equinox's in the last bits); the result has the input's
 * dtype (the products are taken in the promoted dtype of input and tables, then cast back, as Equinox). To use it in attention, apply it to the query and key heads through
 * {@link MultiheadAttention#apply(Array, Array, Array, Array, Array, java.util.function.UnaryOperator)}, with
 * {@code Jax.vmap(rope::apply, 1, 1)} over the heads axis.
 *
 * {@snippet lang=java :
 * RotaryPositionalEmbedding rope = new RotaryPositionalEmbedding(8);
 * Array x = Prng.normal(Prng.key(0), new int[] {5, 8}, DType.FLOAT32);
 * rope.apply(x)   // float32[5,8]
 * }
 *
 * @param embeddingSize the size of each embedding; non-negative and even
 * @param theta the base of the frequencies (Equinox's default 10000)
 * @param dtype the dtype of the sine and cosine tables
 */
public record RotaryPositionalEmbedding(int embeddingSize, double theta, DType dtype) implements Layer {

    /** Checks the size (non-negative, even), theta (positive) and dtype (floating), as Equinox does. */
    public RotaryPositionalEmbedding {
        if (embeddingSize < 0) {
            throw new IllegalArgumentException("RotaryPositionalEmbedding: embeddingSize must not be negative, got " + embeddingSize);
        }
        if (embeddingSize % 2 != 0) {
            throw new IllegalArgumentException("RotaryPositionalEmbedding: embeddingSize must be even, got " + embeddingSize);
        }
        if (!(theta > 0)) {
            throw new IllegalArgumentException("RotaryPositionalEmbedding: theta must be positive, got " + theta);
        }
        if (dtype == null || !dtype.isFloating()) {
            throw new IllegalArgumentException("RotaryPositionalEmbedding: the dtype must be floating, got " + dtype);
        }
    }

    /** theta 10000, float32 tables. */
    public RotaryPositionalEmbedding(int embeddingSize) {
        this(embeddingSize, 10_000.0, DType.FLOAT32);
    }

    /** float32 tables. */
    public RotaryPositionalEmbedding(int embeddingSize, double theta) {
        this(embeddingSize, theta, DType.FLOAT32);
    }

    /**
     * The cosine and sine tables, each {@code [seqLen, embeddingSize]} (the half-size table tiled twice along
     * the last axis), in {@code dtype}.
     *
     * {@snippet lang=java :
     * Array[] cs = new RotaryPositionalEmbedding(4).tables(3);
     * cs[0]   // float32[3,4]
     * Jnp.ravel(cs[1]).toDoubleArray()[0]   // 0.0
     * }
     */
    public Array[] tables(int seqLen) {
        int d = embeddingSize / 2;
        double[] cos = new double[seqLen * embeddingSize];
        double[] sin = new double[seqLen * embeddingSize];
        for (int j = 0; j < d; j++) {
            double f = 1.0 / Math.pow(theta, (2.0 * j) / embeddingSize);
            for (int t = 0; t < seqLen; t++) {
                double a = t * f;
                double c = Math.cos(a);
                double s = Math.sin(a);
                cos[t * embeddingSize + j] = c;
                cos[t * embeddingSize + j + d] = c;
                sin[t * embeddingSize + j] = s;
                sin[t * embeddingSize + j + d] = s;
            }
        }
        return new Array[] {Jnp.astype(Array.of(cos, seqLen, embeddingSize), dtype),
            Jnp.astype(Array.of(sin, seqLen, embeddingSize), dtype)};
    }

    /**
     * Applies the layer to one example (batch with {@code Jax.vmap}).
     *
     * {@snippet lang=java :
     * RotaryPositionalEmbedding rope = new RotaryPositionalEmbedding(8);
     * Array x = Prng.normal(Prng.key(0), new int[] {5, 8}, DType.FLOAT32);
     * rope.apply(x)   // float32[5,8]
     * }
     */
    @Override
    public Array apply(Array x) {
        if (x.ndim() != 2 || x.shape()[1] != embeddingSize) {
            throw new IllegalArgumentException("RotaryPositionalEmbedding: expected [seqLen, " + embeddingSize + "], got "
                    + x.aval().str() + " (use Jax.vmap for batches or heads)");
        }
        int seqLen = x.shape()[0];
        int d = embeddingSize / 2;
        Array[] t = tables(seqLen);
        Array lo = Lax.slice(x, new int[] {0, 0}, new int[] {seqLen, d}, new int[] {1, 1});
        Array hi = Lax.slice(x, new int[] {0, d}, new int[] {seqLen, embeddingSize}, new int[] {1, 1});
        Array rotated = Jnp.concatenate(List.of(Jnp.negative(hi), lo), 1);
        Array out = Jnp.add(Jnp.multiply(x, t[0]), Jnp.multiply(rotated, t[1]));
        return Jnp.astype(out, x.dtype());
    }

    /** Equinox's {@code tree_pformat} rendering ({@link Tree#pformat}): arrays as dtype and shape. */
    @Override
    public String toString() {
        return Tree.pformat(this);
    }
}
