package dev.solstice.jit;

/**
 * A generated kernel: one fused group's element loop over a run of {@code n} elements. Array {@code k}
 * (inputs first, then outputs, as the kernel's {@link KernelSpec} lists them) is read or written from
 * position {@code base[k]}: at {@code base[k] + i} for element {@code i}, or at {@code base[k]} alone for
 * an input broadcast along the run. Implementations are hidden classes, stateless, safe to share.
 */
interface FusedKernel {
    /**
     * Computes elements {@code [0, n)} of a run.
     *
     * @param arrays the storage arrays, inputs then outputs
     * @param primitives per member, its primitive where the member calls a scalar function (else null)
     * @param base per array, the position of the run's first element
     * @param n the run length
     */
    void run(Object[] arrays, Object[] primitives, int[] base, int n);
}
