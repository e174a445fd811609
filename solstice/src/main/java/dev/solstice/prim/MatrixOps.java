package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.Shapes;

/**
 * Matrix helpers over the last two axes (the leading axes are a batch), written with the primitives of
 * {@link Ops} so that they are differentiable and batchable: the triangle masks, identity, diagonal and
 * batched matrix product that the linear-algebra rules ({@link Cholesky}, {@link TriangularSolve}, {@link Lu})
 * and the {@code Linalg} facade are built from.
 */
public final class MatrixOps {
    private MatrixOps() {}

    /** Checks that {@code a} is a (batch of) matrices of a floating dtype: rank at least 2. */
    public static void requireFloatMatrix(String op, Aval a) {
        if (a.rank() < 2 || !a.dtype().isFloating()) {
            throw new IllegalArgumentException(op + ": operand " + a.str()
                    + " must be a matrix (or a batch of matrices: rank at least 2) of a floating dtype");
        }
    }

    /** Checks that {@code a} is a (batch of) square matrices of a floating dtype. */
    public static void requireSquare(String op, Aval a) {
        requireFloatMatrix(op, a);
        if (a.dim(a.rank() - 1) != a.dim(a.rank() - 2)) {
            throw new IllegalArgumentException(op + ": operand " + a.str() + " must be square in its last two axes");
        }
    }

    /** The last two axes swapped (the matrix transpose of every matrix in the batch). */
    public static Array swapLast(Array x) {
        int r = x.ndim();
        int[] perm = new int[r];
        for (int i = 0; i < r; i++) {
            perm[i] = i;
        }
        perm[r - 2] = r - 1;
        perm[r - 1] = r - 2;
        return Ops.transpose(x, perm);
    }

    /** The matrix product of two batches with equal leading axes: {@code [..., m, k] @ [..., k, n]}. */
    public static Array matmul(Array x, Array y) {
        int r = x.ndim();
        if (y.ndim() != r) {
            throw new IllegalArgumentException("matmul: operands " + Shapes.str(x.aval(), y.aval()) + " must have equal ranks");
        }
        int[] batch = new int[r - 2];
        for (int i = 0; i < batch.length; i++) {
            batch[i] = i;
        }
        return Ops.dotGeneral(x, y, new int[] {r - 1}, new int[] {r - 2}, batch, batch);
    }

    /** The column index minus the row index, int32, of {@code x}'s shape. */
    private static Array offsetFromDiagonal(Array x) {
        int[] shape = x.shape();
        int r = shape.length;
        return Ops.sub(Ops.iota(DType.INT32, shape, r - 1), Ops.iota(DType.INT32, shape, r - 2));
    }

    /** True where {@code column - row} is at most {@code k} (lower) or at least {@code k} (upper). */
    public static Array triangleMask(Array x, boolean lower, int k) {
        Array d = offsetFromDiagonal(x);
        Array kk = Ops.full(d.aval(), k);
        return lower ? Ops.le(d, kk) : Ops.ge(d, kk);
    }

    /** The elements on or below diagonal {@code k} (JAX's {@code tril}); zero elsewhere. */
    public static Array tril(Array x, int k) {
        return Ops.select(triangleMask(x, true, k), x, Ops.zerosLike(x));
    }

    /** The elements on or above diagonal {@code k} (JAX's {@code triu}); zero elsewhere. */
    public static Array triu(Array x, int k) {
        return Ops.select(triangleMask(x, false, k), x, Ops.zerosLike(x));
    }

    /** True on the main diagonal, of {@code x}'s shape. */
    public static Array diagonalMask(Array x) {
        Array d = offsetFromDiagonal(x);
        return Ops.eq(d, Ops.zerosLike(d));
    }

    /** Identity matrices of {@code x}'s shape and dtype (ones on the main diagonal). */
    public static Array eyeLike(Array x) {
        return Ops.select(diagonalMask(x), Ops.fullLike(x, 1), Ops.zerosLike(x));
    }

    /** The main diagonal of each square matrix: {@code [..., n, n] -> [..., n]}. */
    public static Array diagonal(Array x) {
        return Ops.reduceSum(Ops.select(diagonalMask(x), x, Ops.zerosLike(x)), x.ndim() - 1);
    }

    /** The sum of the diagonal of each square matrix: {@code [..., n, n] -> [...]}. */
    public static Array trace(Array x) {
        Array d = diagonal(x);
        return Ops.reduceSum(d, d.ndim() - 1);
    }

    /** Every matrix with its rows reordered: row {@code i} of the result is row {@code rows[..., i]} of {@code x}. */
    public static Array permuteRows(Array x, Array rows) {
        int r = x.ndim();
        int[] dims = new int[r - 1];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = i;
        }
        return Ops.takeAlongAxis(x, Ops.broadcastInDim(rows, x.shape(), dims), r - 2);
    }
}
