package dev.solstice.nn;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.tree.Tree;

/**
 * A 1-D transposed convolution (Equinox's {@code eqx.nn.ConvTranspose1d}) for one example of shape
 * {@code [inChannels, length]}: weight {@code [out, in/groups, kernel...]} and bias {@code [out, 1...]} initialised uniform
 * on {@code +-1/sqrt(in/groups * prod(kernel))} from {@code split(key, 2)}. As in Equinox, the input is dilated
 * by the strides and convolved with the kernel as it is (PyTorch flips it), padded by
 * {@code dilation*(kernel-1) - padding} (plus the output padding after); SAME, SAME_LOWER and VALID padding,
 * and the CIRCULAR mode with SAME padding, are those of the equivalent Conv. To get the exact transpose of a
 * Conv of one group, give it that Conv's weight flipped along the spatial axes with its first two axes swapped.
 *
 * {@snippet lang=java :
 * ConvTranspose1d deconv = new ConvTranspose1d(3, 4, 3, Prng.key(0));
 * deconv.apply(Jnp.ones(DType.FLOAT32, 3, 10))   // float32[4,12]
 * }
 *
 * @param weight {@code [out, in/groups, kernel...]}
 * @param bias {@code [out, 1...]}, or null
 * @param spec strides, padding, dilation, groups, padding mode, output padding (static)
 */
public record ConvTranspose1d(Array weight, Array bias, ConvSpec spec) implements Layer {
    private static final int N = 1;

    /** Stride 1, no padding, no dilation, one group, with bias, float32. */
    public ConvTranspose1d(int inChannels, int outChannels, int kernelSize, Array key) {
        this(inChannels, outChannels, new int[] {kernelSize}, ConvSpec.plain(N), true, DType.FLOAT32, key);
    }

    /**
     * Every option; {@code kernelSize} has one value (used for every axis) or one per spatial axis, and the
     * spec's arrays likewise.
     */
    public ConvTranspose1d(int inChannels, int outChannels, int[] kernelSize, ConvSpec spec, boolean useBias, DType dtype, Array key) {
        this(Convolutions.init("ConvTranspose1d", inChannels, outChannels, Convolutions.perAxis("ConvTranspose1d", "kernel size", kernelSize, N),
                spec.groups(), useBias, dtype, key), normalise(spec));
    }

    private ConvTranspose1d(Array[] wb, ConvSpec spec) {
        this(wb[0], wb[1], spec);
    }

    private static ConvSpec normalise(ConvSpec s) {
        return Convolutions.transposedSpec("ConvTranspose1d", s, N);
    }

    /**
     * Applies the layer to one example (batch with {@code Jax.vmap}).
     *
     * {@snippet lang=java :
     * ConvTranspose1d deconv = new ConvTranspose1d(3, 4, 3, Prng.key(0));
     * deconv.apply(Jnp.ones(DType.FLOAT32, 3, 10))   // float32[4,12]
     * }
     */
    @Override
    public Array apply(Array x) {
        return Convolutions.applyTransposed("ConvTranspose1d", weight, bias, spec, x);
    }

    /** Equinox's {@code tree_pformat} rendering ({@link Tree#pformat}): arrays as dtype and shape. */
    @Override
    public String toString() {
        return Tree.pformat(this);
    }
}
