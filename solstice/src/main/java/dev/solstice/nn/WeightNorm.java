package dev.solstice.nn;

import dev.solstice.Array;
import dev.solstice.Jnp;
import dev.solstice.tree.Tree;
import dev.solstice.tree.TreeAt;
import java.util.function.Function;

/**
 * Weight normalisation (Equinox's {@code eqx.nn.WeightNorm}): the wrapped layer's weight {@code v} is used
 * as {@code g * v / ||v||}, the norm taken over every axis but {@code axis} (all axes when {@code axis} is
 * negative), with {@code g} a learned scale initialised to {@code ||v||}, so the layer starts unchanged.
 *
 * {@snippet lang=java :
 * WeightNorm<Linear> wn = WeightNorm.of(new Linear(4, 3, Prng.key(0)));
 * wn.apply(Jnp.ones(DType.FLOAT32, 4))   // Array(float32[3], [-1.1201097 , -0.6472943 , -0.28570294])
 * wn.g()   // float32[3,1]
 * }
 *
 * @param <L> the wrapped layer's type
 * @param layer the wrapped layer, holding {@code v} as its weight
 * @param g the learned norm, shaped like {@code v} with size 1 on the normed axes
 * @param weightOf picks the weight out of the layer (static)
 * @param axis the axis kept (output channels: 0), or -1 for one norm over everything
 */
public record WeightNorm<L extends Layer>(L layer, Array g, Function<L, Array> weightOf, int axis) implements Layer {

    /** Normalises the weight picked by {@code weightOf}, keeping {@code axis}. */
    public WeightNorm(L layer, Function<L, Array> weightOf, int axis) {
        this(layer, norm(weightOf.apply(layer), axis), weightOf, axis);
    }

    /**
     * A Linear layer's weight, per output unit (axis 0), as Equinox's default.
     *
     * {@snippet lang=java :
     * WeightNorm<Linear> wn = WeightNorm.of(new Linear(4, 3, Prng.key(0)));
     * wn.axis()   // 0
     * wn.g()   // float32[3,1]
     * }
     */
    public static WeightNorm<Linear> of(Linear layer) {
        return new WeightNorm<>(layer, Linear::weight, 0);
    }

    static Array norm(Array v, int axis) {
        if (axis >= v.ndim()) {
            throw new IllegalArgumentException("WeightNorm: axis " + axis + " is out of range for a weight of " + v.aval().str());
        }
        int[] axes = java.util.stream.IntStream.range(0, v.ndim()).filter(a -> a != axis).toArray();
        return Jnp.sqrt(Jnp.sum(Jnp.square(v), axes, true));
    }

    /**
     * Applies the layer to one example (batch with {@code Jax.vmap}).
     *
     * {@snippet lang=java :
     * WeightNorm<Linear> wn = WeightNorm.of(new Linear(4, 3, Prng.key(0)));
     * wn.apply(Jnp.ones(DType.FLOAT32, 4))   // Array(float32[3], [-1.1201097 , -0.6472943 , -0.28570294])
     * wn.g()   // float32[3,1]
     * }
     */
    @Override
    public Array apply(Array x) {
        Array v = weightOf.apply(layer);
        Array w = Jnp.multiply(v, Jnp.divide(g, norm(v, axis)));
        return TreeAt.replace(weightOf, layer, w).apply(x);
    }

    /** Equinox's {@code tree_pformat} rendering ({@link Tree#pformat}): arrays as dtype and shape. */
    @Override
    public String toString() {
        return Tree.pformat(this);
    }
}
