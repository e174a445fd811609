package dev.solstice.prim;

import dev.solstice.core.Batched;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Primitive;
import dev.solstice.core.Shapes;
import dev.solstice.core.UndefinedPrimal;
import dev.solstice.kernel.Kernels;
import dev.solstice.kernel.Matrices;
import java.util.Arrays;

/**
 * General tensor contraction (XLA's DotGeneral). The result's axes are the batch axes (in the order given),
 * then the left operand's free axes, then the right operand's free axes. Bilinear: linear in each operand
 * when the other is a constant.
 *
 * <p>Evaluation is one batched matrix product ({@code dev.solstice.kernel.Gemm}) reading both operands in
 * place through their strides: whenever the batch, free and contracted axes of an operand each form one
 * evenly spaced run in its storage (a contiguous operand in any axis order with the groups not interleaved,
 * a transposed, sliced, reversed or broadcast view of one), nothing is copied, so {@code x @ W.T} and
 * {@code W.T @ g} copy nothing; any other layout is copied into [batch, free, contracted] first.
 *
 * <p>Accumulation rule: every output element is a fused-multiply-add chain {@code c = fma(x_p, y_p, c)} over
 * the contracted index {@code p} in ascending order (the contracted axes flattened in the order given, first
 * axis slowest), starting from zero, in the operands' precision: float32 products accumulate in float32 with
 * one rounding per step, float64 in float64. The rule holds for every shape (matrix-vector included), both
 * kernel implementations and any thread count, so results are bitwise reproducible; in particular
 * {@code vmap} of a dot and the loop over examples give identical bits, since batching adds batch or free
 * axes and never changes an element's contraction order. The error bound against exact arithmetic is the
 * usual sequential one, {@code |error| <= k * u * sum_p |x_p y_p|} to first order ({@code u} the unit
 * roundoff: 2^-24 for float32, 2^-53 for float64).
 *
 * @param lhsContract contracted axes of the left operand
 * @param rhsContract the matching contracted axes of the right operand
 * @param lhsBatch batch axes of the left operand
 * @param rhsBatch the matching batch axes of the right operand
 */
public record DotGeneral(int[] lhsContract, int[] rhsContract, int[] lhsBatch, int[] rhsBatch) implements Primitive {
    /** Copies the arrays, which records would otherwise share. */
    public DotGeneral {
        lhsContract = lhsContract.clone();
        rhsContract = rhsContract.clone();
        lhsBatch = lhsBatch.clone();
        rhsBatch = rhsBatch.clone();
    }

    @Override
    public Aval[] shapeRule(Aval[] in) {
        Shapes.arity(this, in, 2);
        Aval x = in[0];
        Aval y = in[1];
        if (x.dtype() != y.dtype() || x.dtype() == DType.BOOL) {
            throw new IllegalArgumentException(name() + ": operands " + Shapes.str(in) + " need one numeric dtype"
                    + dims() + "; Jnp.matmul and Jnp.dot promote");
        }
        if (lhsContract.length != rhsContract.length || lhsBatch.length != rhsBatch.length
                || !validAxes(lhsContract, lhsBatch, x.rank()) || !validAxes(rhsContract, rhsBatch, y.rank())) {
            throw new IllegalArgumentException(name() + ": dimension numbers do not fit operands " + Shapes.str(in) + dims()
                    + "; each axis must exist, appear once, and the lists must pair up");
        }
        for (int i = 0; i < lhsContract.length; i++) {
            if (x.dim(lhsContract[i]) != y.dim(rhsContract[i])) {
                throw new IllegalArgumentException(name() + ": contracted axes differ in length: " + Shapes.str(in) + dims());
            }
        }
        for (int i = 0; i < lhsBatch.length; i++) {
            if (x.dim(lhsBatch[i]) != y.dim(rhsBatch[i])) {
                throw new IllegalArgumentException(name() + ": batch axes differ in length: " + Shapes.str(in) + dims());
            }
        }
        int[] xFree = free(x.rank(), lhsContract, lhsBatch);
        int[] yFree = free(y.rank(), rhsContract, rhsBatch);
        int[] out = new int[lhsBatch.length + xFree.length + yFree.length];
        int k = 0;
        for (int a : lhsBatch) {
            out[k++] = x.dim(a);
        }
        for (int a : xFree) {
            out[k++] = x.dim(a);
        }
        for (int a : yFree) {
            out[k++] = y.dim(a);
        }
        return new Aval[] {new Aval(x.dtype(), out)};
    }

    /** The dimension numbers for error messages (built only when there is an error to report). */
    private String dims() {
        return " (contracting " + Arrays.toString(lhsContract) + " with " + Arrays.toString(rhsContract)
                + ", batch " + Arrays.toString(lhsBatch) + " with " + Arrays.toString(rhsBatch) + ")";
    }

    private static boolean validAxes(int[] contract, int[] batch, int rank) {
        boolean[] seen = new boolean[rank];
        for (int[] list : new int[][] {contract, batch}) {
            for (int a : list) {
                if (a < 0 || a >= rank || seen[a]) {
                    return false;
                }
                seen[a] = true;
            }
        }
        return true;
    }

    /** The axes of an operand that are neither contracted nor batch, in order. */
    private static int[] free(int rank, int[] contract, int[] batch) {
        int[] r = new int[rank - contract.length - batch.length];
        int k = 0;
        for (int a = 0; a < rank && k < r.length; a++) {
            if (!Shapes.contains(contract, a) && !Shapes.contains(batch, a)) {
                r[k++] = a;
            }
        }
        return r;
    }

    @Override
    public DenseArray[] eval(DenseArray[] in, Aval[] outAvals) {
        Aval x = in[0].aval();
        Aval y = in[1].aval();
        int[] xFree = free(x.rank(), lhsContract, lhsBatch);
        int[] yFree = free(y.rank(), rhsContract, rhsBatch);
        int batch = product(x, lhsBatch);
        int m = product(x, xFree);
        int k = product(x, lhsContract);
        int n = product(y, yFree);
        // the left operand as [batch, free, contract] matrices, the right as [batch, contract, free], both read
        // in place through their strides (a transposed or broadcast view included)
        Matrices a = matrices(in[0], lhsBatch, xFree, lhsContract);
        Matrices b = matrices(in[1], rhsBatch, rhsContract, yFree);
        return new DenseArray[] {Kernels.get().batchedMatmul(a, b, batch, m, k, n, outAvals[0])};
    }

    /**
     * {@code x}'s axes grouped into [batch axes, row axes, column axes] matrices, read in place when each
     * group's axes are evenly spaced in the storage (they merge into one stride), else copied into that layout.
     */
    private static Matrices matrices(DenseArray x, int[] batchAxes, int[] rowAxes, int[] colAxes) {
        Matrices inPlace = matricesInPlace(x, batchAxes, rowAxes, colAxes);
        if (inPlace != null) {
            return inPlace;
        }
        int rows = product(x.aval(), rowAxes);
        int cols = product(x.aval(), colAxes);
        DenseArray c = Transpose.permuted(x, concat(batchAxes, rowAxes, colAxes)).contiguous();
        return new Matrices(c.storage(), 0, rows * cols, cols, 1);
    }

    /**
     * {@code x}'s axes grouped into [batch axes, row axes, column axes] matrices read in place through its strides,
     * or null when a group's axes are not evenly spaced in the storage. Compiled products ({@code jit.MatmulStep})
     * read their operands by this same rule, so both read the same elements.
     */
    public static Matrices matricesInPlace(DenseArray x, int[] batchAxes, int[] rowAxes, int[] colAxes) {
        int[] s = x.strides();
        int[] shape = x.aval().shape();
        int bs = groupStride(shape, s, batchAxes);
        int rs = groupStride(shape, s, rowAxes);
        int cs = groupStride(shape, s, colAxes);
        return bs == UNEVEN || rs == UNEVEN || cs == UNEVEN ? null : new Matrices(x.storage(), x.offset(), bs, rs, cs);
    }

    /** What {@link #groupStride} returns for axes that are not evenly spaced (no real stride is this far out). */
    private static final int UNEVEN = Integer.MIN_VALUE;

    /**
     * The one stride of a group of axes read as a single axis (0 when the group has no axis longer than 1), or
     * {@link #UNEVEN}: {@code Strided.merge} of the group's shape and strides down to one axis, walked from the
     * innermost axis outwards without building the merged layout (this runs on every product).
     */
    private static int groupStride(int[] shape, int[] strides, int[] axes) {
        int stride = 0;
        long next = 0; // the stride the next axis outwards must have to continue the run
        boolean any = false;
        for (int i = axes.length - 1; i >= 0; i--) {
            int d = shape[axes[i]];
            int st = strides[axes[i]];
            if (d == 1) {
                continue;
            }
            if (!any) {
                stride = st;
                any = true;
            } else if (st != next) {
                return UNEVEN;
            }
            next = (long) st * d;
        }
        return stride;
    }

    private static int product(Aval v, int[] axes) {
        int p = 1;
        for (int a : axes) {
            p *= v.dim(a);
        }
        return p;
    }

    private static int[] concat(int[]... parts) {
        return Arrays.stream(parts).flatMapToInt(Arrays::stream).toArray();
    }

    @Override
    public Array[] jvp(Array[] primals, Array[] outs, Array[] tangents) {
        Array l = Tangents.unlessZero(tangents[0], outs[0], () -> bind(tangents[0], primals[1]));
        Array r = Tangents.unlessZero(tangents[1], outs[0], () -> bind(primals[0], tangents[1]));
        return new Array[] {Tangents.add(l, r)};
    }

    private Array bind(Array x, Array y) {
        return Ops.dotGeneral(x, y, lhsContract, rhsContract, lhsBatch, rhsBatch);
    }

    @Override
    public Array[] transpose(Array[] cts, Array[] args) {
        if (args[0] instanceof UndefinedPrimal && args[1] instanceof UndefinedPrimal) {
            throw new IllegalStateException("dot_general: both operands are linear, so the product is not linear");
        }
        Array ct = cts[0];
        return new Array[] {
            Tangents.ifLinear(args[0], () -> transposeLhs(ct, args[0].aval(), args[1], lhsContract, rhsContract, lhsBatch, rhsBatch, false)),
            Tangents.ifLinear(args[1], () -> transposeLhs(ct, args[1].aval(), args[0], rhsContract, lhsContract, rhsBatch, lhsBatch, true))};
    }

    /**
     * The cotangent of the left operand {@code x} given the output cotangent {@code g} and the right operand
     * {@code y}; with {@code swapAns} the roles of the operands in the output are swapped, which gives the
     * right operand's cotangent from the same formula (as in JAX).
     */
    private static Array transposeLhs(Array g, Aval x, Array y, int[] xContract, int[] yContract, int[] xBatch,
            int[] yBatch, boolean swapAns) {
        int[] xKept = free(x.rank(), xContract, xBatch);
        int[] yKept = free(y.ndim(), yContract, yBatch);
        int nb = xBatch.length;
        int[] ansBatch = range(0, nb);
        int[] ansY = swapAns ? range(nb, nb + yKept.length) : range(nb + xKept.length, nb + xKept.length + yKept.length);
        Array dot = Ops.dotGeneral(g, y, ansY, yKept, ansBatch, yBatch);
        // the product's axes are [batch, x kept, x contracted ordered as y's contracted axes sorted]: an
        // insertion sort of y's (distinct) contracted axes carrying x's along
        int[] yKeys = yContract.clone();
        int[] xContractSortedByY = xContract.clone();
        for (int i = 1; i < yKeys.length; i++) {
            for (int j = i; j > 0 && yKeys[j - 1] > yKeys[j]; j--) {
                swap(yKeys, j);
                swap(xContractSortedByY, j);
            }
        }
        int[] layout = concat(xBatch, xKept, xContractSortedByY);
        return Ops.transpose(dot, Shapes.inversePermutation(layout));
    }

    /** Swaps elements {@code j - 1} and {@code j}. */
    private static void swap(int[] a, int j) {
        int t = a[j - 1];
        a[j - 1] = a[j];
        a[j] = t;
    }

    private static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }

    /** Equal when the parameters are equal element by element (a record alone would compare arrays by identity). */
    @Override
    public boolean equals(Object o) {
        return o instanceof DotGeneral other && Arrays.equals(lhsContract, other.lhsContract)
                && Arrays.equals(rhsContract, other.rhsContract) && Arrays.equals(lhsBatch, other.lhsBatch)
                && Arrays.equals(rhsBatch, other.rhsBatch);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(new Object[] {lhsContract, rhsContract, lhsBatch, rhsBatch});
    }

    @Override
    public String toString() {
        return "DotGeneral[lhsContract=" + Arrays.toString(lhsContract)
                + ", rhsContract=" + Arrays.toString(rhsContract) + ", lhsBatch=" + Arrays.toString(lhsBatch)
                + ", rhsBatch=" + Arrays.toString(rhsBatch) + "]";
    }

    /**
     * Batching: with both operands batched the batch axes become a new leading batch dimension; with one,
     * its batch axis becomes that operand's first free axis.
     */
    @Override
    public Batched batch(Array[] vals, int[] dims, int axisSize) {
        int nb = lhsBatch.length;
        if (dims[0] != Batched.NOT_BATCHED && dims[1] != Batched.NOT_BATCHED) {
            Array x = BatchRules.moveAxis(vals[0], dims[0], 0);
            Array y = BatchRules.moveAxis(vals[1], dims[1], 0);
            return Batched.of(Ops.dotGeneral(x, y, BatchRules.plusOne(lhsContract), BatchRules.plusOne(rhsContract),
                    BatchRules.prepend(0, BatchRules.plusOne(lhsBatch)), BatchRules.prepend(0, BatchRules.plusOne(rhsBatch))), 0);
        }
        if (dims[0] != Batched.NOT_BATCHED) {
            Array x = BatchRules.moveAxis(vals[0], dims[0], 0);
            return Batched.of(Ops.dotGeneral(x, vals[1], BatchRules.plusOne(lhsContract), rhsContract,
                    BatchRules.plusOne(lhsBatch), rhsBatch), nb);
        }
        Array y = BatchRules.moveAxis(vals[1], dims[1], 0);
        int lhsFree = vals[0].ndim() - lhsContract.length - nb;
        return Batched.of(Ops.dotGeneral(vals[0], y, lhsContract, BatchRules.plusOne(rhsContract),
                lhsBatch, BatchRules.plusOne(rhsBatch)), nb + lhsFree);
    }
}
