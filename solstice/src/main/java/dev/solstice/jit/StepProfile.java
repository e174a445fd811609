package dev.solstice.jit;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The per-step timing of one {@link Executable}, kept when the system property {@code solstice.jit.profile} is
 * true as it is compiled: the runs after the first {@code solstice.jit.profileWarmup} (default 3000) are timed
 * step by step, and the profile is printed to standard error at JVM exit when any run was timed. A debugging aid:
 * timing adds two clock reads per step.
 */
final class StepProfile {
    private final Step[] steps;
    private final long warmup;
    private final AtomicLong runs = new AtomicLong();
    private final AtomicLongArray nanos;

    private StepProfile(Step[] steps, long warmup) {
        this.steps = steps;
        this.warmup = warmup;
        this.nanos = new AtomicLongArray(steps.length);
    }

    /** A profile of {@code steps}, printed at exit, when profiling is requested; else null. */
    static StepProfile requested(Step[] steps) {
        if (!Boolean.getBoolean("solstice.jit.profile")) {
            return null;
        }
        StepProfile p = new StepProfile(steps, Math.max(0, Long.getLong("solstice.jit.profileWarmup", 3000)));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (p.timedRuns() > 0) {
                System.err.print(p.report());
            }
        }));
        return p;
    }

    /** Counts a run; whether it is past the warm-up and should be timed. */
    boolean timeThisRun() {
        return runs.incrementAndGet() > warmup;
    }

    void add(int step, long elapsed) {
        nanos.addAndGet(step, elapsed);
    }

    private long timedRuns() {
        return Math.max(0, runs.get() - warmup);
    }

    /** A header with the number of runs and the total, then one line per step: mean microseconds and the step. */
    String report() {
        long timed = Math.max(1, timedRuns());
        long total = 0;
        for (int s = 0; s < steps.length; s++) {
            total += nanos.get(s);
        }
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "=== jit profile: %d runs, %d timed, %.2f us per run in %d steps%n", runs.get(), timedRuns(),
                total / 1e3 / timed, steps.length));
        for (int s = 0; s < steps.length; s++) {
            b.append(String.format(Locale.ROOT, "%10.2f us  %d: %s%n", nanos.get(s) / 1e3 / timed, s,
                    steps[s].describe()));
        }
        return b.toString();
    }
}
