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
 * @param <T> the argument type
 * @param <R> the result type
 */
public sealed class Jitted<T, R> implements Function<T, R> permits JittedArray {
    private final StagedFunction<T, R> staged;

    Jitted(StagedFunction<T, R> staged) {
        this.staged = staged;
    }

    /** Runs the function: the cached program for this signature, traced first if there is none. */
    @Override
    public R apply(T x) {
        return staged.apply(x);
    }

    /** How many times the function has been traced so far (cache misses). */
    public int traceCount() {
        return staged.traceCount();
    }

    /** The number of traces held now (at most {@link JitOptions#maxCacheEntries()}). */
    public int cacheSize() {
        return staged.cacheSize();
    }

    /**
     * Why the latest trace happened: what differs from the signatures cached, by tree path, for example
     * {@code at [1].w: was float32[3], now float32[4]} or {@code static value at lr: was 0.1, now 0.01}. The same
     * text is logged at debug level by the {@code System.Logger} named {@code dev.solstice.jit}.
     */
    public String explainCacheMiss() {
        return staged.explainCacheMiss();
    }

    /** Names the function with its trace count and cache size. */
    @Override
    public String toString() {
        return staged.toString();
    }
}
