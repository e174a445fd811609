package dev.solstice.nn;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jnp;
import dev.solstice.Lax;
import dev.solstice.Prng;
import dev.solstice.tree.Tree;

/**
 * A lookup table (Equinox's {@code eqx.nn.Embedding}): an int32 index picks a row of {@code weight},
 * initialised standard normal. The index is read as Equinox's {@code weight[index]} reads it: a negative one
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
        this(init(numEmbeddings, embeddingSize, key));
    }

    private static Array init(int n, int size, Array key) {
        Keys.positive("Embedding", "numEmbeddings", n);
        Keys.positive("Embedding", "embeddingSize", size);
        Keys.check("Embedding", key);
        return Prng.normal(key, new int[] {n, size}, DType.FLOAT32);
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
        if (index.dtype() != DType.INT32 || index.ndim() != 0) {
            throw new IllegalArgumentException("Embedding: the index must be an int32 scalar, got " + index.aval().str()
                    + " (use Jax.vmap for several)");
        }
        int n = weight.shape()[0];
        int size = weight.shape()[1];
        // wrap negatives once, as JAX's indexing does; dynamic_slice then clamps what is still out of range
        Array wrapped = Jnp.where(Jnp.less(index, Array.scalar(0)), Jnp.add(index, Array.scalar(n)), index);
        Array row = Lax.dynamicSlice(weight, new Array[] {wrapped, Array.scalar(0)}, new int[] {1, size});
        return Jnp.reshape(row, size);
    }

    /** Equinox's {@code tree_pformat} rendering ({@link Tree#pformat}): arrays as dtype and shape. */
    @Override
    public String toString() {
        return Tree.pformat(this);
    }
}
