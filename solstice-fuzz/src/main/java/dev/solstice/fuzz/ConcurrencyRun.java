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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Many threads run a mix of transformations (grad, vmap, hessian, jacfwd, jit and filterJit, grads through jitted
 * functions) on one shared model and shared jitted functions, with inputs of cycling shapes, and every result must be
 * bitwise identical to the same task run alone on one thread.
 */
public final class ConcurrencyRun {
    /** The kinds of task, each a different path through the library. */
    static final int KINDS = 9;

    private final MLP model;
    private final Jitted<Array, Array> jittedLoss;
    private final Jitted<Array, Array> jittedBatch;
    private final Jitted<List<Object>, Array> filterJittedModelLoss;
    private final BiFunction<MLP, Array, MLP> modelGrad;
    private final UnaryOperator<Array> hessian;
    private final Function<Array, Array> batched;
    private final Function<Array, Array> gradOfJitted;
    private final Function<Array, Array> jacfwdOfJitted;

    /** The shared model and functions, all built once and used by every thread. */
    public ConcurrencyRun() {
        model = new MLP(4, 3, 8, 2, Jnp::tanh, x -> x, true, true, DType.FLOAT64, Prng.key(42));
        Function<Array, Array> loss = x -> Jnp.sum(Jnp.square(model.apply(x)));
        jittedLoss = Jax.jit(loss, JitOptions.cacheSize(8));
        jittedBatch = Jax.jit(Jax.vmap((Function<Array, Array>) model::apply), JitOptions.cacheSize(3));
        filterJittedModelLoss = Eqx.filterJit(mx -> Jnp.sum(Jnp.tanh(((MLP) mx.get(0)).apply((Array) mx.get(1)))));
        modelGrad = Eqx.filterGrad((MLP m, Array x) -> Jnp.sum(Jnp.square(m.apply(x))));
        hessian = Jax.hessian((UnaryOperator<Array>) x -> Jnp.sum(Jnp.sin(model.apply(x))));
        batched = Jax.vmap((Function<Array, Array>) model::apply);
        gradOfJitted = Jax.grad(jittedLoss);
        jacfwdOfJitted = Jax.jacfwd((UnaryOperator<Array>) jittedBatch::apply);
    }

    /** The input of task {@code key}: a batch of 1 to 4 rows (so jitted functions see cycling shapes) or one row. */
    static Array input(int key, boolean batch) {
        int rows = 1 + key % 4;
        double[] v = new double[batch ? rows * 4 : 4];
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.sin(0.37 * key + 0.91 * i);
        }
        return batch ? Array.of(v, rows, 4) : Array.of(v, 4);
    }

    /** Runs task {@code key} and returns every number of its result. */
    public double[] task(int key) {
        Array x = input(key, false);
        Array xs = input(key, true);
        Object result = switch (key % KINDS) {
            case 0 -> gradOfJitted.apply(x);
            case 1 -> batched.apply(xs);
            case 2 -> hessian.apply(x);
            case 3 -> jittedLoss.apply(x);
            case 4 -> jittedBatch.apply(xs);
            case 5 -> filterJittedModelLoss.apply(List.of(model, x));
            case 6 -> modelGrad.apply(model, x);
            case 7 -> jacfwdOfJitted.apply(xs);
            default -> Jax.grad((UnaryOperator<Array>) y -> Jnp.sum(Jnp.multiply(model.apply(y), y.sum()))).apply(x);
        };
        return Tree.leaves(result).stream().flatMapToDouble(a -> Arrays.stream(a.toDoubleArray())).toArray();
    }

    /**
     * The outcome of a run.
     *
     * @param threads threads used
     * @param tasksPerThread tasks each thread ran
     * @param mismatches tasks whose result differed (in any bit) from the sequential run
     * @param firstMismatch a description of the first mismatch, or null
     * @param seconds wall time of the concurrent part
     */
    public record Result(int threads, int tasksPerThread, int mismatches, String firstMismatch, double seconds) {}

    /**
     * Runs {@code keys} distinct tasks once sequentially, then {@code threads} threads each running
     * {@code tasksPerThread} tasks drawn from them in its own random order, and compares bit for bit.
     */
    public Result run(int threads, int tasksPerThread, int keys) throws Exception {
        double[][] expected = new double[keys][];
        for (int k = 0; k < keys; k++) {
            expected[k] = task(k);
        }
        long start = System.nanoTime();
        List<Future<String[]>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                Random order = new Random(t);
                futures.add(pool.submit(() -> {
                    int bad = 0;
                    String first = null;
                    for (int i = 0; i < tasksPerThread; i++) {
                        int k = order.nextInt(keys);
                        double[] got = task(k);
                        if (!bitwiseEqual(got, expected[k])) {
                            bad++;
                            if (first == null) {
                                first = "task " + k + " (kind " + k % KINDS + "): " + Arrays.toString(got) + " vs sequential "
                                        + Arrays.toString(expected[k]);
                            }
                        }
                    }
                    return new String[] {Integer.toString(bad), first};
                }));
            }
            int mismatches = 0;
            String first = null;
            for (Future<String[]> f : futures) {
                String[] r = f.get();
                mismatches += Integer.parseInt(r[0]);
                first = first != null ? first : r[1];
            }
            return new Result(threads, tasksPerThread, mismatches, first, (System.nanoTime() - start) / 1e9);
        }
    }

    private static boolean bitwiseEqual(double[] a, double[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (Double.doubleToRawLongBits(a[i]) != Double.doubleToRawLongBits(b[i])) {
                return false;
            }
        }
        return true;
    }
}
