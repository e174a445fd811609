package dev.solstice.bench;

import dev.solstice.Array;
import dev.solstice.Jax;
import dev.solstice.Jitted;
import dev.solstice.Jnp;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * What {@code Jax.jit} costs around a tiny function ({@code sum(tanh(x) * x)} on 4 float64 elements, three
 * primitives): the eager call, the steady-state jitted call (cache lookup, bind, running the staged program), the
 * first call of a fresh jitted function (trace and cache insert), and the gradient eager versus through jit.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class JitBench {
    private static final UnaryOperator<Array> TINY = x -> Jnp.sum(Jnp.tanh(x).mul(x));

    /** Creates the benchmark (JMH instantiates it). */
    public JitBench() {}

    /** The operand and the functions, built outside the measured code. */
    @State(Scope.Thread)
    public static class Fixture {
        final Array x = Array.of(0.1, -0.2, 0.3, 0.4);
        final Jitted<Array, Array> jitted = Jax.jit(TINY);
        final Function<Array, Array> eagerGrad = Jax.grad(TINY);
        final Function<Array, Array> gradOfJit = Jax.grad(jitted);
        final Jitted<Array, Array> jitOfGrad = Jax.jit(Jax.grad(TINY));

        /** Creates the fixture (JMH instantiates it). */
        public Fixture() {}
    }

    /**
     * The function run eagerly.
     *
     * @param f the fixture
     * @return the result
     */
    @Benchmark
    public Array eager(Fixture f) {
        return TINY.apply(f.x);
    }

    /**
     * The jitted function after its first call: signature, cache hit, one jit_call bound and evaluated.
     *
     * @param f the fixture
     * @return the result
     */
    @Benchmark
    public Array jitSteadyState(Fixture f) {
        return f.jitted.apply(f.x);
    }

    /**
     * A fresh jitted function's first call: tracing the function and caching the program.
     *
     * @param f the fixture
     * @return the result
     */
    @Benchmark
    public Array jitFirstCall(Fixture f) {
        return Jax.jit(TINY).apply(f.x);
    }

    /**
     * The gradient, eager.
     *
     * @param f the fixture
     * @return the result
     */
    @Benchmark
    public Array gradEager(Fixture f) {
        return f.eagerGrad.apply(f.x);
    }

    /**
     * The gradient of the jitted function: its known half and its transposed unknown half run as jit calls.
     *
     * @param f the fixture
     * @return the result
     */
    @Benchmark
    public Array gradOfJit(Fixture f) {
        return f.gradOfJit.apply(f.x);
    }

    /**
     * The jitted gradient: one program with the forward and backward passes.
     *
     * @param f the fixture
     * @return the result
     */
    @Benchmark
    public Array jitOfGrad(Fixture f) {
        return f.jitOfGrad.apply(f.x);
    }
}
