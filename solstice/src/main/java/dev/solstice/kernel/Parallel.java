package dev.solstice.kernel;

import java.util.function.IntConsumer;

/**
 * Runs a fixed list of independent tasks on a ForkJoin pool. Callers partition their work into tasks whose
 * boundaries do not depend on the thread count, and each task computes its own outputs in its own order,
 * so results are bitwise identical for any number of threads.
 *
 * <p>The calling thread takes part, with up to {@code threads - 1} helpers on the pool (see {@link Helpers}):
 * a split operation never waits for a helper to wake up before it starts.
 */
public final class Parallel {
    /** Below this much work (in floating-point operations) a matrix product runs on the calling thread alone. */
    public static final long MIN_PARALLEL_WORK = 100_000_000L;

    /**
     * Below this much work (in element operations: elements times the cost per element of {@link #splits})
     * an elementwise operation or reduction runs on the calling thread alone. Measured on a 2-core VM at 1
     * and 2 threads, operations back to back: a 2^16-element float32 add (~15 us) gains little from a second
     * thread (the output is allocated and zeroed by the caller, and the hand-off costs a few microseconds),
     * exp over 2^14 elements (cost 16, ~65 us) gains 1.7x; below the threshold a split only adds its cost.
     */
    public static final long MIN_PARALLEL_ELEMENTS = 1L << 16;

    /** The element operations per task of a split elementwise operation or reduction. */
    static final long TASK_ELEMENTS = 1L << 14;

    /** A piece of a split loop: the elements (or groups) {@code [from, to)}. */
    @FunctionalInterface
    public interface Range {
        /**
         * Computes the outputs of elements {@code [from, to)}.
         *
         * @param from the first element
         * @param to one past the last element
         */
        void run(int from, int to);
    }

    private static volatile int threads = initialThreads();
    private static volatile Helpers helpers;

    private Parallel() {}

    private static int initialThreads() {
        String property = System.getProperty("solstice.threads");
        if (property == null || property.isBlank()) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            return check(Integer.parseInt(property.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("system property solstice.threads=" + property
                    + " is not a whole number; give a thread count >= 1 or leave it unset for all cores", e);
        }
    }

    private static int check(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("thread count " + n + " must be at least 1");
        }
        return n;
    }

    /** The number of threads large operations may use. */
    public static int threads() {
        return threads;
    }

    /** Sets the number of threads large operations may use (at least 1). */
    public static synchronized void threads(int n) {
        threads = check(n);
    }

    /** The helpers on a pool of {@code workers} threads (made anew when the thread count changes). */
    private static Helpers helpers(int workers) {
        Helpers h = helpers;
        if (h != null && h.workers() == workers) {
            return h;
        }
        synchronized (Parallel.class) {
            if (helpers == null || helpers.workers() != workers) {
                if (helpers != null) {
                    helpers.shutdown();
                }
                helpers = new Helpers(workers);
            }
            return helpers;
        }
    }

    /**
     * Runs {@code body} for every task index in {@code [0, tasks)}, each exactly once; on several threads
     * when more than one is allowed and {@code work} reaches {@link #MIN_PARALLEL_WORK}.
     */
    public static void forEach(int tasks, long work, IntConsumer body) {
        if (threads == 1 || tasks <= 1 || work < MIN_PARALLEL_WORK) {
            for (int t = 0; t < tasks; t++) {
                body.accept(t);
            }
            return;
        }
        run(tasks, body);
    }

    /**
     * Whether an elementwise operation or reduction over {@code elements} elements, each costing about
     * {@code cost} cheap operations (1 for an add, more for a transcendental function), is worth splitting:
     * more than one thread is allowed and the work reaches {@link #MIN_PARALLEL_ELEMENTS}. Callers test this
     * before building the loop body they would pass to {@link #forRange}, so a small operation allocates
     * nothing.
     */
    public static boolean splits(long elements, int cost) {
        return threads > 1 && elements * cost >= MIN_PARALLEL_ELEMENTS;
    }

    /**
     * Runs {@code body} over {@code [0, n)} cut into fixed pieces of about {@link #TASK_ELEMENTS} element
     * operations ({@code n} items, each costing {@code cost}), on up to {@link #threads} threads. The pieces
     * depend only on {@code n} and {@code cost}; every item belongs to exactly one piece.
     *
     * @param n the number of items (elements, or groups of a reduction)
     * @param cost the element operations per item, at least 1
     * @param body computes the items of one piece
     */
    public static void forRange(int n, long cost, Range body) {
        int grain = (int) Math.max(1, Math.min(n, TASK_ELEMENTS / Math.max(1, cost)));
        int tasks = (n + grain - 1) / grain;
        if (threads == 1 || tasks <= 1) {
            body.run(0, n);
            return;
        }
        run(tasks, t -> body.run(t * grain, (int) Math.min(n, (long) (t + 1) * grain)));
    }

    /** Runs the tasks on the calling thread and up to {@code threads - 1} helpers. */
    private static void run(int tasks, IntConsumer body) {
        int n = threads;
        if (n == 1) {
            for (int t = 0; t < tasks; t++) {
                body.accept(t);
            }
            return;
        }
        helpers(n - 1).run(Math.min(n, tasks) - 1, tasks, body);
    }
}
