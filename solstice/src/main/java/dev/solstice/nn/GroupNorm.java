package dev.solstice.nn;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jnp;
import dev.solstice.tree.Tree;

/**
 * Group normalisation (Equinox's {@code eqx.nn.GroupNorm}) of one example of shape {@code [channels, ...]}:
 * the channels are split into {@code groups} consecutive groups, each group (with all its spatial positions)
 * is normalised to {@code (x - mean) / sqrt(var + eps)}, and, with a channelwise affine, each channel is then
 * scaled by {@code weight[c]} and shifted by {@code bias[c]} (initialised to ones and zeros).
 * {@code groups = 1} normalises the whole example (LayerNorm with per-channel affine); {@code groups = channels}
 * is instance normalisation. As Equinox's, it computes in at least float32 and returns the example's dtype (a
 * floating example).
 *
 * <p>The canonical constructor does not check shapes (transformations rebuild layers with stacked leaves); the
 * size-based constructors do.
 *
 * {@snippet lang=java :
 * GroupNorm norm = new GroupNorm(2, 4);
 * Array y = norm.apply(Prng.normal(Prng.key(0), new int[] {4, 6}, DType.FLOAT32));
 * y   // float32[4,6]
 * }
 *
 * @param weight {@code [channels]} scale, or null without the affine
 * @param bias {@code [channels]} shift, or null without the affine
 * @param groups number of groups, dividing {@code channels}
 * @param channels number of channels (the example's first axis)
 * @param eps added to the variance
 * @param channelwiseAffine whether {@code weight} and {@code bias} are applied
 */
public record GroupNorm(Array weight, Array bias, int groups, int channels, double eps, boolean channelwiseAffine)
        implements Layer {

    /** float32, eps 1e-5, with the channelwise affine. */
    public GroupNorm(int groups, int channels) {
        this(groups, channels, 1e-5, true, DType.FLOAT32);
    }

    /** float32 with the given eps and affine choice. */
    public GroupNorm(int groups, int channels, double eps, boolean channelwiseAffine) {
        this(groups, channels, eps, channelwiseAffine, DType.FLOAT32);
    }

    /** Every option. */
    public GroupNorm(int groups, int channels, double eps, boolean channelwiseAffine, DType dtype) {
        this(check(groups, channels, eps, channelwiseAffine, dtype));
    }

    private GroupNorm(GroupNorm g) {
        this(g.weight, g.bias, g.groups, g.channels, g.eps, g.channelwiseAffine);
    }

    private static GroupNorm check(int groups, int channels, double eps, boolean affine, DType dtype) {
        Keys.positive("GroupNorm", "groups", groups);
        Keys.positive("GroupNorm", "channels", channels);
        if (channels % groups != 0) {
            throw new IllegalArgumentException("GroupNorm: groups (" + groups + ") must divide channels (" + channels + ")");
        }
        if (!(eps >= 0)) {
            throw new IllegalArgumentException("GroupNorm: eps must be non-negative, got " + eps);
        }
        if (dtype == null || !dtype.isFloating()) {
            throw new IllegalArgumentException("GroupNorm: the dtype must be floating, got " + dtype);
        }
        return new GroupNorm(affine ? Jnp.ones(dtype, channels) : null, affine ? Jnp.zeros(dtype, channels) : null, groups,
                channels, eps, affine);
    }

    /**
     * Applies the layer to one example (batch with {@code Jax.vmap}).
     *
     * {@snippet lang=java :
     * GroupNorm norm = new GroupNorm(2, 4);
     * Array y = norm.apply(Prng.normal(Prng.key(0), new int[] {4, 6}, DType.FLOAT32));
     * y   // float32[4,6]
     * }
     */
    @Override
    public Array apply(Array x) {
        if (x.ndim() == 0 || x.shape()[0] != channels) {
            throw new IllegalArgumentException("GroupNorm: expected an example of shape [" + channels + ", ...], got "
                    + x.aval().str() + " (use Jax.vmap for batches)");
        }
        Array y = Jnp.reshape(Jnp.astype(x, Norms.computeDType(x)), groups, -1);
        Array mean = Jnp.mean(y, new int[] {1}, true);
        Array var = Jnp.var(y, new int[] {1}, 0, true);
        Array out = Jnp.reshape(Jnp.multiply(Jnp.subtract(y, mean), Jnp.rsqrt(Jnp.add(var, eps))), x.shape());
        if (channelwiseAffine) {
            int[] bshape = new int[x.ndim()];
            java.util.Arrays.fill(bshape, 1);
            bshape[0] = channels;
            out = Norms.affine(out, Jnp.reshape(weight, bshape), Jnp.reshape(bias, bshape));
        }
        return Norms.toInputDType(out, x);
    }

    /** Equinox's {@code tree_pformat} rendering ({@link Tree#pformat}): arrays as dtype and shape. */
    @Override
    public String toString() {
        return Tree.pformat(this);
    }
}
