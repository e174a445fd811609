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
 * @param vector whether the kernel runs whole vectors of elements with the Vector API before a scalar tail
 *     (only for specs {@link VectorLoop#supports} accepts)
 */
record KernelSpec(List<Input> inputs, List<ElementOp> ops, List<Integer> outputs, boolean vector) {

    /**
     * An input of a kernel.
     *
     * @param dtype its dtype
     * @param broadcast whether the whole run reads one element (stride 0 along the run)
     */
    record Input(DType dtype, boolean broadcast) {}

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
        return Math.max(1, c);
    }
}
