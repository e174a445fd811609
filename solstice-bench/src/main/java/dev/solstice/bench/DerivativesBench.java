package dev.solstice.bench;

import dev.solstice.Array;
import dev.solstice.Jax;
import java.util.Arrays;
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
 * The gradient, a Hessian-vector product (forward over reverse: {@code jvp} of {@code grad}) and the full
 * Hessian (one batched pass) of {@code f(x) = sum(sin(W x))} in float64 (see {@link SumSinWx}), each next to
 * its closed form in plain Java loops. The setup checks Solstice's results against the closed forms.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DerivativesBench {
    /** Σ(Hv) for n = 256 from the peers' runs (java-peers.md, section 3). */
    private static final double REFERENCE_SUM_HV_256 = -0.003439312688;

    /** Size of x. */
    @Param({"256"})
    public int n;

    private SumSinWx problem;
    private Function<Array, Array> grad;
    private Function<Array, Array> hvp;
    private Function<Array, Array> hessian;

    /** Creates the benchmark (JMH instantiates it and sets {@link #n}). */
    public DerivativesBench() {}

    /** Builds the problem and the transformed functions, and checks them against the closed forms. */
    @Setup
    public void setup() {
        problem = new SumSinWx(n);
        grad = Jax.grad(problem.f);
        Array v = problem.v;
        hvp = z -> Jax.jvp(grad, z, v).tangent();
        hessian = Jax.hessian(problem.f);
        SumSinWx.requireClose("Jax.grad", grad.apply(problem.x).toDoubleArray(), problem.gradient());
        double[] hv = hvp.apply(problem.x).toDoubleArray();
        SumSinWx.requireClose("jvp of grad", hv, problem.hvp());
        if (n == 256) {
            double sum = Arrays.stream(hv).sum();
            Fixtures.require(Math.abs(sum - REFERENCE_SUM_HV_256) <= 1e-11, "sum(Hv) against the peers' reference",
                    Math.abs(sum - REFERENCE_SUM_HV_256));
        }
        Array h = hessian.apply(problem.x);
        Fixtures.require(Arrays.equals(h.shape(), new int[] {n, n}), "Jax.hessian shape " + Arrays.toString(h.shape()),
                Double.NaN);
        SumSinWx.requireClose("Jax.hessian", h.toDoubleArray(), problem.hessian());
    }

    /**
     * {@code Jax.grad(f)} at x.
     *
     * @return the gradient
     */
    @Benchmark
    public Array grad() {
        return grad.apply(problem.x);
    }

    /**
     * The gradient in closed form, {@code W^T cos(W x)}.
     *
     * @return the gradient
     */
    @Benchmark
    public double[] gradClosedForm() {
        return problem.gradient();
    }

    /**
     * {@code Jax.jvp(Jax.grad(f), x, v).tangent()}.
     *
     * @return Hv
     */
    @Benchmark
    public Array hvp() {
        return hvp.apply(problem.x);
    }

    /**
     * Hv in closed form, {@code W^T (-sin(W x) * (W v))}.
     *
     * @return Hv
     */
    @Benchmark
    public double[] hvpClosedForm() {
        return problem.hvp();
    }

    /**
     * {@code Jax.hessian(f)} at x, one batched pass.
     *
     * @return the n x n Hessian
     */
    @Benchmark
    public Array hessian() {
        return hessian.apply(problem.x);
    }

    /**
     * The Hessian in closed form, {@code W^T diag(-sin(W x)) W}.
     *
     * @return the Hessian, row-major
     */
    @Benchmark
    public double[] hessianClosedForm() {
        return problem.hessian();
    }
}
