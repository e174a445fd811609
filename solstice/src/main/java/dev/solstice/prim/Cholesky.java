package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import dev.solstice.core.Batched;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Interpreters;
import dev.solstice.core.Primitive;
import dev.solstice.kernel.CholeskyKernel;
import dev.solstice.kernel.MatrixBatch;

/**
 * The lower Cholesky factor {@code L} ({@code A = L Lᵀ}) of each matrix of a batch {@code [..., n, n]}, float32
 * or float64 (JAX's {@code cholesky} primitive): only the lower triangle of {@code A} is read, the strict upper
 * triangle of {@code L} is zero, and a matrix that is not positive definite gives NaNs (see {@link CholeskyKernel}).
 *
 * <p>JVP as JAX's ({@code jax/_src/lax/linalg.py}, {@code _cholesky_jvp_rule}, after Murray 2016):
 * {@code dL = L phi(L⁻¹ dA L⁻ᵀ)}, {@code phi} taking the lower triangle with its diagonal halved. That formula
 * holds for a symmetric {@code dA}; since the primitive reads only the lower triangle, the tangent is first made
 * the symmetric matrix of its lower triangle, so the rule is the exact derivative of what is evaluated (the
 * {@code Linalg.cholesky} facade symmetrises the input, as {@code jnp.linalg.cholesky} does, so there the
 * tangent is already symmetric). Batching moves the batch axis to the front.
 */
public record Cholesky() implements Primitive {

    @Override
    public Aval[] shapeRule(Aval[] in) {
        dev.solstice.core.Shapes.arity(this, in, 1);
        MatrixOps.requireSquare(name(), in[0]);
        return in.clone();
    }

    @Override
    public DenseArray[] eval(DenseArray[] in, Aval[] outAvals) {
        Aval a = in[0].aval();
        int n = a.dim(a.rank() - 1);
        double[] x = MatrixBatch.doubles(in[0]);
        for (int b = 0, count = MatrixBatch.count(a); b < count; b++) {
            CholeskyKernel.factor(x, b * n * n, n);
        }
        return new DenseArray[] {MatrixBatch.of(outAvals[0], x)};
    }

    @Override
    public Array[] jvp(Array[] primals, Array[] outs, Array[] tangents) {
        Array l = outs[0];
        Array dA = tangents[0];
        Array sym = Ops.add(MatrixOps.tril(dA, 0), MatrixOps.swapLast(MatrixOps.tril(dA, -1)));
        Array right = Ops.triangularSolve(l, sym, false, true, true, false);   // dA L^-T
        Array mid = Ops.triangularSolve(l, right, true, true, false, false);   // L^-1 dA L^-T
        Array halfDiagonal = Ops.mul(mid, Ops.fullLike(mid, 0.5));
        Array phi = Ops.select(MatrixOps.diagonalMask(mid), halfDiagonal, MatrixOps.tril(mid, -1));
        return new Array[] {MatrixOps.matmul(l, phi)};
    }

    @Override
    public Batched batch(Array[] vals, int[] dims, int axisSize) {
        return new Batched(Interpreters.bind(this, BatchRules.allToFront(vals, dims, axisSize)), new int[1]);
    }
}
