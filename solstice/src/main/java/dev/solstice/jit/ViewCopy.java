package dev.solstice.jit;

import dev.solstice.core.DenseArray;
import dev.solstice.core.Strided;

/**
 * Copies a view's elements row-major into a given array: a kernel input that an eager step returned as a view
 * (a transpose, say) is staged into a scratch array of the run's arena instead of a fresh copy per run. A view
 * that is a transposed matrix (after merging axes: strides {@code (1, s)}) is copied in square tiles, so both
 * the reads and the writes stay within a few cache lines per tile; anything else goes row by row.
 */
final class ViewCopy {
    /** The tile edge, in elements: a tile's source lines (one per column) stay in the first-level cache. */
    private static final int TILE = 32;

    private ViewCopy() {}

    /** Writes {@code view}'s elements, row-major, into {@code into[0, size)}. */
    static void copy(DenseArray view, Object into) {
        int[] shape = view.aval().shape();
        Strided.Merged m = Strided.merge(shape, view.strides());
        int[] s = m.shape();
        int[] st = m.strides()[0];
        if (s.length == 2 && st[1] != 1 && st[0] == 1) {
            transposed(view.storage(), view.offset(), s[0], s[1], st[1], into);
        } else {
            Strided.copy(view.storage(), view.offset(), shape, view.strides(), into, 0);
        }
    }

    /** {@code into[i * cols + j] = src[offset + i + j * stride]}, tile by tile. */
    private static void transposed(Object src, int offset, int rows, int cols, int stride, Object into) {
        for (int i0 = 0; i0 < rows; i0 += TILE) {
            int i1 = Math.min(rows, i0 + TILE);
            for (int j0 = 0; j0 < cols; j0 += TILE) {
                int j1 = Math.min(cols, j0 + TILE);
                for (int i = i0; i < i1; i++) {
                    Strided.copyRow(src, offset + i + j0 * stride, stride, into, i * cols + j0, j1 - j0);
                }
            }
        }
    }
}
