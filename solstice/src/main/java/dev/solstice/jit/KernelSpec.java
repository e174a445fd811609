package dev.solstice.jit;

import dev.solstice.DType;
import java.util.List;

/**
 * The structural key of a generated kernel: what it reads, computes and writes, without sizes. Value
 * {@code v} is input {@code v} for {@code v < inputs.size()}, else the result of member
 * {@code v - inputs.size()}.
 *
 * @param inputs the inputs' dtypes and whether each is broadcast along the run (read once per run)
 * @param ops the members in order
 * @param outputs the value numbers written to the output arrays, in order
 * @param reductions the reductions fused into the loop, whose arrays follow the outputs
 * @param vector whether the kernel runs whole vectors of elements with the Vector API before a scalar tail
 *     (only for specs {@link VectorLoop#supports} accepts)
 */
record KernelSpec(List<Input> inputs, List<ElementOp> ops, List<Integer> outputs, List<Reduce> reductions,
        boolean vector) {

    /**
     * A reduction fused into the kernel's loop; its array follows the outputs. A {@code row} reduction combines
     * each run into one element of its output (the run is one whole group: the policy's 16 partial sums in
     * locals, written at the run's end); a column one combines element {@code i} of every run into element
     * {@code i} of its array (for sums, the caller's double partial sums, one row of 16 per run; for max and
     * min, the output itself).
     *
     * @param kind sum, max or min
     * @param dtype the operand's (and result's) dtype, float32 or float64
     * @param arg the operand's value number
     * @param row whether it reduces along the run (else across runs)
     */
    record Reduce(dev.solstice.kernel.Kernels.Reduction kind, DType dtype, int arg, boolean row) {
        /** Whether the kernel adds into a double array of partial sums instead of the result's own array. */
        boolean partialSums() {
            return !row && kind == dev.solstice.kernel.Kernels.Reduction.SUM;
        }
    }

    /**
     * An input of a kernel.
     *
     * @param dtype its dtype
     * @param broadcast whether the whole run reads one element (stride 0 along the run)
     */
    record Input(DType dtype, boolean broadcast) {}

    /** Whether a reduction combines along the runs (so a run is never split). */
    boolean hasRowReduction() {
        return reductions.stream().anyMatch(Reduce::row);
    }

    /** Whether a reduction combines across runs (so runs go in order, on one thread). */
    boolean hasColumnReduction() {
        return reductions.stream().anyMatch(r -> !r.row());
    }

    /** The dtype of value {@code v}. */
    DType dtype(int v) {
        return v < inputs.size() ? inputs.get(v).dtype() : ops.get(v - inputs.size()).out();
    }

    /** The cost of one element, in cheap operations (for splitting work across threads). */
    int cost() {
        int c = 0;
        for (ElementOp op : ops) {
            c += op.cost();
        }
        c += reductions.size();
        return Math.max(1, c);
    }
}
