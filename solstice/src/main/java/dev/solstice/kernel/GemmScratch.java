package dev.solstice.kernel;

/**
 * The working buffers of one {@link Gemm} task (packed strips of A and B, a row-major copy of a transposed B,
 * edge tiles of C and B) and of a column reduction's partial sums, reused across calls instead of allocated
 * per call: each thread keeps one set, taken with
 * {@link #acquire} at the start of a task and handed back with {@link #release} at its end.
 *
 * <p>Safe under many threads (a set belongs to one thread) and under re-entrancy: a task that starts on a
 * thread whose set is still taken (a product computed inside another one's task) gets a fresh set that is
 * dropped after use. The buffers only grow, to what a task asked for, and every caller bounds its requests
 * (the blocked path by its block sizes, the direct path by {@link Gemm#DIRECT_COPY} and
 * {@link Gemm#DIRECT_DEPTH}, the column sums by 16 x {@link StridedReductions#COLUMNS}), so a set stays bounded: about 1 MiB of floats and 2 MiB of doubles at most, per
 * thread that ran a large product of that precision. Contents are not cleared between uses: callers write
 * every element they later read.
 */
final class GemmScratch {
    /**
     * What a buffer is for; each role has its own float and double buffer: packed A, packed (or row-major
     * copied) B, an edge tile of C, the last columns of B (or all of a B narrower than a vector) padded to a whole
     * vector; and, outside products, the partial sums of a column reduction ({@code JavaKernels.reduceStrided}).
     */
    enum Role { PACKED_A, PACKED_B, TILE, TAIL_B, COLUMN_SUMS }

    private static final ThreadLocal<GemmScratch> MINE = ThreadLocal.withInitial(GemmScratch::new);

    private final float[][] floats = new float[Role.values().length][];
    private final double[][] doubles = new double[Role.values().length][];
    private boolean taken;

    private GemmScratch() {}

    /** This thread's set, or a fresh one when this thread's set is already taken. */
    static GemmScratch acquire() {
        GemmScratch mine = MINE.get();
        GemmScratch s = mine.taken ? new GemmScratch() : mine;
        s.taken = true;
        return s;
    }

    /** Hands the set back for the next task on this thread. */
    void release() {
        taken = false;
    }

    /** A float buffer for {@code role} with at least {@code size} elements (contents undefined). */
    float[] floats(Role role, int size) {
        float[] f = floats[role.ordinal()];
        if (f == null || f.length < size) {
            f = new float[grown(size)];
            floats[role.ordinal()] = f;
        }
        return f;
    }

    /** A double buffer for {@code role} with at least {@code size} elements (contents undefined). */
    double[] doubles(Role role, int size) {
        double[] d = doubles[role.ordinal()];
        if (d == null || d.length < size) {
            d = new double[grown(size)];
            doubles[role.ordinal()] = d;
        }
        return d;
    }

    /** The next power of two from {@code size} (at least 64): requests that creep up reallocate rarely. */
    private static int grown(int size) {
        return size <= 64 ? 64 : Integer.highestOneBit(size - 1) << 1;
    }
}
