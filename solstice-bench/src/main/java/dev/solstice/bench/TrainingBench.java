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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The peer harness's training workloads (/work/shared/bench-peers/SolsticeBench.java), written as it writes them:
 * one SGD step of a 64-128-10 ReLU MLP on a batch of 128, float32, cross-entropy through {@code Eqx.filterGrad},
 * {@code Optim.sgd(0.1)} and {@code Eqx.applyUpdates}; and per-example gradients of the same loss, {@code vmap}
 * over {@code grad} with in_axes (None, 0, 0). The setup checks both gradients against a hand-written float64
 * backpropagation of the network, so no figure is reported for a wrong gradient. Size {@code tiny} runs the same
 * code on a 4-8-3 network and a batch of 4, where the kernels cost next to nothing: what remains is the library's
 * own overhead (dispatch, tracing, trees).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TrainingBench {
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

    /**
     * The network's and the batch's sizes.
     *
     * @param in input features
     * @param hidden hidden units
     * @param classes classes
     * @param batch examples per batch
     */
    record Dims(int in, int hidden, int classes, int batch) {
        static Dims of(String size) {
            return switch (size) {
                case "peer" -> new Dims(64, 128, 10, 128);
                case "tiny" -> new Dims(4, 8, 3, 4);
                default -> throw new IllegalArgumentException("TrainingBench: unknown size '" + size + "'");
            };
        }
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
        /** {@code peer}: the peer harness's sizes; {@code tiny}: the same code on a 4-8-3 network, batch 4. */
        @Param({"peer", "tiny"})
        public String size = "peer";

        Dims dims;
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
            dims = Dims.of(size);
            int in = dims.in();
            int hidden = dims.hidden();
            int classes = dims.classes();
            int batch = dims.batch();
            x = Array.of(f32(det(batch * in, 0.7, 0.0, 1.0)), batch, in);
            labels = new int[batch];
            for (int i = 0; i < batch; i++) {
                labels[i] = (i * 7) % classes;
            }
            y = Array.of(labels);
            c0 = new Clf(Array.of(f32(det(hidden * in, 1.0, 0.5, 0.1)), hidden, in), Array.of(f32(det(hidden, 1.0, 1.5, 0.01))),
                    Array.of(f32(det(classes * hidden, 1.0, 2.5, 0.1)), classes, hidden),
                    Array.of(f32(det(classes, 1.0, 3.5, 0.01))));
            opt = Optim.sgd(0.1);
            Array xs = x;
            Array ys = y;
            grad = Eqx.filterGrad((Clf p) -> crossEntropy(logits(p, xs), ys));
            state = new TrainState(c0, opt.init(c0));
            Function<List<Object>, Clf> perExample = a -> {
                Array xi = (Array) a.get(1);
                Array label = (Array) a.get(2);
                return Jax.grad((Clf p) -> crossEntropy(logits(p, xi.reshape(1, in)), label.reshape(1))).apply((Clf) a.get(0));
            };
            batched = Jax.vmap(perExample, Arrays.asList(null, 0, 0), 0);
            inputs = Arrays.asList(c0, x, y);
            check();
        }

        /** The gradient, one step and the per-example gradients against float64 backpropagation. */
        void check() {
            double[] xd = x.toDoubleArray();
            double[][] p = {c0.W1().toDoubleArray(), c0.b1().toDoubleArray(), c0.W2().toDoubleArray(), c0.b2().toDoubleArray()};
            Backprop oracle = new Backprop(dims);
            double[][] ref = oracle.gradient(p, xd, labels, 0, dims.batch());
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
            for (int b = 0; b < dims.batch(); b++) {
                double[][] one = oracle.gradient(p, xd, labels, b, b + 1);
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
        private final int in;
        private final int hidden;
        private final int classes;

        Backprop(Dims dims) {
            this.in = dims.in();
            this.hidden = dims.hidden();
            this.classes = dims.classes();
        }

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

        private Forward forward(double[][] p, double[] x, int r) {
            double[] pre = new double[hidden];
            double[] h = new double[hidden];
            for (int j = 0; j < hidden; j++) {
                double s = p[1][j];
                for (int i = 0; i < in; i++) {
                    s += x[r * in + i] * p[0][j * in + i];
                }
                pre[j] = s;
                h[j] = Math.max(s, 0);
            }
            double[] z = new double[classes];
            for (int c = 0; c < classes; c++) {
                double s = p[3][c];
                for (int j = 0; j < hidden; j++) {
                    s += h[j] * p[2][c * hidden + j];
                }
                z[c] = s;
            }
            return new Forward(pre, h, z);
        }

        /** The mean cross-entropy over rows {@code [from, to)}. */
        double loss(double[][] p, double[] x, int[] labels, int from, int to) {
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
        double[][] gradient(double[][] p, double[] x, int[] labels, int from, int to) {
            double[][] g = {new double[p[0].length], new double[p[1].length], new double[p[2].length], new double[p[3].length]};
            int rows = to - from;
            for (int r = from; r < to; r++) {
                Forward f = forward(p, x, r);
                double lse = f.logSumExp();
                // d loss / d z = (softmax(z) - onehot) / rows
                double[] dh = new double[hidden];
                for (int c = 0; c < classes; c++) {
                    double dz = (Math.exp(f.z()[c] - lse) - (c == labels[r] ? 1 : 0)) / rows;
                    g[3][c] += dz;
                    for (int j = 0; j < hidden; j++) {
                        g[2][c * hidden + j] += dz * f.h()[j];
                        dh[j] += dz * p[2][c * hidden + j];
                    }
                }
                for (int j = 0; j < hidden; j++) {
                    double dpre = f.pre()[j] > 0 ? dh[j] : 0;
                    g[1][j] += dpre;
                    for (int i = 0; i < in; i++) {
                        g[0][j * in + i] += dpre * x[r * in + i];
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
