package dev.solstice.nn;

import dev.solstice.Array;
import dev.solstice.Prng;
import dev.solstice.tree.Tree;
import java.util.List;

/**
 * Layers applied in order (Equinox's {@code eqx.nn.Sequential}). With a key, each layer gets its own,
 * from {@code split(key, n)}.
 *
 * {@snippet lang=java :
 * Sequential net = new Sequential(new Linear(4, 8, Prng.key(0)), new Lambda(Nn::relu), new Linear(8, 2, Prng.key(1)));
 * net.apply(Jnp.ones(DType.FLOAT32, 4))   // Array(float32[2], [-0.1271046 , -0.21932298])
 * }
 *
 * @param layers the layers
 */
public record Sequential(List<Layer> layers) implements Layer {
    /** Copies the list. */
    public Sequential {
        layers = List.copyOf(layers);
    }

    /** Layers given one by one. */
    public Sequential(Layer... layers) {
        this(List.of(layers));
    }

    /**
     * Applies the layer to one example (batch with {@code Jax.vmap}).
     *
     * {@snippet lang=java :
     * Sequential net = new Sequential(new Linear(4, 8, Prng.key(0)), new Lambda(Nn::relu), new Linear(8, 2, Prng.key(1)));
     * net.apply(Jnp.ones(DType.FLOAT32, 4))   // Array(float32[2], [-0.1271046 , -0.21932298])
     * }
     */
    @Override
    public Array apply(Array x) {
        Array y = x;
        for (Layer l : layers) {
            y = l.apply(y);
        }
        return y;
    }

    /**
     * Applies dropout with a PRNG key: each element is zeroed with probability p and the rest scaled by 1 / (1 - p).
     *
     * {@snippet lang=java :
     * Array y = new Dropout(0.5).apply(Jnp.ones(DType.FLOAT32, 8), Prng.key(0));
     * y   // Array(float32[8], [0.0, 0.0, 2.0, 2.0, 0.0, 2.0, 2.0, 0.0])
     * }
     */
    @Override
    public Array apply(Array x, Array key) {
        if (key == null || layers.isEmpty()) {
            return apply(x);
        }
        Array[] keys = Prng.split(key, layers.size());
        Array y = x;
        for (int i = 0; i < layers.size(); i++) {
            y = layers.get(i).apply(y, keys[i]);
        }
        return y;
    }

    /** Equinox's {@code tree_pformat} rendering ({@link Tree#pformat}): arrays as dtype and shape. */
    @Override
    public String toString() {
        return Tree.pformat(this);
    }
}
