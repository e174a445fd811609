package dev.solstice.jit;

import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Shapes;

/**
 * A compiled program ({@link Compiler#compile}): a fixed list of steps, each a fused kernel or one primitive
 * evaluated by the normal kernels, over numbered value slots. Results equal evaluating the program eagerly,
 * bitwise. {@link #run} keeps its state in its own frame, except intermediate kernel arrays that never escape:
 * those live in an arena (one array per scratch buffer) a run takes from this executable's pool and gives
 * back when it ends, so steady-state runs do not allocate them. A run holds its arena alone, so one
 * executable may run on many threads at once, and reentrantly (a nested run takes another arena).
 */
public final class Executable {
    private final Aval[] inputAvals;
    private final DenseArray[] constants;
    private final Step[] steps;
    private final int[][] clearAfter;
    private final int scratchBuffers;
    private final java.util.concurrent.ConcurrentLinkedQueue<Object[]> arenas =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final int[] outputSlots;
    private final Aval[] zeroOutputs;

    Executable(Aval[] inputAvals, DenseArray[] constants, Step[] steps, int[][] clearAfter, int scratchBuffers,
            int[] outputSlots, Aval[] zeroOutputs) {
        this.inputAvals = inputAvals;
        this.constants = constants;
        this.steps = steps;
        this.clearAfter = clearAfter;
        this.scratchBuffers = scratchBuffers;
        this.outputSlots = outputSlots;
        this.zeroOutputs = zeroOutputs;
    }

    /**
     * Runs the program.
     *
     * @param args one concrete array per program input, of the input's dtype and shape
     * @return one array per program output; arrays the run computed are new, never shared with a later run
     * @throws IllegalArgumentException if the arguments do not match the program's inputs
     */
    public DenseArray[] run(DenseArray[] args) {
        check(args);
        DenseArray[] slots = constants.clone();
        System.arraycopy(args, 0, slots, 0, args.length);
        Object[] arena = scratchBuffers == 0 ? null : arenas.poll();
        if (arena == null) {
            arena = new Object[scratchBuffers];
        }
        try {
            for (int s = 0; s < steps.length; s++) {
                steps[s].run(slots, arena);
                for (int dead : clearAfter[s]) {
                    slots[dead] = null;
                }
            }
        } finally {
            if (scratchBuffers > 0) {
                arenas.offer(arena); // after the run: nothing it returns shares a scratch array
            }
        }
        DenseArray[] out = new DenseArray[outputSlots.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = outputSlots[i] >= 0 ? slots[outputSlots[i]] : DenseArray.full(zeroOutputs[i], 0);
        }
        return out;
    }

    private void check(DenseArray[] args) {
        boolean ok = args.length == inputAvals.length;
        for (int i = 0; ok && i < args.length; i++) {
            ok = args[i] != null && args[i].aval().equals(inputAvals[i]);
        }
        if (!ok) {
            String[] given = new String[args.length];
            for (int i = 0; i < args.length; i++) {
                given[i] = args[i] == null ? "null" : args[i].aval().str();
            }
            throw new IllegalArgumentException("jit: the compiled program takes " + Shapes.str(inputAvals)
                    + " but was given [" + String.join(", ", given) + "]");
        }
    }

    /** The number of fused kernels among the steps. */
    public int kernelCount() {
        int n = 0;
        for (Step s : steps) {
            n += s instanceof KernelStep ? 1 : 0;
        }
        return n;
    }

    /** The number of scratch buffers a run uses (for tests). */
    int scratchBufferCount() {
        return scratchBuffers;
    }

    /** The number of fused kernels with a Vector API loop (for tests). */
    int vectorKernelCount() {
        int n = 0;
        for (Step s : steps) {
            n += s instanceof KernelStep k && k.vector() ? 1 : 0;
        }
        return n;
    }

    /** The generated kernels this executable runs (tests watch their classes unload). */
    java.util.List<FusedKernel> kernels() {
        java.util.List<FusedKernel> out = new java.util.ArrayList<>();
        for (Step s : steps) {
            if (s instanceof KernelStep k) {
                out.add(k.kernel());
            }
        }
        return out;
    }

    /** The steps, one per line (for debugging and tests; the format may change). */
    public String describe() {
        StringBuilder b = new StringBuilder();
        for (int s = 0; s < steps.length; s++) {
            b.append(s).append(": ").append(steps[s].describe()).append('\n');
        }
        return b.toString();
    }
}
