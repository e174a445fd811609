package dev.solstice.jit;

/**
 * A generated kernel: one fused group's element loop over {@code rows} runs of {@code n} elements. Array
 * {@code k} (inputs first, then outputs, as the kernel's {@link KernelSpec} lists them) is read or written in
 * run {@code r} from position {@code base[k] + r * step[k]}: at that position plus {@code i} for element
 * {@code i}, or at that position alone for an input broadcast along the run. Looping over the runs inside the
 * kernel keeps short runs (a [128, 10] group) from paying a call per run. Implementations are hidden classes,
 * stateless, safe to share.
 */
interface FusedKernel {
    /**
     * Computes elements {@code [0, n)} of runs {@code [0, rows)}.
     *
     * @param arrays the storage arrays, inputs then outputs
     * @param primitives per member, its primitive where the member calls a scalar function (else null)
     * @param base per array, the position of the first run's first element
     * @param step per array, how far its next run starts from the previous one
     * @param rows the number of runs
     * @param n the run length
     */
    void run(Object[] arrays, Object[] primitives, int[] base, int[] step, int rows, int n);
}
