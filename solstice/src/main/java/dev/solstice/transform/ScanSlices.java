package dev.solstice.transform;

import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import java.util.Arrays;

/** Slices of a scanned array along its leading axis, and their stacking, on concrete arrays. */
final class ScanSlices {
    private ScanSlices() {}

    /** The aval of one slice of {@code a} along a leading axis of {@code length}; an error if it has none. */
    static Aval rowAval(Aval a, int length, String what) {
        if (a.rank() == 0 || a.dim(0) != length) {
            throw new IllegalArgumentException(what + " is " + a.str() + ", which has no leading axis of length "
                    + length + " to scan over");
        }
        return new Aval(a.dtype(), Arrays.copyOfRange(a.shape(), 1, a.rank()));
    }

    /** The aval of {@code length} slices of {@code a} stacked along a new leading axis. */
    static Aval stackedAval(Aval a, int length) {
        int[] shape = new int[a.rank() + 1];
        shape[0] = length;
        System.arraycopy(a.shape(), 0, shape, 1, a.rank());
        return new Aval(a.dtype(), shape);
    }

    /** Slice {@code t} of {@code x} (a view sharing its storage). */
    static DenseArray row(DenseArray x, int t, int length) {
        Aval row = rowAval(x.aval(), length, "scan input");
        int[] strides = x.strides();
        return DenseArray.view(row, x.storage(), x.offset() + t * strides[0],
                Arrays.copyOfRange(strides, 1, strides.length));
    }

    /** Copies {@code slice} into row {@code t} of the contiguous storage {@code stacked}. */
    static void put(Object stacked, DenseArray slice, int t) {
        int n = slice.aval().size();
        System.arraycopy(slice.contiguous().data(), 0, stacked, t * n, n);
    }
}
