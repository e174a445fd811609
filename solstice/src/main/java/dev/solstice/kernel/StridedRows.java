package dev.solstice.kernel;

import dev.solstice.core.DenseArray;
import dev.solstice.core.Shapes;
import dev.solstice.core.Strided;

/**
 * The walk behind the kernels that read views in place ({@link StridedZip}, select): operands of one shape,
 * any of them strided views, are visited row by row in the result's row-major order. The shape is merged under
 * every operand's strides and the result's ({@link Strided#merge}); each row of the innermost merged axis is
 * handed to the body in blocks of at most {@value #BLOCK} elements. An operand whose innermost stride is 1 is
 * passed in place (its storage and the row's offset); one whose stride is 0 (a scalar or column broadcast) as
 * a short scratch row filled with its element, refilled only when the element changes; any other stride as a
 * scratch row gathered from it. So the body always sees contiguous rows, and scratch stays small and in cache.
 */
final class StridedRows {
    /** The longest stretch of a row one body call handles. */
    static final int BLOCK = 1024;

    private StridedRows() {}

    /** What runs on each block of a row. */
    @FunctionalInterface
    interface Body {
        /**
         * Processes elements {@code out .. out+n} of the result (row-major).
         *
         * @param arrays each operand's array for this block: its storage, or a scratch row
         * @param offsets where the block starts in each of those arrays
         * @param out where the block starts in the result
         * @param n the block's length
         */
        void block(Object[] arrays, int[] offsets, int out, int n);
    }

    /** Visits every element of {@code operands} (one shape; dtypes may differ) in row-major blocks. */
    static void walk(DenseArray[] operands, Body body) {
        int size = operands[0].aval().size();
        if (size == 0) {
            return;
        }
        int k = operands.length;
        Strided.Merged m = layout(operands, size);
        int[] s = m.shape();
        int rank = s.length;
        int n = rank == 0 ? 1 : s[rank - 1];
        Row[] rows = new Row[k];
        int[] at = new int[k];
        Object[] arrays = new Object[k];
        int[] offsets = new int[k];
        for (int i = 0; i < k; i++) {
            rows[i] = new Row(operands[i], rank == 0 ? 1 : m.strides()[i][rank - 1], Math.min(n, BLOCK));
            at[i] = operands[i].offset();
        }
        int[] index = new int[Math.max(0, rank - 1)];
        for (int out = 0; out < size; out += n) {
            for (int j = 0; j < n; j += BLOCK) {
                int len = Math.min(BLOCK, n - j);
                for (int i = 0; i < k; i++) {
                    rows[i].prepare(at[i] + j * rows[i].step, len);
                    arrays[i] = rows[i].array;
                    offsets[i] = rows[i].offset;
                }
                body.block(arrays, offsets, out + j, len);
            }
            // step the counter over the outer merged axes, last fastest
            for (int d = rank - 2; d >= 0; d--) {
                boolean carry = ++index[d] == s[d];
                for (int i = 0; i < k; i++) {
                    at[i] += carry ? -m.strides()[i][d] * (s[d] - 1) : m.strides()[i][d];
                }
                if (!carry) {
                    break;
                }
                index[d] = 0;
            }
        }
    }

    /**
     * The operands' layout merged with the result's ({@link Strided#merge}). When each operand is contiguous or
     * one element repeated (a scalar broadcast), as most are, the merge is known without computing it: one row
     * of the whole size, read with step 1 or 0.
     */
    private static Strided.Merged layout(DenseArray[] operands, int size) {
        int k = operands.length;
        int[][] steps = new int[k + 1][];
        for (int i = 0; i < k; i++) {
            DenseArray x = operands[i];
            if (x.isContiguous()) {
                steps[i] = ROW;
            } else if (repeatsOneElement(x.strides())) {
                steps[i] = REPEAT;
            } else {
                return merged(operands);
            }
        }
        steps[k] = ROW;
        return new Strided.Merged(new int[] {size}, steps);
    }

    /** The step of a contiguous row and of a repeated element in {@link #layout}'s one-row layout (never written). */
    private static final int[] ROW = {1};
    private static final int[] REPEAT = {0};

    private static boolean repeatsOneElement(int[] strides) {
        for (int st : strides) {
            if (st != 0) {
                return false;
            }
        }
        return true;
    }

    /** {@link Strided#merge} of every operand's strides and the result's row-major ones. */
    private static Strided.Merged merged(DenseArray[] operands) {
        int[] shape = operands[0].aval().shape();
        int k = operands.length;
        int[] rowMajor = Shapes.strides(shape);
        int[][] strides = new int[k + 1][];
        for (int i = 0; i < k; i++) {
            strides[i] = operands[i].isContiguous() ? rowMajor : operands[i].strides();
        }
        strides[k] = rowMajor;
        return Strided.merge(shape, strides);
    }

    /** One operand's current row: its storage in place (stride 1) or a scratch copy (any other stride). */
    private static final class Row {
        final Object storage;
        final int step;
        final Object scratch;
        final Object array;
        int offset;
        /** For stride 0: the storage position the scratch holds copies of, and how many (-1: none yet). */
        int filledFrom = -1;
        int filledLength;

        Row(DenseArray x, int step, int block) {
            this.storage = x.storage();
            this.step = step;
            this.scratch = step == 1 ? null : DenseArray.allocate(x.aval().dtype(), block);
            this.array = step == 1 ? storage : scratch;
        }

        void prepare(int from, int length) {
            if (step == 1) {
                offset = from;
                return;
            }
            if (step != 0 || from != filledFrom || length > filledLength) {
                Strided.copyRow(storage, from, step, scratch, 0, length);
                filledFrom = step == 0 ? from : -1;
                filledLength = length;
            }
        }
    }
}
