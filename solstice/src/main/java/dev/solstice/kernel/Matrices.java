package dev.solstice.kernel;

import dev.solstice.core.DenseArray;

/**
 * A batch of matrices read in place from a storage array: element (row {@code i}, column {@code j}) of matrix
 * {@code t} is {@code storage[offset + t*batchStride + i*rowStride + j*colStride]}. Any strides are allowed
 * (0 repeats, negative walks backwards), so a transposed, sliced, reversed or broadcast view is an operand of
 * {@link Kernels#batchedMatmul(Matrices, Matrices, int, int, int, int, dev.solstice.core.Aval)} without a copy.
 *
 * @param storage a {@code float[]}, {@code double[]} or {@code int[]}, never written
 * @param offset the position of matrix 0's element (0, 0)
 * @param batchStride the distance between matrices
 * @param rowStride the distance between rows
 * @param colStride the distance between columns
 */
public record Matrices(Object storage, int offset, int batchStride, int rowStride, int colStride) {

    /**
     * A contiguous array's elements as matrices of {@code rows x cols}, stored row-major, or stored as their
     * transposes ({@code cols x rows} row-major) when {@code transposed}.
     *
     * @param x the array (a view is copied into contiguous storage first)
     * @param transposed whether each matrix is stored transposed
     * @param rows rows of each matrix
     * @param cols columns of each matrix
     * @return the matrices
     */
    public static Matrices of(DenseArray x, boolean transposed, int rows, int cols) {
        return new Matrices(x.data(), 0, rows * cols, transposed ? 1 : cols, transposed ? rows : 1);
    }
}
