package dev.solstice.bench;

import dev.solstice.Array;
import dev.solstice.Jnp;
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

/**
 * Broadcasting and layout operations of a training step's size ([128, 128] float32), eager, through Jnp:
 * a bias row added ({@code x + b}, b [128]), a column subtracted ({@code x - m}, m [128, 1], as softmax's
 * max), a weakly typed scalar multiplied, a transposed operand added ({@code x + y.T}), and a transpose
 * transposed back. The setup checks each against plain Java loops.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class BroadcastBench {
    static final int N = 128;

    /** The operation measured. */
    @Param({"add_row", "sub_column", "mul_scalar", "add_transposed", "transpose_twice"})
    public String op;

    Array x;
    Array y;
    Array row;
    Array column;
    UnaryOperator<Array> f;

    /** Creates the benchmark (JMH instantiates it). */
    public BroadcastBench() {}

    /** Builds the operands and checks the operation against plain loops. */
    @Setup
    public void setup() {
        x = random(1, N, N);
        y = random(2, N, N);
        row = random(3, N);
        column = random(4, N, 1);
        f = switch (op) {
            case "add_row" -> z -> Jnp.add(z, row);
            case "sub_column" -> z -> Jnp.subtract(z, column);
            case "mul_scalar" -> z -> Jnp.multiply(z, 0.5);
            case "add_transposed" -> z -> Jnp.add(z, Jnp.transpose(y));
            case "transpose_twice" -> z -> Jnp.transpose(Jnp.transpose(z));
            default -> throw new IllegalArgumentException("BroadcastBench: unknown op '" + op + "'");
        };
        double[] xs = x.toDoubleArray();
        double[] ys = y.toDoubleArray();
        double[] rs = row.toDoubleArray();
        double[] cs = column.toDoubleArray();
        double[] got = f.apply(x).toDoubleArray();
        double err = 0;
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                double v = xs[i * N + j];
                double want = switch (op) {
                    case "add_row" -> (float) (v + rs[j]);
                    case "sub_column" -> (float) (v - cs[i]);
                    case "mul_scalar" -> (float) (v * 0.5);
                    case "add_transposed" -> (float) (v + ys[j * N + i]);
                    default -> v;
                };
                err = Math.max(err, Math.abs(got[i * N + j] - want));
            }
        }
        Fixtures.require(err == 0, "BroadcastBench " + op + " against plain loops", err);
    }

    private static Array random(long seed, int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextDouble(-2, 2);
        }
        return Array.of(v, shape);
    }

    /**
     * One eager evaluation of the operation.
     *
     * @return its result
     */
    @Benchmark
    public Array eager() {
        return f.apply(x);
    }
}
