package dev.solstice.kernel;

/**
 * The {@code k} largest elements of each row, largest first, without sorting the row (JAX's {@code top_k}
 * order): a bounded binary heap of {@code k} indices whose root is the worst kept element, so a row of
 * {@code n} costs O(n log k); the heap is then emptied from the worst. Order: larger values first, NaN largest
 * (all NaNs equal), -0.0 equal to 0.0, equal values by lower index.
 */
public final class TopKSelection {
    private TopKSelection() {}

    /**
     * Selects the top {@code k} of each of {@code rows} rows of length {@code n} of {@code x} (row-major): their
     * values into {@code values} and their indices within the row into {@code indices}, {@code k} per row.
     */
    public static void select(double[] x, int rows, int n, int k, double[] values, int[] indices) {
        selectIndices((i, j) -> before(x[i], x[j], i, j), rows, n, k, indices);
        for (int r = 0; r < rows; r++) {
            for (int out = 0; out < k; out++) {
                values[r * k + out] = x[r * n + indices[r * k + out]];
            }
        }
    }

    /**
     * The int64 form of {@link #select}, compared as longs (their double images are not exact beyond 2^53, so
     * distinct values could rank as equal): the positions of the top {@code k} of each row into {@code indices}.
     */
    public static void select(long[] x, int rows, int n, int k, int[] indices) {
        selectIndices((i, j) -> x[i] > x[j] || (x[i] == x[j] && i < j), rows, n, k, indices);
    }

    /** Whether the element at flat position {@code i} ranks before the one at {@code j} of the same row. */
    private interface Ranking {
        boolean before(int i, int j);
    }

    private static void selectIndices(Ranking rank, int rows, int n, int k, int[] indices) {
        int[] heap = new int[k];
        for (int row = 0; row < rows; row++) {
            int base = row * n;
            int size = 0;
            for (int i = base; i < base + n; i++) {
                if (size < k) {
                    heap[size] = i;
                    siftUp(rank, heap, size++);
                } else if (k > 0 && rank.before(i, heap[0])) {
                    heap[0] = i;
                    siftDown(rank, heap, size);
                }
            }
            for (int out = size - 1; out >= 0; out--) {       // the root is the worst: fill from the end
                indices[row * k + out] = heap[0] - base;
                heap[0] = heap[--size];
                siftDown(rank, heap, size);
            }
        }
    }

    /** Whether value {@code a} at position {@code i} ranks before value {@code b} at position {@code j}. */
    private static boolean before(double a, double b, int i, int j) {
        boolean aNaN = Double.isNaN(a);
        boolean bNaN = Double.isNaN(b);
        if (aNaN || bNaN) {
            return aNaN && bNaN ? i < j : aNaN;
        }
        return a > b || (a == b && i < j);
    }

    /** Heap order: a parent ranks after its children (the root is the worst kept element). */
    private static void siftUp(Ranking rank, int[] heap, int at) {
        while (at > 0) {
            int parent = (at - 1) >>> 1;
            if (!rank.before(heap[parent], heap[at])) {
                return;
            }
            swap(heap, parent, at);
            at = parent;
        }
    }

    private static void siftDown(Ranking rank, int[] heap, int size) {
        int at = 0;
        while (true) {
            int worst = at;
            int l = 2 * at + 1;
            int r = l + 1;
            if (l < size && rank.before(heap[worst], heap[l])) {
                worst = l;
            }
            if (r < size && rank.before(heap[worst], heap[r])) {
                worst = r;
            }
            if (worst == at) {
                return;
            }
            swap(heap, worst, at);
            at = worst;
        }
    }

    private static void swap(int[] h, int i, int j) {
        int t = h[i];
        h[i] = h[j];
        h[j] = t;
    }
}
