package dev.solstice.fuzz;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs random programs through every check and collects the failures, each shrunk and written as a Java reproducer.
 * {@code bin/fuzz [N] [--seed S] [--steps K]} runs {@link #main}.
 */
public final class Fuzzer {
    private Fuzzer() {}

    /**
     * One failing program.
     *
     * @param index which program of the run (with the seed, enough to draw it again)
     * @param check the check that failed
     * @param message what differed
     * @param program the program as drawn
     * @param shrunk the smallest program found that still fails the same check
     * @param reproducer {@code shrunk} and its inputs as compilable Java source
     */
    public record Failure(int index, String check, String message, FuzzProgram program, FuzzProgram shrunk, String reproducer) {}

    /**
     * The result of a run.
     *
     * @param programs programs drawn
     * @param passed programs that passed every check
     * @param skipped programs with no point away from kinks or with unreliable finite differences
     * @param notes how many programs were skipped for each reason, or passed with a check left out
     * @param failures the failures
     * @param seconds wall time of the run
     */
    public record Report(int programs, int passed, int skipped, Map<String, Integer> notes, List<Failure> failures, double seconds) {
        /** Programs per second. */
        public double rate() {
            return programs / seconds;
        }
    }

    /**
     * Draws and checks {@code count} programs of at most {@code maxSteps} steps on inputs of at most
     * {@code maxInputSize} elements; progress and failures go to {@code log} (may be null).
     */
    public static Report run(long seed, int count, int maxSteps, int maxInputSize, PrintStream log) {
        long start = System.nanoTime();
        ProgramGenerator generator = new ProgramGenerator(seed, maxSteps, maxInputSize);
        int passed = 0;
        int skipped = 0;
        List<Failure> failures = new ArrayList<>();
        Map<String, Integer> reasons = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            FuzzProgram program = generator.next();
            long pointSeed = seed * 1_000_003L + i;
            ProgramChecks.Outcome outcome = ProgramChecks.check(program, pointSeed, null);
            switch (outcome.status()) {
                case PASSED -> {
                    passed++;
                    if (outcome.message() != null) {
                        reasons.merge(outcome.message(), 1, Integer::sum);
                    }
                }
                case SKIPPED -> {
                    skipped++;
                    reasons.merge(outcome.message(), 1, Integer::sum);
                }
                case FAILED -> {
                    Failure f = shrink(i, program, pointSeed, outcome);
                    failures.add(f);
                    if (log != null) {
                        log.printf("FAILURE program %d (%s): %s%n  drawn:  %s%n  shrunk: %s%n%s%n", i, f.check(), f.message(),
                                program, f.shrunk(), f.reproducer());
                    }
                }
            }
            if (log != null && (i + 1) % 1000 == 0) {
                log.printf("%d programs, %.1f s%n", i + 1, (System.nanoTime() - start) / 1e9);
            }
        }
        return new Report(count, passed, skipped, Map.copyOf(reasons), List.copyOf(failures), (System.nanoTime() - start) / 1e9);
    }

    private static Failure shrink(int index, FuzzProgram program, long pointSeed, ProgramChecks.Outcome outcome) {
        FuzzProgram shrunk = Shrinker.shrink(program,
                p -> ProgramChecks.check(p, pointSeed, outcome.check()).status() == ProgramChecks.Status.FAILED);
        ProgramChecks.Outcome last = ProgramChecks.check(shrunk, pointSeed, outcome.check());
        if (last.status() != ProgramChecks.Status.FAILED) { // cannot happen unless a check is flaky: keep the original
            shrunk = program;
            last = outcome;
        }
        String source = Reproducer.source("FuzzRepro" + index, shrunk, last);
        return new Failure(index, last.check(), last.message(), program, shrunk, source);
    }

    /**
     * {@code [N] [--seed S] [--steps K]}: checks N programs (default 1000) drawn from seed S (default 1) with at
     * most K steps each (default 8), prints programs per second and every failure; exits 1 when any failed.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        int count = 1000;
        long seed = 1;
        int steps = 8;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                case "-h", "--help" -> {
                    System.out.println("usage: bin/fuzz [N] [--seed S] [--steps K]");
                    return;
                }
                default -> count = Integer.parseInt(args[i]);
            }
        }
        Report r = run(seed, count, steps, 12, System.out);
        System.out.printf("%d programs (seed %d, up to %d steps): %d passed, %d skipped, %d failed %s; %.1f s, %.1f programs/s%n",
                r.programs(), seed, steps, r.passed(), r.skipped(), r.failures().size(), r.notes(), r.seconds(), r.rate());
        System.exit(r.failures().isEmpty() ? 0 : 1);
    }
}
