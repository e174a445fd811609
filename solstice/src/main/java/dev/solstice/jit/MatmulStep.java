package dev.solstice.jit;

import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import dev.solstice.core.EvalInterpreter;
import dev.solstice.kernel.GemmInto;
import dev.solstice.kernel.Matrices;
import dev.solstice.prim.DotGeneral;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * A dot_general whose result may live in a scratch array of the run's arena ({@link BufferPlan} gives it one when
 * the result never escapes): the product is then written there by {@link GemmInto}, reading both operands in
 * place exactly as {@code DotGeneral.eval} does (each operand's batch, free and contracted axes grouped into
 * one stride each), so the bits are the eager ones. An operand whose groups are not evenly spaced in its
 * storage (which {@code DotGeneral.eval} copies first), and a result without a scratch array, take the eager
 * path. The result is always a new or scratch array, never a view of an operand.
 */
final class MatmulStep implements Step {

    private final DotGeneral primitive;
    private final int[] inputSlots;
    private final int[] outputSlots;
    private final Aval[] outAvals;
    /** The left operand's batch, free and contracted axes (the rows of [batch, m, k] matrices). */
    private final int[][] lhsGroups;
    /** The right operand's batch, contracted and free axes ([batch, k, n] matrices). */
    private final int[][] rhsGroups;
    private final int batch;
    private final int m;
    private final int k;
    private final int n;
    /** The result's scratch array in the run's arena, or -1 (the eager path, a new array). */
    private int scratch = -1;

    MatmulStep(DotGeneral primitive, int[] inputSlots, int[] outputSlots, Aval[] inAvals, Aval[] outAvals) {
        this.primitive = primitive;
        this.inputSlots = inputSlots;
        this.outputSlots = outputSlots;
        this.outAvals = outAvals;
        int[] xFree = free(inAvals[0].rank(), primitive.lhsContract(), primitive.lhsBatch());
        int[] yFree = free(inAvals[1].rank(), primitive.rhsContract(), primitive.rhsBatch());
        this.lhsGroups = new int[][] {primitive.lhsBatch(), xFree, primitive.lhsContract()};
        this.rhsGroups = new int[][] {primitive.rhsBatch(), primitive.rhsContract(), yFree};
        this.batch = product(inAvals[0], primitive.lhsBatch());
        this.m = product(inAvals[0], xFree);
        this.k = product(inAvals[0], primitive.lhsContract());
        this.n = product(inAvals[1], yFree);
    }

    /** Whether {@code DotGeneral} products of these operands can be written into a scratch array. */
    static boolean applies(Aval[] inAvals, Aval[] outAvals) {
        return inAvals.length == 2 && outAvals.length == 1 && GemmInto.supports(outAvals[0].dtype())
                && inAvals[0].dtype() == outAvals[0].dtype() && inAvals[1].dtype() == outAvals[0].dtype();
    }

    /** Sets the result's scratch array (-1: none); called once, while planning. */
    void scratch(int buffer) {
        this.scratch = buffer;
    }

    @Override
    public void run(DenseArray[] slots, Object[] arena) {
        DenseArray x = slots[inputSlots[0]];
        DenseArray y = slots[inputSlots[1]];
        Matrices a = scratch < 0 ? null : inPlace(x, lhsGroups);
        Matrices b = a == null ? null : inPlace(y, rhsGroups);
        if (b == null) {
            slots[outputSlots[0]] = EvalInterpreter.evalWithAvals(primitive, new DenseArray[] {x, y}, outAvals)[0];
            return;
        }
        Object out = arena[scratch];
        if (out == null) {
            out = DenseArray.allocate(outAvals[0].dtype(), outAvals[0].size());
            arena[scratch] = out;
        }
        GemmInto.batchedMatmul(a, b, batch, m, k, n, out);
        slots[outputSlots[0]] = DenseArray.wrap(outAvals[0], out);
    }

    /** {@code x} as matrices of its three axis groups read in place, or null when a group is not evenly spaced. */
    private static Matrices inPlace(DenseArray x, int[][] groups) {
        return DotGeneral.matricesInPlace(x, groups[0], groups[1], groups[2]);
    }

    /** The axes of an operand that are neither contracted nor batch, in order. */
    private static int[] free(int rank, int[] contract, int[] batchAxes) {
        return IntStream.range(0, rank).filter(a -> !contains(contract, a) && !contains(batchAxes, a)).toArray();
    }

    private static boolean contains(int[] axes, int a) {
        return Arrays.stream(axes).anyMatch(x -> x == a);
    }

    private static int product(Aval v, int[] axes) {
        int p = 1;
        for (int a : axes) {
            p *= v.dim(a);
        }
        return p;
    }

    @Override
    public int[] inputSlots() {
        return inputSlots;
    }

    @Override
    public int[] outputSlots() {
        return outputSlots;
    }

    @Override
    public String describe() {
        return "eval " + primitive.name() + " " + Arrays.toString(inputSlots) + " -> " + Arrays.toString(outputSlots)
                + (scratch >= 0 ? " (" + outputSlots[0] + " in scratch " + scratch + ")" : "");
    }
}
