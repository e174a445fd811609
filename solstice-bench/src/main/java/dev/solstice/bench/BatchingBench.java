package dev.solstice.bench;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.Nn;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
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
 * Batching (vmap) against loops: the full Hessian of {@code sum(sin(W x))} as one batched pass against the loop
 * of n Hessian-vector products over the basis vectors, and per-example gradients of a 64-128-10 tanh network
 * for a batch of 128, {@code vmap(grad)} against a loop over the examples. The setups check that both ways
 * agree (and the Hessian with its closed form).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class BatchingBench {
    /** Creates the benchmark (JMH instantiates it). */
    public BatchingBench() {}

    /** The Hessian of {@code sum(sin(W x))}, batched and as a loop. */
    @State(Scope.Thread)
    public static class HessianState {
        /** Size of x. */
        @Param({"64", "256"})
        public int n;

        Array x;
        Function<Array, Array> batched;
        Function<Array, Array> loop;

        /** Creates the state (JMH instantiates it and sets {@link #n}). */
        public HessianState() {}

        /** Builds both ways and checks that they agree with each other and with the closed form. */
        @Setup
        public void setup() {
            SumSinWx problem = new SumSinWx(n);
            x = problem.x;
            batched = Jax.hessian(problem.f);
            Function<Array, Array> grad = Jax.grad(problem.f);
            Array eye = Jnp.eye(n);
            int size = n;
            loop = z -> {
                Array[] rows = new Array[size];
                for (int i = 0; i < size; i++) {
                    rows[i] = Jax.jvp(grad, z, eye.get(i)).tangent();
                }
                return Jnp.stack(List.of(rows), 0);
            };
            double[] h = batched.apply(x).toDoubleArray();
            double err = Fixtures.maxAbsDiff(h, loop.apply(x).toDoubleArray());
            Fixtures.require(err <= 1e-15, "batched Hessian against the loop of HVPs", err);
            double refErr = Fixtures.maxAbsDiff(h, problem.hessian());
            Fixtures.require(refErr <= 1e-14, "batched Hessian against the closed form", refErr);
        }
    }

    /** Weights of a 64-128-10 tanh network. */
    record Mlp(Array w1, Array b1, Array w2, Array b2) {}

    /** Per-example gradients of a 64-128-10 tanh network's softmax cross-entropy, batch 128. */
    @State(Scope.Thread)
    public static class PerExampleState {
        static final int IN = 64;
        static final int HIDDEN = 128;
        static final int CLASSES = 10;
        static final int BATCH = 128;

        List<Array> data;
        Function<List<Array>, Mlp> batched;
        Function<List<Array>, List<Mlp>> loop;

        /** Creates the state (JMH instantiates it). */
        public PerExampleState() {}

        /** Builds the network, the data and both ways, and checks that they agree. */
        @Setup
        public void setup() {
            Mlp params = new Mlp(Fixtures.det(HIDDEN * IN, 0.1, HIDDEN, IN), Fixtures.det(HIDDEN, 0.2, HIDDEN),
                    Fixtures.det(CLASSES * HIDDEN, 0.3, CLASSES, HIDDEN), Fixtures.det(CLASSES, 0.4, CLASSES));
            Array xs = Fixtures.det(BATCH * IN, 0.5, BATCH, IN);
            Array labels = Jnp.astype(Jnp.multiply(Jnp.add(Jnp.sin(Fixtures.det(BATCH, 0.6, BATCH)), 1.0), 4.99),
                    DType.INT32);
            data = List.of(xs, Nn.oneHot(labels, CLASSES));
            BiFunction<Mlp, List<Array>, Array> loss = (p, ex) -> {
                Array h = Jnp.tanh(Jnp.add(Jnp.matmul(p.w1(), ex.get(0)), p.b1()));
                Array logits = Jnp.add(Jnp.matmul(p.w2(), h), p.b2());
                return Jnp.negative(Jnp.sum(Jnp.multiply(ex.get(1), Nn.logSoftmax(logits))));
            };
            Function<List<Array>, Mlp> perExampleGrad = ex -> Jax.grad((Mlp p) -> loss.apply(p, ex)).apply(params);
            batched = Jax.vmap(perExampleGrad);
            loop = d -> {
                List<Mlp> gs = new ArrayList<>(BATCH);
                for (int b = 0; b < BATCH; b++) {
                    gs.add(perExampleGrad.apply(List.of(d.get(0).get(b), d.get(1).get(b))));
                }
                return gs;
            };
            Mlp g = batched.apply(data);
            List<Mlp> gl = loop.apply(data);
            double err = 0;
            for (int b = 0; b < BATCH; b++) {
                err = Math.max(err, Fixtures.maxAbsDiff(g.w1().get(b).toDoubleArray(), gl.get(b).w1().toDoubleArray()));
                err = Math.max(err, Fixtures.maxAbsDiff(g.b2().get(b).toDoubleArray(), gl.get(b).b2().toDoubleArray()));
            }
            Fixtures.require(Arrays.equals(g.w1().shape(), new int[] {BATCH, HIDDEN, IN}) && err <= 1e-13,
                    "per-example gradients, vmap against the loop (w1 " + Arrays.toString(g.w1().shape()) + ")", err);
        }
    }

    /**
     * {@code Jax.hessian(f)}, one batched pass.
     *
     * @param s the problem
     * @return the n x n Hessian
     */
    @Benchmark
    public Array hessianBatched(HessianState s) {
        return s.batched.apply(s.x);
    }

    /**
     * The Hessian as n Hessian-vector products ({@code jvp} of {@code grad}) along the basis vectors, stacked.
     *
     * @param s the problem
     * @return the n x n Hessian
     */
    @Benchmark
    public Array hessianLoop(HessianState s) {
        return s.loop.apply(s.x);
    }

    /**
     * Per-example gradients by {@code vmap(grad)}.
     *
     * @param s the network and data
     * @return the gradients, batched along a leading axis
     */
    @Benchmark
    public Object perExampleVmap(PerExampleState s) {
        return s.batched.apply(s.data);
    }

    /**
     * Per-example gradients by a loop over the examples.
     *
     * @param s the network and data
     * @return one gradient per example
     */
    @Benchmark
    public Object perExampleLoop(PerExampleState s) {
        return s.loop.apply(s.data);
    }
}
