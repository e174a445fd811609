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
        int[] heap = new int[k];
        for (int row = 0; row < rows; row++) {
            int base = row * n;
            int size = 0;
            for (int i = 0; i < n; i++) {
                if (size < k) {
                    heap[size] = i;
                    siftUp(x, base, heap, size++);
                } else if (k > 0 && before(x, base, i, heap[0])) {
                    heap[0] = i;
                    siftDown(x, base, heap, size);
                }
            }
            for (int out = size - 1; out >= 0; out--) {       // the root is the worst: fill from the end
                indices[row * k + out] = heap[0];
                values[row * k + out] = x[base + heap[0]];
                heap[0] = heap[--size];
                siftDown(x, base, heap, size);
            }
        }
    }

    /** Whether element {@code i} ranks before element {@code j} of the row at {@code base}. */
    private static boolean before(double[] x, int base, int i, int j) {
        double a = x[base + i];
        double b = x[base + j];
        boolean aNaN = Double.isNaN(a);
        boolean bNaN = Double.isNaN(b);
        if (aNaN || bNaN) {
            return aNaN && bNaN ? i < j : aNaN;
        }
        return a > b || (a == b && i < j);
    }

    /** Heap order: a parent ranks after its children (the root is the worst kept element). */
    private static void siftUp(double[] x, int base, int[] heap, int at) {
        while (at > 0) {
            int parent = (at - 1) >>> 1;
            if (!before(x, base, heap[parent], heap[at])) {
                return;
            }
            swap(heap, parent, at);
            at = parent;
        }
    }

    private static void siftDown(double[] x, int base, int[] heap, int size) {
        int at = 0;
        while (true) {
            int worst = at;
            int l = 2 * at + 1;
            int r = l + 1;
            if (l < size && before(x, base, heap[worst], heap[l])) {
                worst = l;
            }
            if (r < size && before(x, base, heap[worst], heap[r])) {
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
