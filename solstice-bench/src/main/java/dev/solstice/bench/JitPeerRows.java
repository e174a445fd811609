package dev.solstice.bench;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Eqx;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.Nn;
import dev.solstice.nn.Module;
import dev.solstice.optim.GradientTransformation;
import dev.solstice.optim.Optim;
import dev.solstice.optim.Update;
import dev.solstice.tree.Tree;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The jitted variants of the peer harness's workloads ({@code ../shared/bench-peers}): the same data, the same
 * checksums and the same timing rules as its {@code SolsticeBench.java}, each workload's function wrapped in
 * {@code Jax.jit} or {@code Eqx.filterJit}; rows are named {@code <workload>_jit}. {@code bin/bench-peers} prints
 * them after the shared rows. Also prints, on standard error, each workload's first call (trace + compile + run).
 */
public final class JitPeerRows {
    private static final int REPS = Math.max(7, intEnv("REPS", 11));
    private static final double TARGET_S = doubleEnv("TARGET_S", 0.1);
    private static final double WARMUP_S = doubleEnv("JAVA_WARMUP_S", 0.5);
    /**
     * {@code CPU_TIME=1}: time the calling thread's CPU time instead of wall time (steadier on a busy machine;
     * meaningful with {@code -Dsolstice.threads=1}, where every call runs on the calling thread).
     */
    private static final boolean CPU_TIME = "1".equals(System.getenv("CPU_TIME"));
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory
            .getThreadMXBean();

    /** Results go here, so that the JIT cannot drop a call whose result is unused. */
    static volatile Object sink;

    /** A timed row: the call, an optional call from a fresh state (stateful rows), and a fixed inner count (0: by TARGET_S). */
    record Workload(String name, Supplier<Object> fn, Supplier<Object> fresh, int inner) {}

    private static final List<Workload> ALL = new ArrayList<>();

    private JitPeerRows() {}

    /** The tanh MLP of mlp_param_hessian (torch Linear layout). */
    record Mlp(Array W1, Array b1, Array W2, Array b2, Array W3, Array b3) implements Module {}

    /** The ReLU classifier of train_step / per_example_grads. */
    record Clf(Array W1, Array b1, Array W2, Array b2) implements Module {}

    /** The training state of train_step: parameters and optimiser state. */
    record TrainState(Clf params, Optim.ChainState opt) {}

    /** Runs the selected rows ({@code args}: name substrings; none = all). */
    public static void main(String[] args) {
        addHessians();
        addMlpHessian();
        addClassifier();
        addSmall();
        List<String> wanted = List.of(args);
        List<Workload> selected = ALL.stream()
                .filter(w -> wanted.isEmpty() || wanted.stream().anyMatch(w.name()::contains)).toList();
        boolean failed = false;
        for (Workload w : selected) {
            try {
                prewarm(w, "trace + compile + run");
            } catch (RuntimeException e) {
                failed = true;
                System.err.println("# " + w.name() + " failed: " + e);
                e.printStackTrace();
            }
        }
        for (Workload w : selected) {
            try {
                bench(w);
            } catch (RuntimeException e) {
                failed = true;
                System.err.println("# " + w.name() + " failed: " + e);
                e.printStackTrace();
            }
        }
        System.exit(failed ? 1 : 0);
    }

    private static void addHessians() {
        int n = 256;
        Array w256 = Array.of(det(n * n, 1.0, 0.0, 0.05), n, n);
        Array x256 = cosines(n);
        Array v = Jnp.ones(DType.FLOAT64, n);
        UnaryOperator<Array> f = x -> Jnp.sum(Jnp.sin(w256.matmul(x)));
        Function<Array, Array> hvp = Jax.jit((UnaryOperator<Array>) x -> Jax.hvp(f, x, v));
        ALL.add(new Workload("hvp256_jit", () -> hvp.apply(x256), null, 0));
        for (int size : new int[] {64, 256}) {
            Array w = Array.of(det(size * size, 1.0, 0.0, 0.05), size, size);
            Array x0 = cosines(size);
            Function<Array, Array> h = Jax.jit(Jax.hessian(x -> Jnp.sum(Jnp.sin(w.matmul(x)))));
            ALL.add(new Workload("hess" + size + "_jit", () -> h.apply(x0), null, 0));
        }
    }

    private static void addMlpHessian() {
        double[] t = det(433, 0.9, 0.2, 0.3);
        int[][] shapes = {{16, 8}, {16}, {16, 16}, {16}, {1, 16}, {1}};
        Array[] parts = new Array[6];
        int k = 0;
        for (int i = 0; i < 6; i++) {
            int size = Arrays.stream(shapes[i]).reduce(1, (a, b) -> a * b);
            parts[i] = Array.of(Arrays.copyOfRange(t, k, k + size), shapes[i]);
            k += size;
        }
        Mlp p0 = new Mlp(parts[0], parts[1], parts[2], parts[3], parts[4], parts[5]);
        Array x = Array.of(det(32 * 8, 0.5, 0.1, 1.0), 32, 8);
        Array y = Array.of(det(32, 0.3, 0.0, 0.5));
        Function<Mlp, Array> loss = p -> {
            Array h = Jnp.tanh(linear(x, p.W1(), p.b1()));
            h = Jnp.tanh(linear(h, p.W2(), p.b2()));
            Array d = linear(h, p.W3(), p.b3()).reshape(32).sub(y);
            return Jnp.mean(d.mul(d));
        };
        Tree.Raveled<Mlp> raveled = Tree.ravel(p0);
        Array theta0 = raveled.flat();
        Function<Array, Array> hessian = Jax.jit(
                Jax.hessian((UnaryOperator<Array>) th -> loss.apply(raveled.unravel().apply(th))));
        ALL.add(new Workload("mlp_param_hessian_jit", () -> hessian.apply(theta0), null, 0));
    }

    private static void addClassifier() {
        Array x = Array.of(f32(det(128 * 64, 0.7, 0.0, 1.0)), 128, 64);
        int[] labelData = new int[128];
        for (int i = 0; i < 128; i++) {
            labelData[i] = (i * 7) % 10;
        }
        Array labels = Array.of(labelData);
        Clf c0 = new Clf(Array.of(f32(det(128 * 64, 1.0, 0.5, 0.1)), 128, 64),
                Array.of(f32(det(128, 1.0, 1.5, 0.01))), Array.of(f32(det(10 * 128, 1.0, 2.5, 0.1)), 10, 128),
                Array.of(f32(det(10, 1.0, 3.5, 0.01))));
        GradientTransformation<Optim.ChainState> opt = Optim.sgd(0.1);
        Function<Clf, Clf> grad = Eqx.filterGrad((Clf p) -> crossEntropy(logits(p, x), labels));
        Function<TrainState, TrainState> step = Eqx.filterJit((TrainState s) -> {
            Update<Optim.ChainState> u = opt.update(grad.apply(s.params()), s.opt(), s.params());
            return new TrainState(Eqx.applyUpdates(s.params(), u.updates()), u.state());
        });
        TrainState[] state = {new TrainState(c0, opt.init(c0))};
        ALL.add(new Workload("train_step_f32_jit", () -> state[0] = step.apply(state[0]),
                () -> step.apply(new TrainState(c0, opt.init(c0))).params(), 0));

        Function<List<Object>, Clf> perExample = a -> {
            Array xi = (Array) a.get(1);
            Array label = (Array) a.get(2);
            return Jax.grad((Clf p) -> crossEntropy(logits(p, xi.reshape(1, 64)), label.reshape(1))).apply((Clf) a.get(0));
        };
        Function<List<Object>, Clf> batched = Eqx.filterJit(Jax.vmap(perExample, Arrays.asList(null, 0, 0), 0));
        List<Object> inputs = Arrays.asList(c0, x, labels);
        ALL.add(new Workload("per_example_grads_f32_jit", () -> batched.apply(inputs), null, 0));
    }

    private static void addSmall() {
        Function<Array, Array> g3 = Jax.jit(Jax.grad(Jax.grad(Jax.grad(x -> Jnp.square(Jnp.tanh(x))))));
        Array x0 = Array.scalar(0.5);
        ALL.add(new Workload("third_deriv_jit", () -> g3.apply(x0), null, 0));
        Array a = Array.of(0f, 1f, 2f, 3f);
        Array b = Array.of((float) Math.cos(0), (float) Math.cos(1), (float) Math.cos(2), (float) Math.cos(3));
        Function<List<Array>, Array> add = Jax.jit((List<Array> ab) -> ab.get(0).add(ab.get(1)));
        List<Array> ab = List.of(a, b);
        ALL.add(new Workload("tiny_op_jit", () -> add.apply(ab), null, 100_000));
    }

    /** torch.nn.functional.linear: x W^T + b. */
    private static Array linear(Array x, Array w, Array b) {
        return x.matmul(w.transpose()).add(b);
    }

    private static Array logits(Clf p, Array x) {
        return linear(Nn.relu(linear(x, p.W1(), p.b1())), p.W2(), p.b2());
    }

    /** F.cross_entropy with int32 labels, as the shared SolsticeBench writes it. */
    private static Array crossEntropy(Array logits, Array labels) {
        Array oneHot = Nn.oneHot(labels, logits.shape()[logits.ndim() - 1], logits.dtype());
        return Jnp.negative(Jnp.mean(Jnp.sum(oneHot.mul(Nn.logSoftmax(logits, -1)), -1)));
    }

    /**
     * {@code AB=pkg.Class#field}: measure each workload with that static boolean set false (row "..._A") and true
     * ("..._B"), alternating reps in one JVM (a paired comparison on a noisy machine).
     */
    private static final String AB = System.getenv("AB");

    private static void setAb(boolean on) {
        try {
            String[] cf = AB.split("#");
            java.lang.reflect.Field f = Class.forName(cf[0]).getDeclaredField(cf[1]);
            f.setAccessible(true);
            f.setBoolean(null, on);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void benchAb(Workload measured) {
        // a stateful workload (train_step) runs from its first state every call: a long A/B run must not drift
        // into other numbers (denormals) half-way
        Workload w = measured.fresh() == null ? measured
                : new Workload(measured.name(), measured.fresh(), null, measured.inner());
        int inner = 0;
        for (boolean on : new boolean[] {false, true}) {
            setAb(on);
            double perCall = warmUp(w);
            inner = Math.max(inner, Math.max(1, (int) Math.round(TARGET_S / Math.max(perCall, 1e-9))));
        }
        double[][] times = new double[2][REPS];
        for (int r = 0; r < REPS; r++) {
            for (int v = 0; v < 2; v++) {
                setAb(v == 1);
                for (int i = 0; i < Math.max(1, inner / 10); i++) {
                    sink = w.fn().get();
                }
                long t0 = now();
                for (int i = 0; i < inner; i++) {
                    sink = w.fn().get();
                }
                times[v][r] = (now() - t0) / 1e9 / inner;
            }
        }
        for (int v = 0; v < 2; v++) {
            Arrays.sort(times[v]);
            System.out.println(String.format(Locale.ROOT, "%s_%s\t%.6g\tmin %.6g", w.name(), v == 0 ? "A" : "B",
                    times[v][REPS / 2] * 1e3, times[v][0] * 1e3));
        }
    }

    /**
     * The first call of {@code w}, timed and reported on stderr ({@code what} it does), then calls for
     * {@code PREWARM_S} seconds (the harness's per-workload prewarm; 0 when unset).
     */
    static void prewarm(Workload w, String what) {
        long t0 = System.nanoTime();
        sink = w.fn().get();
        System.err.printf(Locale.ROOT, "# %s first call (%s): %.1f ms%n", w.name(), what, (System.nanoTime() - t0) / 1e6);
        double prewarmS = doubleEnv("PREWARM_S", 0);
        long start = System.nanoTime();
        while ((System.nanoTime() - start) / 1e9 < prewarmS) {
            sink = w.fn().get();
        }
    }

    /** Calls {@code w} for at least three calls and WARMUP_S seconds; returns the seconds per call it took. */
    private static double warmUp(Workload w) {
        long start = System.nanoTime();
        int calls = 0;
        while (calls < 3 || (System.nanoTime() - start) / 1e9 < WARMUP_S) {
            sink = w.fn().get();
            calls++;
        }
        return (System.nanoTime() - start) / 1e9 / calls;
    }

    /** Warms up, times and prints one row ({@code name, median ms, checksum}) as the harness asks. */
    static void bench(Workload w) {
        if (AB != null) {
            benchAb(w);
            return;
        }
        double value = checksum((w.fresh() != null ? w.fresh() : w.fn()).get());
        double perCall = warmUp(w);
        int inner = w.inner() > 0 ? w.inner() : Math.max(1, (int) Math.round(TARGET_S / Math.max(perCall, 1e-9)));
        double[] times = new double[REPS];
        for (int r = 0; r < REPS; r++) {
            long t0 = now();
            for (int i = 0; i < inner; i++) {
                sink = w.fn().get();
            }
            times[r] = (now() - t0) / 1e9 / inner;
        }
        if (THREADS instanceof com.sun.management.ThreadMXBean t) { // bytes allocated per call, on stderr
            long b0 = t.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < inner; i++) {
                sink = w.fn().get();
            }
            System.err.printf(Locale.ROOT, "# %s allocates %.1f kB per call%n", w.name(),
                    (t.getCurrentThreadAllocatedBytes() - b0) / 1024.0 / inner);
        }
        Arrays.sort(times);
        double median = REPS % 2 == 1 ? times[REPS / 2] : (times[REPS / 2 - 1] + times[REPS / 2]) / 2;
        System.out.println(String.format(Locale.ROOT, "%s\t%.6g\t%.15g", w.name(), median * 1e3, value));
    }

    /** Nanoseconds of wall time, or of the calling thread's CPU time under {@code CPU_TIME=1}. */
    private static long now() {
        return CPU_TIME ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    private static double checksum(Object tree) {
        double s = 0;
        for (Array a : Tree.leaves(tree)) {
            for (double v : a.toDoubleArray()) {
                s += v;
            }
        }
        return s;
    }

    /** The harness's deterministic data: {@code scale * sin(freq * k + phase)}, {@code k = 0 .. count-1}. */
    static double[] det(int count, double freq, double phase, double scale) {
        double[] d = new double[count];
        for (int k = 0; k < count; k++) {
            d[k] = scale * Math.sin(freq * k + phase);
        }
        return d;
    }

    private static float[] f32(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    private static Array cosines(int n) {
        double[] xd = new double[n];
        for (int i = 0; i < n; i++) {
            xd[i] = Math.cos(i);
        }
        return Array.of(xd);
    }

    private static int intEnv(String key, int fallback) {
        String v = System.getenv(key);
        return v == null || v.isBlank() ? fallback : Integer.parseInt(v.trim());
    }

    private static double doubleEnv(String key, double fallback) {
        String v = System.getenv(key);
        return v == null || v.isBlank() ? fallback : Double.parseDouble(v.trim());
    }
}
