package dev.solstice.bench;

import dev.solstice.DType;
import dev.solstice.Solstice;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import dev.solstice.kernel.Gemm;
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
 * The small and medium products of a training step and of per-example gradients (the 64-128-10 MLP, batch 128),
 * straight through {@code Gemm.batchedMatmul} (no dispatch), in nanoseconds per product, one thread. A shape is
 * {@code batch x (m x k @ k x n)}; {@code Tx}/{@code Ty} mark an operand read transposed in place ({@code x}
 * stored [k, m], {@code y} stored [n, k]). Measure allocation with {@code bin/bench --alloc GemmSmall}: an
 * eager product should allocate its output and little more.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class GemmSmallBench {
    /**
     * {@code batch/m/k/n[/Tx][/Ty]} (slashes, so that {@code -p shape=a,b} selects several): the jitted train
     * step's forward (x W1.T and h W2.T, the weights read transposed in place), backward (dW2.T = g.T h,
     * dh = g W2, dW1.T = gh.T x), the same without transposes, and under vmap the per-example outer products
     * (k = 1), batched matrix-vector (m = 1) and few-row products.
     */
    @Param({"1/128/64/128", "1/128/64/128/Ty", "1/128/128/10", "1/128/128/10/Ty", "1/10/128/128/Tx",
        "1/128/10/128", "1/128/10/128/Ty", "1/128/128/64/Tx", "128/128/1/64/Tx", "128/10/1/128/Tx",
        "128/1/64/128", "128/1/64/128/Ty", "128/4/64/128"})
    public String shape;

    /** Element type: f32 or f64. */
    @Param({"f32", "f64"})
    public String dtype;

    private DenseArray x;
    private DenseArray y;
    private boolean transX;
    private boolean transY;
    private int batch;
    private int m;
    private int k;
    private int n;
    private Aval out;
    private int savedThreads;

    /** Creates the benchmark (JMH instantiates it). */
    public GemmSmallBench() {}

    /** Builds deterministic operands and checks one product against a float64 loop. */
    @Setup
    public void setUp() {
        String[] s = shape.split("[/,]");
        batch = Integer.parseInt(s[0]);
        m = Integer.parseInt(s[1]);
        k = Integer.parseInt(s[2]);
        n = Integer.parseInt(s[3]);
        transX = shape.contains("Tx");
        transY = shape.contains("Ty");
        DType type = "f32".equals(dtype) ? DType.FLOAT32 : DType.FLOAT64;
        double[] xv = values(batch * m * k, 0.3);
        double[] yv = values(batch * k * n, 1.7);
        x = array(type, xv, batch, transX ? k : m, transX ? m : k);
        y = array(type, yv, batch, transY ? n : k, transY ? k : n);
        out = new Aval(type, batch, m, n);
        savedThreads = Solstice.threads();
        Solstice.threads(1);
        double[] got = product().toDoubleArray();
        double error = 0;
        for (int t = 0; t < batch; t++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double want = 0;
                    for (int p = 0; p < k; p++) {
                        want += x.getDouble(t * m * k + (transX ? p * m + i : i * k + p))
                                * y.getDouble(t * k * n + (transY ? j * k + p : p * n + j));
                    }
                    error = Math.max(error, Math.abs(got[(t * m + i) * n + j] - want));
                }
            }
        }
        Fixtures.require(error <= 1e-4 * k, "Gemm.batchedMatmul " + shape + " " + dtype, error);
    }

    /** Restores the thread count. */
    @TearDown
    public void tearDown() {
        Solstice.threads(savedThreads);
    }

    /** One batched product. */
    @Benchmark
    public DenseArray product() {
        return Gemm.batchedMatmul(x, transX, y, transY, batch, m, k, n, out);
    }

    private static double[] values(int size, double phase) {
        double[] v = new double[size];
        for (int i = 0; i < size; i++) {
            v[i] = 0.5 * Math.sin(i * 0.7 + phase);
        }
        return v;
    }

    private static DenseArray array(DType type, double[] v, int... shape) {
        if (type == DType.FLOAT64) {
            return DenseArray.ofDoubles(v, shape);
        }
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return DenseArray.ofFloats(f, shape);
    }
}
