package dev.solstice.transform;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.prim.Ops;

/**
 * Small run-time helpers of the checkpointed while loop ({@link CheckpointedWhile}): a store of {@code c} slots,
 * each holding one carry (a buffer {@code [c, ...leaf]} per carry leaf) and the loop step it was taken at (an
 * int32 vector {@code [c]}, {@link #FREE} for an empty slot). Indices are int32 scalars known only at run time.
 */
final class CheckpointSlots {
    /** The step of an empty slot, and "no checkpoint planned": larger than every real step. */
    static final int FREE = Integer.MAX_VALUE;

    private CheckpointSlots() {}

    static Array i32(int v) {
        return ControlFlow.intScalar(v);
    }

    /** Element {@code index} of a vector, as a scalar. */
    static Array get(Array vec, Array index) {
        return Ops.reshape(Ops.dynamicSlice(vec, new Array[] {index}, new int[] {1}));
    }

    /** The vector with element {@code index} replaced by the scalar {@code value}. */
    static Array set(Array vec, Array index, Array value) {
        return Ops.dynamicUpdateSlice(vec, Ops.reshape(value, 1), new Array[] {index});
    }

    /** Row {@code index} of a buffer {@code [c, ...]}: an array of the buffer's shape without its first axis. */
    static Array row(Array buffer, Array index) {
        int[] shape = buffer.shape();
        int[] sizes = shape.clone();
        sizes[0] = 1;
        return Ops.reshape(Ops.dynamicSlice(buffer, rowStart(index, shape.length), sizes),
                java.util.Arrays.copyOfRange(shape, 1, shape.length));
    }

    /** The buffer with row {@code index} replaced by {@code value} where the bool scalar {@code when} holds. */
    static Array writeRow(Array buffer, Array index, Array value, Array when) {
        Array kept = Ops.select(CondRules.broadcast(when, value), value, row(buffer, index));
        return Ops.dynamicUpdateSlice(buffer, Ops.expandDims(kept, 0), rowStart(index, buffer.ndim()));
    }

    /** The start indices of row {@code index} of an array of rank {@code rank}. */
    private static Array[] rowStart(Array index, int rank) {
        Array[] starts = new Array[rank];
        starts[0] = index;
        for (int d = 1; d < rank; d++) {
            starts[d] = i32(0);
        }
        return starts;
    }

    /** The vector with element {@code index} set to {@code value} where {@code when} holds. */
    static Array setWhere(Array vec, Array index, Array value, Array when) {
        return set(vec, index, Ops.select(when, value, get(vec, index)));
    }

    /** How many elements of a bool vector hold, as an int32 scalar. */
    static Array count(Array bools) {
        return Ops.reduceSum(Ops.convert(bools, DType.INT32), 0);
    }

    /** An int32 vector of {@code n} copies of {@code v}. */
    static Array filled(int n, int v) {
        return Ops.broadcastInDim(i32(v), new int[] {n}, new int[0]);
    }

    /** {@code pred ? a : b} on scalars. */
    static Array where(Array pred, Array a, Array b) {
        return Ops.select(pred, a, b);
    }
}
