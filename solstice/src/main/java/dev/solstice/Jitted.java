package dev.solstice;

import dev.solstice.transform.StagedFunction;
import java.util.function.Function;

/**
 * A jitted function ({@link Jax#jit}, {@link Eqx#filterJit}): the first call with a given signature (the
 * argument's tree structure, its static values, and the shape and dtype of each array leaf) traces the function
 * to a program; later calls with that signature run the program without running the Java code again. The call is
 * one operation to every transformation: {@code grad}, {@code vmap}, {@code jvp} and an enclosing {@code jit} of a
 * jitted function all work, and the programs they derive are cached too.
 *
 * <p>Since the function runs only when tracing, Java side effects (printing, counters, reading a field that
 * changes later) happen once per trace, and arrays the function reads from outside are baked in as the values
 * they had then, as in JAX. Thread-safe: the first calls of several threads with one signature trace once.
 *
 * <p>{@link Jax#jit(java.util.function.UnaryOperator)} gives a {@link JittedArray}, which is also a
 * {@code UnaryOperator<Array>}, so that {@code Jax.hessian(Jax.jit(f))} picks the array overloads.
 *
 * {@snippet lang=java :
 * record Model(Array w, Array b) {}
 * Jitted<Model, Array> predict = Jax.jit((Model m) -> m.w().mul(2.0).add(m.b()));
 * predict.apply(new Model(Array.of(1.0, 2.0), Array.of(0.5, 0.5)))   // [2.5, 4.5]
 * predict.apply(new Model(Array.of(3.0, 4.0), Array.of(0.0, 0.0)))   // [6.0, 8.0]: the cached program
 * predict.traceCount()                                                // 1
 * }
 *
 * @param <T> the argument type
 * @param <R> the result type
 */
public sealed class Jitted<T, R> implements Function<T, R> permits JittedArray {
    private final StagedFunction<T, R> staged;

    Jitted(StagedFunction<T, R> staged) {
        this.staged = staged;
    }

    /**
     * Runs the function: the cached program for this signature, traced first if there is none.
     *
     * {@snippet lang=java :
     * Jitted<Array, Array> f = Jax.jit((Array x) -> Jnp.sum(Jnp.square(x)));
     * f.apply(Array.of(3.0, 4.0))         // 25.0
     * }
     */
    @Override
    public R apply(T x) {
        return staged.apply(x);
    }

    /**
     * How many times the function has been traced so far (cache misses).
     *
     * {@snippet lang=java :
     * Jitted<Array, Array> f = Jax.jit((Array x) -> x.mul(2.0));
     * f.apply(Array.of(1.0, 2.0));
     * f.apply(Array.of(3.0, 4.0));
     * f.traceCount()                      // 1: same shape and dtype
     * f.apply(Array.of(1.0, 2.0, 3.0));
     * f.traceCount()                      // 2
     * }
     */
    public int traceCount() {
        return staged.traceCount();
    }

    /**
     * The number of traces held now (at most {@link JitOptions#maxCacheEntries()}).
     *
     * {@snippet lang=java :
     * Jitted<Array, Array> f = Jax.jit((Array x) -> x.mul(2.0));
     * f.apply(Array.of(1.0));
     * f.apply(Array.of(1.0, 2.0));
     * f.cacheSize()                       // 2
     * }
     */
    public int cacheSize() {
        return staged.cacheSize();
    }

    /**
     * Why the latest trace happened: what differs from the signatures cached, by tree path, for example
     * {@code at [1].w: was float32[3], now float32[4]} or {@code static value at lr: was 0.1, now 0.01}. The same
     * text is logged at debug level by the {@code System.Logger} named {@code dev.solstice.jit}.
     *
     * {@snippet lang=java :
     * Jitted<Array, Array> f = Jax.jit((Array x) -> x.mul(2.0));
     * f.apply(Array.of(1.0, 2.0));
     * f.apply(Array.of(1.0, 2.0, 3.0));
     * f.explainCacheMiss()    // Jax.jit(fn) traced (trace 2): at the argument: was float64[2], now float64[3]
     * }
     */
    public String explainCacheMiss() {
        return staged.explainCacheMiss();
    }

    /**
     * Names the function with its trace count and cache size.
     *
     * {@snippet lang=java :
     * Jitted<Array, Array> f = Jax.jit((Array x) -> x.mul(2.0), JitOptions.named("double"));
     * f.apply(Array.of(1.0));
     * f.toString()                        // Jax.jit(double): 1 traces, 1 cached
     * }
     */
    @Override
    public String toString() {
        return staged.toString();
    }
}
