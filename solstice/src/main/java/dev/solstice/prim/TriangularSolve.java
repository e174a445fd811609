package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import dev.solstice.core.Batched;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Interpreters;
import dev.solstice.core.Primitive;
import dev.solstice.core.Shapes;
import dev.solstice.kernel.MatrixBatch;
import dev.solstice.kernel.TriangularSolveKernel;
import java.util.Arrays;

/**
 * Solves triangular systems (JAX's {@code triangular_solve}): with {@code a} {@code [..., m, m]} triangular,
 * {@code op(a) x = b} on the left ({@code b} {@code [..., m, n]}) or {@code x op(a) = b} on the right
 * ({@code b} {@code [..., n, m]}), {@code op(a)} being {@code a} or {@code aᵀ}; equal leading (batch) axes,
 * one floating dtype. Only the {@code lower} (or upper) triangle of {@code a} is read, and with
 * {@code unitDiagonal} its diagonal is taken as ones. See {@link TriangularSolveKernel}.
 *
 * <p>Rules as JAX's ({@code jax/_src/lax/linalg.py}): linear in {@code b}, whose transpose is the solve with
 * {@code transposeA} flipped ({@code _triangular_solve_transpose_rule}); in {@code a} the JVP is
 * {@code -op(a)⁻¹ op(da) x} (left) or {@code -x op(da) op(a)⁻¹} (right), {@code da} masked to the triangle read
 * ({@code _triangular_solve_jvp_rule_a}). Batching moves both batch axes to the front.
 *
 * @param leftSide true to solve {@code op(a) x = b}, false for {@code x op(a) = b}
 * @param lower true to read the lower triangle of {@code a}, false the upper
 * @param transposeA true to solve with {@code aᵀ}
 * @param unitDiagonal true to take the diagonal of {@code a} as ones (not read)
 */
public record TriangularSolve(boolean leftSide, boolean lower, boolean transposeA, boolean unitDiagonal) implements Primitive {

    @Override
    public Aval[] shapeRule(Aval[] in) {
        Shapes.arity(this, in, 2);
        Aval a = in[0];
        Aval b = in[1];
        MatrixOps.requireSquare(name(), a);
        int r = a.rank();
        boolean ok = b.rank() == r && b.dtype() == a.dtype()
                && Arrays.equals(Arrays.copyOf(a.shape(), r - 2), Arrays.copyOf(b.shape(), r - 2))
                && b.dim(leftSide ? r - 2 : r - 1) == a.dim(r - 1);
        if (!ok) {
            throw new IllegalArgumentException(name() + ": cannot solve with a = " + a.str() + " and b = " + b.str()
                    + (leftSide ? " on the left" : " on the right") + "; need one dtype, equal leading axes and b's "
                    + (leftSide ? "rows" : "columns") + " equal to a's order " + a.dim(r - 1));
        }
        return new Aval[] {b};
    }

    @Override
    public DenseArray[] eval(DenseArray[] in, Aval[] outAvals) {
        Aval aa = in[0].aval();
        Aval ba = in[1].aval();
        int r = ba.rank();
        int m = aa.dim(r - 1);
        int rows = ba.dim(r - 2);
        int cols = ba.dim(r - 1);
        double[] a = MatrixBatch.readDoubles(in[0]);      // the kernel only reads a
        double[] b = MatrixBatch.doubles(in[1]);
        for (int k = 0, count = MatrixBatch.count(ba); k < count; k++) {
            TriangularSolveKernel.solve(a, k * m * m, b, k * rows * cols, rows, cols, leftSide, lower, transposeA, unitDiagonal);
        }
        return new DenseArray[] {MatrixBatch.of(outAvals[0], b)};
    }

    @Override
    public Array[] jvp(Array[] primals, Array[] outs, Array[] tangents) {
        Array a = primals[0];
        Array x = outs[0];
        Array fromB = Tangents.unlessZero(tangents[1], x, () -> Interpreters.bind1(this, a, tangents[1]));
        Array fromA = Tangents.unlessZero(tangents[0], x, () -> {
            int k = unitDiagonal ? 1 : 0;
            Array g = Ops.neg(lower ? MatrixOps.tril(tangents[0], -k) : MatrixOps.triu(tangents[0], k));
            g = transposeA ? MatrixOps.swapLast(g) : g;
            return Interpreters.bind1(this, a, leftSide ? MatrixOps.matmul(g, x) : MatrixOps.matmul(x, g));
        });
        return new Array[] {Tangents.add(fromA, fromB)};
    }

    @Override
    public Array[] transpose(Array[] cts, Array[] args) {
        TriangularSolve flipped = new TriangularSolve(leftSide, lower, !transposeA, unitDiagonal);
        return new Array[] {
            Tangents.ifLinear(args[0], () -> {
                throw new IllegalStateException(name() + " is not linear in a; only b can be transposed");
            }),
            Tangents.ifLinear(args[1], () -> Interpreters.bind1(flipped, args[0], cts[0]))
        };
    }

    @Override
    public Batched batch(Array[] vals, int[] dims, int axisSize) {
        return new Batched(Interpreters.bind(this, BatchRules.allToFront(vals, dims, axisSize)), new int[1]);
    }
}
