package dev.solstice.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The entry point of {@code bin/bench}: runs Solstice's JMH benchmarks with short defaults (one fork, a few
 * half-second iterations) and prints a table of the results at the end. Any JMH command-line option overrides
 * the defaults; plain words are regular expressions selecting benchmarks. Figures are indicative, never
 * assertions.
 */
public final class BenchMain {
    private BenchMain() {}

    /** Defaults for what the command line leaves unset: short, so that the whole run takes a few minutes. */
    static final int FORKS = 1;
    static final int WARMUP_ITERATIONS = 3;
    static final String WARMUP_TIME = "1s";
    static final int MEASUREMENT_ITERATIONS = 5;
    static final String MEASUREMENT_TIME = "400ms";
    /**
     * Options of the forked JVMs: a capped heap, so that runs side by side on a shared machine do not starve each
     * other, JMH's use of {@code sun.misc.Unsafe} allowed without the JDK's warning in every fork, and the
     * Vector API module, so that Solstice runs on its Vector API kernels.
     */
    static final String[] JVM_ARGS = {"-Xmx2g", "--sun-misc-unsafe-memory-access=allow", "--add-modules",
        "jdk.incubator.vector"};

    /**
     * Runs the benchmarks and exits with 0, 1 when a benchmark failed (JMH's message says which and why), or
     * 2 for a usage error.
     *
     * @param args see {@code bin/bench --help}
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    /**
     * Runs the benchmarks that {@code args} select, printing JMH's progress and then the table to {@code out}.
     *
     * @param args see {@link #usage}
     * @param out where the table and the usage go
     * @return 0, 1 when a benchmark failed, or 2 for a usage error
     */
    static int run(String[] args, PrintStream out) {
        List<String> jmhArgs = new ArrayList<>();
        for (String a : args) {
            switch (a) {
                case "--help" -> {
                    usage(out);
                    return 0;
                }
                case "--alloc" -> jmhArgs.addAll(List.of("-prof", "gc"));
                default -> jmhArgs.add(a);
            }
        }
        CommandLineOptions cmd;
        try {
            cmd = new CommandLineOptions(jmhArgs.toArray(String[]::new));
        } catch (CommandLineOptionException e) {
            out.println("bin/bench: " + e.getMessage() + " (bin/bench --help for the options)");
            return 2;
        }
        try {
            if (cmd.shouldHelp()) {
                cmd.showHelp();
                return 0;
            }
        } catch (IOException e) {
            out.println("bin/bench: cannot print JMH's help: " + e.getMessage());
            return 2;
        }
        if (cmd.shouldListProfilers()) {
            cmd.listProfilers();
            return 0;
        }
        if (cmd.shouldListResultFormats()) {
            cmd.listResultFormats();
            return 0;
        }
        Runner runner = new Runner(withDefaults(cmd));
        if (cmd.shouldList()) {
            runner.list();
            return 0;
        }
        if (cmd.shouldListWithParams()) {
            runner.listWithParams(cmd);
            return 0;
        }
        Collection<RunResult> results;
        try {
            results = runner.run();
        } catch (RunnerException e) {
            out.println("bin/bench: a benchmark failed: " + e.getMessage());
            out.println("(its setup or body threw; JMH's output above says which; -foe false keeps going past failures)");
            return 1;
        }
        ResultTable.print(results, out);
        return 0;
    }

    /** {@code cmd}, with this harness's defaults wherever the command line sets nothing. */
    static Options withDefaults(CommandLineOptions cmd) {
        ChainedOptionsBuilder b = new OptionsBuilder().parent(cmd);
        if (!cmd.getForkCount().hasValue()) {
            b.forks(FORKS);
        }
        if (!cmd.getWarmupIterations().hasValue()) {
            b.warmupIterations(WARMUP_ITERATIONS);
        }
        if (!cmd.getWarmupTime().hasValue()) {
            b.warmupTime(TimeValue.fromString(WARMUP_TIME));
        }
        if (!cmd.getMeasurementIterations().hasValue()) {
            b.measurementIterations(MEASUREMENT_ITERATIONS);
        }
        if (!cmd.getMeasurementTime().hasValue()) {
            b.measurementTime(TimeValue.fromString(MEASUREMENT_TIME));
        }
        if (!cmd.getJvmArgsAppend().hasValue()) {
            b.jvmArgsAppend(JVM_ARGS);
        }
        if (!cmd.shouldFailOnError().hasValue()) {
            b.shouldFailOnError(true);
        }
        return b.build();
    }

    private static void usage(PrintStream out) {
        out.printf("""
                usage: bin/bench [--alloc] [REGEX ...] [JMH option ...]
                       bin/bench --help | -h | -l | -lp

                Builds Solstice and runs its JMH benchmarks, then prints a table: benchmark, parameters, score,
                error (99.9%% confidence half-width), median iteration, unit, and the allocation per operation
                when measured.
                  DispatchBench     eager dispatch cost per primitive (add, mul, sin, exp, tanh, reduce_sum,
                                    dot_general) on float64[4], ns per operation: plain Java loop, eager,
                                    under jvp, under jvp of jvp; and the fixed cost of entering one jvp
                  TrainingBench     the peer harness's train step (Eqx.filterGrad + Optim.sgd, 64-128-10 ReLU
                                    MLP, batch 128, float32) and per-example gradients (vmap of grad); size=tiny
                                    runs the same code on a 4-8-3 MLP, batch 4: the library's own overhead
                  DerivativesBench  grad, HVP (jvp of grad) and full Hessian of sum(sin(W x)), n = 256, each
                                    next to its closed form in plain Java
                  BatchingBench     full Hessian batched vs a loop of HVPs (n = 64, 256); per-example gradients
                                    of a 64-128-10 tanh network, batch 128, vmap(grad) vs a loop
                  LayersBench       Conv2d forward and forward+backward (32 x 1x8x8, 3x3, 8 and 16 channels),
                                    MultiheadAttention forward (4 heads, 64 x 64)
                  ElementwiseBench  large eager elementwise ops and a sum over 2^20 float32, us per call:
                                    tanh(a*x + b) unfused, add, mul, exp, reduce_sum
                  FusionBench       the staged program f(a*x + b) * c, f = tanh or neg, over 2^10 and 2^20
                                    float32, us per call: eager Program.evaluate vs jit.Compiler's fused kernel
                  BroadcastBench    [128, 128] float32 eager: a bias row added, a column subtracted, a scalar
                                    multiplied, a transposed operand added, a transpose transposed back
                  GemmBench         square matrix products x @ y and x @ y.T, n = 256, 512, f32 and f64
                  GemmSmallBench    the products of a 64-128-10 MLP's training step and per-example
                                    gradients (batch 128) straight through Gemm, ns per product, f32, f64
                  RecurrentBench    a GRU (16 in, 32 hidden, f32) over 50 steps, us per sequence: nn.Recurrent
                                    (Lax.scan) vs a Java loop over the cell, eager and jitted, forward and grad
                  SortBench         one million float32, ms per call: Jnp.sort, Jnp.argsort, Arrays.sort on a
                                    copy (the yardstick), Jnp.sort of the float64 copy, Jnp.cumsum
                Each benchmark's setup checks its results against an independent oracle first (closed forms,
                loops) and fails the run when they disagree; timings are never asserted.

                  REGEX        run only benchmarks whose full name matches (e.g. Dispatch, 'hessian', 'Layers.*conv')
                  --alloc      also measure allocation per operation (JMH's GC profiler, -prof gc)
                  --help       this text; -h lists every JMH option, all of which are passed through:
                               e.g. -f 3 (forks), -wi 5 -w 1s (warm-up), -i 10 -r 1s (measurement),
                               -p n=64 (parameter values), -rf json -rff out.json (machine-readable results),
                               -l (list the benchmarks), -lp (list them with parameters), -foe false (keep going
                               after a failure), -jvmArgsAppend '-Xmx4g' (forked JVM options)
                Defaults: -f %d -wi %d -w %s -i %d -r %s -foe true -jvmArgsAppend '%s': the whole run takes a few
                minutes, and the figures are indicative (one short fork on a possibly busy machine).
                Exit status: 0, 1 when a benchmark failed, 2 for a usage error.
                """, FORKS, WARMUP_ITERATIONS, WARMUP_TIME, MEASUREMENT_ITERATIONS, MEASUREMENT_TIME,
                String.join(" ", JVM_ARGS));
    }
}
