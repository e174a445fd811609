package dev.solstice.nn;

import java.util.Arrays;

/**
 * The static configuration of a windowed pooling layer (part of the layer's structure).
 *
 * {@snippet lang=java :
 * var pool = new MaxPool2d(new int[] {3, 3}, new int[] {2, 2}, Padding.of(1, 2), false);
 * pool.apply(Jnp.ones(DType.FLOAT32, 1, 8, 8))   // float32[1,4,4]
 * }
 *
 * @param kernelSize window per spatial axis
 * @param stride step per spatial axis
 * @param padding the padding
 * @param useCeil round the output size up (extra padding after), as PyTorch's {@code ceil_mode}
 */
public record PoolSpec(int[] kernelSize, int[] stride, Padding padding, boolean useCeil) {
    /** Copies the arrays. */
    public PoolSpec {
        kernelSize = kernelSize.clone();
        stride = stride.clone();
    }

    /** The spec for a layer with {@code n} spatial axes: single values repeated per axis, all checked positive. */
    static PoolSpec forAxes(String layer, int n, int[] kernelSize, int[] stride, Padding padding, boolean useCeil) {
        int[] k = Convolutions.perAxis(layer, "kernel size", kernelSize, n);
        int[] s = Convolutions.perAxis(layer, "stride", stride, n);
        for (int i = 0; i < n; i++) {
            Keys.positive(layer, "kernel size", k[i]);
            Keys.positive(layer, "stride", s[i]);
        }
        return new PoolSpec(k, s, padding, useCeil);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PoolSpec p && Arrays.equals(p.kernelSize, kernelSize) && Arrays.equals(p.stride, stride)
                && p.padding.equals(padding) && p.useCeil == useCeil;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(kernelSize) * 31 + Arrays.hashCode(stride);
    }

    @Override
    public String toString() {
        return "PoolSpec(kernel=" + Arrays.toString(kernelSize) + ", stride=" + Arrays.toString(stride) + ", padding=" + padding
                + (useCeil ? ", ceil" : "") + ")";
    }
}
