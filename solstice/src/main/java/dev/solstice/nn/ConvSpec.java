package dev.solstice.nn;

import java.util.Arrays;

/**
 * The static configuration of a convolution layer (part of the layer's structure, never traced).
 *
 * {@snippet lang=java :
 * ConvSpec spec = ConvSpec.plain(2);
 * var conv = new Conv2d(3, 4, new int[] {3, 3}, spec, true, DType.FLOAT32, Prng.key(0));
 * conv.apply(Jnp.ones(DType.FLOAT32, 3, 8, 8))   // float32[4,6,6]
 * }
 *
 * @param stride window stride per spatial axis
 * @param padding the padding
 * @param dilation kernel dilation per spatial axis
 * @param groups channel groups
 * @param paddingMode how padding is filled: ZEROS, REFLECT, REPLICATE or CIRCULAR (as Equinox)
 * @param outputPadding extra size after each spatial axis of a transposed convolution (zeros otherwise)
 */
public record ConvSpec(int[] stride, Padding padding, int[] dilation, int groups, String paddingMode, int[] outputPadding) {
    /** Copies the arrays and checks the values. */
    public ConvSpec {
        stride = stride.clone();
        dilation = dilation.clone();
        outputPadding = outputPadding.clone();
        if (Arrays.stream(stride).anyMatch(s -> s <= 0) || Arrays.stream(dilation).anyMatch(d -> d <= 0) || groups <= 0) {
            throw new IllegalArgumentException("ConvSpec: strides, dilations and groups must be positive, got stride "
                    + Arrays.toString(stride) + ", dilation " + Arrays.toString(dilation) + ", groups " + groups);
        }
        if (!java.util.List.of("ZEROS", "REFLECT", "REPLICATE", "CIRCULAR").contains(paddingMode)) {
            throw new IllegalArgumentException("ConvSpec: padding mode must be ZEROS, REFLECT, REPLICATE or CIRCULAR, got " + paddingMode);
        }
    }

    /**
     * Stride 1, no padding, no dilation, one group, zero padding mode, for {@code n} spatial axes.
     *
     * {@snippet lang=java :
     * ConvSpec.plain(2).groups()   // 1
     * Arrays.toString(ConvSpec.plain(2).stride())   // [1, 1]
     * }
     */
    public static ConvSpec plain(int n) {
        int[] ones = new int[n];
        Arrays.fill(ones, 1);
        return new ConvSpec(ones, Padding.of(0, n), ones, 1, "ZEROS", new int[n]);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConvSpec c && Arrays.equals(c.stride, stride) && c.padding.equals(padding)
                && Arrays.equals(c.dilation, dilation) && c.groups == groups && c.paddingMode.equals(paddingMode)
                && Arrays.equals(c.outputPadding, outputPadding);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(stride) * 31 + padding.hashCode() * 17 + groups;
    }

    @Override
    public String toString() {
        return "ConvSpec(stride=" + Arrays.toString(stride) + ", padding=" + padding + ", dilation=" + Arrays.toString(dilation)
                + ", groups=" + groups + ", mode=" + paddingMode + ")";
    }
}
