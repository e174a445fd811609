package dev.solstice.core;

import dev.solstice.Array;
import java.util.Arrays;

/** Row-major index arithmetic and the argument checks shared by shape rules. */
public final class Shapes {
    private Shapes() {}

    /** The avals of {@code xs}, in order. */
    public static Aval[] avals(Array... xs) {
        Aval[] a = new Aval[xs.length];
        for (int i = 0; i < xs.length; i++) {
            a[i] = xs[i].aval();
        }
        return a;
    }

    /** The avals of {@code xs}, in order. */
    public static Aval[] avals(java.util.List<? extends Array> xs) {
        Aval[] a = new Aval[xs.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = xs.get(i).aval();
        }
        return a;
    }

    /** Row-major strides (in elements) of a shape. */
    public static int[] strides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    /** The number of elements of a shape. */
    public static int size(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /**
     * For each element of an array of shape {@code outShape} (row-major), the flat index into the source
     * given by {@code base + sum_i idx[i] * srcStride[i]}. The building block of broadcasting, transposition
     * and slicing: each supplies strides of the source per output axis (0 for a broadcast axis).
     */
    public static int[] strideMap(int[] outShape, int[] srcStride, int base) {
        int n = size(outShape);
        int[] map = new int[n];
        int rank = outShape.length;
        int[] idx = new int[rank];
        int off = base;
        for (int i = 0; i < n; i++) {
            map[i] = off;
            for (int a = rank - 1; a >= 0; a--) {
                idx[a]++;
                off += srcStride[a];
                if (idx[a] < outShape[a]) {
                    break;
                }
                off -= srcStride[a] * idx[a];
                idx[a] = 0;
            }
        }
        return map;
    }

    /** Normalises a possibly negative axis against a rank, or throws naming the operation. */
    public static int axis(String op, int axis, int rank) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException(op + ": axis " + axis + " is out of range for an array of rank " + rank);
        }
        return a;
    }

    /** {@link #axes(String, int[], int)} for a primitive, whose name is looked up only to report an error. */
    public static int[] axes(Primitive op, int[] axes, int rank) {
        int[] r = sortedAxes(axes, rank);
        return r != null ? r : axes(op.name(), axes, rank);
    }

    /** Normalised, sorted, distinct axes, or throws naming the operation. */
    public static int[] axes(String op, int[] axes, int rank) {
        int[] r = sortedAxes(axes, rank);
        if (r == null) { // find the first error: an axis out of range, else the smallest repeated one
            int[] n = new int[axes.length];
            for (int i = 0; i < axes.length; i++) {
                n[i] = axis(op, axes[i], rank);
            }
            Arrays.sort(n);
            for (int i = 1; i < n.length; i++) {
                if (n[i] == n[i - 1]) {
                    throw new IllegalArgumentException(op + ": axis " + n[i] + " is repeated in " + Arrays.toString(axes));
                }
            }
        }
        return r;
    }

    /** The axes normalised against {@code rank}, sorted; null when one is out of range or repeated. */
    private static int[] sortedAxes(int[] axes, int rank) {
        int[] r = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            int a = axes[i] < 0 ? axes[i] + rank : axes[i];
            if (a < 0 || a >= rank) {
                return null;
            }
            // insertion: a few axes, where Arrays.sort's set-up costs more than the sorting
            int j = i;
            for (; j > 0 && r[j - 1] > a; j--) {
                r[j] = r[j - 1];
            }
            r[j] = a;
        }
        for (int i = 1; i < r.length; i++) {
            if (r[i] == r[i - 1]) {
                return null;
            }
        }
        return r;
    }

    /** True if {@code axis} is in the sorted array {@code axes}. */
    public static boolean contains(int[] axes, int axis) {
        for (int a : axes) {
            if (a == axis) {
                return true;
            }
        }
        return false;
    }

    /** The axes of {@code 0..rank-1} not in {@code axes}, in order. */
    public static int[] complement(int[] axes, int rank) {
        int[] r = new int[rank - axes.length];
        int k = 0;
        for (int a = 0; a < rank; a++) {
            if (!contains(axes, a)) {
                r[k++] = a;
            }
        }
        return r;
    }

    /** The inverse of a permutation. */
    public static int[] inversePermutation(int[] perm) {
        int[] inv = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            inv[perm[i]] = i;
        }
        return inv;
    }

    /** Joins avals for messages: {@code float32[2,3], float64[3]}. */
    public static String str(Aval... avals) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < avals.length; i++) {
            b.append(i == 0 ? "" : ", ").append(avals[i].str());
        }
        return b.toString();
    }

    /**
     * Checks the number of operands of a primitive. Takes the primitive, not its name: the name is looked up
     * (a {@code ClassValue} per class) only for the message, off the path of every eager operation.
     */
    public static void arity(Primitive op, Aval[] in, int n) {
        if (in.length != n) {
            throw new IllegalArgumentException(op.name() + " takes " + n + " operand(s), got " + in.length + " (" + str(in) + ")");
        }
    }
}
