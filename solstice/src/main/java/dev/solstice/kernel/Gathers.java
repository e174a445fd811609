package dev.solstice.kernel;

import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Shapes;
import java.util.Arrays;

/**
 * Index tables for the gather-based kernels: multi-indices of a shape, inputs extended by the zero that
 * padding reads, and the im2col table of a convolution. They depend only on shapes, so every kernel
 * implementation shares them (the im2col table through the {@link PlanCache}).
 */
public final class Gathers {
    private Gathers() {}

    /** The multi-indices of a shape in row-major order. */
    public static int[][] multiIndices(int[] shape) {
        int n = Shapes.size(shape);
        int[][] r = new int[n][shape.length];
        for (int i = 0; i < n; i++) {
            int f = i;
            for (int a = shape.length - 1; a >= 0; a--) {
                r[i][a] = f % shape[a];
                f /= shape[a];
            }
        }
        return r;
    }

    /** The elements of {@code x} followed by one zero, as a flat array (the zero is what padding reads). */
    public static DenseArray withTrailingZero(DenseArray x) {
        int size = x.aval().size();
        Object data = DenseArray.allocate(x.dtype(), size + 1);
        System.arraycopy(x.data(), 0, data, 0, size);
        return DenseArray.wrap(new Aval(x.dtype(), size + 1), data);
    }

    /**
     * The im2col gather table of a convolution of an [N, C, spatial...] input of shape {@code in}: entry
     * {@code (group, channel-in-group * window position, example * output position)} of the
     * [groups, C/groups * window, N * positions] patch matrix, in row-major order, holds the flat input index
     * it reads, or {@code in}'s size (the trailing zero of {@link #withTrailingZero}) for a padding or
     * dilation hole. Cached in the {@link PlanCache}: the result must not be modified.
     */
    static int[] im2col(int[] in, int groups, int[] window, int[] outSpatial, int[] strides, int[] paddingLo,
            int[] lhsDilation, int[] rhsDilation) {
        Object[] parts = {in, groups, window, outSpatial, strides, paddingLo, lhsDilation, rhsDilation};
        return PlanCache.table("im2col", parts,
                () -> buildIm2col(in, groups, window, outSpatial, strides, paddingLo, lhsDilation, rhsDilation));
    }

    private static int[] buildIm2col(int[] in, int groups, int[] window, int[] outSpatial, int[] strides,
            int[] paddingLo, int[] lhsDilation, int[] rhsDilation) {
        int n = in[0];
        int c = in[1];
        int cg = c / groups;
        int[] inSp = Arrays.copyOfRange(in, 2, in.length);
        int k = Shapes.size(window);
        int p = Shapes.size(outSpatial);
        int sentinel = Shapes.size(in);
        int[] spatial = spatialOffsets(inSp, window, outSpatial, strides, paddingLo, lhsDilation, rhsDilation);
        int inSpSize = Shapes.size(inSp);
        int[] source = new int[groups * cg * k * n * p];
        int t = 0;
        for (int gi = 0; gi < groups; gi++) {
            for (int ci = 0; ci < cg; ci++) {
                int channelBase = (gi * cg + ci) * inSpSize;
                for (int kk = 0; kk < k; kk++) {
                    for (int ni = 0; ni < n; ni++) {
                        int base = ni * c * inSpSize + channelBase;
                        for (int pp = 0; pp < p; pp++) {
                            int off = spatial[kk * p + pp];
                            source[t++] = off < 0 ? sentinel : base + off;
                        }
                    }
                }
            }
        }
        return source;
    }

    /** The flat spatial offset (or -1 for a hole) read at each (window position, output position). */
    private static int[] spatialOffsets(int[] inSp, int[] window, int[] outSp, int[] strides, int[] paddingLo,
            int[] lhsDilation, int[] rhsDilation) {
        int sp = inSp.length;
        // per spatial axis: input index for (output position, window position), or -1
        int[][][] tables = new int[sp][][];
        for (int d = 0; d < sp; d++) {
            tables[d] = new int[outSp[d]][window[d]];
            for (int od = 0; od < outSp[d]; od++) {
                for (int kd = 0; kd < window[d]; kd++) {
                    long q = (long) od * strides[d] + (long) kd * rhsDilation[d] - paddingLo[d];
                    int idx = -1;
                    if (q >= 0 && q % lhsDilation[d] == 0 && q / lhsDilation[d] < inSp[d]) {
                        idx = (int) (q / lhsDilation[d]);
                    }
                    tables[d][od][kd] = idx;
                }
            }
        }
        int[] inStrides = Shapes.strides(inSp);
        int[][] winIdx = multiIndices(window);
        int[][] outIdx = multiIndices(outSp);
        int k = winIdx.length;
        int p = outIdx.length;
        int[] spatial = new int[k * p];
        for (int kk = 0; kk < k; kk++) {
            for (int pp = 0; pp < p; pp++) {
                int off = 0;
                for (int d = 0; d < sp && off >= 0; d++) {
                    int idx = tables[d][outIdx[pp][d]][winIdx[kk][d]];
                    off = idx < 0 ? -1 : off + idx * inStrides[d];
                }
                spatial[kk * p + pp] = off;
            }
        }
        return spatial;
    }
}
