package dev.solstice.nn;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jnp;
import dev.solstice.Prng;
import dev.solstice.tree.Tree;

/**
 * An affine map {@code weight @ x + bias} (Equinox's {@code eqx.nn.Linear}), initialised as Equinox does:
 * weight and bias uniform on {@code [-1/sqrt(in), 1/sqrt(in))} (on {@code [-1, 1)} when {@code in} is 0) from
 * {@code split(key, 2)}. An in or out size of {@link #SCALAR} takes or gives a scalar instead of a vector of
 * length 1; a size of 0 gives a weight with no rows or columns, as in Equinox.
 *
 * <p>The canonical constructor does not check shapes: transformations rebuild layers with stacked (vmap)
 * or tree-of-tree leaves. The size-based constructors check their arguments.
 *
 * {@snippet lang=java :
 * Linear layer = new Linear(3, 2, Prng.key(0));
 * layer.apply(Jnp.ones(DType.FLOAT32, 3))   // Array(float32[2], [-0.8554429, -1.0906777])
 * Jax.vmap(layer::apply).apply(Jnp.ones(DType.FLOAT32, 5, 3))   // float32[5,2]
 * }
 *
 * @param weight {@code [out, in]}
 * @param bias {@code [out]}, or null without bias
 * @param inFeatures input size, or {@link #SCALAR}
 * @param outFeatures output size, or {@link #SCALAR}
 */
public record Linear(Array weight, Array bias, int inFeatures, int outFeatures) implements Layer {
    /** The size that means "a scalar, not a vector" (Equinox's {@code "scalar"}). */
    public static final int SCALAR = -1;

    /** A float32 layer with bias. */
    public Linear(int inFeatures, int outFeatures, Array key) {
        this(inFeatures, outFeatures, true, DType.FLOAT32, key);
    }

    /** A layer of the given dtype, with or without bias. */
    public Linear(int inFeatures, int outFeatures, boolean useBias, DType dtype, Array key) {
        this(init(inFeatures, outFeatures, useBias, dtype, key));
    }

    private Linear(Linear l) {
        this(l.weight, l.bias, l.inFeatures, l.outFeatures);
    }

    private static Linear init(int in, int out, boolean useBias, DType dtype, Array key) {
        Keys.check("Linear", key);
        if (in < SCALAR || out < SCALAR) {
            throw new IllegalArgumentException("Linear: sizes must be non-negative or Linear.SCALAR, got in " + in + ", out " + out);
        }
        int i = in == SCALAR ? 1 : in;
        int o = out == SCALAR ? 1 : out;
        // no inputs: Equinox's bound of 1 (the bias is then the whole output)
        double lim = i == 0 ? 1 : 1 / Math.sqrt(i);
        Array[] k = Prng.split(key, 2);
        Array w = Prng.uniform(k[0], new int[] {o, i}, dtype, -lim, lim);
        Array b = useBias ? Prng.uniform(k[1], new int[] {o}, dtype, -lim, lim) : null;
        return new Linear(w, b, in, out);
    }

    /**
     * Applies the layer to one example (batch with {@code Jax.vmap}).
     *
     * {@snippet lang=java :
     * Linear layer = new Linear(3, 2, Prng.key(0));
     * layer.apply(Jnp.ones(DType.FLOAT32, 3))   // Array(float32[2], [-0.8554429, -1.0906777])
     * Jax.vmap(layer::apply).apply(Jnp.ones(DType.FLOAT32, 5, 3))   // float32[5,2]
     * }
     */
    @Override
    public Array apply(Array x) {
        Array v = inFeatures == SCALAR ? Jnp.reshape(x, 1) : x;
        Array y = Jnp.matmul(weight, v);
        if (bias != null) {
            y = Jnp.add(y, bias);
        }
        return outFeatures == SCALAR ? Jnp.reshape(y) : y;
    }

    /** Equinox's {@code tree_pformat} rendering ({@link Tree#pformat}): arrays as dtype and shape. */
    @Override
    public String toString() {
        return Tree.pformat(this);
    }
}
