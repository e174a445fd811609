package dev.solstice.nn;

import dev.solstice.Array;
import dev.solstice.Prng;
import dev.solstice.tree.Tree;
import java.util.List;

/**
 * Layers applied in order (Equinox's {@code eqx.nn.Sequential}). With a key, each layer gets its own,
 * from {@code split(key, n)}.
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

    @Override
    public Array apply(Array x) {
        Array y = x;
        for (Layer l : layers) {
            y = l.apply(y);
        }
        return y;
    }

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
