package dev.solstice.bench;

import dev.solstice.Array;
import dev.solstice.Eqx;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.Nn;
import dev.solstice.nn.Module;
import dev.solstice.optim.GradientTransformation;
import dev.solstice.optim.Optim;
import dev.solstice.optim.Update;
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
 * The peer harness's training workloads (/work/shared/bench-peers/SolsticeBench.java), written as it writes them:
 * one SGD step of a 64-128-10 ReLU MLP on a batch of 128, float32, cross-entropy through {@code Eqx.filterGrad},
 * {@code Optim.sgd(0.1)} and {@code Eqx.applyUpdates}; and per-example gradients of the same loss, {@code vmap}
 * over {@code grad} with in_axes (None, 0, 0). The setup checks both gradients against a hand-written float64
 * backpropagation of the network, so no figure is reported for a wrong gradient.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TrainingBench {
    static final int IN = 64;
    static final int HIDDEN = 128;
    static final int CLASSES = 10;
    static final int BATCH = 128;

    /** Creates the benchmark (JMH instantiates it). */
    public TrainingBench() {}

    /**
     * The ReLU MLP 64-128-10 in torch's Linear layout (W is out x in).
     *
     * @param W1 first layer's weights, 128 x 64
     * @param b1 first layer's bias
     * @param W2 second layer's weights, 10 x 128
     * @param b2 second layer's bias
     */
    record Clf(Array W1, Array b1, Array W2, Array b2) implements Module {}

    /**
     * The optimiser's view of training: parameters and optimiser state.
     *
     * @param params the parameters
     * @param opt the optimiser state
     */
    record TrainState(Clf params, Optim.ChainState opt) {}

    /** torch.nn.functional.linear: x W^T + b. */
    static Array linear(Array x, Array W, Array b) {
        return x.matmul(W.transpose()).add(b);
    }

    static Array logits(Clf p, Array x) {
        return linear(Nn.relu(linear(x, p.W1(), p.b1())), p.W2(), p.b2());
    }

    /** F.cross_entropy(logits, labels): mean over the rows of -log softmax at the label. */
    static Array crossEntropy(Array logits, Array labels) {
        Array oneHot = Nn.oneHot(labels, logits.shape()[logits.ndim() - 1], logits.dtype());
        return Jnp.negative(Jnp.mean(Jnp.sum(oneHot.mul(Nn.logSoftmax(logits, -1)), -1)));
    }

    static double[] det(int count, double freq, double phase, double scale) {
        double[] d = new double[count];
        for (int k = 0; k < count; k++) {
            d[k] = scale * Math.sin(freq * k + phase);
        }
        return d;
    }

    static float[] f32(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    /** The network, the batch and both workloads, built as the peer harness builds them. */
    @State(Scope.Thread)
    public static class Workloads {
        Array x;
        Array y;
        int[] labels;
        Clf c0;
        GradientTransformation<Optim.ChainState> opt;
        Function<Clf, Clf> grad;
        TrainState state;
        Function<List<Object>, Clf> batched;
        List<Object> inputs;

        /** Creates the state (JMH instantiates it). */
        public Workloads() {}

        /** Builds the workloads and checks both gradients against the float64 backpropagation. */
        @Setup
        public void setup() {
            x = Array.of(f32(det(BATCH * IN, 0.7, 0.0, 1.0)), BATCH, IN);
            labels = new int[BATCH];
            for (int i = 0; i < BATCH; i++) {
                labels[i] = (i * 7) % CLASSES;
            }
            y = Array.of(labels);
            c0 = new Clf(Array.of(f32(det(HIDDEN * IN, 1.0, 0.5, 0.1)), HIDDEN, IN), Array.of(f32(det(HIDDEN, 1.0, 1.5, 0.01))),
                    Array.of(f32(det(CLASSES * HIDDEN, 1.0, 2.5, 0.1)), CLASSES, HIDDEN),
                    Array.of(f32(det(CLASSES, 1.0, 3.5, 0.01))));
            opt = Optim.sgd(0.1);
            Array xs = x;
            Array ys = y;
            grad = Eqx.filterGrad((Clf p) -> crossEntropy(logits(p, xs), ys));
            state = new TrainState(c0, opt.init(c0));
            Function<List<Object>, Clf> perExample = a -> {
                Array xi = (Array) a.get(1);
                Array label = (Array) a.get(2);
                return Jax.grad((Clf p) -> crossEntropy(logits(p, xi.reshape(1, IN)), label.reshape(1))).apply((Clf) a.get(0));
            };
            batched = Jax.vmap(perExample, Arrays.asList(null, 0, 0), 0);
            inputs = Arrays.asList(c0, x, y);
            check();
        }

        /** The gradient, one step and the per-example gradients against float64 backpropagation. */
        void check() {
            double[] xd = x.toDoubleArray();
            double[][] p = {c0.W1().toDoubleArray(), c0.b1().toDoubleArray(), c0.W2().toDoubleArray(), c0.b2().toDoubleArray()};
            double[][] ref = Backprop.gradient(p, xd, labels, 0, BATCH);
            Clf g = grad.apply(c0);
            requireClose("filterGrad of the cross-entropy", ref, leaves(g));
            Clf stepped = step(new TrainState(c0, opt.init(c0))).params();
            double[][] moved = new double[4][];
            for (int k = 0; k < 4; k++) {
                moved[k] = new double[p[k].length];
                for (int i = 0; i < p[k].length; i++) {
                    moved[k][i] = p[k][i] - 0.1 * ref[k][i];
                }
            }
            requireClose("one SGD step", moved, leaves(stepped));
            Clf per = batched.apply(inputs);
            double[][] all = leaves(per);
            for (int b = 0; b < BATCH; b++) {
                double[][] one = Backprop.gradient(p, xd, labels, b, b + 1);
                double[][] got = new double[4][];
                for (int k = 0; k < 4; k++) {
                    int n = one[k].length;
                    got[k] = Arrays.copyOfRange(all[k], b * n, (b + 1) * n);
                }
                requireClose("per-example gradient " + b, one, got);
            }
        }

        TrainState step(TrainState s) {
            Update<Optim.ChainState> u = opt.update(grad.apply(s.params()), s.opt(), s.params());
            return new TrainState(Eqx.applyUpdates(s.params(), u.updates()), u.state());
        }
    }

    private static double[][] leaves(Clf c) {
        return new double[][] {c.W1().toDoubleArray(), c.b1().toDoubleArray(), c.W2().toDoubleArray(), c.b2().toDoubleArray()};
    }

    /** float32 results against float64 ones: within 1e-5 of the largest magnitude of each parameter's gradient. */
    private static void requireClose(String what, double[][] expected, double[][] actual) {
        for (int k = 0; k < expected.length; k++) {
            double scale = Math.max(Fixtures.maxAbs(expected[k]), 1e-3);
            double err = Fixtures.maxAbsDiff(expected[k], actual[k]);
            Fixtures.require(err <= 1e-5 * scale + 1e-7, what + " (parameter " + k + ")", err);
        }
    }

    /** Hand-written float64 forward and backward pass of the MLP: the oracle. */
    static final class Backprop {
        private Backprop() {}

        /** One row's forward pass: pre-activations, hidden activations and logits. */
        private record Forward(double[] pre, double[] h, double[] z) {
            /** log(sum(exp(z))), shifted by the maximum. */
            double logSumExp() {
                double max = Arrays.stream(z).max().orElseThrow();
                double sum = 0;
                for (double v : z) {
                    sum += Math.exp(v - max);
                }
                return max + Math.log(sum);
            }
        }

        private static Forward forward(double[][] p, double[] x, int r) {
            double[] pre = new double[HIDDEN];
            double[] h = new double[HIDDEN];
            for (int j = 0; j < HIDDEN; j++) {
                double s = p[1][j];
                for (int i = 0; i < IN; i++) {
                    s += x[r * IN + i] * p[0][j * IN + i];
                }
                pre[j] = s;
                h[j] = Math.max(s, 0);
            }
            double[] z = new double[CLASSES];
            for (int c = 0; c < CLASSES; c++) {
                double s = p[3][c];
                for (int j = 0; j < HIDDEN; j++) {
                    s += h[j] * p[2][c * HIDDEN + j];
                }
                z[c] = s;
            }
            return new Forward(pre, h, z);
        }

        /** The mean cross-entropy over rows {@code [from, to)}. */
        static double loss(double[][] p, double[] x, int[] labels, int from, int to) {
            double total = 0;
            for (int r = from; r < to; r++) {
                Forward f = forward(p, x, r);
                total += f.logSumExp() - f.z()[labels[r]];
            }
            return total / (to - from);
        }

        /**
         * The gradient of {@link #loss} with respect to {@code p = {W1, b1, W2, b2}} (row-major, torch layout).
         */
        static double[][] gradient(double[][] p, double[] x, int[] labels, int from, int to) {
            double[][] g = {new double[p[0].length], new double[p[1].length], new double[p[2].length], new double[p[3].length]};
            int rows = to - from;
            for (int r = from; r < to; r++) {
                Forward f = forward(p, x, r);
                double lse = f.logSumExp();
                // d loss / d z = (softmax(z) - onehot) / rows
                double[] dh = new double[HIDDEN];
                for (int c = 0; c < CLASSES; c++) {
                    double dz = (Math.exp(f.z()[c] - lse) - (c == labels[r] ? 1 : 0)) / rows;
                    g[3][c] += dz;
                    for (int j = 0; j < HIDDEN; j++) {
                        g[2][c * HIDDEN + j] += dz * f.h()[j];
                        dh[j] += dz * p[2][c * HIDDEN + j];
                    }
                }
                for (int j = 0; j < HIDDEN; j++) {
                    double dpre = f.pre()[j] > 0 ? dh[j] : 0;
                    g[1][j] += dpre;
                    for (int i = 0; i < IN; i++) {
                        g[0][j * IN + i] += dpre * x[r * IN + i];
                    }
                }
            }
            return g;
        }
    }

    /**
     * One SGD step, as the peer harness: the state is replaced by the stepped one each call.
     *
     * @param w the workloads
     * @return the new state
     */
    @Benchmark
    public TrainState trainStep(Workloads w) {
        w.state = w.step(w.state);
        return w.state;
    }

    /**
     * Per-example gradients of the batch: vmap over grad.
     *
     * @param w the workloads
     * @return the gradients, each leaf with a leading batch axis of 128
     */
    @Benchmark
    public Clf perExampleGrads(Workloads w) {
        return w.batched.apply(w.inputs);
    }
}
