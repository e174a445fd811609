package dev.solstice.kernel;

import dev.solstice.DType;
import dev.solstice.core.DenseArray;

/**
 * Elementwise binary operations on strided operands (views) without materialising them, row by row through
 * {@link StridedRows}: a row broadcast (a bias {@code [n]} added to {@code [batch, n]}) is read in place, a
 * scalar or column broadcast from a short scratch row filled with its element, any other stride gathered into
 * scratch. Each element is computed by the same loop as for contiguous operands, so the results are those of
 * materialising the views first, bit for bit.
 */
public final class StridedZip {
    private StridedZip() {}

    /** A contiguous loop over {@code n} elements from the given offsets ({@code out} is bool for comparisons). */
    @FunctionalInterface
    public interface RowLoop {
        /**
         * {@code o[oOff + i] = a[aOff + i] op b[bOff + i]} for {@code i < n}.
         *
         * @param op the operation (the loop has one for the operand dtype)
         * @param in the operand dtype
         * @param a the left operand's storage
         * @param aOff where its row starts
         * @param b the right operand's storage
         * @param bOff where its row starts
         * @param o the result's storage
         * @param oOff where its row starts
         * @param n the row's length
         */
        void run(BinaryOp op, DType in, Object a, int aOff, Object b, int bOff, Object o, int oOff, int n);
    }

    /**
     * {@code x op y} elementwise over operands of one shape and dtype, either or both of them views, through
     * {@code loop}, which must have a loop of {@code op} for the operands' dtype.
     *
     * @param x the left operand
     * @param y the right operand
     * @param out the result dtype (bool for comparisons, the operands' otherwise)
     * @param op the operation
     * @param loop the contiguous loop of one kernel implementation
     * @return a new contiguous array
     */
    public static DenseArray zip(DenseArray x, DenseArray y, DType out, BinaryOp op, RowLoop loop) {
        Object r = DenseArray.allocate(out, x.aval().size());
        DType in = x.aval().dtype();
        StridedRows.walk(new DenseArray[] {x, y},
                (arrays, offsets, o, n) -> loop.run(op, in, arrays[0], offsets[0], arrays[1], offsets[1], r, o, n));
        return DenseArray.wrap(x.aval().withDType(out), r);
    }
}
