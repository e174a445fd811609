package dev.solstice.fuzz;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Eqx;
import dev.solstice.Jax;
import dev.solstice.JitOptions;
import dev.solstice.Jitted;
import dev.solstice.Jnp;
import dev.solstice.Prng;
import dev.solstice.nn.MLP;
import dev.solstice.tree.Tree;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A long run of mixed calls (jitted functions under a small cache bound, fed cycling shapes so they retrace; grads
 * through jitted functions; eager jvp, vmap and hessian; a filterJit-ed model) that measures the heap after GC and
 * the number of loaded classes once every kind of call has run and again at the end. Every result must also stay
 * bitwise equal to the first result of the same call and shape.
 */
public final class SoakRun {
    /** Distinct input shapes, more than {@link #BOUND}, so bounded caches evict and retrace. */
    static final int SHAPES = 7;
    /** The cache bound of every jitted function. */
    static final int BOUND = 3;
    /** Calls per shape before moving to the next (hits within a run, a miss at each change). */
    private static final int RUN = 20;
    private static final int KINDS = 8;

    /**
     * The figures of a soak run.
     *
     * @param calls calls made
     * @param heapStart bytes used after GC once every kind of call has run (two full cycles of shapes)
     * @param heapEnd bytes used after GC at the end
     * @param classesStart classes loaded at that point
     * @param classesEnd classes loaded at the end
     * @param traces traces of the main jitted function (one per change of shape)
     * @param maxCacheSize the largest cache size seen on any jitted function
     * @param unstable calls whose result differed from the first result of the same call and shape
     * @param seconds wall time
     * @param heapSamples heap after GC, in bytes, at each tenth of the run after the start point
     */
    public record Result(long calls, long heapStart, long heapEnd, long classesStart, long classesEnd, int traces,
            int maxCacheSize, long unstable, double seconds, List<Long> heapSamples) {}

    /** Runs {@code calls} mixed calls. */
    public static Result run(long calls) {
        MLP model = new MLP(3, 2, 6, 1, Jnp::tanh, x -> x, true, true, DType.FLOAT64, Prng.key(7));
        Function<Array, Array> smooth = x -> Jnp.sum(Jnp.multiply(Jnp.tanh(x), x));
        Jitted<Array, Array> jitted = Jax.jit(smooth, JitOptions.cacheSize(BOUND));
        Function<Array, Array> perRow = Jax.vmap((Function<Array, Array>) model::apply);
        Jitted<Array, Array> jittedModel = Eqx.filterJit((Function<Array, Array>) x -> perRow.apply(Jnp.reshape(x, -1, 3)),
                JitOptions.cacheSize(BOUND));
        Function<Array, Array> gradOfJitted = Jax.grad(jitted);
        Jitted<Array, Array> jittedGrad = Jax.jit(Jax.grad(smooth), JitOptions.cacheSize(BOUND));
        UnaryOperator<Array> hessian = Jax.hessian((UnaryOperator<Array>) x -> Jnp.sum(Jnp.sin(Jnp.multiply(x, x))));
        Function<Array, Array> vmapped = Jax.vmap((Function<Array, Array>) x -> Jnp.multiply(Jnp.exp(x), x));
        Array[] inputs = new Array[SHAPES];
        for (int s = 0; s < SHAPES; s++) {
            double[] v = new double[3 * (s + 1)];
            for (int i = 0; i < v.length; i++) {
                v[i] = Math.sin(0.3 * i + s);
            }
            inputs[s] = Array.of(v);
        }
        Map<Integer, double[]> first = new HashMap<>();
        ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
        long heapStart = 0;
        long classesStart = 0;
        long unstable = 0;
        int maxCache = 0;
        long warm = 2L * RUN * SHAPES * KINDS;
        long startCall = Math.min(warm, calls / 2);
        long tenth = Math.max(1, (calls - startCall) / 10);
        List<Long> samples = new ArrayList<>();
        long start = System.nanoTime();
        for (long call = 0; call < calls; call++) {
            if (call == startCall) {
                heapStart = usedHeapAfterGc();
                classesStart = classes.getLoadedClassCount();
            } else if (call > startCall && (call - startCall) % tenth == 0) {
                samples.add(usedHeapAfterGc());
            }
            int shape = (int) ((call / RUN) % SHAPES);
            int kind = (int) ((call / (RUN * SHAPES)) % KINDS);
            Array x = inputs[shape];
            Object r = switch (kind) {
                case 0, 1 -> jitted.apply(x);
                case 2 -> jittedModel.apply(x);
                case 3 -> gradOfJitted.apply(x);
                case 4 -> jittedGrad.apply(x);
                case 5 -> Jax.jvp(jitted, x, x).tangent();
                case 6 -> hessian.apply(x);
                default -> vmapped.apply(Jnp.reshape(x, -1, 3));
            };
            double[] got = Tree.leaves(r).stream().flatMapToDouble(a -> Arrays.stream(a.toDoubleArray())).toArray();
            double[] was = first.putIfAbsent(kind * SHAPES + shape, got);
            if (was != null && !Arrays.equals(was, got)) {
                unstable++;
            }
            maxCache = Math.max(maxCache, Math.max(jitted.cacheSize(), Math.max(jittedModel.cacheSize(), jittedGrad.cacheSize())));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(calls, heapStart, usedHeapAfterGc(), classesStart, classes.getLoadedClassCount(), jitted.traceCount(),
                maxCache, unstable, seconds, List.copyOf(samples));
    }

    static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
