package dev.solstice.nn;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jnp;
import dev.solstice.Lax;
import dev.solstice.Prng;
import java.util.OptionalInt;

/**
 * A lookup table (Equinox's {@code eqx.nn.Embedding}): an int32 index picks a row of {@code weight},
 * initialised standard normal. The lookup is a dynamic slice (its gradient scatters into the picked row;
 * under vmap it becomes one gather); out-of-range concrete indices are an error.
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

    @Override
    public Array apply(Array index) {
        if (index.dtype() != DType.INT32 || index.ndim() != 0) {
            throw new IllegalArgumentException("Embedding: the index must be an int32 scalar, got " + index.aval().str()
                    + " (use Jax.vmap for several)");
        }
        int n = weight.shape()[0];
        OptionalInt known = known(index);
        if (known.isPresent() && (known.getAsInt() < 0 || known.getAsInt() >= n)) {
            throw new IllegalArgumentException("Embedding: index " + known.getAsInt() + " is out of range for " + n + " embeddings");
        }
        int size = weight.shape()[1];
        Array row = Lax.dynamicSlice(weight, new Array[] {index, Array.scalar(0)}, new int[] {1, size});
        return Jnp.reshape(row, size);
    }

    /**
     * The index when Java can read it (a concrete value, or the primal under differentiation); empty when it
     * is abstract (batched by vmap or staged), where {@code item()} refuses.
     */
    private static OptionalInt known(Array index) {
        try {
            return OptionalInt.of((int) index.item());
        } catch (IllegalStateException abstractValue) {
            return OptionalInt.empty();
        }
    }
}
