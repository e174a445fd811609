package dev.solstice.core;

import java.util.Arrays;

/**
 * Layout arithmetic of strided views ({@link DenseArray#view}): element {@code (i0, i1, ...)} of a view lies at
 * {@code offset + i0*strides[0] + i1*strides[1] + ...} in its storage. Strides are in elements; 0 repeats an
 * element along an axis (broadcasting), a negative stride walks an axis backwards (rev). Also the copy loop
 * that gathers a view's elements into row-major order.
 */
public final class Strided {
    private Strided() {}

    /**
     * A layout with its length-1 axes dropped and neighbouring axes merged wherever every operand allows it:
     * axes {@code a} and {@code a+1} merge when {@code strides[a] == strides[a+1] * shape[a+1]} in each of the
     * stride lists given. Walking the merged shape in row-major order visits the same elements in the same
     * order as walking the original.
     *
     * @param shape the merged shape (rank 0 when every axis had length 1)
     * @param strides one merged stride list per operand
     */
    public record Merged(int[] shape, int[][] strides) {}

    /** Merges {@code shape} under the stride lists of several operands at once (see {@link Merged}). */
    public static Merged merge(int[] shape, int[]... strides) {
        int[] s = new int[shape.length];
        int[][] st = new int[strides.length][shape.length];
        int r = 0;
        for (int a = 0; a < shape.length; a++) {
            if (shape[a] == 1) {
                continue;
            }
            boolean joins = r > 0;
            for (int k = 0; joins && k < strides.length; k++) {
                joins = st[k][r - 1] == strides[k][a] * shape[a];
            }
            if (joins) {
                s[r - 1] *= shape[a];
                for (int k = 0; k < strides.length; k++) {
                    st[k][r - 1] = strides[k][a];
                }
            } else {
                s[r] = shape[a];
                for (int k = 0; k < strides.length; k++) {
                    st[k][r] = strides[k][a];
                }
                r++;
            }
        }
        int[][] out = new int[strides.length][];
        for (int k = 0; k < strides.length; k++) {
            out[k] = Arrays.copyOf(st[k], r);
        }
        return new Merged(Arrays.copyOf(s, r), out);
    }

    /** Whether {@code strides} are the row-major strides of {@code shape} (axes of length 1 may have any stride). */
    public static boolean isRowMajor(int[] shape, int[] strides) {
        int expected = 1;
        for (int a = shape.length - 1; a >= 0; a--) {
            if (shape[a] != 1 && strides[a] != expected) {
                return false;
            }
            expected *= shape[a];
        }
        return true;
    }

    /**
     * Strides under which the elements of a view of {@code shape} and {@code strides}, in row-major order, take
     * the new shape {@code newShape} (of the same size) without moving: the new shape regroups axes whose
     * elements are evenly spaced. {@code null} when no strides do (a reshape of a transposed view, say), or
     * for an empty array.
     */
    public static int[] reshape(int[] shape, int[] strides, int[] newShape) {
        if (Shapes.size(shape) == 0) {
            return null;
        }
        // after merging, each old axis is one evenly spaced run; walking from the innermost axes outwards,
        // each new axis takes a factor of the current run, and a new axis that would span two runs fails
        Merged old = merge(shape, strides);
        int[] os = old.shape();
        int[] ost = old.strides()[0];
        int[] ns = new int[newShape.length];
        int oa = os.length - 1;
        int remaining = oa >= 0 ? os[oa] : 1;
        int stride = oa >= 0 ? ost[oa] : 1;
        for (int a = newShape.length - 1; a >= 0; a--) {
            int d = newShape[a];
            if (d == 1) {
                ns[a] = stride;
                continue;
            }
            if (oa < 0 || remaining % d != 0) {
                return null;
            }
            ns[a] = stride;
            stride *= d;
            remaining /= d;
            if (remaining == 1) {
                oa--;
                if (oa >= 0) {
                    remaining = os[oa];
                    stride = ost[oa];
                }
            }
        }
        return oa < 0 ? ns : null;
    }

    /**
     * Copies the elements of the view ({@code src}, {@code offset}, {@code shape}, {@code strides}) in row-major
     * order into {@code dst} from {@code dstOffset}: the innermost merged axis is one tight loop (an
     * {@code arraycopy} when it is contiguous, a fill when it is broadcast), the outer axes step a counter.
     */
    public static void copy(Object src, int offset, int[] shape, int[] strides, Object dst, int dstOffset) {
        if (Shapes.size(shape) == 0) {
            return;
        }
        Merged m = merge(shape, strides);
        int[] s = m.shape();
        int[] st = m.strides()[0];
        int rank = s.length;
        int n = rank == 0 ? 1 : s[rank - 1];
        int step = rank == 0 ? 1 : st[rank - 1];
        int rows = Shapes.size(s) / n;
        int[] index = new int[Math.max(0, rank - 1)];
        int from = offset;
        int to = dstOffset;
        for (int row = 0; row < rows; row++) {
            copyRow(src, from, step, dst, to, n);
            to += n;
            // step the counter over the outer axes, last fastest
            for (int a = rank - 2; a >= 0; a--) {
                from += st[a];
                if (++index[a] < s[a]) {
                    break;
                }
                from -= st[a] * s[a];
                index[a] = 0;
            }
        }
    }

    /** {@code dst[to + i] = src[from + i*step]} for {@code i < n}, on any storage type. */
    public static void copyRow(Object src, int from, int step, Object dst, int to, int n) {
        if (step == 1) {
            System.arraycopy(src, from, dst, to, n);
            return;
        }
        switch (src) {
            case float[] a -> {
                float[] o = (float[]) dst;
                if (step == 0) {
                    Arrays.fill(o, to, to + n, a[from]);
                } else {
                    for (int i = 0; i < n; i++) {
                        o[to + i] = a[from + i * step];
                    }
                }
            }
            case double[] a -> {
                double[] o = (double[]) dst;
                if (step == 0) {
                    Arrays.fill(o, to, to + n, a[from]);
                } else {
                    for (int i = 0; i < n; i++) {
                        o[to + i] = a[from + i * step];
                    }
                }
            }
            case int[] a -> {
                int[] o = (int[]) dst;
                if (step == 0) {
                    Arrays.fill(o, to, to + n, a[from]);
                } else {
                    for (int i = 0; i < n; i++) {
                        o[to + i] = a[from + i * step];
                    }
                }
            }
            case boolean[] a -> {
                boolean[] o = (boolean[]) dst;
                for (int i = 0; i < n; i++) {
                    o[to + i] = a[from + i * step];
                }
            }
            case long[] a -> {
                long[] o = (long[]) dst;
                for (int i = 0; i < n; i++) {
                    o[to + i] = a[from + i * step];
                }
            }
            case short[] a -> {
                short[] o = (short[]) dst;
                for (int i = 0; i < n; i++) {
                    o[to + i] = a[from + i * step];
                }
            }
            case byte[] a -> {
                byte[] o = (byte[]) dst;
                for (int i = 0; i < n; i++) {
                    o[to + i] = a[from + i * step];
                }
            }
            default -> throw new IllegalArgumentException("not an array storage: " + src.getClass());
        }
    }
}
