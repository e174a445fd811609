package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.Batched;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Interpreters;
import dev.solstice.core.Primitive;
import dev.solstice.core.Shapes;
import dev.solstice.core.Zero;
import dev.solstice.kernel.LuKernel;
import dev.solstice.kernel.MatrixBatch;
import java.util.Arrays;

/**
 * LU decomposition with partial pivoting of each matrix of a batch {@code [..., m, n]} (JAX's {@code lu}):
 * three outputs, {@code lu} ({@code [..., m, n]}: {@code L} strictly below the diagonal with its unit diagonal
 * implied, {@code U} on and above), {@code pivots} (int32 {@code [..., min(m, n)]}: row {@code i} was swapped
 * with row {@code pivots[i]}) and {@code permutation} (int32 {@code [..., m]}: {@code a[permutation] = L U}).
 * A singular matrix is decomposed all the same, with zeros on {@code U}'s diagonal (see {@link LuKernel}).
 *
 * <p>JVP as JAX's ({@code jax/_src/lax/linalg.py}, {@code _lu_jvp_rule}, after de Hoog, Anderssen and Lukas):
 * with {@code X = L⁻¹ P dA U⁻¹}, {@code dL = L tril(X, -1)} and {@code dU = triu(X) U}, {@code L} padded to
 * {@code m x m} and {@code U} to {@code n x n} with identity blocks; the integer outputs have zero tangents.
 * Batching moves the batch axis to the front.
 */
public record Lu() implements Primitive {

    @Override
    public Aval[] shapeRule(Aval[] in) {
        Shapes.arity(this, in, 1);
        Aval a = in[0];
        MatrixOps.requireFloatMatrix(name(), a);
        int r = a.rank();
        int m = a.dim(r - 2);
        int k = Math.min(m, a.dim(r - 1));
        int[] batch = Arrays.copyOf(a.shape(), r - 2);
        return new Aval[] {a, new Aval(DType.INT32, MatrixBatch.shape(batch, k)), new Aval(DType.INT32, MatrixBatch.shape(batch, m))};
    }

    @Override
    public DenseArray[] eval(DenseArray[] in, Aval[] outAvals) {
        Aval a = in[0].aval();
        int r = a.rank();
        int m = a.dim(r - 2);
        int n = a.dim(r - 1);
        int k = Math.min(m, n);
        int count = MatrixBatch.count(a);
        double[] x = MatrixBatch.doubles(in[0]);
        int[] pivots = new int[count * k];
        int[] permutation = new int[count * m];
        for (int b = 0; b < count; b++) {
            LuKernel.factor(x, b * m * n, m, n, pivots, b * k, permutation, b * m);
        }
        return new DenseArray[] {MatrixBatch.of(outAvals[0], x), MatrixBatch.ofInts(outAvals[1], pivots),
            MatrixBatch.ofInts(outAvals[2], permutation)};
    }

    @Override
    public Array[] jvp(Array[] primals, Array[] outs, Array[] tangents) {
        Array lu = outs[0];
        int r = lu.ndim();
        int m = lu.shape()[r - 2];
        int n = lu.shape()[r - 1];
        int k = Math.min(m, n);
        Array x = MatrixOps.permuteRows(tangents[0], outs[2]);
        Array l = squareL(lu, m, n, k);
        Array u = squareU(lu, m, n, k);
        Array la = Ops.triangularSolve(l, x, true, true, false, true);
        Array lau = Ops.triangularSolve(u, la, false, false, false, false);
        Array luDot = Ops.add(MatrixOps.matmul(l, MatrixOps.tril(lau, -1)), MatrixOps.matmul(MatrixOps.triu(lau, 0), u));
        return new Array[] {luDot, Zero.like(outs[1]), Zero.like(outs[2])};
    }

    /** {@code L} as an {@code m x m} unit lower triangular matrix: its {@code k} columns, then identity columns. */
    private static Array squareL(Array lu, int m, int n, int k) {
        int r = lu.ndim();
        Array cols = Ops.slice(lu, zeros(r), limit(lu.shape(), r - 1, k), ones(r));
        int[] high = new int[r];
        high[r - 1] = m - k;
        Array l = Ops.pad(MatrixOps.tril(cols, -1), scalarZero(lu), new int[r], high, new int[r]);
        return Ops.add(l, MatrixOps.eyeLike(l));
    }

    /** {@code U} as an {@code n x n} upper triangular matrix: its {@code k} rows, then identity rows. */
    private static Array squareU(Array lu, int m, int n, int k) {
        int r = lu.ndim();
        Array rows = Ops.slice(lu, zeros(r), limit(lu.shape(), r - 2, k), ones(r));
        int[] high = new int[r];
        high[r - 2] = n - k;
        Array u = Ops.pad(MatrixOps.triu(rows, 0), scalarZero(lu), new int[r], high, new int[r]);
        // ones on the diagonal of the padded rows (k..n-1) only
        return k == n ? u : Ops.add(u, rowsFrom(MatrixOps.eyeLike(u), k));
    }

    /** {@code x} with its rows before {@code k} zeroed. */
    private static Array rowsFrom(Array x, int k) {
        int r = x.ndim();
        Array rowIndex = Ops.iota(DType.INT32, x.shape(), r - 2);
        return Ops.select(Ops.ge(rowIndex, Ops.full(rowIndex.aval(), k)), x, Ops.zerosLike(x));
    }

    private static Array scalarZero(Array like) {
        return Ops.full(new Aval(like.dtype()), 0);
    }

    private static int[] zeros(int r) {
        return new int[r];
    }

    private static int[] ones(int r) {
        int[] o = new int[r];
        java.util.Arrays.fill(o, 1);
        return o;
    }

    private static int[] limit(int[] shape, int axis, int value) {
        int[] l = shape.clone();
        l[axis] = value;
        return l;
    }

    @Override
    public Batched batch(Array[] vals, int[] dims, int axisSize) {
        return new Batched(Interpreters.bind(this, BatchRules.allToFront(vals, dims, axisSize)), new int[3]);
    }
}
