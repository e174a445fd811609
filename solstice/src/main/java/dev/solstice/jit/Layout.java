package dev.solstice.jit;

import dev.solstice.core.Strided;

/**
 * How a kernel walks its iteration space: runs of {@code inner} elements along the last merged axis, one per
 * row of the {@code outer} axes (row-major). Array {@code k}'s run of row {@code r} starts at
 * {@link #base}{@code (k, r)}; along the run it steps 1, or 0 for an input broadcast along it.
 *
 * @param outer the lengths of the outer merged axes (none when everything merged into one run)
 * @param inner the run length
 * @param outerStrides per array, its strides along the outer axes
 * @param innerStrides per array, 0 or 1
 */
record Layout(int[] outer, int inner, int[][] outerStrides, int[] innerStrides) {

    /**
     * The layout of arrays with the given strides (in elements, over {@code shape}), the outputs' row-major:
     * axes of length 1 dropped and neighbours merged where every array allows ({@link Strided#merge}).
     */
    static Layout of(int[] shape, int[][] strides) {
        Strided.Merged m = Strided.merge(shape, strides);
        int rank = m.shape().length;
        int arrays = strides.length;
        int[] outer = rank == 0 ? new int[0] : java.util.Arrays.copyOf(m.shape(), rank - 1);
        int inner = rank == 0 ? 1 : m.shape()[rank - 1];
        int[][] outerStrides = new int[arrays][];
        int[] innerStrides = new int[arrays];
        for (int k = 0; k < arrays; k++) {
            int[] s = m.strides()[k];
            outerStrides[k] = java.util.Arrays.copyOf(s, outer.length);
            innerStrides[k] = rank == 0 ? 1 : s[rank - 1];
            if (innerStrides[k] != 0 && innerStrides[k] != 1) {
                throw new IllegalStateException("jit: array " + k + " of a fused group steps " + innerStrides[k]
                        + " along its innermost axis; fused reads step 0 or 1 (a bug in the fusion pass)");
            }
        }
        return new Layout(outer, inner, outerStrides, innerStrides);
    }

    /** The number of runs. */
    int rows() {
        int r = 1;
        for (int d : outer) {
            r *= d;
        }
        return r;
    }

    /** Fills {@code base} with every array's start of row {@code row}, plus {@code from} elements along it. */
    void base(int row, int from, int[] base) {
        java.util.Arrays.fill(base, 0);
        for (int a = outer.length - 1; a >= 0; a--) {
            int i = row % outer[a];
            row /= outer[a];
            for (int k = 0; k < base.length; k++) {
                base[k] += i * outerStrides[k][a];
            }
        }
        for (int k = 0; k < base.length; k++) {
            base[k] += from * innerStrides[k];
        }
    }
}
