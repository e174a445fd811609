package dev.solstice.nn;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Prng;
import dev.solstice.tree.Tree;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A multi-layer perceptron (Equinox's {@code eqx.nn.MLP}): {@code depth} hidden layers of width
 * {@code widthSize}, the activation after each hidden layer and the final activation after the last. Keys
 * come from {@code split(key, depth + 1)}, one per layer, as in Equinox.
 *
 * {@snippet lang=java :
 * MLP mlp = new MLP(4, 2, 8, 2, Nn::relu, Prng.key(0));
 * mlp.apply(Jnp.ones(DType.FLOAT32, 4))   // Array(float32[2], [ 0.00879374, -0.08004468])
 * mlp.layers().size()   // 3
 * }
 *
 * @param layers the linear layers, {@code depth + 1} of them
 * @param activation applied after every layer but the last (static)
 * @param finalActivation applied after the last layer (static)
 * @param inSize input size
 * @param outSize output size
 * @param widthSize hidden width
 * @param depth number of hidden layers
 */
public record MLP(List<Linear> layers, Function<Array, Array> activation, Function<Array, Array> finalActivation,
        int inSize, int outSize, int widthSize, int depth) implements Layer {

    /** Copies the list and checks it has {@code depth + 1} layers. */
    public MLP {
        layers = List.copyOf(layers);
        if (layers.size() != depth + 1) {
            throw new IllegalArgumentException("MLP: " + (depth + 1) + " layers expected for depth " + depth + ", got " + layers.size());
        }
    }

    /** A float32 MLP with biases and no final activation: {@code new MLP(64, 10, 128, 2, Nn::relu, key)}. */
    public MLP(int inSize, int outSize, int widthSize, int depth, Function<Array, Array> activation, Array key) {
        this(build(inSize, outSize, widthSize, depth, true, true, DType.FLOAT32, key), activation, x -> x, inSize, outSize,
                widthSize, depth);
    }

    /** An MLP with every option: biases on hidden and final layers, dtype, final activation. */
    public MLP(int inSize, int outSize, int widthSize, int depth, Function<Array, Array> activation,
            Function<Array, Array> finalActivation, boolean useBias, boolean useFinalBias, DType dtype, Array key) {
        this(build(inSize, outSize, widthSize, depth, useBias, useFinalBias, dtype, key), activation, finalActivation, inSize,
                outSize, widthSize, depth);
    }

    private static List<Linear> build(int in, int out, int width, int depth, boolean useBias, boolean useFinalBias,
            DType dtype, Array key) {
        Keys.check("MLP", key);
        if (depth < 0) {
            throw new IllegalArgumentException("MLP: depth must be non-negative, got " + depth);
        }
        if (depth > 0) {
            Keys.positive("MLP", "widthSize", width);
        }
        Array[] keys = Prng.split(key, depth + 1);
        List<Linear> layers = new ArrayList<>();
        if (depth == 0) {
            layers.add(new Linear(in, out, useFinalBias, dtype, keys[0]));
        } else {
            layers.add(new Linear(in, width, useBias, dtype, keys[0]));
            for (int i = 1; i < depth; i++) {
                layers.add(new Linear(width, width, useBias, dtype, keys[i]));
            }
            layers.add(new Linear(width, out, useFinalBias, dtype, keys[depth]));
        }
        return layers;
    }

    /**
     * Applies the layer to one example (batch with {@code Jax.vmap}).
     *
     * {@snippet lang=java :
     * MLP mlp = new MLP(4, 2, 8, 2, Nn::relu, Prng.key(0));
     * mlp.apply(Jnp.ones(DType.FLOAT32, 4))   // Array(float32[2], [ 0.00879374, -0.08004468])
     * mlp.layers().size()   // 3
     * }
     */
    @Override
    public Array apply(Array x) {
        Array y = x;
        for (int i = 0; i < layers.size() - 1; i++) {
            y = activation.apply(layers.get(i).apply(y));
        }
        return finalActivation.apply(layers.getLast().apply(y));
    }

    /** Equinox's {@code tree_pformat} rendering ({@link Tree#pformat}): arrays as dtype and shape. */
    @Override
    public String toString() {
        return Tree.pformat(this);
    }
}
