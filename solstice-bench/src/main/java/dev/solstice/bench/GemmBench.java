package dev.solstice.bench;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jnp;
import dev.solstice.Lax;
import dev.solstice.Solstice;
import java.util.concurrent.TimeUnit;
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
 * Square matrix products {@code x @ y} and {@code x @ y.T} (the layout of a dense layer's forward pass, read in
 * place) through {@code Jnp.matmul}, in microseconds per product; GFLOP/s = {@code 2 n^3 / time}. The
 * {@code threads} parameter sets {@code Solstice.threads} ({@code 0}: all cores).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class GemmBench {
    /** Side of the square matrices. */
    @Param({"256", "512"})
    public int n;

    /** Element type: f32 or f64. */
    @Param({"f32", "f64"})
    public String dtype;

    /** Thread count for {@code Solstice.threads}; 0 means all cores. */
    @Param({"1"})
    public int threads;

    private static final int[] LAST = {1};
    private static final int[] NONE = {};

    private Array x;
    private Array y;
    private int savedThreads;

    /** Creates the benchmark (JMH instantiates it). */
    public GemmBench() {}

    /** Builds two deterministic n x n operands of the chosen dtype. */
    @Setup
    public void setUp() {
        DType type = "f32".equals(dtype) ? DType.FLOAT32 : DType.FLOAT64;
        x = Fixtures.det(n * n, 0.3, n, n).astype(type);
        y = Fixtures.det(n * n, 1.7, n, n).astype(type);
        savedThreads = Solstice.threads();
        Solstice.threads(threads == 0 ? Runtime.getRuntime().availableProcessors() : threads);
    }

    /** Restores the thread count. */
    @TearDown
    public void tearDown() {
        Solstice.threads(savedThreads);
    }

    /** {@code x @ y}. */
    @Benchmark
    public Array matmul() {
        return Jnp.matmul(x, y);
    }

    /** {@code x @ y.T} as one dot_general contracting both operands' last axes: y is read transposed, not copied. */
    @Benchmark
    public Array matmulTransposed() {
        return Lax.dotGeneral(x, y, LAST, LAST, NONE, NONE);
    }
}
