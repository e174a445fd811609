package dev.solstice.kernel;

import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import java.util.Arrays;

/**
 * The sort kernel: a stable sort of every row along one axis, ordered lexicographically by the first
 * {@code numKeys} operands, every operand permuted alike (XLA's variadic Sort with JAX's comparator).
 *
 * <p><b>Order.</b> JAX's comparator ({@code jax/_src/lax/lax.py}, {@code _sort_lt_comparator} over
 * {@code _canonicalize_float_for_sort}) first maps -0.0 to 0.0 and every NaN to the one positive NaN, then
 * compares by IEEE's total order. So -0.0 and 0.0 are equal (a stable sort keeps their order), every NaN sorts
 * after +Infinity and all NaNs are equal; the values themselves are returned unchanged. Here each key becomes a
 * {@code long} that compares the same way ({@link #sortableKey}).
 *
 * <p><b>Speed.</b> No boxing: a single key of at most 32 bits (float32, int32, bool) is packed with the index
 * into one {@code long} ({@code key << 32 | index}), so {@link Arrays#sort(long[])} is stable by construction;
 * a single float64 key is sorted as (key, index) pairs moved together, by a least-significant-digit radix sort
 * in long rows and a merge sort in short ones (both stable); several keys by merge sorting the indices against
 * the keys' {@code long} forms.
 */
public final class Sorting {
    private Sorting() {}

    /** Rows shorter than this are sorted by insertion, the rest merged from runs of this length. */
    private static final int RUN = 16;

    /** Single 64-bit keys of rows at least this long are radix sorted (its histograms cost too much below). */
    private static final int RADIX_MIN = 4096;

    /** The bits of one radix digit. */
    private static final int DIGIT_BITS = 11;

    /**
     * Sorts {@code operands} (contiguous or views, one shape) along {@code axis}.
     *
     * @return the sorted operands, contiguous, with avals {@code outs}
     */
    public static DenseArray[] sort(DenseArray[] operands, int axis, int numKeys, Aval[] outs) {
        int[] source = sourcePositions(operands, axis, numKeys);
        DenseArray[] r = new DenseArray[operands.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = source.length == 0 ? DenseArray.full(outs[i], 0) : Kernels.get().gather(operands[i], source, outs[i]);
        }
        return r;
    }

    /** For each element of the result (row-major), the flat position in an operand it comes from. */
    static int[] sourcePositions(DenseArray[] operands, int axis, int numKeys) {
        Aval a = operands[0].aval();
        int n = a.dim(axis);
        int inner = 1;
        for (int d = axis + 1; d < a.rank(); d++) {
            inner *= a.dim(d);
        }
        int size = a.size();
        int[] source = new int[size];
        if (size == 0) {
            return source;
        }
        Object[] keys = new Object[numKeys];
        for (int k = 0; k < numKeys; k++) {
            keys[k] = operands[k].data();
        }
        boolean packed = numKeys == 1 && !(keys[0] instanceof double[]) && !(keys[0] instanceof long[]);
        long[][] rowKeys = new long[numKeys][n];
        long[] pack = packed ? new long[n] : null;
        int[] idx = new int[n];
        int[] buf = new int[n];
        long[] keyBuf = packed || numKeys > 1 ? null : new long[n];
        for (int outer = 0; outer < size / (n * inner); outer++) {
            for (int in = 0; in < inner; in++) {
                int base = outer * n * inner + in;
                for (int k = 0; k < numKeys; k++) {
                    for (int j = 0; j < n; j++) {
                        rowKeys[k][j] = sortableKey(keys[k], base + j * inner);
                    }
                }
                if (packed) {
                    for (int j = 0; j < n; j++) {
                        pack[j] = rowKeys[0][j] << 32 | j;
                    }
                    Arrays.sort(pack);
                    for (int j = 0; j < n; j++) {
                        idx[j] = (int) pack[j];
                    }
                } else {
                    for (int j = 0; j < n; j++) {
                        idx[j] = j;
                    }
                    if (numKeys == 1 && n >= RADIX_MIN) {
                        radixSortPairs(rowKeys[0], idx, keyBuf, buf);
                    } else if (numKeys == 1) {
                        mergeSortPairs(rowKeys[0], idx, keyBuf, buf);
                    } else {
                        mergeSort(idx, buf, rowKeys);
                    }
                }
                for (int j = 0; j < n; j++) {
                    source[base + j * inner] = base + idx[j] * inner;
                }
            }
        }
        return source;
    }

    /**
     * Element {@code i} of a key as a {@code long} ordered like JAX's comparator: floats by their bits with
     * the magnitude bits flipped for negatives (IEEE total order), after -0.0 becomes 0.0 and any NaN the
     * canonical positive NaN; float32, int32 and bool keys stay within the int range; int64 keys are themselves.
     */
    static long sortableKey(Object data, int i) {
        return switch (data) {
            case float[] f -> {
                float v = f[i];
                int bits = v == 0 ? 0 : Float.floatToIntBits(v); // floatToIntBits collapses NaNs to one
                yield bits ^ ((bits >> 31) & 0x7fffffff);
            }
            case double[] d -> {
                double v = d[i];
                long bits = v == 0 ? 0 : Double.doubleToLongBits(v);
                yield bits ^ ((bits >> 63) & 0x7fffffffffffffffL);
            }
            case int[] a -> a[i];
            case boolean[] b -> b[i] ? 1 : 0;
            case long[] a -> a[i];
            default -> throw new IllegalArgumentException("sort: unsupported storage " + data.getClass());
        };
    }

    /** Stable sort of {@code idx} by the keys in order: insertion sort of short runs, then bottom-up merges. */
    private static void mergeSort(int[] idx, int[] buf, long[][] keys) {
        int n = idx.length;
        for (int lo = 0; lo < n; lo += RUN) {
            int hi = Math.min(lo + RUN, n);
            for (int i = lo + 1; i < hi; i++) {
                int v = idx[i];
                int j = i - 1;
                while (j >= lo && compare(keys, idx[j], v) > 0) {
                    idx[j + 1] = idx[j];
                    j--;
                }
                idx[j + 1] = v;
            }
        }
        int[] from = idx;
        int[] to = buf;
        for (int width = RUN; width < n; width *= 2) {
            for (int lo = 0; lo < n; lo += 2 * width) {
                int mid = Math.min(lo + width, n);
                int hi = Math.min(lo + 2 * width, n);
                int i = lo;
                int j = mid;
                int o = lo;
                while (i < mid && j < hi) {
                    to[o++] = compare(keys, from[j], from[i]) < 0 ? from[j++] : from[i++];
                }
                while (i < mid) {
                    to[o++] = from[i++];
                }
                while (j < hi) {
                    to[o++] = from[j++];
                }
            }
            int[] t = from;
            from = to;
            to = t;
        }
        if (from != idx) {
            System.arraycopy(from, 0, idx, 0, n);
        }
    }

    /**
     * Stable least-significant-digit radix sort of (key, index) pairs by signed key: digits of
     * {@value #DIGIT_BITS} bits from the lowest, the sign bit flipped so unsigned digit order is signed order;
     * a digit that is the same in every key is skipped.
     */
    private static void radixSortPairs(long[] key, int[] idx, long[] keyBuf, int[] idxBuf) {
        int n = key.length;
        int buckets = 1 << DIGIT_BITS;
        int[] count = new int[buckets];
        PingPong p = new PingPong(key, idx, keyBuf, idxBuf);
        for (int shift = 0; shift < 64; shift += DIGIT_BITS) {
            java.util.Arrays.fill(count, 0);
            for (int i = 0; i < n; i++) {
                count[digit(p.fromK[i], shift)]++;
            }
            if (count[digit(p.fromK[0], shift)] == n) {
                continue; // every key has this digit: the pass would move nothing
            }
            for (int b = 0, sum = 0; b < buckets; b++) {
                int c = count[b];
                count[b] = sum;
                sum += c;
            }
            for (int i = 0; i < n; i++) {
                int o = count[digit(p.fromK[i], shift)]++;
                p.toK[o] = p.fromK[i];
                p.toI[o] = p.fromI[i];
            }
            p.swap();
        }
        p.finish(idx);
    }

    private static int digit(long key, int shift) {
        return (int) (((key ^ Long.MIN_VALUE) >>> shift) & ((1 << DIGIT_BITS) - 1));
    }

    /** Stable sort of (key, index) pairs by key, moved together so the merges read memory in order. */
    private static void mergeSortPairs(long[] key, int[] idx, long[] keyBuf, int[] idxBuf) {
        int n = key.length;
        for (int lo = 0; lo < n; lo += RUN) {
            int hi = Math.min(lo + RUN, n);
            for (int i = lo + 1; i < hi; i++) {
                long k = key[i];
                int v = idx[i];
                int j = i - 1;
                while (j >= lo && key[j] > k) {
                    key[j + 1] = key[j];
                    idx[j + 1] = idx[j];
                    j--;
                }
                key[j + 1] = k;
                idx[j + 1] = v;
            }
        }
        PingPong p = new PingPong(key, idx, keyBuf, idxBuf);
        for (int width = RUN; width < n; width *= 2) {
            for (int lo = 0; lo < n; lo += 2 * width) {
                int mid = Math.min(lo + width, n);
                int hi = Math.min(lo + 2 * width, n);
                int i = lo;
                int j = mid;
                for (int o = lo; o < hi; o++) {
                    boolean right = i >= mid || (j < hi && p.fromK[j] < p.fromK[i]);
                    int from = right ? j++ : i++;
                    p.toK[o] = p.fromK[from];
                    p.toI[o] = p.fromI[from];
                }
            }
            p.swap();
        }
        p.finish(idx);
    }

    /** The (key, index) arrays a pass reads and those it writes, swapped after each pass. */
    private static final class PingPong {
        long[] fromK;
        int[] fromI;
        long[] toK;
        int[] toI;

        PingPong(long[] key, int[] idx, long[] keyBuf, int[] idxBuf) {
            fromK = key;
            fromI = idx;
            toK = keyBuf;
            toI = idxBuf;
        }

        void swap() {
            long[] k = fromK;
            fromK = toK;
            toK = k;
            int[] i = fromI;
            fromI = toI;
            toI = i;
        }

        /** Leaves the sorted indices in {@code idx}. */
        void finish(int[] idx) {
            if (fromI != idx) {
                System.arraycopy(fromI, 0, idx, 0, idx.length);
            }
        }
    }

    private static int compare(long[][] keys, int a, int b) {
        for (long[] k : keys) {
            int c = Long.compare(k[a], k[b]);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}
