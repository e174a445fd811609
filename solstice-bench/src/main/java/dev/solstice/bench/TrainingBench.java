package dev.solstice.bench;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Eqx;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.Nn;
import dev.solstice.nn.Module;
import dev.solstice.optim.GradientTransformation;
import dev.solstice.optim.Optim;
import dev.solstice.optim.Update;
import dev.solstice.tree.Tree;
import java.util.Arrays;
import java.util.List;
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
 * The training workloads of the peer harness ({@code SolsticeBench.java} in the shared peer benchmarks), written
 * the same way: a ReLU MLP 64-128-10 in the torch {@code Linear} layout ({@code x W^T + b}), cross-entropy over
 * int32 labels, batch 128, float32. {@code trainStep} is one SGD step (lr 0.1) through {@code Eqx.filterGrad}
 * and {@code Optim.sgd}; {@code perExampleGrads} is {@code vmap} over {@code grad} of the one-example loss with
 * in_axes (None, 0, 0). The setup checks both against the same computation in float64 (an independent precision).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TrainingBench {
    /** Creates the benchmark (JMH instantiates it). */
    public TrainingBench() {}

    /** The classifier's parameters (W is out x in, as torch). */
    record Clf(Array w1, Array b1, Array w2, Array b2) implements Module {}

    /** The network, data, optimiser and both workloads. */
    @State(Scope.Thread)
    public static class Training {
        static final int IN = 64;
        static final int HIDDEN = 128;
        static final int CLASSES = 10;
        static final int BATCH = 128;

        Clf params;
        Optim.ChainState optState;
        UnaryStep step;
        Function<List<Object>, Clf> perExample;
        List<Object> inputs;

        /** Creates the state (JMH instantiates it). */
        public Training() {}

        /** One SGD step as a function of (params, optimiser state). */
        interface UnaryStep {
            Update<Optim.ChainState> apply(Clf p, Optim.ChainState s);
        }

        /** Builds the workloads as the peer harness does and checks them against float64. */
        @Setup
        public void setup() {
            Array x = Jnp.astype(det(BATCH * IN, 0.7, 0.0, 1.0, BATCH, IN), DType.FLOAT32);
            int[] labelData = new int[BATCH];
            for (int i = 0; i < BATCH; i++) {
                labelData[i] = (i * 7) % CLASSES;
            }
            Array y = Array.of(labelData);
            params = f32(new Clf(det(HIDDEN * IN, 1.0, 0.5, 0.1, HIDDEN, IN), det(HIDDEN, 1.0, 1.5, 0.01, HIDDEN),
                    det(CLASSES * HIDDEN, 1.0, 2.5, 0.1, CLASSES, HIDDEN), det(CLASSES, 1.0, 3.5, 0.01, CLASSES)));
            GradientTransformation<Optim.ChainState> opt = Optim.sgd(0.1);
            optState = opt.init(params);
            Function<Clf, Clf> grad = Eqx.filterGrad((Clf p) -> crossEntropy(logits(p, x), y));
            step = (p, s) -> opt.update(grad.apply(p), s, p);
            Function<List<Object>, Clf> one = a -> {
                Array xi = (Array) a.get(1);
                Array label = (Array) a.get(2);
                return Jax.grad((Clf p) -> crossEntropy(logits(p, xi.reshape(1, IN)), label.reshape(1)))
                        .apply((Clf) a.get(0));
            };
            perExample = Jax.vmap(one, Arrays.asList(null, 0, 0), 0);
            inputs = Arrays.asList(params, x, y);
            check(x, y);
        }

        /** Both workloads against float64 runs of the same functions: float32 rounding error only. */
        private void check(Array x, Array y) {
            Clf p64 = Tree.map(a -> Jnp.astype(a, DType.FLOAT64), params);
            Array x64 = Jnp.astype(x, DType.FLOAT64);
            Clf g64 = Eqx.filterGrad((Clf p) -> crossEntropy(logits(p, x64), y)).apply(p64);
            Object update = step.apply(params, optState).updates();
            double err = Fixtures.maxAbsDiff(flat(update), flat(Tree.map(g -> Jnp.multiply(g, -0.1), g64)));
            Fixtures.require(err <= 1e-6, "SGD step against float64", err);
            Clf pe = perExample.apply(inputs);
            Clf pe64 = perExample.apply(Arrays.asList(p64, x64, y));
            double perr = Fixtures.maxAbsDiff(flat(pe), flat(pe64));
            Fixtures.require(Arrays.equals(pe.w1().shape(), new int[] {BATCH, HIDDEN, IN}) && perr <= 1e-5,
                    "per-example gradients against float64", perr);
        }
    }

    private static double[] flat(Object tree) {
        return Tree.leaves(tree).stream().flatMapToDouble(a -> Arrays.stream(a.toDoubleArray())).toArray();
    }

    private static Clf f32(Clf c) {
        return Tree.map(a -> Jnp.astype(a, DType.FLOAT32), c);
    }

    /** {@code scale sin(freq k + phase)}, k = 0 .. size-1, in float64 (the peer harness's data). */
    private static Array det(int size, double freq, double phase, double scale, int... shape) {
        double[] d = new double[size];
        for (int k = 0; k < size; k++) {
            d[k] = scale * Math.sin(freq * k + phase);
        }
        return Array.of(d, shape);
    }

    private static Array linear(Array x, Array w, Array b) {
        return x.matmul(w.transpose()).add(b);
    }

    private static Array logits(Clf p, Array x) {
        return linear(Nn.relu(linear(x, p.w1(), p.b1())), p.w2(), p.b2());
    }

    private static Array crossEntropy(Array logits, Array labels) {
        Array oneHot = Nn.oneHot(labels, logits.shape()[logits.ndim() - 1], logits.dtype());
        return Jnp.negative(Jnp.mean(Jnp.sum(oneHot.mul(Nn.logSoftmax(logits, -1)), -1)));
    }

    /**
     * One SGD step: gradient, optimiser update, parameters updated.
     *
     * @param s the workload
     * @return the new parameters
     */
    @Benchmark
    public Clf trainStep(Training s) {
        Update<Optim.ChainState> u = s.step.apply(s.params, s.optState);
        return Eqx.applyUpdates(s.params, u.updates());
    }

    /**
     * Per-example gradients by {@code vmap(grad)}, batch 128.
     *
     * @param s the workload
     * @return the gradients, batched along a leading axis
     */
    @Benchmark
    public Clf perExampleGrads(Training s) {
        return s.perExample.apply(s.inputs);
    }
}
