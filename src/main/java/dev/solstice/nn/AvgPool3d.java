package dev.solstice.nn;

import dev.solstice.Array;
import java.util.Arrays;

/**
 * Mean over sliding windows (Equinox's {@code eqx.nn.AvgPool3d}) over the 3 spatial axes of one example {@code [channels, ...]}.
 * Equinox's defaults: stride 1, no padding; padding zeros count in the mean (the sum is divided by the full window size).
 *
 * @param kernelSize window per spatial axis
 * @param stride step per spatial axis
 * @param padding the padding
 * @param useCeil round the output size up (extra padding after), as PyTorch's {@code ceil_mode}
 */
public record AvgPool3d(int[] kernelSize, int[] stride, Padding padding, boolean useCeil) implements Layer {
    private static final int N = 3;

    /** Copies the arrays and checks them. */
    public AvgPool3d {
        kernelSize = Convolutions.perAxis("AvgPool3d", "kernel size", kernelSize, N);
        stride = Convolutions.perAxis("AvgPool3d", "stride", stride, N);
        for (int i = 0; i < N; i++) {
            Keys.positive("AvgPool3d", "kernel size", kernelSize[i]);
            Keys.positive("AvgPool3d", "stride", stride[i]);
        }
    }

    /** Stride 1, no padding. */
    public AvgPool3d(int kernelSize) {
        this(new int[] {kernelSize}, new int[] {1}, Padding.of(0, N), false);
    }

    /** The given kernel size and stride, no padding. */
    public AvgPool3d(int kernelSize, int stride) {
        this(new int[] {kernelSize}, new int[] {stride}, Padding.of(0, N), false);
    }

    @Override
    public Array apply(Array x) {
        return Pooling.window("AvgPool3d", x, kernelSize, stride, padding, useCeil, false);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AvgPool3d p && Arrays.equals(p.kernelSize, kernelSize) && Arrays.equals(p.stride, stride)
                && p.padding.equals(padding) && p.useCeil == useCeil;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(kernelSize) * 31 + Arrays.hashCode(stride);
    }

    @Override
    public String toString() {
        return "AvgPool3d(kernel=" + Arrays.toString(kernelSize) + ", stride=" + Arrays.toString(stride) + ", padding=" + padding + ")";
    }
}
