package dev.solstice.fuzz;

import java.util.Arrays;

/**
 * The command line of {@code bin/fuzz}: {@code [N] [--seed S] [--steps K]} runs the fuzzer;
 * {@code concurrency [TASKS_PER_THREAD] [--threads T]} the concurrency run (default 8 x 10,000);
 * {@code soak [CALLS]} the soak run (default 1,000,000).
 */
public final class Main {
    private Main() {}

    /**
     * Runs the fuzzer, the concurrency run or the soak run; exits 1 on any failure.
     *
     * @param args the command line
     * @throws Exception when a concurrent task throws
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("concurrency")) {
            int perThread = 10_000;
            int threads = 8;
            for (int i = 1; i < args.length; i++) {
                if (args[i].equals("--threads")) {
                    threads = Integer.parseInt(args[++i]);
                } else {
                    perThread = Integer.parseInt(args[i]);
                }
            }
            ConcurrencyRun.Result r = new ConcurrencyRun().run(threads, perThread, 360);
            System.out.printf("concurrency: %d threads x %d mixed tasks in %.1f s: %d mismatches with the sequential run%s%n",
                    r.threads(), r.tasksPerThread(), r.seconds(), r.mismatches(),
                    r.firstMismatch() == null ? "" : "; first: " + r.firstMismatch());
            System.exit(r.mismatches() == 0 ? 0 : 1);
        } else if (args.length > 0 && args[0].equals("soak")) {
            long calls = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000L;
            SoakRun.Result r = SoakRun.run(calls);
            System.out.printf("soak: %,d calls in %.1f s (%d traces of the main jitted function, caches <= %d of bound %d), "
                    + "%d unstable results%n  heap after GC: %,d KB at start, %,d KB at end (%+,d KB)%n"
                    + "  loaded classes: %,d at start, %,d at end (%+d)%n  heap after GC at each tenth (KB): %s%n",
                    r.calls(), r.seconds(), r.traces(), r.maxCacheSize(), SoakRun.BOUND, r.unstable(), r.heapStart() >> 10,
                    r.heapEnd() >> 10, (r.heapEnd() - r.heapStart()) >> 10, r.classesStart(), r.classesEnd(),
                    r.classesEnd() - r.classesStart(), r.heapSamples().stream().map(b -> b >> 10).toList());
            System.exit(r.unstable() == 0 ? 0 : 1);
        } else {
            Fuzzer.main(Arrays.copyOf(args, args.length));
        }
    }
}
