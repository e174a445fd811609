package dev.solstice.bench;

import dev.solstice.Array;
import dev.solstice.Lax;
import dev.solstice.Solstice;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Eager elementwise operations and reductions on float32 at 1 and 2 threads ({@code Solstice.threads}), in
 * microseconds per call: where splitting across the pool pays. {@code sum} reduces everything (one group:
 * never split, its order is fixed); {@code sum_axis0} reduces the leading axis of [n / 1024, 1024] (columns
 * split); {@link #biasGradient} is the sum over axis 0 of [128, 128], a training step's bias gradient.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ThreadsBench {
    /** Creates the benchmark (JMH instantiates it). */
    public ThreadsBench() {}

    /** The thread count, set for the trial and restored after it. */
    @State(Scope.Thread)
    public static class Threads {
        /** Threads large operations may use. */
        @Param({"1", "2"})
        public int threads;

        private int saved;

        /** Creates the state (JMH instantiates it). */
        public Threads() {}

        /** Sets the thread count. */
        @Setup
        public void set() {
            saved = Solstice.threads();
            Solstice.threads(threads);
        }

        /** Restores the thread count. */
        @TearDown
        public void restore() {
            Solstice.threads(saved);
        }
    }

    /** One operation on {@code n} elements. */
    @State(Scope.Thread)
    public static class Op {
        /** The operation. */
        @Param({"neg", "exp", "add", "sum", "sum_axis0"})
        public String op;

        /** Elements per operand. */
        @Param({"16384", "65536", "262144", "1048576"})
        public int n;

        Array x;
        UnaryOperator<Array> f;

        /** Creates the state (JMH instantiates it). */
        public Op() {}

        /** Builds the operands (uniform in [-2, 2)). */
        @Setup
        public void setup() {
            x = random(n, 1);
            Array a = random(n, 2);
            f = switch (op) {
                case "neg" -> Lax::neg;
                case "exp" -> Lax::exp;
                case "add" -> z -> Lax.add(z, a);
                case "sum" -> z -> Lax.reduceSum(z, 0);
                case "sum_axis0" -> z -> Lax.reduceSum(Lax.reshape(z, n / 1024, 1024), 0);
                default -> throw new IllegalArgumentException("ThreadsBench: unknown op '" + op + "'");
            };
        }
    }

    /** The bias-gradient operand: [128, 128] float32. */
    @State(Scope.Thread)
    public static class Bias {
        Array x = Lax.reshape(random(128 * 128, 3), 128, 128);

        /** Creates the state (JMH instantiates it). */
        public Bias() {}
    }

    static Array random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextDouble(-2, 2);
        }
        return Array.of(v, n);
    }

    /**
     * One eager evaluation of the operation.
     *
     * @param t the thread count
     * @param op the operation
     * @return its result
     */
    @Benchmark
    public Array eager(Threads t, Op op) {
        return op.f.apply(op.x);
    }

    /**
     * The sum over axis 0 of [128, 128] float32.
     *
     * @param t the thread count
     * @param b the operand
     * @return the column sums
     */
    @Benchmark
    public Array biasGradient(Threads t, Bias b) {
        return Lax.reduceSum(b.x, 0);
    }
}
