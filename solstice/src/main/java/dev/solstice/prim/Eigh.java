package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import dev.solstice.core.Batched;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Interpreters;
import dev.solstice.core.Primitive;
import dev.solstice.core.Shapes;
import dev.solstice.kernel.EighKernel;
import dev.solstice.kernel.MatrixBatch;
import java.util.Arrays;

/**
 * The symmetric eigendecomposition of each matrix of a batch {@code [..., n, n]} (JAX's {@code eigh}): two
 * outputs in JAX's order, the eigenvectors {@code v} ({@code [..., n, n]}, as columns) and the eigenvalues
 * {@code w} ({@code [..., n]}, ascending); only the lower triangle is read (see {@link EighKernel}).
 *
 * <p>JVP as JAX's ({@code jax/_src/lax/linalg.py}, {@code _eigh_jvp_rule}), for distinct eigenvalues:
 * with {@code X = vᵀ dA v}, {@code dw = diag(X)} and {@code dv = v (F ∘ X)}, {@code F_ij = 1 / (w_j - w_i)}
 * off the diagonal and 0 on it; equal eigenvalues give infinities or NaNs in {@code dv}, as in JAX. As for
 * {@link Cholesky}, the tangent is first made the symmetric matrix of its lower triangle (the facade
 * symmetrises the input as {@code jnp.linalg.eigh} does). Batching moves the batch axis to the front.
 *
 * <p>Values only ({@code !computeV}, for {@code eigvalsh}): one output, {@code w}, from the reduction and QL
 * iteration without the basis (a fraction of the work; the values are bitwise the full decomposition's). Its
 * JVP needs the vectors, so the rule computes them, as JAX's {@code eigh} always does when differentiated:
 * {@code dw_i = v_iᵀ dA v_i}.
 *
 * @param computeV whether the eigenvectors are computed and are the first output
 */
public record Eigh(boolean computeV) implements Primitive {

    /** The full decomposition, vectors and values (the primitive's original form). */
    public Eigh() {
        this(true);
    }

    @Override
    public Aval[] shapeRule(Aval[] in) {
        Shapes.arity(this, in, 1);
        MatrixOps.requireSquare(name(), in[0]);
        int r = in[0].rank();
        Aval w = new Aval(in[0].dtype(), Arrays.copyOf(in[0].shape(), r - 1));
        return computeV ? new Aval[] {in[0], w} : new Aval[] {w};
    }

    @Override
    public DenseArray[] eval(DenseArray[] in, Aval[] outAvals) {
        Aval a = in[0].aval();
        int n = a.dim(a.rank() - 1);
        int count = MatrixBatch.count(a);
        double[] x = MatrixBatch.doubles(in[0]);
        double[] w = new double[count * n];
        if (!computeV) {
            for (int b = 0; b < count; b++) {
                EighKernel.eigenvalues(x, b * n * n, n, w, b * n);
            }
            return new DenseArray[] {MatrixBatch.of(outAvals[0], w)};
        }
        double[] v = new double[x.length];
        for (int b = 0; b < count; b++) {
            EighKernel.decompose(x, b * n * n, n, v, b * n * n, w, b * n);
        }
        return new DenseArray[] {MatrixBatch.of(outAvals[0], v), MatrixBatch.of(outAvals[1], w)};
    }

    @Override
    public Array[] jvp(Array[] primals, Array[] outs, Array[] tangents) {
        Array dA = tangents[0];
        Array sym = Ops.add(MatrixOps.tril(dA, 0), MatrixOps.swapLast(MatrixOps.tril(dA, -1)));
        if (!computeV) {
            Array v = Interpreters.bind(new Eigh(true), primals[0])[0];
            int last = v.ndim() - 1;
            return new Array[] {Ops.reduceSum(Ops.mul(v, MatrixOps.matmul(sym, v)), last - 1)};
        }
        Array v = outs[0];
        Array w = outs[1];
        Array x = MatrixOps.matmul(MatrixOps.matmul(MatrixOps.swapLast(v), sym), v);
        return new Array[] {MatrixOps.matmul(v, Ops.mul(inverseGaps(w, v.shape()), x)), MatrixOps.diagonal(x)};
    }

    /**
     * {@code F} of the JVP rule for eigenvalues {@code w} ({@code [..., n]}): {@code F_ij = 1 / (w_j - w_i)} off
     * the diagonal and 0 on it, of shape {@code [..., n, n]}.
     */
    public static Array inverseGaps(Array w, int[] shape) {
        Array wj = asRows(w, shape);
        Array wi = Ops.broadcastInDim(w, shape, leadingAnd(shape.length, shape.length - 2));
        Array eye = MatrixOps.eyeLike(wj);
        return Ops.sub(Ops.integerPow(Ops.add(eye, Ops.sub(wj, wi)), -1), eye);
    }

    /** {@code w}'s value at {@code [..., i, j]} is {@code w[..., j]} (a row, {@code axis = r - 1}) or {@code w[..., i]}. */
    private static int[] leadingAnd(int r, int axis) {
        int[] dims = new int[r - 1];
        for (int i = 0; i < r - 2; i++) {
            dims[i] = i;
        }
        dims[r - 2] = axis;
        return dims;
    }

    /** {@code w} ({@code [..., n]}) broadcast along rows to {@code shape} {@code [..., n, n]}: element {@code [..., i, j]} is {@code w[..., j]}. */
    public static Array asRows(Array w, int[] shape) {
        return Ops.broadcastInDim(w, shape, leadingAnd(shape.length, shape.length - 1));
    }

    @Override
    public Batched batch(Array[] vals, int[] dims, int axisSize) {
        return new Batched(Interpreters.bind(this, BatchRules.allToFront(vals, dims, axisSize)), new int[computeV ? 2 : 1]);
    }
}
