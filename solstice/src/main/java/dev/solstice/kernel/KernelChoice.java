package dev.solstice.kernel;

/** Which kernel implementation this JVM runs (see {@link Kernels#get}), for code generators that follow it. */
public final class KernelChoice {
    private KernelChoice() {}

    /**
     * Whether the Vector API kernels were selected.
     *
     * @return true when {@link Kernels#get} returns the Vector API kernels (so {@code jdk.incubator.vector}
     *     is in the boot layer and may be referenced by generated code)
     */
    public static boolean vector() {
        return KernelSelection.SELECTED != JavaKernels.INSTANCE;
    }
}
