package dev.solstice.kernel;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The threads that help a caller of {@link Parallel} through its tasks. A split operation is posted as a job;
 * the caller and the helpers claim its task indices in order until none is left, and the caller waits for
 * the tasks still running elsewhere. Helpers are tasks on a ForkJoin pool that, once done, watch for the
 * next job for {@value #LINGER_NANOS} ns before they leave, as OpenMP's threads wait before they sleep:
 * waking a parked thread costs from tens of microseconds to milliseconds (measured on a 2-core VM: a woken
 * worker often ran on the caller's core and left the other idle), longer than a split elementwise operation
 * takes, while the operations of one computation follow each other within microseconds.
 */
final class Helpers {
    /** How long an idle helper watches for the next job before it leaves its pool thread. */
    static final long LINGER_NANOS = 250_000L;

    private final ForkJoinPool pool;
    private final Queue<Job> jobs = new ConcurrentLinkedQueue<>();
    private final AtomicInteger awake = new AtomicInteger();

    /** Helpers on a new pool of {@code workers} threads. */
    Helpers(int workers) {
        pool = new ForkJoinPool(workers);
    }

    /** The number of pool threads. */
    int workers() {
        return pool.getParallelism();
    }

    /** Lets the pool's threads end once their helpers leave (a new thread count has its own helpers). */
    void shutdown() {
        pool.shutdown();
    }

    /** Runs {@code body} for every index in {@code [0, tasks)} on the calling thread and up to {@code helpers} helpers. */
    void run(int helpers, int tasks, IntConsumer body) {
        Job job = new Job(tasks, body);
        jobs.add(job);
        // wake only the helpers that are not watching already
        for (int n = awake.get(); n < helpers; n = awake.get()) {
            if (awake.compareAndSet(n, n + 1)) {
                pool.execute(this::help);
            }
        }
        job.claim();
        jobs.remove(job);
        job.await();
    }

    /**
     * A helper's life: work on posted jobs; watch for the next one, yielding its core to any other thread
     * that wants it (the caller may share it), and leave after {@link #LINGER_NANOS} without one.
     */
    private void help() {
        long idleSince = System.nanoTime();
        while (true) {
            Job job = jobs.peek();
            if (job != null) {
                if (job.claim() == 0) {
                    jobs.remove(job);
                }
                idleSince = System.nanoTime();
            } else if (System.nanoTime() - idleSince < LINGER_NANOS) {
                Thread.yield();
            } else {
                awake.decrementAndGet();
                // a job posted while leaving, whose caller counted this helper as awake: take it after all
                if (jobs.isEmpty()) {
                    return;
                }
                awake.incrementAndGet();
                idleSince = System.nanoTime();
            }
        }
    }

    /**
     * One split operation: threads claim task indices in order until none is left; the caller waits until
     * every claimed task has finished, then rethrows the first failure.
     */
    private static final class Job {
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

        /** Claims and runs tasks until none is left; returns how many this thread ran. */
        int claim() {
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
            return done;
        }

        /**
         * Waits until every task has finished (those still running elsewhere take at most one piece's time):
         * spins briefly, then yields its core (to a helper, when there are more threads than cores), then parks.
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
