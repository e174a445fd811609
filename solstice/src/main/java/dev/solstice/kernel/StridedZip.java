package dev.solstice.kernel;

import dev.solstice.DType;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Shapes;
import dev.solstice.core.Strided;

/**
 * Elementwise binary operations on strided operands (views) without materialising them: the shape is merged
 * under both operands' strides and the result's ({@link Strided#merge}), then each row of the innermost merged
 * axis runs one contiguous loop. An operand whose innermost stride is 1 is read in place (a row broadcast such
 * as a bias {@code [n]} added to {@code [batch, n]}: its leading axes have stride 0); one whose innermost stride
 * is 0 (a scalar or column broadcast) is read from a short scratch row filled with its element, refilled only
 * when the element changes; any other stride is gathered into the scratch row. Rows are cut into blocks of
 * {@value #BLOCK} elements, so scratch stays small and in cache. Each element is computed by the same loop as
 * for contiguous operands, so the results are those of materialising the views first, bit for bit.
 */
public final class StridedZip {
    /** The longest stretch of a row one loop call handles. */
    static final int BLOCK = 1024;

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
        int size = x.aval().size();
        Object r = DenseArray.allocate(out, size);
        DenseArray result = DenseArray.wrap(x.aval().withDType(out), r);
        if (size == 0) {
            return result;
        }
        int[] shape = x.aval().shape();
        int[] rowMajor = Shapes.strides(shape);
        Strided.Merged m = Strided.merge(shape, x.isContiguous() ? rowMajor : x.strides(),
                y.isContiguous() ? rowMajor : y.strides(), rowMajor);
        int[] s = m.shape();
        int[] xs = m.strides()[0];
        int[] ys = m.strides()[1];
        int rank = s.length;
        int n = rank == 0 ? 1 : s[rank - 1];
        DType in = x.aval().dtype();
        Row a = new Row(x.storage(), rank == 0 ? 1 : xs[rank - 1], in, Math.min(n, BLOCK));
        Row b = new Row(y.storage(), rank == 0 ? 1 : ys[rank - 1], in, Math.min(n, BLOCK));
        int[] index = new int[Math.max(0, rank - 1)];
        int xo = x.offset();
        int yo = y.offset();
        for (int oo = 0; oo < size; oo += n) {
            for (int j = 0; j < n; j += BLOCK) {
                int len = Math.min(BLOCK, n - j);
                a.prepare(xo + j * a.step, len);
                b.prepare(yo + j * b.step, len);
                loop.run(op, in, a.array, a.offset, b.array, b.offset, r, oo + j, len);
            }
            // step the counter over the outer merged axes, last fastest
            for (int d = rank - 2; d >= 0; d--) {
                xo += xs[d];
                yo += ys[d];
                if (++index[d] < s[d]) {
                    break;
                }
                xo -= xs[d] * s[d];
                yo -= ys[d] * s[d];
                index[d] = 0;
            }
        }
        return result;
    }

    /** One operand's current row: its storage in place (stride 1) or a scratch copy (any other stride). */
    private static final class Row {
        final Object storage;
        final int step;
        final Object scratch;
        Object array;
        int offset;
        /** For stride 0: the storage position the scratch holds copies of, and how many (-1: none yet). */
        int filledFrom = -1;
        int filledLength;

        Row(Object storage, int step, DType dtype, int block) {
            this.storage = storage;
            this.step = step;
            this.scratch = step == 1 ? null : DenseArray.allocate(dtype, block);
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
