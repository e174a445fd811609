package dev.solstice.kernel;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * Runs a fixed list of independent tasks on a ForkJoin pool. Callers partition their work into tasks whose
 * boundaries do not depend on the thread count, and each task computes its own outputs in its own order,
 * so results are bitwise identical for any number of threads.
 *
 * <p>The calling thread takes part: it claims tasks in turn with up to {@code threads - 1} pool workers, so a
 * split operation never waits for a worker to wake up before it starts, and a worker that wakes late finds
 * the tasks already claimed and leaves.
 */
public final class Parallel {
    /** Below this much work (in floating-point operations) a matrix product runs on the calling thread alone. */
    public static final long MIN_PARALLEL_WORK = 100_000_000L;

    /**
     * Below this much work (in element operations: elements times the cost per element of {@link #splits})
     * an elementwise operation or reduction runs on the calling thread alone. Measured with the kernel
     * benchmark at 1 and 2 threads: a 2^16-element float32 add takes ~10 us on one thread, about what handing
     * half of it to a parked worker costs; above it two threads pay.
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
    private static volatile ForkJoinPool pool;

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

    /** The pool of {@code workers} threads that helps the calling thread. */
    private static ForkJoinPool pool(int workers) {
        ForkJoinPool p = pool;
        if (p != null && p.getParallelism() == workers) {
            return p;
        }
        synchronized (Parallel.class) {
            if (pool == null || pool.getParallelism() != workers) {
                if (pool != null) {
                    pool.shutdown();
                }
                pool = new ForkJoinPool(workers);
            }
            return pool;
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

    /** Runs the tasks on the calling thread and up to {@code threads - 1} workers. */
    private static void run(int tasks, IntConsumer body) {
        int n = threads;
        Job job = new Job(tasks, body);
        int helpers = Math.min(n, tasks) - 1;
        if (helpers > 0) {
            ForkJoinPool p = pool(n - 1);
            for (int h = 0; h < helpers; h++) {
                p.execute(job);
            }
        }
        job.run();
        job.await();
    }

    /**
     * One split operation: threads claim task indices in order until none is left; the caller waits until
     * every claimed task has finished, then rethrows the first failure.
     */
    private static final class Job implements Runnable {
        private static final int SPINS = 1 << 7;
        private static final int YIELDS = 1 << 10;
        private final int tasks;
        private final IntConsumer body;
        private final Thread caller = Thread.currentThread();
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger finished = new AtomicInteger();
        private volatile Throwable failure;

        Job(int tasks, IntConsumer body) {
            this.tasks = tasks;
            this.body = body;
        }

        @Override
        public void run() {
            int done = 0;
            for (int t = next.getAndIncrement(); t < tasks; t = next.getAndIncrement()) {
                try {
                    if (failure == null) {
                        body.accept(t);
                    }
                } catch (Throwable e) {
                    if (failure == null) {
                        failure = e;
                    }
                }
                done++;
            }
            if (done > 0 && finished.addAndGet(done) == tasks && Thread.currentThread() != caller) {
                LockSupport.unpark(caller);
            }
        }

        /**
         * Waits until every task has finished (those still running elsewhere take at most one piece's time):
         * spins briefly, then yields its core (to a worker, when there are more threads than cores), then parks.
         */
        void await() {
            for (int spin = 0; finished.get() < tasks; spin++) {
                if (spin < SPINS) {
                    Thread.onSpinWait();
                } else if (spin < YIELDS) {
                    Thread.yield();
                } else {
                    LockSupport.parkNanos(this, 50_000L);
                }
            }
            Throwable e = failure;
            if (e instanceof RuntimeException r) {
                throw r;
            }
            if (e instanceof Error r) {
                throw r;
            }
            if (e != null) {
                throw new IllegalStateException("a parallel task failed", e);
            }
        }
    }
}
