package dev.solstice;

import java.util.ArrayList;
import java.util.List;

/**
 * One entry of a basic NumPy index, for {@link Array#get(Index...)}: an integer (drops the axis), a slice
 * with positive step (keeps it), {@link #newAxis()} (inserts a length-1 axis) or {@link #ellipsis()} (as
 * many full slices as needed). Negative integers and slice bounds count from the end; slice bounds are
 * clipped to the axis, as in Python.
 *
 * {@snippet lang=java :
 * Array m = Jnp.reshape(Jnp.arange(6), 2, 3);
 * m.get(Index.all(), Index.at(1))                 // [1, 4]
 * m.get(Index.at(0), Index.slice(0, 3, 2))        // [0, 2]
 * m.get(Index.newAxis(), Index.ellipsis())        // int32[1,2,3]
 * }
 */
public sealed interface Index {

    /** An integer index. */
    record At(int index) implements Index {}

    /** A slice {@code start:stop:step}; null bounds mean the ends. */
    record Range(Integer start, Integer stop, int step) implements Index {}

    /** A new length-1 axis. */
    record NewAxis() implements Index {}

    /** As many full slices as the remaining axes need. */
    record Ellipsis() implements Index {}

    /** Index {@code i} of an axis. */
    static Index at(int i) { return new At(i); }
    /** {@code start:stop}. */
    static Index slice(int start, int stop) { return new Range(start, stop, 1); }
    /** {@code start:stop:step}, step positive. */
    static Index slice(int start, int stop, int step) { return new Range(start, stop, step); }
    /** {@code start:}. */
    static Index from(int start) { return new Range(start, null, 1); }
    /** {@code :stop}. */
    static Index to(int stop) { return new Range(null, stop, 1); }
    /** {@code :}. */
    static Index all() { return new Range(null, null, 1); }
    /** {@code None}/{@code np.newaxis}. */
    static Index newAxis() { return new NewAxis(); }
    /** {@code ...}. */
    static Index ellipsis() { return new Ellipsis(); }

    /** Integer indices as {@link At} entries. */
    static Index[] ofInts(int... indices) {
        Index[] r = new Index[indices.length];
        for (int i = 0; i < indices.length; i++) {
            r[i] = new At(indices[i]);
        }
        return r;
    }

    /** Applies a basic index to an array (a slice, then squeezes and new axes). */
    static Array apply(Array x, Index... idx) {
        int consumed = 0;
        int ellipses = 0;
        for (Index i : idx) {
            if (i instanceof At || i instanceof Range) {
                consumed++;
            } else if (i instanceof Ellipsis) {
                ellipses++;
            }
        }
        int rank = x.ndim();
        if (ellipses > 1 || consumed > rank) {
            throw new IllegalArgumentException("get: too many indices (" + consumed + ") for " + x.aval().str()
                    + (ellipses > 1 ? ", or more than one ellipsis" : ""));
        }
        List<Index> full = new ArrayList<>();
        for (Index i : idx) {
            if (i instanceof Ellipsis) {
                for (int k = 0; k < rank - consumed; k++) {
                    full.add(all());
                }
            } else {
                full.add(i);
            }
        }
        while (full.stream().filter(i -> !(i instanceof NewAxis)).count() < rank) {
            full.add(all());
        }
        int[] shape = x.shape();
        int[] start = new int[rank];
        int[] limit = new int[rank];
        int[] strides = new int[rank];
        List<Integer> outShape = new ArrayList<>();
        int axis = 0;
        for (Index i : full) {
            switch (i) {
                case At at -> {
                    int n = shape[axis];
                    int k = at.index() < 0 ? at.index() + n : at.index();
                    if (k < 0 || k >= n) {
                        throw new IllegalArgumentException("get: index " + at.index() + " is out of bounds for axis "
                                + axis + " with size " + n + " (" + x.aval().str() + ")");
                    }
                    start[axis] = k;
                    limit[axis] = k + 1;
                    strides[axis] = 1;
                    axis++;
                }
                case Range r -> {
                    if (r.step() <= 0) {
                        throw new IllegalArgumentException("get: slice step must be positive, got " + r.step());
                    }
                    int n = shape[axis];
                    int s = clip(r.start() == null ? 0 : r.start(), n);
                    int e = clip(r.stop() == null ? n : r.stop(), n);
                    e = Math.max(e, s);
                    start[axis] = s;
                    limit[axis] = e;
                    strides[axis] = r.step();
                    outShape.add((e - s + r.step() - 1) / r.step());
                    axis++;
                }
                case NewAxis na -> outShape.add(1);
                case Ellipsis el -> throw new IllegalStateException("ellipsis already expanded");
            }
        }
        Array sliced = Lax.slice(x, start, limit, strides);
        return Lax.reshape(sliced, outShape.stream().mapToInt(Integer::intValue).toArray());
    }

    private static int clip(int i, int n) {
        int k = i < 0 ? i + n : i;
        return Math.max(0, Math.min(n, k));
    }
}
