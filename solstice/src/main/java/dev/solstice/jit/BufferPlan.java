package dev.solstice.jit;

import dev.solstice.core.Aval;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * Liveness over the steps and buffer reuse. Only arrays that a kernel step or a {@link MatmulStep} allocated
 * (their own buffers) are ever overwritten:
 * eager kernels may return views that share their operands' storage, so every eager result is counted as
 * possibly aliasing every buffer its operands may alias, unless its primitive is known to give new arrays
 * ({@link Fusible#freshResults}). A kernel output may take over the storage of an
 * input buffer when that buffer is dead after this step (no later step reads it or anything aliasing it, and
 * no program output aliases it), has the output's dtype and size, is read element for element like the
 * outputs, and no other operand of the step aliases it. A kernel or dot_general output whose storage never
 * escapes gets a scratch buffer kept across runs instead of a new array. Also finds, per step, the slots no later step
 * reads, so a run drops them early.
 */
final class BufferPlan {
    private BufferPlan() {}

    /**
     * The outcome of planning.
     *
     * @param clearAfter per step, the slots no later step reads
     * @param scratchBuffers the number of scratch buffers the kernel steps use
     */
    record Plan(int[][] clearAfter, int scratchBuffers) {}

    /**
     * Decides the reuse and scratch buffers of every kernel step (through {@link KernelStep#reuse} and
     * {@link KernelStep#scratch}) and finds, per step, the slots to clear after it.
     *
     * @param steps the steps in order
     * @param slotAvals every slot's aval
     * @param outputSlots the program outputs' slots (-1 for an output that is not a slot)
     */
    static Plan plan(List<Step> steps, Aval[] slotAvals, int[] outputSlots) {
        int slots = slotAvals.length;
        BitSet[] aliases = new BitSet[slots]; // per slot, the kernel-allocated buffers (by slot) it may share
        for (int s = 0; s < slots; s++) {
            aliases[s] = new BitSet();
        }
        for (Step step : steps) {
            for (int out : step.outputSlots()) {
                if (step instanceof KernelStep || step instanceof MatmulStep) {
                    aliases[out].set(out);
                } else if (!(step instanceof EagerStep e && Fusible.freshResults(e.primitive()))) {
                    for (int in : step.inputSlots()) {
                        aliases[out].or(aliases[in]);
                    }
                }
            }
        }
        int[] lastUse = new int[slots]; // per buffer: the last step reading anything aliasing it
        int[] lastRead = new int[slots]; // per slot: the last step reading it
        Arrays.fill(lastUse, -1);
        Arrays.fill(lastRead, -1);
        for (int i = 0; i < steps.size(); i++) {
            for (int in : steps.get(i).inputSlots()) {
                lastRead[in] = i;
                final int step = i;
                aliases[in].stream().forEach(b -> lastUse[b] = step);
            }
        }
        BitSet escaping = new BitSet();
        for (int out : outputSlots) {
            if (out >= 0) {
                escaping.or(aliases[out]);
                lastRead[out] = Integer.MAX_VALUE;
            }
        }
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i) instanceof KernelStep k) {
                k.reuse(reuse(k, i, aliases, lastUse, escaping, slotAvals));
            }
        }
        BitSet mayBeView = new BitSet(); // slots an eager step may have returned as a view
        for (Step step : steps) {
            if (step instanceof EagerStep e && !Fusible.freshResults(e.primitive())) {
                for (int out : e.outputSlots()) {
                    mayBeView.set(out);
                }
            }
        }
        int scratch = assignScratch(steps, escaping, mayBeView);
        return new Plan(clearAfter(steps, lastRead), scratch);
    }

    /**
     * Gives every kernel and dot_general output that needs a new array and whose storage never escapes (no program output may
     * share it, neither directly, through a view, nor through a later output written over it) a scratch buffer
     * number: runs keep those arrays in an {@link Executable} arena instead of allocating them each time. Every
     * kernel input that an eager step may have returned as a view also gets one, to be staged into (a
     * transpose copied there instead of into a new array per run), and every column sum fused into a kernel
     * one for its partial sums. Returns the number of scratch buffers.
     */
    private static int assignScratch(List<Step> steps, BitSet escaping, BitSet mayBeView) {
        int slots = 0;
        for (Step step : steps) {
            for (int o : step.outputSlots()) {
                slots = Math.max(slots, o + 1);
            }
        }
        int[] root = new int[slots]; // per kernel-allocated buffer, the slot whose new array holds its storage
        Arrays.fill(root, -1);
        BitSet escapingRoot = new BitSet();
        for (Step step : steps) {
            if (step instanceof MatmulStep mm) {
                int o = mm.outputSlots()[0];
                root[o] = o;
                if (escaping.get(o)) {
                    escapingRoot.set(o);
                }
            } else if (step instanceof KernelStep k) {
                for (int m = 0; m < k.outputSlots().length; m++) {
                    int o = k.outputSlots()[m];
                    root[o] = k.reuses()[m] >= 0 ? root[k.reuses()[m]] : o;
                    if (escaping.get(o)) {
                        escapingRoot.set(root[o]);
                    }
                }
            }
        }
        int count = 0;
        for (Step step : steps) {
            if (step instanceof MatmulStep mm) {
                mm.scratch(escapingRoot.get(mm.outputSlots()[0]) ? -1 : count++);
            } else if (step instanceof KernelStep k) {
                int[] scratch = new int[k.outputSlots().length];
                for (int m = 0; m < scratch.length; m++) {
                    int o = k.outputSlots()[m];
                    scratch[m] = k.reuses()[m] < 0 && !escapingRoot.get(o) ? count++ : -1;
                }
                k.scratch(scratch);
                int[] stage = new int[k.inputSlots().length];
                for (int j = 0; j < stage.length; j++) {
                    stage[j] = mayBeView.get(k.inputSlots()[j]) ? count++ : -1;
                }
                k.stage(stage);
                k.partials(count);
                count += k.partialSumBuffers();
            }
        }
        return count;
    }

    private static int[] reuse(KernelStep k, int step, BitSet[] aliases, int[] lastUse, BitSet escaping,
            Aval[] slotAvals) {
        int[] in = k.inputSlots();
        int[] reuse = new int[k.outputSlots().length];
        Arrays.fill(reuse, -1);
        BitSet taken = new BitSet();
        for (int m = 0; m < reuse.length; m++) {
            if (!k.elementwiseOutput(m)) {
                continue; // a reduction's result is written while its operand's run is still being read
            }
            Aval want = k.outAvals()[m];
            for (int j = 0; j < in.length && reuse[m] < 0; j++) {
                int b = in[j];
                boolean own = aliases[b].cardinality() == 1 && aliases[b].get(b); // a kernel's own array
                if (own && !taken.get(b) && !escaping.get(b) && lastUse[b] == step && k.readsInPlace(j)
                        && slotAvals[b].dtype() == want.dtype() && slotAvals[b].size() == want.size()
                        && onlyReader(in, j, b, aliases)) {
                    reuse[m] = b;
                    taken.set(b);
                }
            }
        }
        return reuse;
    }

    /** Whether input {@code j} is the only operand of the step that may share buffer {@code b}. */
    private static boolean onlyReader(int[] in, int j, int b, BitSet[] aliases) {
        for (int i = 0; i < in.length; i++) {
            if (i != j && aliases[in[i]].get(b)) {
                return false;
            }
        }
        return true;
    }

    private static int[][] clearAfter(List<Step> steps, int[] lastRead) {
        List<List<Integer>> clear = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            clear.add(new ArrayList<>());
        }
        for (int i = 0; i < steps.size(); i++) {
            for (int out : steps.get(i).outputSlots()) {
                if (lastRead[out] < 0) {
                    clear.get(i).add(out); // never read
                }
            }
        }
        for (int s = 0; s < lastRead.length; s++) {
            if (lastRead[s] >= 0 && lastRead[s] < steps.size()) {
                clear.get(lastRead[s]).add(s);
            }
        }
        return clear.stream().map(l -> l.stream().mapToInt(Integer::intValue).distinct().toArray())
                .toArray(int[][]::new);
    }
}
