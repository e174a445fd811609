package dev.solstice.bench;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/**
 * Formats JMH's results as one readable table: benchmark, parameters, score (the mean over the measurement
 * iterations), error, the median iteration, unit, allocation per operation.
 */
final class ResultTable {
    private ResultTable() {}

    /** The package prefix left out of benchmark names. */
    private static final String PACKAGE = BenchMain.class.getPackageName() + ".";
    /** The GC profiler's allocation per operation; its label has a leading marker in some JMH versions. */
    private static final String ALLOC_NORM = "gc.alloc.rate.norm";

    /**
     * Prints {@code results} in JMH's order (benchmark, then parameters), with a header naming the JVM and the
     * run's settings.
     *
     * @param results what {@code Runner.run()} returned
     * @param out where the table goes
     */
    static void print(Collection<RunResult> results, PrintStream out) {
        out.println();
        if (results.isEmpty()) {
            out.println("Solstice benchmarks: nothing ran (no benchmark matches; bin/bench -l lists them)");
            return;
        }
        BenchmarkParams first = results.iterator().next().getParams();
        out.printf(Locale.ROOT, "Solstice benchmarks (JMH %s): %s %s, %d CPUs, %s; %d fork(s), warm-up %d x %s, measurement %d x %s%n",
                first.getJmhVersion(), first.getVmName(), first.getVmVersion(), Runtime.getRuntime().availableProcessors(),
                load(), first.getForks(), first.getWarmup().getCount(), first.getWarmup().getTime(),
                first.getMeasurement().getCount(), first.getMeasurement().getTime());
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"Benchmark", "Params", "Score", "Error", "Median", "Unit", "Alloc/op"});
        for (RunResult r : results) {
            BenchmarkParams p = r.getParams();
            Result<?> score = r.getPrimaryResult();
            rows.add(new String[] {
                p.getBenchmark().replace(PACKAGE, ""),
                p.getParamsKeys().stream().map(k -> k + "=" + p.getParam(k)).collect(Collectors.joining(",")),
                number(score.getScore()),
                Double.isNaN(score.getScoreError()) ? "" : "± " + number(score.getScoreError()),
                number(score.getStatistics().getPercentile(50)),
                score.getScoreUnit(),
                allocation(r.getSecondaryResults()),
            });
        }
        int[] width = new int[rows.getFirst().length];
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < row.length; c++) {
                boolean numeric = c == 2 || c == 3 || c == 4 || c == 6;
                String cell = numeric ? " ".repeat(width[c] - row[c].length()) + row[c] : row[c] + " ".repeat(width[c] - row[c].length());
                line.append(c == 0 ? "" : "  ").append(cell);
            }
            out.println(line.toString().stripTrailing());
        }
        out.println("Score: mean over the measurement iterations; Error: half-width of its 99.9% confidence interval (blank with");
        out.println("fewer than 3 iterations); Median: the median iteration, less sensitive to other processes taking the CPU.");
        out.println("Figures are indicative, from one short fork; on a busy machine compare rows of one run, never runs with each other.");
    }

    /** Four significant figures or so, without exponent. */
    static String number(double v) {
        double a = Math.abs(v);
        String format = a >= 1000 ? "%.0f" : a >= 100 ? "%.1f" : a >= 10 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, format, v);
    }

    /** The GC profiler's allocation per operation in B, KiB or MiB, or blank when it was not measured. */
    static String allocation(Map<String, Result> secondary) {
        for (Map.Entry<String, Result> e : secondary.entrySet()) {
            if (e.getKey().endsWith(ALLOC_NORM)) {
                double bytes = e.getValue().getScore();
                if (bytes >= 1 << 20) {
                    return number(bytes / (1 << 20)) + " MiB";
                }
                return bytes >= 1 << 10 ? number(bytes / (1 << 10)) + " KiB" : number(bytes) + " B";
            }
        }
        return "";
    }

    private static String load() {
        double l = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return l < 0 ? "load average unknown" : String.format(Locale.ROOT, "load average %.2f", l);
    }
}
