package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import dev.solstice.core.Batched;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Interpreters;
import dev.solstice.core.Primitive;
import dev.solstice.core.Shapes;
import dev.solstice.kernel.MatrixBatch;
import dev.solstice.kernel.SvdKernel;
import java.util.Arrays;

/**
 * The singular value decomposition {@code a = U diag(s) Vh} of each matrix of a batch {@code [..., m, n]}
 * (JAX's {@code svd}): outputs in JAX's order, {@code s} ({@code [..., k]}, {@code k = min(m, n)},
 * descending), then, when {@code computeUv}, {@code U} ({@code [..., m, k]}, or {@code [..., m, m]} when
 * {@code fullMatrices}) and {@code Vh} ({@code [..., k, n]} or {@code [..., n, n]}); signs as
 * {@link SvdKernel} fixes them.
 *
 * <p>JVP as JAX's ({@code jax/_src/lax/linalg.py}, {@code _svd_jvp_rule}), for the reduced form: with
 * {@code dS = Uᵀ dA V}, {@code ds = diag(dS)}; {@code F_ij = 1 / (s_j² - s_i²)} off the diagonal, 0 on it;
 * {@code dU = U (F ∘ (dS diag(s) + diag(s) dSᵀ))}, {@code dV = V (F ∘ (diag(s) dS + dSᵀ diag(s)))}, plus the
 * parts outside the span, {@code (I - U Uᵀ) dA V / s} when {@code m > n} and {@code (I - V Vᵀ) dAᵀ U / s}
 * when {@code n > m}. (JAX's extra term {@code (dS - dSᵀ)/2 ∘ diag(1/s)} is zero for real matrices and is
 * left out.) At repeated singular values {@code F} is infinite and {@code dU}, {@code dV} are infinities or
 * NaNs, as in JAX; a zero singular value of a non-square matrix makes the outside part infinite; {@code ds}
 * stays finite. Values only ({@code !computeUv}): {@code ds} from the vectors of a reduced decomposition. Full
 * matrices of a non-square shape have no JVP (JAX raises {@code NotImplementedError}); square ones are the
 * reduced case and get its rule. Batching moves the batch axis to the front.
 *
 * @param fullMatrices whether {@code U} and {@code Vh} are square
 * @param computeUv whether {@code U} and {@code Vh} are outputs
 */
public record Svd(boolean fullMatrices, boolean computeUv) implements Primitive {

    @Override
    public Aval[] shapeRule(Aval[] in) {
        Shapes.arity(this, in, 1);
        Aval a = in[0];
        MatrixOps.requireFloatMatrix(name(), a);
        int r = a.rank();
        int m = a.dim(r - 2);
        int n = a.dim(r - 1);
        int k = Math.min(m, n);
        int[] batch = Arrays.copyOf(a.shape(), r - 2);
        Aval s = new Aval(a.dtype(), MatrixBatch.shape(batch, k));
        if (!computeUv) {
            return new Aval[] {s};
        }
        return new Aval[] {s, new Aval(a.dtype(), MatrixBatch.shape(batch, m, fullMatrices ? m : k)),
            new Aval(a.dtype(), MatrixBatch.shape(batch, fullMatrices ? n : k, n))};
    }

    @Override
    public DenseArray[] eval(DenseArray[] in, Aval[] outAvals) {
        Aval a = in[0].aval();
        int r = a.rank();
        int m = a.dim(r - 2);
        int n = a.dim(r - 1);
        int k = Math.min(m, n);
        int uSize = m * (fullMatrices ? m : k);
        int vhSize = n * (fullMatrices ? n : k);
        int count = MatrixBatch.count(a);
        double[] x = MatrixBatch.doubles(in[0]);
        double[] s = new double[count * k];
        double[] u = computeUv ? new double[count * uSize] : null;
        double[] vh = computeUv ? new double[count * vhSize] : null;
        for (int b = 0; b < count; b++) {
            SvdKernel.decompose(x, b * m * n, m, n, computeUv, fullMatrices, s, b * k, u, b * uSize, vh, b * vhSize);
        }
        if (!computeUv) {
            return new DenseArray[] {MatrixBatch.of(outAvals[0], s)};
        }
        return new DenseArray[] {MatrixBatch.of(outAvals[0], s), MatrixBatch.of(outAvals[1], u),
            MatrixBatch.of(outAvals[2], vh)};
    }

    @Override
    public Array[] jvp(Array[] primals, Array[] outs, Array[] tangents) {
        Array a = primals[0];
        int r = a.ndim();
        int m = a.shape()[r - 2];
        int n = a.shape()[r - 1];
        if (computeUv && fullMatrices && m != n) {
            throw new UnsupportedOperationException("svd: no derivative of the full-matrices decomposition of a non-square "
                    + a.aval().str() + " (as in JAX); use fullMatrices = false, whose U and Vh span the same singular vectors");
        }
        Array[] reduced = computeUv ? outs : Interpreters.bind(new Svd(false, true), a);
        Array s = reduced[0];
        Array u = reduced[1];
        Array vh = reduced[2];
        Array v = MatrixOps.swapLast(vh);
        Array ut = MatrixOps.swapLast(u);
        Array dA = tangents[0];
        Array dS = MatrixOps.matmul(MatrixOps.matmul(ut, dA), v);
        Array ds = MatrixOps.diagonal(dS);
        if (!computeUv) {
            return new Array[] {ds};
        }
        int[] square = dS.shape();
        Array sj = alongLast(s, square);
        Array si = alongRows(s, square);
        Array eye = MatrixOps.eyeLike(dS);
        Array f = Ops.sub(Ops.integerPow(Ops.add(eye, Ops.mul(Ops.add(sj, si), Ops.sub(sj, si))), -1), eye);
        Array dSs = Ops.mul(sj, dS);
        Array sdS = Ops.mul(si, dS);
        Array dU = MatrixOps.matmul(u, Ops.mul(f, Ops.add(dSs, MatrixOps.swapLast(dSs))));
        Array dV = MatrixOps.matmul(v, Ops.mul(f, Ops.add(sdS, MatrixOps.swapLast(sdS))));
        if (m > n) {
            Array dAv = MatrixOps.matmul(dA, v);
            Array outside = Ops.sub(dAv, MatrixOps.matmul(u, MatrixOps.matmul(ut, dAv)));
            dU = Ops.add(dU, Ops.div(outside, alongLast(s, outside.shape())));
        }
        if (n > m) {
            Array dAtU = MatrixOps.matmul(MatrixOps.swapLast(dA), u);
            Array outside = Ops.sub(dAtU, MatrixOps.matmul(v, MatrixOps.matmul(vh, dAtU)));
            dV = Ops.add(dV, Ops.div(outside, alongLast(s, outside.shape())));
        }
        return new Array[] {ds, dU, MatrixOps.swapLast(dV)};
    }

    /** {@code s [..., k]} broadcast to {@code [..., rows, k]}: element {@code (i, j)} is {@code s_j}. */
    private static Array alongLast(Array s, int[] shape) {
        return Ops.broadcastInDim(s, shape, leading(shape.length, shape.length - 1));
    }

    /** {@code s [..., k]} broadcast to {@code [..., k, k]}: element {@code (i, j)} is {@code s_i}. */
    private static Array alongRows(Array s, int[] shape) {
        return Ops.broadcastInDim(s, shape, leading(shape.length, shape.length - 2));
    }

    private static int[] leading(int rank, int last) {
        int[] dims = new int[rank - 1];
        for (int i = 0; i < rank - 2; i++) {
            dims[i] = i;
        }
        dims[rank - 2] = last;
        return dims;
    }

    @Override
    public Batched batch(Array[] vals, int[] dims, int axisSize) {
        return new Batched(Interpreters.bind(this, BatchRules.allToFront(vals, dims, axisSize)), new int[computeUv ? 3 : 1]);
    }
}
