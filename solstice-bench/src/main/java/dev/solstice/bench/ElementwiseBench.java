package dev.solstice.bench;

import dev.solstice.Array;
import dev.solstice.Lax;
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
 * Large eager elementwise operations and reductions over {@value #N} float32 elements, in microseconds per
 * call: the throughput of the kernels (Vector API or plain Java, whichever {@code Kernels.get()} chose), with
 * one allocation of the output per primitive. {@code tanh_axpb} is {@code tanh(a*x + b)} as three unfused
 * eager primitives with full-size {@code a} and {@code b} (the lax level does not broadcast).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class ElementwiseBench {
    /** Elements per operand. */
    static final int N = 1 << 20;

    /** The operation measured. */
    @Param({"tanh_axpb", "add", "mul", "exp", "reduce_sum"})
    public String op;

    /** The element type. */
    @Param({"float32"})
    public String dtype;

    Array x;
    Array a;
    Array b;
    UnaryOperator<Array> f;

    /** Creates the benchmark (JMH instantiates it). */
    public ElementwiseBench() {}

    /** Builds the operands (uniform in [-2, 2)) outside the measured code. */
    @Setup
    public void setup() {
        x = random(1);
        a = random(2);
        b = random(3);
        f = switch (op) {
            case "tanh_axpb" -> z -> Lax.tanh(Lax.add(Lax.mul(a, z), b));
            case "add" -> z -> Lax.add(z, a);
            case "mul" -> z -> Lax.mul(z, a);
            case "exp" -> Lax::exp;
            case "reduce_sum" -> z -> Lax.reduceSum(z, 0);
            default -> throw new IllegalArgumentException("ElementwiseBench: unknown op '" + op + "'");
        };
        check();
    }

    /** Compares a few elements of the result with plain Java arithmetic in double; fails the run on disagreement. */
    private void check() {
        double[] xs = x.toDoubleArray();
        double[] as = a.toDoubleArray();
        double[] bs = b.toDoubleArray();
        double[] got = f.apply(x).toDoubleArray();
        double sum = 0;
        for (double v : xs) {
            sum += v;
        }
        for (int i = 0; i < got.length; i += got.length / 7 + 1) {
            double want = switch (op) {
                case "tanh_axpb" -> Math.tanh(as[i] * xs[i] + bs[i]);
                case "add" -> xs[i] + as[i];
                case "mul" -> xs[i] * as[i];
                case "exp" -> Math.exp(xs[i]);
                default -> sum;
            };
            if (Math.abs(got[i] - want) > 1e-5 * Math.max(1, Math.abs(want)) * (op.equals("reduce_sum") ? 100 : 1)) {
                throw new IllegalStateException("ElementwiseBench " + op + ": element " + i + " is " + got[i]
                        + ", plain Java gives " + want);
            }
        }
    }

    private Array random(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        if (dtype.equals("float64")) {
            double[] v = new double[N];
            for (int i = 0; i < N; i++) {
                v[i] = r.nextDouble(-2, 2);
            }
            return Array.of(v, N);
        }
        float[] v = new float[N];
        for (int i = 0; i < N; i++) {
            v[i] = (float) r.nextDouble(-2, 2);
        }
        return Array.of(v, N);
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
