package dev.solstice.bench;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Eqx;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.Nn;
import dev.solstice.Prng;
import dev.solstice.curvature.Curvature;
import dev.solstice.curvature.Eigen;
import dev.solstice.curvature.TraceEstimate;
import dev.solstice.data.Digits;
import dev.solstice.io.Npz;
import dev.solstice.nn.MLP;
import dev.solstice.optim.Losses;
import dev.solstice.tree.Tree;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The Solstice side of {@code tools/curvature_peer}: the top-5 Hessian eigenvalues and Hutchinson's trace of the
 * mean softmax cross-entropy of a float64 64-64-10 relu MLP on the first 256 digits, timed (one warm-up, or
 * {@code WARMUP} from the environment, then the median of 5 wall times). Writes what the PyTorch side needs to
 * the folder given as argument: {@code model.safetensors} ({@code Eqx.treeSerialiseLeaves}), {@code peer.npz} (weights {@code w0, b0, w1, b1} in torch's
 * {@code nn.Linear} layout, {@code images}, {@code labels}, the Rademacher {@code probes} that
 * {@code Curvature.hutchinsonTrace} draws, one row per probe in raveled parameter order) and
 * {@code solstice.txt} (values, times and the computing thread's allocated megabytes, one {@code name value} per
 * line). One Hessian-vector product (the first
 * probe, from scratch: forward, reverse and forward-over-reverse) is timed too, to split the totals.
 *
 * <p>Also times {@code topEigenvalues} with more Lanczos steps ({@code eigN_*} lines): the default 20 steps need
 * not converge five clustered eigenvalues. Run with {@code -Dsolstice.threads=1} for a one-thread comparison.
 * Arguments: the folder, then optionally the number of probes (default 100) and of Lanczos steps for the
 * converged row (default 60).
 */
public final class CurvaturePeer {
    private static final int BATCH = 256;
    private static final int TOP = 5;
    private static final int REPS = 5;
    /** Untimed calls before the timed ones (environment {@code WARMUP}, default 1). */
    private static final int WARMUP = Integer.parseInt(System.getenv().getOrDefault("WARMUP", "1"));
    /** The leaves' paths as Tree.ravel visits them: the order of torch's {@code parameters()}. */
    private static final List<String> LEAF_PATHS = List.of("layers[0].weight", "layers[0].bias",
            "layers[1].weight", "layers[1].bias");

    private CurvaturePeer() {}

    /**
     * Writes the model, data and probes, then times and prints both quantities.
     *
     * @param args the output folder, then optionally the probe count
     * @throws IOException when the files cannot be written
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            throw new IllegalArgumentException("CurvaturePeer: usage: CurvaturePeer <out-folder> [probes]");
        }
        Path out = Path.of(args[0]);
        int probes = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        Files.createDirectories(out);

        MLP model = new MLP(64, 10, 64, 1, Nn::relu, x -> x, true, true, DType.FLOAT64, Prng.key(0));
        int[] first = new int[BATCH];
        Arrays.setAll(first, i -> i);
        Digits digits = Digits.load().subset(first);
        Array images = digits.images().astype(DType.FLOAT64);
        Array labels = digits.labels();
        Function<MLP, Array> loss = m -> Jnp.mean(
                Losses.softmaxCrossEntropyWithIntegerLabels(Jax.vmap(m::apply).apply(images), labels));

        List<Tree.PathLeaf> leaves = Tree.leavesWithPath(model);
        List<String> paths = new ArrayList<>();
        for (Tree.PathLeaf l : leaves) {
            paths.add(l.path().toString());
        }
        if (!paths.equals(LEAF_PATHS)) {
            throw new IllegalStateException("CurvaturePeer: unexpected leaf order " + paths + ", expected "
                    + LEAF_PATHS);
        }
        int size = Tree.ravel(model).flat().size();
        Array traceKey = Prng.key(1);
        Array eigenKey = Prng.key(2);
        // the probes hutchinsonTrace draws from traceKey, over the raveled parameters
        double[][] rows = Curvature.rademacherProbes(traceKey, probes, size);
        double[] flatProbes = new double[probes * size];
        for (int i = 0; i < probes; i++) {
            System.arraycopy(rows[i], 0, flatProbes, i * size, size);
        }
        Array z = Array.of(flatProbes, probes, size);

        Eqx.treeSerialiseLeaves(out.resolve("model.safetensors"), model);
        Map<String, Array> npz = new LinkedHashMap<>();
        for (int i = 0; i < leaves.size(); i++) {
            // Linear's weight is [out, in] and its bias [out]: torch's nn.Linear layout already.
            npz.put((i % 2 == 0 ? "w" : "b") + (i / 2), leaves.get(i).leaf());
        }
        npz.put("images", images);
        npz.put("labels", labels);
        npz.put("probes", z);
        Npz.write(out.resolve("peer.npz"), npz);

        double lossValue = loss.apply(model).item();
        double[] eigenMs = new double[REPS];
        Eigen<MLP> eigen = time(() -> Curvature.topEigenvalues(loss, model, TOP, eigenKey), eigenMs);
        double[] longMs = new double[REPS];
        Eigen<MLP> longEigen = time(() -> Curvature.topEigenvalues(loss, model, TOP, eigenKey, steps), longMs);
        double[] traceMs = new double[REPS];
        Array z0 = z.get(0);
        MLP v0 = Tree.ravel(model).unravel().apply(z0);
        double[] hvpMs = new double[REPS];
        MLP hv0 = time(() -> Curvature.hessianVectorProduct(loss, model, v0), hvpMs);
        double zHz0 = Jnp.sum(Jnp.multiply(Tree.ravel(hv0).flat(), z0)).item();
        // Diagnostics, eager (not compiled): one product on the raveled parameters, and Hutchinson's mean by a plain
        // loop of such products, against the library's compiled products on the tree
        Tree.Raveled<MLP> raveled = Tree.ravel(model);
        Function<Array, Array> lossOfFlat = t -> loss.apply(raveled.unravel().apply(t));
        double[] flatHvpMs = new double[REPS];
        time(() -> Jax.hvp(lossOfFlat, raveled.flat(), z0), flatHvpMs);
        double[] loopMs = new double[REPS];
        double loopTrace = time(() -> {
            double sum = 0;
            for (int i = 0; i < probes; i++) {
                Array zi = z.get(i);
                sum += Jnp.sum(Jnp.multiply(Jax.hvp(lossOfFlat, raveled.flat(), zi), zi)).item();
            }
            return sum / probes;
        }, loopMs);
        TraceEstimate trace = time(() -> Curvature.hutchinsonTrace(loss, model, probes, traceKey), traceMs);

        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "params %d%nprobes %d%nloss %.17g%n", size, probes, lossValue));
        double[] values = eigen.values();
        for (int i = 0; i < values.length; i++) {
            sb.append(String.format(Locale.ROOT, "eig%d %.17g%n", i, values[i]));
        }
        sb.append(String.format(Locale.ROOT, "lanczos_steps %d%n", eigen.lanczosSteps()));
        double[] longValues = longEigen.values();
        for (int i = 0; i < longValues.length; i++) {
            sb.append(String.format(Locale.ROOT, "eigN%d %.17g%n", i, longValues[i]));
        }
        sb.append(String.format(Locale.ROOT, "eigN_steps %d%neigN_ms %.3f%neigN_ms_all %s%n", longEigen.lanczosSteps(),
                median(longMs), join(longMs)));
        sb.append(String.format(Locale.ROOT, "trace %.17g%ntrace_se %.17g%n", trace.mean(), trace.standardError()));
        sb.append(String.format(Locale.ROOT, "zHz0 %.17g%nhvp_ms %.3f%nhvp_ms_all %s%n", zHz0, median(hvpMs),
                join(hvpMs)));
        sb.append(String.format(Locale.ROOT, "flat_hvp_ms %.3f%nloop_trace %.17g%nloop_trace_ms %.3f%n",
                median(flatHvpMs), loopTrace, median(loopMs)));
        sb.append(String.format(Locale.ROOT, "eig_ms %.3f%ntrace_ms %.3f%n", median(eigenMs), median(traceMs)));
        sb.append(String.format(Locale.ROOT, "eig_ms_all %s%ntrace_ms_all %s%n", join(eigenMs), join(traceMs)));
        sb.append(String.format(Locale.ROOT, "eig_cpu_ms %.3f%neigN_cpu_ms %.3f%ntrace_cpu_ms %.3f%nhvp_cpu_ms %.3f%n",
                median(cpu(eigenMs)), median(cpu(longMs)), median(cpu(traceMs)), median(cpu(hvpMs))));
        sb.append(String.format(Locale.ROOT, "eig_alloc_mb %.3f%neigN_alloc_mb %.3f%ntrace_alloc_mb %.3f%nhvp_alloc_mb %.3f%n",
                median(ALLOC_MB.get(eigenMs)), median(ALLOC_MB.get(longMs)), median(ALLOC_MB.get(traceMs)),
                median(ALLOC_MB.get(hvpMs))));
        Files.writeString(out.resolve("solstice.txt"), sb.toString());
        System.out.print(sb);
    }

    /** The calling thread's CPU time, nanoseconds (the process's is read in 10 ms steps on Linux). */
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** The calling thread's allocated bytes (HotSpot's extension of the thread bean). */
    private static final com.sun.management.ThreadMXBean ALLOCATION =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    /** The megabytes the calling thread allocated in each call {@link #time} timed, by its wall-time array. */
    private static final Map<double[], double[]> ALLOC_MB = new IdentityHashMap<>();
    /** The calling thread's CPU milliseconds of each call {@link #time} timed, by its wall-time array. */
    private static final Map<double[], double[]> CPU_MS = new IdentityHashMap<>();

    /**
     * {@code WARMUP} untimed calls, then {@code ms.length} timed calls (wall milliseconds into {@code ms}, the
     * thread's CPU milliseconds kept for {@link #cpu}: on a loaded machine a one-core run's wall time includes its
     * waits for the core, and the JIT compiler's and collector's work on that core; its thread CPU time does not);
     * returns the last result.
     */
    private static <R> R time(Supplier<R> f, double[] ms) {
        R r = null;
        for (int i = 0; i < WARMUP; i++) {
            r = f.get();
        }
        double[] cpu = new double[ms.length];
        double[] mb = new double[ms.length];
        for (int i = 0; i < ms.length; i++) {
            long a0 = ALLOCATION.getCurrentThreadAllocatedBytes();
            long c0 = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            r = f.get();
            ms[i] = (System.nanoTime() - t0) / 1e6;
            cpu[i] = (THREADS.getCurrentThreadCpuTime() - c0) / 1e6;
            mb[i] = (ALLOCATION.getCurrentThreadAllocatedBytes() - a0) / 1e6;
        }
        CPU_MS.put(ms, cpu);
        ALLOC_MB.put(ms, mb);
        return r;
    }

    /** The thread CPU milliseconds of the calls whose wall times {@link #time} wrote into {@code ms}. */
    private static double[] cpu(double[] ms) {
        return CPU_MS.get(ms);
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    private static String join(double[] xs) {
        StringBuilder sb = new StringBuilder();
        for (double x : xs) {
            sb.append(sb.isEmpty() ? "" : ",").append(String.format(Locale.ROOT, "%.3f", x));
        }
        return sb.toString();
    }
}
