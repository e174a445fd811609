package dev.solstice.bench;

import dev.solstice.Array;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.Lax;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A command-line benchmark of Solstice's eager execution, with a hand-rolled harness (warm-up, several timed
 * samples, median): indicative figures for one machine, not assertions.
 *
 * <ol>
 *   <li>Dispatch cost per primitive on 4-element float64 arrays ({@code add}, {@code mul}, {@code sin},
 *       {@code exp}, {@code tanh}, {@code reduce_sum}, {@code dot_general}): plain eager, under one
 *       {@link Jax#jvp}, and under a {@code jvp} of a {@code jvp}, next to the same operation as a plain Java
 *       loop over a fresh {@code double[4]} measured in the same process.</li>
 *   <li>For {@code f(x) = sum(sin(W x))}, n = 256, float64, {@code W_ij = 0.05 sin(256 i + j)},
 *       {@code x_i = cos i}, {@code v = 1}: one gradient, one Hessian-vector product by forward-over-reverse
 *       ({@code jvp} of {@code grad}) and the full {@link Jax#hessian}, each next to the closed form computed
 *       with plain Java loops, and each checked against that closed form.</li>
 *   <li>Batching: the full Hessian for n = 64 and 256 as one batched pass against the loop over basis
 *       vectors, and per-example gradients of a 64-128-10 tanh network (batch 128), vmap against a loop.</li>
 * </ol>
 *
 * <p>Run with {@code bin/bench} (or {@code bin/bench --quick} for a shorter, noisier run). Exit code 1 if a
 * correctness check fails, 2 for a usage error.
 */
public final class Benchmark {
    private Benchmark() {}

    /** Operations per call in the dispatch benchmarks, so that the cost of entering a jvp is amortised. */
    private static final int OPS_PER_CALL = 64;
    /** Size of the Hessian benchmark. */
    private static final int N = 256;
    /** The reference Σ(Hv) from the peers' runs (java-peers.md, section 3). */
    private static final double REFERENCE_SUM_HV = -0.003439312688;

    /** Where results go so that the JIT cannot drop the work. */
    private static volatile Object sink;

    /** Warm-up and sampling settings. */
    private record Settings(double warmupSeconds, int samples, double sampleSeconds) {}

    /**
     * Runs the benchmark.
     *
     * @param args {@code --quick} for short warm-ups and fewer samples; {@code --help} for the usage
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    /**
     * Runs the benchmark, printing to {@code out}.
     *
     * @param args the command-line arguments
     * @param out where the report goes
     * @return 0, or 1 if a correctness check failed, or 2 for a usage error
     */
    public static int run(String[] args, PrintStream out) {
        boolean quick = false;
        for (String a : args) {
            switch (a) {
                case "--quick", "-q" -> quick = true;
                case "--help", "-h" -> {
                    usage(out);
                    return 0;
                }
                default -> {
                    out.println("unknown argument: " + a);
                    usage(out);
                    return 2;
                }
            }
        }
        Settings small = quick ? new Settings(0.3, 5, 0.03) : new Settings(1.0, 9, 0.1);
        Settings large = quick ? new Settings(0.5, 3, 0.2) : new Settings(2.0, 7, 0.4);
        long start = System.nanoTime();
        out.printf(Locale.ROOT, "Solstice benchmark%s: %s %s, %s, %d CPUs; median of %d samples after >= %.1f s warm-up%n",
                quick ? " (--quick)" : "", System.getProperty("java.vm.name"), Runtime.version(),
                System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(), small.samples(),
                small.warmupSeconds());
        List<String> flags = ManagementFactory.getRuntimeMXBean().getInputArguments();
        out.println("JVM flags: " + (flags.isEmpty() ? "(none)" : String.join(" ", flags)) + "; " + load());
        out.println();
        dispatch(out, small);
        out.println();
        boolean ok = hessian(out, small, large);
        out.println();
        ok &= batching(out, small, large);
        out.println();
        layers(out, small);
        out.printf(Locale.ROOT, "%ntotal time %.0f s; %s; the benchmark thread ran %.0f%% of the timed wall-clock time%n",
                (System.nanoTime() - start) / 1e9, load(), 100.0 * sampledCpu / Math.max(1, sampledWall));
        out.println("(well under 100% means other processes or GC threads took the CPU, and wall-clock figures are inflated)");
        return ok ? 0 : 1;
    }

    private static void usage(PrintStream out) {
        out.println("""
                usage: bin/bench [--quick] [--help]

                Eager dispatch cost per primitive (plain, under jvp, under jvp of jvp) on 4-element float64
                arrays, and the time of a gradient, a Hessian-vector product (jvp of grad) and a full Hessian of
                sum(sin(W x)) with n = 256, each next to plain Java loops measured in the same run; then the
                full Hessian for n = 64 and 256 batched (vmap) against the loop over basis vectors, and
                per-example gradients of a 64-128-10 tanh network for a batch of 128, vmap against a loop.
                --quick   shorter warm-ups and fewer samples (noisier figures)

                The figures are indicative: one machine, one JVM, no isolation. Exit status 1 if a result
                disagrees with the closed form.""");
    }

    // ---- harness ----------------------------------------------------------------------------------------

    /** A benchmark body: does its work {@code reps} times and returns something the harness keeps. */
    @FunctionalInterface
    private interface Body {
        Object run(int reps);
    }

    /** Timing of one benchmark: wall-clock nanoseconds per repetition, and the median in thread CPU time. */
    private record Timing(double median, double min, double max, double cpuMedian, int reps) {}

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** Wall and CPU time of every timed sample, to tell how much of a core the benchmark thread had. */
    private static long sampledWall;
    private static long sampledCpu;

    /**
     * Warms {@code body} up for at least the given time and until it is stable (the last three timed batches
     * within 10% of each other, or three times the warm-up time at most: the JIT may still be compiling the
     * deep call chains of nested transformations), picks a repetition count that makes a sample last about
     * {@code sampleSeconds}, and times {@code samples} samples. Returns nanoseconds per repetition.
     */
    private static Timing measure(Body body, Settings s) {
        long begin = System.nanoTime();
        long warmupEnd = begin + (long) (s.warmupSeconds() * 1e9);
        long hardEnd = begin + (long) (3 * s.warmupSeconds() * 1e9);
        int reps = 1;
        double perRep;
        double[] recent = {Double.NaN, Double.NaN, Double.NaN};
        int batches = 0;
        while (true) {
            long t0 = System.nanoTime();
            sink = body.run(reps);
            long dt = System.nanoTime() - t0;
            perRep = (double) dt / reps;
            if (dt < 20_000_000L && reps < (1 << 28)) {
                reps *= 2;
            } else {
                recent[batches++ % 3] = perRep;
            }
            long now = System.nanoTime();
            if (now >= hardEnd || (now >= warmupEnd && batches >= 3 && stable(recent))) {
                break;
            }
        }
        int sampleReps = (int) Math.max(1, Math.min(1 << 30, s.sampleSeconds() * 1e9 / perRep));
        double[] ns = new double[s.samples()];
        double[] cpu = new double[s.samples()];
        for (int i = 0; i < ns.length; i++) {
            long c0 = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            sink = body.run(sampleReps);
            long dt = System.nanoTime() - t0;
            long dc = THREADS.getCurrentThreadCpuTime() - c0;
            ns[i] = (double) dt / sampleReps;
            cpu[i] = (double) dc / sampleReps;
            sampledWall += dt;
            sampledCpu += dc;
        }
        Arrays.sort(ns);
        Arrays.sort(cpu);
        return new Timing(ns[ns.length / 2], ns[0], ns[ns.length - 1], cpu[cpu.length / 2], sampleReps);
    }

    private static boolean stable(double[] t) {
        double lo = Math.min(t[0], Math.min(t[1], t[2]));
        double hi = Math.max(t[0], Math.max(t[1], t[2]));
        return hi <= 1.1 * lo;
    }

    // ---- 1. dispatch cost per primitive -----------------------------------------------------------------

    /** One primitive: how Solstice applies it; the plain Java loop for the same operation is {@link #javaLoop}. */
    private record Op(String name, UnaryOperator<Array> solstice) {}

    private static final double[] A = {0.1, 0.2, 0.3, 0.4};
    private static final Object[] RING = new Object[1024];

    private static Op[] ops() {
        int[] contract = {0};
        int[] none = {};
        return new Op[] {
            new Op("add", x -> Lax.add(x, x)),
            new Op("mul", x -> Lax.mul(x, x)),
            new Op("sin", Lax::sin),
            new Op("exp", Lax::exp),
            new Op("tanh", Lax::tanh),
            new Op("reduce_sum", x -> Lax.reduceSum(x, 0)),
            new Op("dot_general", x -> Lax.dotGeneral(x, x, contract, contract, none, none)),
        };
    }

    /**
     * The operation {@code op} as a plain Java loop on a 4-element {@code double[]}, {@code reps} times: each
     * result is a fresh array that escapes into a ring buffer, as an eager result does. One loop per operation
     * so that the JIT compiles each on its own.
     */
    private static Object javaLoop(String op, int reps) {
        double[] a = A;
        double acc = 0;
        switch (op) {
            case "add" -> {
                for (int r = 0; r < reps; r++) {
                    double[] out = new double[4];
                    for (int i = 0; i < 4; i++) {
                        out[i] = a[i] + a[i];
                    }
                    RING[r & 1023] = out;
                }
            }
            case "mul" -> {
                for (int r = 0; r < reps; r++) {
                    double[] out = new double[4];
                    for (int i = 0; i < 4; i++) {
                        out[i] = a[i] * a[i];
                    }
                    RING[r & 1023] = out;
                }
            }
            case "sin" -> {
                for (int r = 0; r < reps; r++) {
                    double[] out = new double[4];
                    for (int i = 0; i < 4; i++) {
                        out[i] = Math.sin(a[i]);
                    }
                    RING[r & 1023] = out;
                }
            }
            case "exp" -> {
                for (int r = 0; r < reps; r++) {
                    double[] out = new double[4];
                    for (int i = 0; i < 4; i++) {
                        out[i] = Math.exp(a[i]);
                    }
                    RING[r & 1023] = out;
                }
            }
            case "tanh" -> {
                for (int r = 0; r < reps; r++) {
                    double[] out = new double[4];
                    for (int i = 0; i < 4; i++) {
                        out[i] = Math.tanh(a[i]);
                    }
                    RING[r & 1023] = out;
                }
            }
            case "reduce_sum" -> {
                for (int r = 0; r < reps; r++) {
                    double[] out = new double[1];
                    double s = 0;
                    for (int i = 0; i < 4; i++) {
                        s += a[i];
                    }
                    out[0] = s;
                    RING[r & 1023] = out;
                }
            }
            case "dot_general" -> {
                for (int r = 0; r < reps; r++) {
                    double[] out = new double[1];
                    double s = 0;
                    for (int i = 0; i < 4; i++) {
                        s += a[i] * a[i];
                    }
                    out[0] = s;
                    RING[r & 1023] = out;
                }
            }
            default -> throw new IllegalArgumentException(op);
        }
        for (Object o : RING) {
            acc += o == null ? 0 : ((double[]) o)[0];
        }
        return acc;
    }

    /** A function applying {@code op} {@link #OPS_PER_CALL} times to its input, returning the last result. */
    private static Function<Array, Array> repeated(UnaryOperator<Array> op) {
        return x -> {
            Array r = null;
            for (int k = 0; k < OPS_PER_CALL; k++) {
                r = op.apply(x);
            }
            return r;
        };
    }

    private static void dispatch(PrintStream out, Settings s) {
        Array x = Array.of(A);
        Array v = Array.of(1.0, 1.0, 1.0, 1.0);
        Array u = Array.of(0.5, -0.5, 0.25, 1.0);
        out.printf(Locale.ROOT, "1. Dispatch cost per primitive, float64[4] operands, ns per operation (%d operations per call;%n",
                OPS_PER_CALL);
        out.println("   jvp = Jax.jvp(f, x, v); jvp(jvp) = Jax.jvp(z -> Jax.jvp(f, z, v).tangent(), x, u); binary ops take (x, x))");
        out.println("   (cpu% = thread CPU time / wall-clock time over the row's Solstice timings: under 100% means the");
        out.println("   machine was busy and the row's wall-clock figures are inflated by about 100/cpu%)");
        out.printf(Locale.ROOT, "   %-12s %10s %10s %7s %10s %7s %10s %7s %5s%n",
                "op", "Java loop", "eager", "/Java", "jvp", "/eager", "jvp(jvp)", "/eager", "cpu%");
        // Warm every path up together first, round-robin, so that the JIT compiles the shared dispatch code
        // with the mixed profile a library sees, before any one operation is timed.
        long prewarmEnd = System.nanoTime() + (long) (5 * s.warmupSeconds() * 1e9);
        while (System.nanoTime() < prewarmEnd) {
            for (Op op : ops()) {
                Function<Array, Array> f = repeated(op.solstice());
                sink = f.apply(x);
                sink = Jax.jvp(f, x, v);
                sink = Jax.jvp((Array z) -> Jax.jvp(f, z, v).tangent(), x, u);
                sink = javaLoop(op.name(), 1000);
            }
        }
        for (Op op : ops()) {
            Function<Array, Array> f = repeated(op.solstice());
            Timing java = measure(reps -> javaLoop(op.name(), reps), s);
            Timing eager = measure(reps -> {
                Array r = null;
                for (int i = 0; i < reps; i++) {
                    r = f.apply(x);
                }
                return r;
            }, s);
            Timing jvp1 = measure(reps -> {
                Object r = null;
                for (int i = 0; i < reps; i++) {
                    r = Jax.jvp(f, x, v);
                }
                return r;
            }, s);
            Function<Array, Array> inner = z -> Jax.jvp(f, z, v).tangent();
            Timing jvp2 = measure(reps -> {
                Object r = null;
                for (int i = 0; i < reps; i++) {
                    r = Jax.jvp(inner, x, u);
                }
                return r;
            }, s);
            double e = eager.median() / OPS_PER_CALL;
            double j1 = jvp1.median() / OPS_PER_CALL;
            double j2 = jvp2.median() / OPS_PER_CALL;
            double cpuShare = 100.0 * (eager.cpuMedian() + jvp1.cpuMedian() + jvp2.cpuMedian())
                    / (eager.median() + jvp1.median() + jvp2.median());
            out.printf(Locale.ROOT, "   %-12s %10.1f %10.1f %6.0fx %10.1f %6.1fx %10.1f %6.1fx %4.0f%%%n",
                    op.name(), java.median(), e, e / java.median(), j1, j1 / e, j2, j2 / e, cpuShare);
        }
        Function<Array, Array> identity = z -> z;
        Timing entry = measure(reps -> {
            Object r = null;
            for (int i = 0; i < reps; i++) {
                r = Jax.jvp(identity, x, v);
            }
            return r;
        }, s);
        out.printf(Locale.ROOT, "   (fixed cost of one Jax.jvp call of the identity: %.0f ns, included above divided by %d)%n",
                entry.median(), OPS_PER_CALL);
    }

    // ---- 2. Hessian-vector product and Hessian of sum(sin(W x)) -----------------------------------------

    private static boolean hessian(PrintStream out, Settings small, Settings large) {
        double[] w = new double[N * N];
        double[] x0 = new double[N];
        double[] v0 = new double[N];
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                w[i * N + j] = 0.05 * Math.sin(256.0 * i + j);
            }
            x0[i] = Math.cos(i);
            v0[i] = 1;
        }
        Array wa = Array.of(w, N, N);
        Array x = Array.of(x0);
        Array v = Array.of(v0);
        Function<Array, Array> f = z -> Jnp.sum(Jnp.sin(Jnp.matmul(wa, z)));
        Function<Array, Array> grad = Jax.grad(f);
        Function<Array, Array> hvp = z -> Jax.jvp(grad, z, v).tangent();
        Function<Array, Array> hess = Jax.hessian(f);

        out.printf(Locale.ROOT, "2. f(x) = sum(sin(W x)), n = %d, float64, W_ij = 0.05 sin(256 i + j), x_i = cos i, v = ones%n", N);
        boolean ok = true;

        // Correctness first, against the closed forms.
        double[] gradRef = closedFormGrad(w, x0);
        double[] hvRef = closedFormHvp(w, x0, v0);
        double[] hRef = closedFormHessian(w, x0);
        double[] g = grad.apply(x).toDoubleArray();
        double[] hv = hvp.apply(x).toDoubleArray();
        Array hArray = hess.apply(x);
        double[] h = hArray.toDoubleArray();
        double sumHv = Arrays.stream(hv).sum();
        double[] hTimesV = matVec(h, v0);
        double gErr = maxAbsDiff(g, gradRef);
        double hvErr = maxAbsDiff(hv, hvRef);
        double hErr = maxAbsDiff(h, hRef);
        double hvScale = maxAbs(hvRef);
        double hScale = maxAbs(hRef);
        boolean gOk = gErr <= 1e-12 * Math.max(1, maxAbs(gradRef));
        boolean hvOk = hvErr <= 1e-12 * Math.max(1, hvScale) && Math.abs(sumHv - REFERENCE_SUM_HV) <= 1e-11;
        boolean hOk = Arrays.equals(hArray.shape(), new int[] {N, N}) && hErr <= 1e-12 * Math.max(1, hScale)
                && maxAbsDiff(hTimesV, hvRef) <= 1e-11;
        ok &= gOk && hvOk && hOk;
        out.printf(Locale.ROOT, "   check grad:    max |g - closed form| = %.1e  %s%n", gErr, gOk ? "PASS" : "FAIL");
        out.printf(Locale.ROOT, "   check Hv:      max |Hv - W^T(-sin(Wx) * (Wv))| = %.1e;  sum(Hv) = %.12f (reference %.12f)  %s%n",
                hvErr, sumHv, REFERENCE_SUM_HV, hvOk ? "PASS" : "FAIL");
        out.printf(Locale.ROOT, "   check Hessian: %s, max |H - W^T diag(-sin(Wx)) W| = %.1e, max |H v - Hv| = %.1e  %s%n",
                Arrays.toString(hArray.shape()), hErr, maxAbsDiff(hTimesV, hvRef), hOk ? "PASS" : "FAIL");

        out.printf(Locale.ROOT, "   %-44s %11s %11s %11s %11s %7s%n", "wall-clock per call", "median", "min", "max", "CPU median", "/Java");
        Timing jGrad = measure(reps -> {
            Object r = null;
            for (int i = 0; i < reps; i++) {
                r = closedFormGrad(w, x0);
            }
            return r;
        }, small);
        Timing sGrad = measure(reps -> {
            Object r = null;
            for (int i = 0; i < reps; i++) {
                r = grad.apply(x);
            }
            return r;
        }, small);
        Timing jHvp = measure(reps -> {
            Object r = null;
            for (int i = 0; i < reps; i++) {
                r = closedFormHvp(w, x0, v0);
            }
            return r;
        }, small);
        Timing sHvp = measure(reps -> {
            Object r = null;
            for (int i = 0; i < reps; i++) {
                r = hvp.apply(x);
            }
            return r;
        }, small);
        Timing jHess = measure(reps -> {
            Object r = null;
            for (int i = 0; i < reps; i++) {
                r = closedFormHessian(w, x0);
            }
            return r;
        }, large);
        Timing sHess = measure(reps -> {
            Object r = null;
            for (int i = 0; i < reps; i++) {
                r = hess.apply(x);
            }
            return r;
        }, large);
        row(out, "plain Java: gradient, closed form", jGrad, jGrad);
        row(out, "Jax.grad(f)", sGrad, jGrad);
        row(out, "plain Java: Hv, closed form", jHvp, jHvp);
        row(out, "Jax.jvp(Jax.grad(f), x, v)  (fwd-over-rev)", sHvp, jHvp);
        row(out, "plain Java: H = W^T diag(-sin(Wx)) W", jHess, jHess);
        row(out, "Jax.hessian(f)  (one batched pass)", sHess, jHess);
        out.printf(Locale.ROOT, "   Jax.hessian / (256 x HVP) = %.2f%n", sHess.median() / (N * sHvp.median()));
        out.println("   (CPU median: the benchmark thread's CPU time per call, the better estimate when the machine is busy;");
        out.println("   it leaves out GC and JIT threads)");
        out.println("   peers on the project's 2-core VM, 1 thread (java-peers.md): HVP 0.14-0.16 ms bytedeco pytorch,");
        out.println("   0.25 ms torch 1.13 reverse-over-reverse, 0.64-0.73 ms functorch jvp(grad), 0.31-0.41 ms TF Java");
        return ok;
    }

    /**
     * Section 3 (vmap): the full Hessian of sum(sin(W x)) for n = 64 and 256 as one batched pass against the
     * loop over basis vectors (one Hessian-vector product per column), and per-example gradients of a
     * 64-128-10 tanh network for a batch of 128 by vmap(grad) against a loop over the examples.
     */
    private static boolean batching(PrintStream out, Settings small, Settings large) {
        out.println("3. Batching (vmap): batched Hessians and per-example gradients against loops, same process");
        out.printf(Locale.ROOT, "   %-44s %11s %11s %11s %11s %7s%n", "wall-clock per call", "median", "min", "max", "CPU median", "/loop");
        boolean ok = true;
        for (int n : new int[] {64, 256}) {
            double[] w = new double[n * n];
            double[] x0 = new double[n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    w[i * n + j] = 0.05 * Math.sin(256.0 * i + j);
                }
                x0[i] = Math.cos(i);
            }
            Array wa = Array.of(w, n, n);
            Array x = Array.of(x0);
            Function<Array, Array> f = z -> Jnp.sum(Jnp.sin(Jnp.matmul(wa, z)));
            Function<Array, Array> hess = Jax.hessian(f);
            Function<Array, Array> grad = Jax.grad(f);
            Array eye = Jnp.eye(n);
            Function<Array, Array> loop = z -> {
                Array[] rows = new Array[n];
                for (int i = 0; i < n; i++) {
                    rows[i] = Jax.jvp(grad, z, eye.get(i)).tangent();
                }
                return Jnp.stack(List.of(rows), 0);
            };
            double err = maxAbsDiff(hess.apply(x).toDoubleArray(), loop.apply(x).toDoubleArray());
            double refErr = maxAbsDiff(hess.apply(x).toDoubleArray(), closedFormHessian(w, x0, n));
            boolean good = err <= 1e-15 && refErr <= 1e-14;
            ok &= good;
            Timing batched = measure(reps -> repeat(reps, () -> hess.apply(x)), large);
            Timing looped = measure(reps -> repeat(reps, () -> loop.apply(x)), large);
            row(out, "loop of " + n + " HVPs (jvp of grad), n = " + n, looped, looped);
            row(out, "Jax.hessian, one batched pass, n = " + n, batched, looped);
            out.printf(Locale.ROOT, "   check n = %d: max |batched - loop| = %.1e, max |batched - closed form| = %.1e  %s%n",
                    n, err, refErr, good ? "PASS" : "FAIL");
        }
        ok &= perExample(out, small);
        return ok;
    }

    /**
     * Section 4 (layers): Conv2d forward and forward plus backward on a batch of 32 single-channel 8x8
     * images with 8 and 16 output channels (3x3 kernel, SAME padding), and a multi-head attention forward pass
     * (sequence 64, width 64) when that layer is present.
     */
    private static void layers(PrintStream out, Settings s) {
        out.println("4. Layers: Conv2d (batch 32 of 1x8x8, 3x3 kernel, SAME) and attention, per call");
        out.printf(Locale.ROOT, "   %-44s %11s %11s %11s %11s %7s%n", "wall-clock per call", "median", "min", "max", "CPU median", "/fwd");
        Array images = Jnp.astype(det(32 * 64, 0.7, 32, 1, 8, 8), dev.solstice.DType.FLOAT32);
        for (int channels : new int[] {8, 16}) {
            dev.solstice.nn.Conv2d conv = new dev.solstice.nn.Conv2d(1, channels, new int[] {3},
                    new dev.solstice.nn.ConvSpec(new int[] {1}, dev.solstice.nn.Padding.SAME, new int[] {1}, 1, "ZEROS", new int[] {0}),
                    true, dev.solstice.DType.FLOAT32, dev.solstice.Prng.key(channels));
            Function<Array, Array> forward = Jax.vmap(conv::apply);
            Function<dev.solstice.nn.Conv2d, dev.solstice.nn.Conv2d> backward = dev.solstice.Eqx.filterGrad(
                    (dev.solstice.nn.Conv2d c) -> Jnp.sum(Jnp.square(Jax.vmap(c::apply).apply(images))));
            Timing f = measure(reps -> repeat(reps, () -> forward.apply(images)), s);
            Timing fb = measure(reps -> repeat(reps, () -> backward.apply(conv)), s);
            row(out, "Conv2d forward, 1 -> " + channels + " channels", f, f);
            row(out, "Conv2d forward + backward, 1 -> " + channels, fb, f);
        }
        dev.solstice.nn.MultiheadAttention mha = new dev.solstice.nn.MultiheadAttention(4, 64, dev.solstice.Prng.key(3));
        Array seq = Jnp.astype(det(64 * 64, 0.4, 64, 64), dev.solstice.DType.FLOAT32);
        Timing attn = measure(reps -> repeat(reps, () -> mha.apply(seq, seq, seq)), s);
        row(out, "MultiheadAttention forward, 4 heads, 64 x 64", attn, attn);
    }

    /** Weights of a 64-128-10 tanh network. */
    private record Mlp(Array w1, Array b1, Array w2, Array b2) {}

    private static boolean perExample(PrintStream out, Settings s) {
        int in = 64;
        int hidden = 128;
        int classes = 10;
        int batch = 128;
        Mlp params = new Mlp(det(hidden * in, 0.1, hidden, in), det(hidden, 0.2, hidden), det(classes * hidden, 0.3, classes, hidden),
                det(classes, 0.4, classes));
        Array xs = det(batch * in, 0.5, batch, in);
        Array labels = Jnp.astype(Jnp.multiply(Jnp.add(Jnp.sin(det(batch, 0.6, batch)), 1.0), 4.99), dev.solstice.DType.INT32);
        Array ys = dev.solstice.Nn.oneHot(labels, classes);
        // loss of one example: softmax cross-entropy of the network's logits
        java.util.function.BiFunction<Mlp, List<Array>, Array> loss = (p, ex) -> {
            Array h = Jnp.tanh(Jnp.add(Jnp.matmul(p.w1(), ex.get(0)), p.b1()));
            Array logits = Jnp.add(Jnp.matmul(p.w2(), h), p.b2());
            return Jnp.negative(Jnp.sum(Jnp.multiply(ex.get(1), dev.solstice.Nn.logSoftmax(logits))));
        };
        Function<List<Array>, Mlp> perExampleGrad = ex -> Jax.grad((Mlp p) -> loss.apply(p, ex)).apply(params);
        Function<List<Array>, Mlp> batched = Jax.vmap(perExampleGrad);
        Function<List<Array>, List<Mlp>> loop = data -> {
            List<Mlp> gs = new java.util.ArrayList<>();
            for (int b = 0; b < batch; b++) {
                gs.add(perExampleGrad.apply(List.of(data.get(0).get(b), data.get(1).get(b))));
            }
            return gs;
        };
        List<Array> data = List.of(xs, ys);
        Mlp g = batched.apply(data);
        List<Mlp> gl = loop.apply(data);
        double err = 0;
        for (int b = 0; b < batch; b++) {
            err = Math.max(err, maxAbsDiff(g.w1().get(b).toDoubleArray(), gl.get(b).w1().toDoubleArray()));
            err = Math.max(err, maxAbsDiff(g.b2().get(b).toDoubleArray(), gl.get(b).b2().toDoubleArray()));
        }
        boolean good = err <= 1e-13 && Arrays.equals(g.w1().shape(), new int[] {batch, hidden, in});
        Timing tb = measure(reps -> repeat(reps, () -> batched.apply(data)), s);
        Timing tl = measure(reps -> repeat(reps, () -> loop.apply(data)), s);
        row(out, "per-example grads, loop over 128 examples", tl, tl);
        row(out, "per-example grads, vmap(grad), 64-128-10 tanh", tb, tl);
        out.printf(Locale.ROOT, "   check per-example gradients: w1 %s, max |vmap - loop| = %.1e  %s%n",
                Arrays.toString(g.w1().shape()), err, good ? "PASS" : "FAIL");
        return good;
    }

    /** A deterministic float64 array: {@code scale * sin(k * 1.7 + phase)}. */
    private static Array det(int size, double phase, int... shape) {
        double[] v = new double[size];
        for (int k = 0; k < size; k++) {
            v[k] = 0.3 * Math.sin(k * 1.7 + phase * 10);
        }
        return Array.of(v, shape);
    }

    private static Object repeat(int reps, java.util.function.Supplier<Object> body) {
        Object r = null;
        for (int i = 0; i < reps; i++) {
            r = body.get();
        }
        return r;
    }

    private static double[] closedFormHessian(double[] w, double[] x, int n) {
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            double z = 0;
            for (int j = 0; j < n; j++) {
                z += w[i * n + j] * x[j];
            }
            s[i] = -Math.sin(z);
        }
        double[] h = new double[n * n];
        for (int p = 0; p < n; p++) {
            for (int q = 0; q < n; q++) {
                double e = 0;
                for (int i = 0; i < n; i++) {
                    e += w[i * n + p] * s[i] * w[i * n + q];
                }
                h[p * n + q] = e;
            }
        }
        return h;
    }

    private static void row(PrintStream out, String name, Timing t, Timing java) {
        out.printf(Locale.ROOT, "   %-44s %11s %11s %11s %11s %6.1fx%n", name, time(t.median()), time(t.min()), time(t.max()),
                time(t.cpuMedian()), t.median() / java.median());
    }

    private static String load() {
        double l = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return l < 0 ? "load average unknown" : String.format(Locale.ROOT, "load average %.2f", l);
    }

    private static String time(double ns) {
        if (ns >= 1e9) {
            return String.format(Locale.ROOT, "%.3f s", ns / 1e9);
        }
        if (ns >= 1e6) {
            return String.format(Locale.ROOT, "%.3f ms", ns / 1e6);
        }
        return String.format(Locale.ROOT, "%.1f us", ns / 1e3);
    }

    // ---- closed forms in plain Java ---------------------------------------------------------------------

    private static double[] matVec(double[] m, double[] x) {
        int n = x.length;
        double[] r = new double[m.length / n];
        for (int i = 0; i < r.length; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += m[i * n + j] * x[j];
            }
            r[i] = s;
        }
        return r;
    }

    /** {@code W^T y}. */
    private static double[] matTVec(double[] m, double[] y) {
        int rows = y.length;
        int n = m.length / rows;
        double[] r = new double[n];
        for (int i = 0; i < rows; i++) {
            double yi = y[i];
            for (int j = 0; j < n; j++) {
                r[j] += m[i * n + j] * yi;
            }
        }
        return r;
    }

    /** {@code W^T cos(W x)}. */
    private static double[] closedFormGrad(double[] w, double[] x) {
        double[] wx = matVec(w, x);
        for (int i = 0; i < wx.length; i++) {
            wx[i] = Math.cos(wx[i]);
        }
        return matTVec(w, wx);
    }

    /** {@code W^T (-sin(W x) * (W v))}. */
    private static double[] closedFormHvp(double[] w, double[] x, double[] v) {
        double[] wx = matVec(w, x);
        double[] wv = matVec(w, v);
        for (int i = 0; i < wx.length; i++) {
            wx[i] = -Math.sin(wx[i]) * wv[i];
        }
        return matTVec(w, wx);
    }

    /** {@code W^T diag(-sin(W x)) W}, row-major n x n. */
    private static double[] closedFormHessian(double[] w, double[] x) {
        int n = x.length;
        double[] d = matVec(w, x);
        for (int k = 0; k < n; k++) {
            d[k] = -Math.sin(d[k]);
        }
        double[] h = new double[n * n];
        for (int k = 0; k < n; k++) {
            double dk = d[k];
            int rk = k * n;
            for (int i = 0; i < n; i++) {
                double a = w[rk + i] * dk;
                int ri = i * n;
                for (int j = 0; j < n; j++) {
                    h[ri + j] += a * w[rk + j];
                }
            }
        }
        return h;
    }

    private static double maxAbsDiff(double[] a, double[] b) {
        if (a.length != b.length) {
            return Double.POSITIVE_INFINITY;
        }
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            double d = Math.abs(a[i] - b[i]);
            m = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(m, d);
        }
        return m;
    }

    private static double maxAbs(double[] a) {
        double m = 0;
        for (double d : a) {
            m = Math.max(m, Math.abs(d));
        }
        return m;
    }
}
