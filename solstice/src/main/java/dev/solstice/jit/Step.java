package dev.solstice.jit;

import dev.solstice.core.DenseArray;

/** One step of an {@link Executable}: reads and writes values in the run's slots. */
sealed interface Step permits EagerStep, KernelStep, MatmulStep {
    /**
     * Computes this step's outputs from its inputs, both in {@code slots}; {@code arena} holds the run's scratch
     * arrays (see {@link BufferPlan}), used by this run alone.
     */
    void run(DenseArray[] slots, Object[] arena);

    /** The slots this step reads. */
    int[] inputSlots();

    /** The slots this step writes. */
    int[] outputSlots();

    /** One line for {@link Executable#describe}. */
    String describe();
}
