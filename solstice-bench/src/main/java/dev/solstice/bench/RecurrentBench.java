package dev.solstice.bench;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Eqx;
import dev.solstice.Jax;
import dev.solstice.Jitted;
import dev.solstice.Jnp;
import dev.solstice.Prng;
import dev.solstice.nn.GRUCell;
import dev.solstice.nn.Recurrent;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
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
 * A GRU (16 inputs, 32 hidden, float32) over a sequence of {@code time} steps: {@code nn.Recurrent} (the cell
 * scanned with {@code Lax.scan}) against the same cell in a Java for loop, eager and jitted, forward (all hidden
 * states) and the filtered gradient of their sum with respect to the cell. Divide by {@code time} for the cost
 * per step.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RecurrentBench {
    private static final int IN = 16;
    private static final int HIDDEN = 32;

    /** Creates the benchmark (JMH instantiates it). */
    public RecurrentBench() {}

    /** The GRU's hidden states over {@code xs}, by a Java loop over the cell (unrolled into any trace). */
    static Array loop(GRUCell cell, Array xs) {
        Array h = cell.initialHidden();
        Array[] hs = new Array[xs.shape()[0]];
        for (int t = 0; t < hs.length; t++) {
            h = cell.apply(xs.get(t), h);
            hs[t] = h;
        }
        return Jnp.stack(List.of(hs), 0);
    }

    /** The cell, the sequence, and each variant built and checked against the loop outside the measured code. */
    @State(Scope.Thread)
    public static class Fixture {
        /** The sequence length. */
        @Param({"50"})
        public int time;

        GRUCell cell;
        Array xs;
        Jitted<Array, Array> scanJit;
        Jitted<Array, Array> loopJit;
        Function<GRUCell, GRUCell> scanGrad;
        Function<GRUCell, GRUCell> loopGrad;
        Jitted<GRUCell, GRUCell> scanGradJit;
        Jitted<GRUCell, GRUCell> loopGradJit;

        /** Creates the fixture (JMH instantiates it). */
        public Fixture() {}

        /** Builds the variants and fails the run when any disagrees with the eager loop. */
        @Setup
        public void setUp() {
            cell = new GRUCell(IN, HIDDEN, true, DType.FLOAT32, Prng.key(1));
            xs = Fixtures.det(time * IN, 0.1, time, IN).astype(DType.FLOAT32);
            UnaryOperator<Array> scanned = x -> new Recurrent<>(cell).apply(x);
            scanJit = Jax.jit(scanned);
            loopJit = Jax.jit((Array x) -> loop(cell, x));
            scanGrad = Eqx.filterGrad((GRUCell c) -> Jnp.sum(new Recurrent<>(c).apply(xs)));
            loopGrad = Eqx.filterGrad((GRUCell c) -> Jnp.sum(loop(c, xs)));
            scanGradJit = Eqx.filterJit(scanGrad);
            loopGradJit = Eqx.filterJit(loopGrad);
            double[] want = loop(cell, xs).toDoubleArray();
            for (Array got : new Array[] {scanned.apply(xs), scanJit.apply(xs), loopJit.apply(xs)}) {
                double e = Fixtures.maxAbsDiff(want, got.toDoubleArray());
                Fixtures.require(e < 1e-5, "GRU hidden states", e);
            }
            double[] gWant = loopGrad.apply(cell).weightHh().toDoubleArray();
            for (GRUCell g : new GRUCell[] {scanGrad.apply(cell), scanGradJit.apply(cell), loopGradJit.apply(cell)}) {
                double e = Fixtures.maxAbsDiff(gWant, g.weightHh().toDoubleArray());
                Fixtures.require(e < 1e-4 * Math.max(1, Fixtures.maxAbs(gWant)), "GRU gradient", e);
            }
        }
    }

    /**
     * Eager, scanned.
     *
     * @param f the fixture
     * @return the hidden states
     */
    @Benchmark
    public Array forwardScanEager(Fixture f) {
        return new Recurrent<>(f.cell).apply(f.xs);
    }

    /**
     * Eager, Java loop.
     *
     * @param f the fixture
     * @return the hidden states
     */
    @Benchmark
    public Array forwardLoopEager(Fixture f) {
        return loop(f.cell, f.xs);
    }

    /**
     * Jitted, scanned.
     *
     * @param f the fixture
     * @return the hidden states
     */
    @Benchmark
    public Array forwardScanJit(Fixture f) {
        return f.scanJit.apply(f.xs);
    }

    /**
     * Jitted, Java loop (unrolled into the trace).
     *
     * @param f the fixture
     * @return the hidden states
     */
    @Benchmark
    public Array forwardLoopJit(Fixture f) {
        return f.loopJit.apply(f.xs);
    }

    /**
     * Gradient, eager, scanned.
     *
     * @param f the fixture
     * @return the gradient
     */
    @Benchmark
    public GRUCell gradScanEager(Fixture f) {
        return f.scanGrad.apply(f.cell);
    }

    /**
     * Gradient, eager, Java loop.
     *
     * @param f the fixture
     * @return the gradient
     */
    @Benchmark
    public GRUCell gradLoopEager(Fixture f) {
        return f.loopGrad.apply(f.cell);
    }

    /**
     * Gradient, jitted, scanned.
     *
     * @param f the fixture
     * @return the gradient
     */
    @Benchmark
    public GRUCell gradScanJit(Fixture f) {
        return f.scanGradJit.apply(f.cell);
    }

    /**
     * Gradient, jitted, Java loop.
     *
     * @param f the fixture
     * @return the gradient
     */
    @Benchmark
    public GRUCell gradLoopJit(Fixture f) {
        return f.loopGradJit.apply(f.cell);
    }
}
