package dev.solstice.jit;

import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import dev.solstice.kernel.Parallel;
import java.util.Arrays;

/**
 * A fused group run by its generated kernel. Inputs are read contiguous ({@link DenseArray#data()}); each
 * output is written into a new array, into the storage of an input that dies here, or into a scratch array
 * of the run's arena kept across runs when it never escapes (decided by {@link BufferPlan}). Large groups are cut into fixed pieces run on several threads; every element is
 * computed the same way whatever the cut, so results do not depend on the thread count. Fused reductions (see
 * {@link KernelSpec.Reduce}) keep the eager kernels' order: a run that is one group is never cut, and column
 * reductions run every run in order on the calling thread.
 */
final class KernelStep implements Step {
    private final FusedKernel kernel;
    private final String ops;
    private final Object[] primitives;
    private final int[] inputSlots;
    private final int[] outputSlots;
    private final Aval[] outAvals;
    private final Layout layout;
    private final int cost;
    private final boolean vector;
    private final KernelSpec spec;
    /** The number of outputs the kernel writes element for element (the reductions' results follow them). */
    private final int elementOutputs;
    /** Per array, its stride along the last outer axis (the step between the runs one kernel call makes). */
    private final int[] step;
    /** Per output, the slot of the input whose storage it overwrites, or -1 for a new array. */
    private int[] reuse;
    /** Per output, its scratch buffer in the run's arena, or -1 (a fresh array, or a reused input's storage). */
    private int[] scratch;
    /** Per input, the scratch buffer a view is copied into before the kernel reads it, or -1 (never a view). */
    private int[] stage;
    /** Per reduction, the scratch buffer of a column sum's partial sums, or -1. */
    private int[] partials;

    KernelStep(FusedKernel kernel, KernelSpec spec, String ops, Object[] primitives, int[] inputSlots,
            int[] outputSlots, Aval[] outAvals, Layout layout) {
        this.kernel = kernel;
        this.ops = ops;
        this.primitives = primitives;
        this.inputSlots = inputSlots;
        this.outputSlots = outputSlots;
        this.outAvals = outAvals;
        this.layout = layout;
        this.cost = spec.cost();
        this.vector = spec.vector();
        this.spec = spec;
        this.elementOutputs = outputSlots.length - spec.reductions().size();
        this.step = new int[inputSlots.length + outputSlots.length];
        if (layout.outer().length > 0) {
            for (int k = 0; k < step.length; k++) {
                step[k] = layout.outerStrides()[k][layout.outer().length - 1];
            }
        }
        this.reuse = new int[outputSlots.length];
        Arrays.fill(reuse, -1);
        this.scratch = reuse.clone();
        this.stage = new int[inputSlots.length];
        Arrays.fill(stage, -1);
        this.partials = new int[spec.reductions().size()];
        Arrays.fill(partials, -1);
    }

    /** The number of column sums, each of which needs a scratch buffer of partial sums. */
    int partialSumBuffers() {
        return (int) spec.reductions().stream().filter(KernelSpec.Reduce::partialSums).count();
    }

    /** Sets the scratch buffers of the column sums' partial sums, from {@code first} on; called once, while planning. */
    void partials(int first) {
        for (int j = 0, next = first; j < partials.length; j++) {
            partials[j] = spec.reductions().get(j).partialSums() ? next++ : -1;
        }
    }

    @Override
    public int[] inputSlots() {
        return inputSlots;
    }

    @Override
    public int[] outputSlots() {
        return outputSlots;
    }

    /** The layout of input {@code k}'s reads: whether it is read element for element like the outputs. */
    boolean readsInPlace(int k) {
        int n = inputSlots.length; // the first output: row-major
        return elementOutputs > 0 && layout.innerStrides()[k] == 1
                && Arrays.equals(layout.outerStrides()[k], layout.outerStrides()[n]);
    }

    /** Whether output {@code m} is written element for element (so it may take over an input's storage). */
    boolean elementwiseOutput(int m) {
        return m < elementOutputs;
    }

    /** The generated kernel. */
    FusedKernel kernel() {
        return kernel;
    }

    /** Whether the kernel has a Vector API loop. */
    boolean vector() {
        return vector;
    }

    /** The output avals. */
    Aval[] outAvals() {
        return outAvals;
    }

    /** Sets which input storage each output overwrites (-1: a new array); called once, while planning. */
    void reuse(int[] inputSlotPerOutput) {
        this.reuse = inputSlotPerOutput.clone();
    }

    /** Per output, the slot of the input whose storage it overwrites, or -1. */
    int[] reuses() {
        return reuse.clone();
    }

    /** Sets each output's scratch buffer (-1: none); called once, while planning. */
    void scratch(int[] bufferPerOutput) {
        this.scratch = bufferPerOutput.clone();
    }

    /** Sets the scratch buffer each input is staged into when it is a view (-1: none); called once, while planning. */
    void stage(int[] bufferPerInput) {
        this.stage = bufferPerInput.clone();
    }

    @Override
    public void run(DenseArray[] slots, Object[] arena) {
        int in = inputSlots.length;
        Object[] arrays = new Object[in + outputSlots.length];
        for (int k = 0; k < in; k++) {
            DenseArray x = slots[inputSlots[k]];
            arrays[k] = x.isContiguous() ? x.data() : inPlace(x) ? x.storage()
                    : stage[k] >= 0 ? staged(arena, k, x) : x.data();
        }
        Object[] results = new Object[outputSlots.length];
        for (int m = 0; m < outputSlots.length; m++) {
            results[m] = reuse[m] >= 0 ? slots[reuse[m]].storage()
                    : scratch[m] >= 0 ? scratchBuffer(arena, m) : newBuffer(m);
            arrays[in + m] = results[m];
        }
        if (spec.reductions().isEmpty()) {
            execute(arrays);
        } else {
            reduce(arrays, results, arena);
        }
        for (int m = 0; m < outputSlots.length; m++) {
            slots[outputSlots[m]] = DenseArray.wrap(outAvals[m], results[m]);
        }
    }

    /**
     * Runs a kernel with fused reductions (never empty: {@link Lowering} leaves empty groups' reductions to the
     * eager kernels). Row reductions combine whole runs, so runs may go to several threads, never parts of one;
     * column reductions add run after run into one row of 16 partial sums per run of each block of 16 (as the
     * eager column sums do), so their kernels run in order on this thread.
     */
    private void reduce(Object[] arrays, Object[] results, Object[] arena) {
        int rows = layout.rows();
        int inner = layout.inner();
        int first = inputSlots.length + elementOutputs;
        int full = rows - rows % dev.solstice.kernel.Kernels.SUM_LANES;
        for (int j = 0; j < spec.reductions().size(); j++) {
            KernelSpec.Reduce r = spec.reductions().get(j);
            if (r.partialSums()) {
                int length = (full > 0 ? dev.solstice.kernel.Kernels.SUM_LANES : 1) * inner;
                double[] p = (double[]) arena[partials[j]];
                if (p == null) {
                    p = new double[dev.solstice.kernel.Kernels.SUM_LANES * inner];
                    arena[partials[j]] = p;
                } else {
                    Arrays.fill(p, 0, length, 0.0);
                }
                arrays[first + j] = p;
            } else if (!r.row()) {
                boolean max = r.kind() == dev.solstice.kernel.Kernels.Reduction.MAX;
                if (results[elementOutputs + j] instanceof float[] f) {
                    Arrays.fill(f, max ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY);
                } else {
                    Arrays.fill((double[]) results[elementOutputs + j], max ? Double.NEGATIVE_INFINITY
                            : Double.POSITIVE_INFINITY);
                }
            }
        }
        if (spec.hasColumnReduction()) {
            columns(arrays, rows, full);
            for (int j = 0; j < spec.reductions().size(); j++) {
                if (spec.reductions().get(j).partialSums()) {
                    ColumnSums.finish((double[]) arrays[first + j], inner, rows == full && full > 0,
                            results[elementOutputs + j]);
                }
            }
        } else if (layout.outer().length == 0) {
            span(arrays, 0, inner); // one run: one group, never split
        } else if (rows > 1 && Parallel.splits((long) rows * inner, cost)) {
            Parallel.forRange(rows, (long) inner * cost, (r0, r1) -> rows(arrays, r0, r1));
        } else {
            rows(arrays, 0, rows);
        }
    }

    /**
     * All runs in order, for column reductions: a call never crosses a block of 16 runs, within which a partial
     * sums array's row moves by one per run ({@code base} the block row, {@code step} the run length); past the
     * last full block the partial sums are combined and the remaining runs add into their first row.
     */
    private void columns(Object[] arrays, int rows, int full) {
        int[] base = new int[arrays.length];
        int[] steps = step.clone();
        int[] outer = layout.outer();
        int last = outer[outer.length - 1];
        int inner = layout.inner();
        int first = inputSlots.length + elementOutputs;
        int lanes = dev.solstice.kernel.Kernels.SUM_LANES;
        for (int r = 0; r < rows;) {
            if (r == full && full > 0) {
                combineAll(arrays, inner);
            }
            int count = Math.min(rows - r, last - r % last);
            if (r < full) {
                count = Math.min(count, lanes - r % lanes);
            }
            layout.base(r, 0, base);
            for (int j = 0; j < spec.reductions().size(); j++) {
                if (spec.reductions().get(j).partialSums()) {
                    base[first + j] = r < full ? r % lanes * inner : 0;
                    steps[first + j] = r < full ? inner : 0;
                }
            }
            kernel.run(arrays, primitives, base, steps, count, inner);
            r += count;
        }
    }

    private void combineAll(Object[] arrays, int inner) {
        int first = inputSlots.length + elementOutputs;
        for (int j = 0; j < spec.reductions().size(); j++) {
            if (spec.reductions().get(j).partialSums()) {
                ColumnSums.combine((double[]) arrays[first + j], inner);
            }
        }
    }

    private Object newBuffer(int m) {
        return DenseArray.allocate(outAvals[m].dtype(), outAvals[m].size());
    }

    /** Output {@code m}'s scratch array in {@code arena}, allocated on the arena's first run. */
    private Object scratchBuffer(Object[] arena, int m) {
        Object b = arena[scratch[m]];
        if (b == null) {
            b = newBuffer(m);
            arena[scratch[m]] = b;
        }
        return b;
    }

    /**
     * Whether view {@code x}'s storage holds its elements row-major from position 0 (a transpose by the identity
     * permutation, or two that cancel): kernels then read the storage itself.
     */
    private static boolean inPlace(DenseArray x) {
        return x.offset() == 0 && dev.solstice.core.Strided.isRowMajor(x.aval().shape(), x.strides());
    }

    /** Input {@code k}, a view, copied into its scratch array (allocated on the arena's first use). */
    private Object staged(Object[] arena, int k, DenseArray view) {
        Object b = arena[stage[k]];
        if (b == null) {
            b = DenseArray.allocate(view.aval().dtype(), view.aval().size());
            arena[stage[k]] = b;
        }
        ViewCopy.copy(view, b);
        return b;
    }

    private void execute(Object[] arrays) {
        int rows = layout.rows();
        int inner = layout.inner();
        if (rows == 0 || inner == 0) {
            return;
        }
        if (rows == 1) {
            if (Parallel.splits(inner, cost)) {
                Parallel.forRange(inner, cost, (from, to) -> span(arrays, from, to));
            } else {
                span(arrays, 0, inner);
            }
        } else if (Parallel.splits((long) rows * inner, cost)) {
            Parallel.forRange(rows, (long) inner * cost, (r0, r1) -> rows(arrays, r0, r1));
        } else {
            rows(arrays, 0, rows);
        }
    }

    /** Elements {@code [from, to)} of the single run. */
    private void span(Object[] arrays, int from, int to) {
        int[] base = new int[arrays.length];
        layout.base(0, from, base);
        kernel.run(arrays, primitives, base, step, 1, to - from);
    }

    /**
     * Runs {@code [r0, r1)}: the kernel loops along the last outer axis itself, so one call covers every run
     * of {@code [r0, r1)} that differs only there.
     */
    private void rows(Object[] arrays, int r0, int r1) {
        int[] base = new int[arrays.length];
        int[] outer = layout.outer();
        int last = outer[outer.length - 1];
        for (int r = r0; r < r1;) {
            int count = Math.min(r1 - r, last - r % last);
            layout.base(r, 0, base);
            kernel.run(arrays, primitives, base, step, count, layout.inner());
            r += count;
        }
    }

    @Override
    public String describe() {
        StringBuilder b = new StringBuilder(vector ? "vector kernel [" : "kernel [").append(ops).append("] ").append(Arrays.toString(inputSlots))
                .append(" -> ").append(Arrays.toString(outputSlots));
        for (int m = 0; m < reuse.length; m++) {
            if (reuse[m] >= 0) {
                b.append(" (").append(outputSlots[m]).append(" reuses ").append(reuse[m]).append(')');
            } else if (scratch[m] >= 0) {
                b.append(" (").append(outputSlots[m]).append(" in scratch ").append(scratch[m]).append(')');
            }
        }
        for (int k = 0; k < stage.length; k++) {
            if (stage[k] >= 0) {
                b.append(" (").append(inputSlots[k]).append(" staged in scratch ").append(stage[k]).append(')');
            }
        }
        return b.toString();
    }
}
