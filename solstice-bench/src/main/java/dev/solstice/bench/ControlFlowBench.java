package dev.solstice.bench;

import dev.solstice.Array;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.Lax;
import dev.solstice.ScanStep;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Eager control flow on small float64 arrays, in microseconds per call: a {@code Lax.cond}, a 50-step
 * {@code Lax.scan} against the same recurrence in a Java loop, and the gradient of the scan. Each call traces its
 * functions again (they may read changed state) and reuses the compiled program of the same structure.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ControlFlowBench {
    private static final int STEPS = 50;

    /** Creates the benchmark (JMH instantiates it). */
    public ControlFlowBench() {}

    /** The operands, and the variants checked against the Java loop outside the measured code. */
    @State(Scope.Thread)
    public static class Fixture {
        Array x;
        Array w;
        Array xs;
        Function<Array, Array> scanGrad;

        /** Creates the fixture (JMH instantiates it). */
        public Fixture() {}

        /** Builds the operands and fails the run when the scan disagrees with the loop. */
        @Setup
        public void setUp() {
            x = Fixtures.det(4, 0.1, 4);
            w = Fixtures.det(4, 0.2, 4);
            xs = Fixtures.det(STEPS * 4, 0.3, STEPS, 4);
            scanGrad = Jax.grad((Array w0) -> Jnp.sum(scan(w0, x, xs)));
            double e = Fixtures.maxAbsDiff(loop(w, x, xs).toDoubleArray(), scan(w, x, xs).toDoubleArray());
            Fixtures.require(e < 1e-15, "scan against the loop", e);
        }
    }

    static Array scan(Array w, Array x, Array xs) {
        return Lax.scan((Array c, Array xi) -> new ScanStep<>(Jnp.tanh(Jnp.add(Jnp.multiply(c, w), xi)), null), x,
                xs).carry();
    }

    static Array loop(Array w, Array x, Array xs) {
        Array c = x;
        for (int t = 0; t < xs.shape()[0]; t++) {
            c = Jnp.tanh(Jnp.add(Jnp.multiply(c, w), xs.get(t)));
        }
        return c;
    }

    /**
     * An eager cond whose taken branch is two elementwise operations on a captured array.
     *
     * @param f the fixture
     * @return the result
     */
    @Benchmark
    public Array condEager(Fixture f) {
        return Lax.cond(Array.scalar(true), (Array o) -> Jnp.multiply(Jnp.sin(o), f.w), (Array o) -> Jnp.add(o, f.w),
                f.x);
    }

    /**
     * An eager 50-step scan of {@code c = tanh(c * w + x_t)}.
     *
     * @param f the fixture
     * @return the final carry
     */
    @Benchmark
    public Array scanEager(Fixture f) {
        return scan(f.w, f.x, f.xs);
    }

    /**
     * The same recurrence in a Java loop, eager.
     *
     * @param f the fixture
     * @return the final carry
     */
    @Benchmark
    public Array loopEager(Fixture f) {
        return loop(f.w, f.x, f.xs);
    }

    /**
     * The gradient of the scan's summed carry with respect to {@code w}, eager.
     *
     * @param f the fixture
     * @return the gradient
     */
    @Benchmark
    public Array scanGradEager(Fixture f) {
        return f.scanGrad.apply(f.w);
    }
}
