package dev.solstice.bench;

import dev.solstice.Array;
import dev.solstice.Jnp;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Sorting one million float32 values (issue 14's measured row), eager, through {@code Jnp.sort} and
 * {@code Jnp.argsort} (a second operand, so the merge-sort path), and {@link Arrays#sort(float[])} on a copy
 * as the plain-Java yardstick (not stable in JAX's sense, but the same work). The setup checks the sorted
 * values against {@code Arrays.sort}. Also the same values as float64 (the radix path) and a cumulative sum.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Thread)
public class SortBench {
    /** The operation measured. */
    @Param({"jnp_sort", "jnp_argsort", "arrays_sort", "jnp_sort_f64", "jnp_cumsum"})
    public String op;

    /** The number of elements. */
    @Param({"1000000"})
    public int n;

    float[] values;
    Array x;
    Array x64;

    /** Creates the benchmark (JMH instantiates it). */
    public SortBench() {}

    /** Builds the operand and checks Jnp.sort against Arrays.sort. */
    @Setup
    public void setup() {
        SplittableRandom r = new SplittableRandom(14);
        values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) r.nextDouble(-1, 1);
        }
        x = Array.of(values);
        x64 = Jnp.astype(x, dev.solstice.DType.FLOAT64);
        float[] expected = values.clone();
        Arrays.sort(expected);
        Fixtures.require(Arrays.equals(expected, Jnp.sort(x).toFloatArray()), "SortBench: Jnp.sort against Arrays.sort", 0);
    }

    /**
     * One evaluation of the operation.
     *
     * @return its result
     */
    @Benchmark
    public Object run() {
        return switch (op) {
            case "jnp_sort" -> Jnp.sort(x);
            case "jnp_argsort" -> Jnp.argsort(x);
            case "arrays_sort" -> {
                float[] c = values.clone();
                Arrays.sort(c);
                yield c;
            }
            case "jnp_sort_f64" -> Jnp.sort(x64);
            case "jnp_cumsum" -> Jnp.cumsum(x, 0);
            default -> throw new IllegalArgumentException("SortBench: unknown op '" + op + "'");
        };
    }
}
