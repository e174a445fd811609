package dev.solstice.nn;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.tree.Tree;

/**
 * A 1-D convolution (Equinox's {@code eqx.nn.Conv1d}) for one example of shape {@code [inChannels, length]}:
 * weight {@code [out, in/groups, kernel...]} and bias {@code [out, 1...]} initialised uniform on
 * {@code +-1/sqrt(in/groups * prod(kernel))} from {@code split(key, 2)}.
 *
 * {@snippet lang=java :
 * Conv1d conv = new Conv1d(3, 4, 3, Prng.key(0));
 * conv.apply(Jnp.ones(DType.FLOAT32, 3, 10))   // float32[4,8]
 * }
 *
 * @param weight {@code [out, in/groups, kernel...]}
 * @param bias {@code [out, 1...]}, or null
 * @param spec strides, padding, dilation, groups, padding mode (static)
 */
public record Conv1d(Array weight, Array bias, ConvSpec spec) implements Layer {
    private static final int N = 1;

    /** Stride 1, no padding, no dilation, one group, with bias, float32. */
    public Conv1d(int inChannels, int outChannels, int kernelSize, Array key) {
        this(inChannels, outChannels, new int[] {kernelSize}, ConvSpec.plain(N), true, DType.FLOAT32, key);
    }

    /**
     * Every option; {@code kernelSize} has one value (used for every axis) or one per spatial axis, and the
     * spec's arrays likewise.
     */
    public Conv1d(int inChannels, int outChannels, int[] kernelSize, ConvSpec spec, boolean useBias, DType dtype, Array key) {
        this(Convolutions.init("Conv1d", inChannels, outChannels, Convolutions.perAxis("Conv1d", "kernel size", kernelSize, N),
                spec.groups(), useBias, dtype, key), normalise(spec));
    }

    private Conv1d(Array[] wb, ConvSpec spec) {
        this(wb[0], wb[1], spec);
    }

    private static ConvSpec normalise(ConvSpec s) {
        return new ConvSpec(Convolutions.perAxis("Conv1d", "stride", s.stride(), N), s.padding(),
                Convolutions.perAxis("Conv1d", "dilation", s.dilation(), N), s.groups(), s.paddingMode(),
                Convolutions.perAxis("Conv1d", "output padding", s.outputPadding(), N));
    }

    /**
     * Applies the layer to one example (batch with {@code Jax.vmap}).
     *
     * {@snippet lang=java :
     * Conv1d conv = new Conv1d(3, 4, 3, Prng.key(0));
     * conv.apply(Jnp.ones(DType.FLOAT32, 3, 10))   // float32[4,8]
     * }
     */
    @Override
    public Array apply(Array x) {
        return Convolutions.apply("Conv1d", weight, bias, spec, x);
    }

    /** Equinox's {@code tree_pformat} rendering ({@link Tree#pformat}): arrays as dtype and shape. */
    @Override
    public String toString() {
        return Tree.pformat(this);
    }
}
