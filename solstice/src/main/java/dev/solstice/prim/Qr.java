package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import dev.solstice.core.Batched;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Interpreters;
import dev.solstice.core.Primitive;
import dev.solstice.core.Shapes;
import dev.solstice.kernel.MatrixBatch;
import dev.solstice.kernel.QrKernel;
import java.util.Arrays;

/**
 * The QR decomposition {@code a = Q R} of each matrix of a batch {@code [..., m, n]} (JAX's {@code qr}, without
 * pivoting): outputs {@code Q} ({@code [..., m, k]}, {@code k = min(m, n)}, or {@code [..., m, m]} when
 * {@code fullMatrices}) and {@code R} ({@code [..., k, n]} or {@code [..., m, n]}), upper triangular, with
 * LAPACK's Householder signs (see {@link QrKernel}).
 *
 * <p>JVP as JAX's ({@code jax/_src/lax/linalg.py}, {@code qr_jvp_rule}, after Townsend's note): with
 * {@code X = Qᵀ dA R⁻¹} and {@code Ω = tril(X, -1) - tril(X, -1)ᵀ} (skew-symmetric),
 * {@code dQ = Q (Ω - X) + dA R⁻¹} and {@code dR = (X - Ω) R}. Like JAX it has no rule for {@code m < n} or for
 * the full {@code Q} of a non-square matrix (both raise {@link UnsupportedOperationException}); a singular
 * {@code R} gives infinities or NaNs. Batching moves the batch axis to the front.
 *
 * @param fullMatrices whether {@code Q} is square ({@code mode = "complete"}) rather than reduced
 */
public record Qr(boolean fullMatrices) implements Primitive {

    @Override
    public Aval[] shapeRule(Aval[] in) {
        Shapes.arity(this, in, 1);
        Aval a = in[0];
        MatrixOps.requireFloatMatrix(name(), a);
        int r = a.rank();
        int m = a.dim(r - 2);
        int n = a.dim(r - 1);
        int qCols = fullMatrices ? m : Math.min(m, n);
        int[] batch = Arrays.copyOf(a.shape(), r - 2);
        return new Aval[] {new Aval(a.dtype(), MatrixBatch.shape(batch, m, qCols)), new Aval(a.dtype(), MatrixBatch.shape(batch, qCols, n))};
    }

    @Override
    public DenseArray[] eval(DenseArray[] in, Aval[] outAvals) {
        Aval a = in[0].aval();
        int rank = a.rank();
        int m = a.dim(rank - 2);
        int n = a.dim(rank - 1);
        int qCols = fullMatrices ? m : Math.min(m, n);
        int count = MatrixBatch.count(a);
        double[] x = MatrixBatch.doubles(in[0]);
        double[] q = new double[count * m * qCols];
        double[] r = new double[count * qCols * n];
        for (int b = 0; b < count; b++) {
            QrKernel.decompose(x, b * m * n, m, n, qCols, q, b * m * qCols, r, b * qCols * n);
        }
        return new DenseArray[] {MatrixBatch.of(outAvals[0], q), MatrixBatch.of(outAvals[1], r)};
    }

    @Override
    public Array[] jvp(Array[] primals, Array[] outs, Array[] tangents) {
        Aval a = primals[0].aval();
        int m = a.dim(a.rank() - 2);
        int n = a.dim(a.rank() - 1);
        if (m < n || (fullMatrices && m != n)) {
            throw new UnsupportedOperationException("qr: no derivative for " + a.str() + (m < n
                    ? " (fewer rows than columns), as in JAX; differentiate the QR of the transpose or use svd"
                    : " in complete mode (as in JAX); use the reduced mode, whose Q spans the same columns"));
        }
        Array q = outs[0];
        Array r = outs[1];
        Array dA = tangents[0];
        Array dARinv = Ops.triangularSolve(r, dA, false, false, false, false);
        Array x = MatrixOps.matmul(MatrixOps.swapLast(q), dARinv);
        Array lower = MatrixOps.tril(x, -1);
        Array omega = Ops.sub(lower, MatrixOps.swapLast(lower));
        Array dQ = Ops.add(MatrixOps.matmul(q, Ops.sub(omega, x)), dARinv);
        Array dR = MatrixOps.matmul(Ops.sub(x, omega), r);
        return new Array[] {dQ, dR};
    }

    @Override
    public Batched batch(Array[] vals, int[] dims, int axisSize) {
        return new Batched(Interpreters.bind(this, BatchRules.allToFront(vals, dims, axisSize)), new int[2]);
    }
}
