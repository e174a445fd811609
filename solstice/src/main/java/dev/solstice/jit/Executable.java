package dev.solstice.jit;

import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Shapes;
import java.lang.ref.WeakReference;

/**
 * A compiled program ({@link Compiler#compile}): a fixed list of steps, each a fused kernel or one primitive
 * evaluated by the normal kernels, over numbered value slots. Results equal evaluating the program eagerly,
 * bitwise. {@link #run} keeps its state in its own frame, except intermediate kernel arrays that never escape:
 * those live in an arena (one array per scratch buffer) a run takes from this executable's pool and gives
 * back when it ends, so steady-state runs do not allocate them (the pool holds idle arenas weakly: after a
 * garbage collection the next run allocates a new one, and an executable no longer run pins none). A run holds its arena alone, so one
 * executable may run on many threads at once, and reentrantly (a nested run takes another arena).
 *
 * <p>Profiling, for engineers: with the system property {@code solstice.jit.profile=true} set when it is compiled,
 * an executable times each of its steps on every run after its first {@code solstice.jit.profileWarmup} runs
 * (default 3000, so that the JVM's JIT has settled); {@link #profile} gives the mean time per run of every step, and
 * at JVM exit every profiled executable that ran past its warm-up prints its profile to standard error.
 */
public final class Executable {
    private final Aval[] inputAvals;
    private final DenseArray[] constants;
    private final Step[] steps;
    private final int[][] clearAfter;
    private final int scratchBuffers;
    /**
     * Idle arenas, weakly held: a collection drops them (a run after it allocates a new one), so an executable
     * kept in a cache after its last run does not pin its scratch arrays.
     */
    private final java.util.concurrent.ConcurrentLinkedQueue<WeakReference<Object[]>> arenas =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final int[] outputSlots;
    private final Aval[] zeroOutputs;
    private final StepProfile profile;

    Executable(Aval[] inputAvals, DenseArray[] constants, Step[] steps, int[][] clearAfter, int scratchBuffers,
            int[] outputSlots, Aval[] zeroOutputs) {
        this.inputAvals = inputAvals;
        this.constants = constants;
        this.steps = steps;
        this.clearAfter = clearAfter;
        this.scratchBuffers = scratchBuffers;
        this.outputSlots = outputSlots;
        this.zeroOutputs = zeroOutputs;
        this.profile = StepProfile.requested(steps);
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
        WeakReference<Object[]> held = null;
        Object[] arena = null;
        while (scratchBuffers > 0 && arena == null && (held = arenas.poll()) != null) {
            arena = held.get();
        }
        if (arena == null) {
            arena = new Object[scratchBuffers];
            held = scratchBuffers == 0 ? null : new WeakReference<>(arena);
        }
        try {
            if (profile != null && profile.timeThisRun()) {
                runTimed(slots, arena);
            } else {
                for (int s = 0; s < steps.length; s++) {
                    steps[s].run(slots, arena);
                    clear(slots, s);
                }
            }
        } finally {
            if (held != null) {
                arenas.offer(held); // after the run: nothing it returns shares a scratch array
            }
            java.lang.ref.Reference.reachabilityFence(arena); // held strongly until it is back in the pool
        }
        DenseArray[] out = new DenseArray[outputSlots.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = outputSlots[i] >= 0 ? slots[outputSlots[i]] : DenseArray.full(zeroOutputs[i], 0);
        }
        return out;
    }

    private void runTimed(DenseArray[] slots, Object[] arena) {
        for (int s = 0; s < steps.length; s++) {
            long t0 = System.nanoTime();
            steps[s].run(slots, arena);
            profile.add(s, System.nanoTime() - t0);
            clear(slots, s);
        }
    }

    private void clear(DenseArray[] slots, int step) {
        for (int dead : clearAfter[step]) {
            slots[dead] = null;
        }
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

    /** The number of steps a run executes (fused kernels and eagerly evaluated equations). */
    public int stepCount() {
        return steps.length;
    }

    /**
     * The mean time per timed run of each step, one line each ({@link #describe}'s lines after the time), or null
     * when this executable was not compiled with {@code solstice.jit.profile=true}.
     */
    public String profile() {
        return profile == null ? null : profile.report();
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
