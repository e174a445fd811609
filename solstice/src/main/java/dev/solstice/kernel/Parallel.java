package dev.solstice.kernel;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;
import java.util.function.IntConsumer;

/**
 * Runs a fixed list of independent tasks on a ForkJoin pool. Callers partition their work into tasks whose
 * boundaries do not depend on the thread count, and each task computes its own outputs in its own order,
 * so results are bitwise identical for any number of threads.
 */
public final class Parallel {
    /** Below this much work (in floating-point operations) a call runs on the calling thread alone. */
    public static final long MIN_PARALLEL_WORK = 100_000_000L;

    private static volatile int threads = initialThreads();
    private static ForkJoinPool pool;

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

    private static synchronized ForkJoinPool pool(int n) {
        if (pool == null || pool.getParallelism() != n) {
            if (pool != null) {
                pool.shutdown();
            }
            pool = new ForkJoinPool(n);
        }
        return pool;
    }

    /**
     * Runs {@code body} for every task index in {@code [0, tasks)}, each exactly once; on several threads
     * when more than one is allowed and {@code work} reaches {@link #MIN_PARALLEL_WORK}.
     */
    public static void forEach(int tasks, long work, IntConsumer body) {
        int n = threads;
        if (n == 1 || tasks <= 1 || work < MIN_PARALLEL_WORK) {
            for (int t = 0; t < tasks; t++) {
                body.accept(t);
            }
            return;
        }
        pool(n).invoke(new Range(0, tasks, body));
    }

    /** Halves its range until one task is left. */
    private static final class Range extends RecursiveAction {
        private final int from;
        private final int to;
        private final transient IntConsumer body;

        Range(int from, int to, IntConsumer body) {
            this.from = from;
            this.to = to;
            this.body = body;
        }

        @Override
        protected void compute() {
            if (to - from == 1) {
                body.accept(from);
                return;
            }
            int mid = (from + to) >>> 1;
            invokeAll(new Range(from, mid, body), new Range(mid, to, body));
        }
    }
}
