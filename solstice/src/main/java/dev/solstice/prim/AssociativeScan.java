package dev.solstice.prim;

import dev.solstice.Array;

/**
 * The parallel prefix scan JAX differentiates cumulative reductions with ({@code lax.associative_scan}):
 * written with slices, pads, concatenation and the combining function only, so whatever it computes is itself
 * differentiable, transposable and batchable. Elements are tuples (one array per component, one shape);
 * {@code combine} must be associative. O(n) combines, O(log n) depth.
 */
final class AssociativeScan {
    private AssociativeScan() {}

    /** An associative operation on tuples of arrays of one shape. */
    @FunctionalInterface
    interface Combine {
        Array[] apply(Array[] a, Array[] b);
    }

    /** The inclusive scan of {@code elems} along {@code axis} (normalised), from the end if {@code reverse}. */
    static Array[] scan(Combine combine, Array[] elems, int axis, boolean reverse) {
        if (!reverse) {
            return scan(combine, elems, axis);
        }
        return rev(scan(combine, rev(elems, axis), axis), axis);
    }

    private static Array[] scan(Combine combine, Array[] elems, int axis) {
        int n = elems[0].shape()[axis];
        if (n < 2) {
            return elems;
        }
        // pairs (0,1), (2,3)... reduced, then scanned: the prefixes that end at odd positions
        Array[] odd = scan(combine, combine.apply(slice(elems, axis, 0, n - 1, 2), slice(elems, axis, 1, n, 2)), axis);
        // the prefixes that end at even positions 2, 4...: the odd prefix before each, then that element
        Array[] even = combine.apply(n % 2 == 0 ? slice(odd, axis, 0, odd[0].shape()[axis] - 1, 1) : odd,
                slice(elems, axis, 2, n, 2));
        Array[] first = slice(elems, axis, 0, 1, 1);
        Array[] r = new Array[elems.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = interleave(Ops.concatenate(axis, first[i], even[i]), odd[i], axis);
        }
        return r;
    }

    /** {@code a0, b0, a1, b1, ...} along the axis; {@code a} has as many elements as {@code b} or one more. */
    private static Array interleave(Array a, Array b, int axis) {
        int rank = a.ndim();
        boolean same = a.shape()[axis] == b.shape()[axis];
        Array zero = Ops.full(new dev.solstice.core.Aval(a.dtype()), 0);
        int[] lowA = new int[rank];
        int[] highA = new int[rank];
        int[] interior = new int[rank];
        int[] lowB = new int[rank];
        int[] highB = new int[rank];
        interior[axis] = 1;
        highA[axis] = same ? 1 : 0;
        lowB[axis] = 1;
        highB[axis] = same ? 0 : 1;
        return Ops.add(Ops.pad(a, zero, lowA, highA, interior), Ops.pad(b, zero, lowB, highB, interior));
    }

    private static Array[] slice(Array[] xs, int axis, int start, int limit, int stride) {
        Array[] r = new Array[xs.length];
        for (int i = 0; i < r.length; i++) {
            int[] shape = xs[i].shape();
            int[] lo = new int[shape.length];
            int[] hi = shape.clone();
            int[] st = new int[shape.length];
            java.util.Arrays.fill(st, 1);
            lo[axis] = start;
            hi[axis] = limit;
            st[axis] = stride;
            r[i] = Ops.slice(xs[i], lo, hi, st);
        }
        return r;
    }

    private static Array[] rev(Array[] xs, int axis) {
        Array[] r = new Array[xs.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = Ops.rev(xs[i], axis);
        }
        return r;
    }
}
