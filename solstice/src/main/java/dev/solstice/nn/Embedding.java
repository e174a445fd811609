package dev.solstice.nn;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jnp;
import dev.solstice.Lax;
import dev.solstice.Prng;
import dev.solstice.tree.Tree;

/**
 * A lookup table (Equinox's {@code eqx.nn.Embedding}): an integer index (of any integer dtype) picks a row of
 * {@code weight}, initialised standard normal. The index is read as Equinox's {@code weight[index]} reads it: a negative one
 * counts from the end ({@code -1} is the last row), and one still outside the table is clamped to the first
 * or last row, as JAX's indexing does. The lookup is a dynamic slice (its gradient scatters into the picked
 * row; under vmap it becomes one gather).
 *
 * {@snippet lang=java :
 * Embedding embed = new Embedding(10, 4, Prng.key(0));
 * embed.apply(Array.scalar(3))   // Array(float32[4], [0.35857072, 0.15779513, 1.2770847 , 1.5104648 ])
 * }
 *
 * @param weight {@code [numEmbeddings, embeddingSize]}
 */
public record Embedding(Array weight) implements Layer {
    /** A float32 table initialised from {@code normal(key)}. */
    public Embedding(int numEmbeddings, int embeddingSize, Array key) {
        this(numEmbeddings, embeddingSize, DType.FLOAT32, key);
    }

    /**
     * A table of {@code dtype} (a floating dtype, as Equinox's {@code dtype} argument) initialised from
     * {@code normal(key)} drawn in that dtype.
     *
     * {@snippet lang=java :
     * new Embedding(10, 4, DType.BFLOAT16, Prng.key(0)).apply(Array.scalar(3)).aval()   // bfloat16[4]
     * }
     */
    public Embedding(int numEmbeddings, int embeddingSize, DType dtype, Array key) {
        this(init(numEmbeddings, embeddingSize, dtype, key));
    }

    private static Array init(int n, int size, DType dtype, Array key) {
        Keys.positive("Embedding", "numEmbeddings", n);
        Keys.positive("Embedding", "embeddingSize", size);
        Keys.check("Embedding", key);
        if (dtype == null || !dtype.isFloating()) {
            throw new IllegalArgumentException("Embedding: the dtype must be floating, got " + dtype);
        }
        return Prng.normal(key, new int[] {n, size}, dtype);
    }

    /**
     * Applies the layer to one example (batch with {@code Jax.vmap}).
     *
     * {@snippet lang=java :
     * Embedding embed = new Embedding(10, 4, Prng.key(0));
     * embed.apply(Array.scalar(3))   // Array(float32[4], [0.35857072, 0.15779513, 1.2770847 , 1.5104648 ])
     * }
     */
    @Override
    public Array apply(Array index) {
        if (!index.dtype().isInteger() || index.ndim() != 0) {
            throw new IllegalArgumentException("Embedding: the index must be an integer scalar, got " + index.aval().str()
                    + " (use Jax.vmap for several)");
        }
        int n = weight.shape()[0];
        int size = weight.shape()[1];
        Array wrapped;
        if (index.dtype() == DType.INT32) {
            // wrap negatives once, as JAX's indexing does; dynamic_slice then clamps what is still out of range
            wrapped = Jnp.where(Jnp.less(index, Array.scalar(0)), Jnp.add(index, Array.scalar(n)), index);
        } else {
            // other integer types: wrap and clamp in int64 (exact for all of them), then the int32 start
            Array wide = Jnp.astype(index, DType.INT64);
            Array zero = Jnp.zerosLike(wide);
            Array positive = Jnp.where(Jnp.less(wide, zero), Jnp.add(wide, Jnp.full(DType.INT64, n)), wide);
            wrapped = Jnp.astype(Jnp.clip(positive, zero, Jnp.full(DType.INT64, n - 1)), DType.INT32);
        }
        Array row = Lax.dynamicSlice(weight, new Array[] {wrapped, Array.scalar(0)}, new int[] {1, size});
        return Jnp.reshape(row, size);
    }

    /** Equinox's {@code tree_pformat} rendering ({@link Tree#pformat}): arrays as dtype and shape. */
    @Override
    public String toString() {
        return Tree.pformat(this);
    }
}
