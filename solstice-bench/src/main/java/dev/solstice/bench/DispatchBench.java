package dev.solstice.bench;

import dev.solstice.Array;
import dev.solstice.Jax;
import dev.solstice.JvpResult;
import dev.solstice.Lax;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Eager dispatch cost per primitive on 4-element float64 operands, in ns per operation: the same operation as a
 * plain Java loop over a fresh {@code double[4]}, plain eager, under one {@code Jax.jvp}, and under a
 * {@code jvp} of a {@code jvp}. Each call applies the primitive {@value #OPS} times so that the fixed cost of
 * entering a {@code jvp} is amortised (that cost alone is {@link #jvpEntry}); every result is kept in an array
 * so that none is dead code.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DispatchBench {
    /** Operations per benchmark call. */
    static final int OPS = 64;

    /** Creates the benchmark (JMH instantiates it). */
    public DispatchBench() {}

    /** The operands: {@code x}, the tangent {@code v} of the inner jvp and {@code u} of the outer one. */
    @State(Scope.Thread)
    public static class Operands {
        final double[] a = {0.1, 0.2, 0.3, 0.4};
        final Array x = Array.of(a);
        final Array v = Array.of(1.0, 1.0, 1.0, 1.0);
        final Array u = Array.of(0.5, -0.5, 0.25, 1.0);
        /** Where each operation's result goes, so that the JIT cannot drop it (as an eager result escapes). */
        final Object[] kept = new Object[OPS];

        /** Creates the operands (JMH instantiates it). */
        public Operands() {}
    }

    /** One primitive, as a Solstice function repeated {@value #OPS} times and as a plain Java loop. */
    @State(Scope.Thread)
    public static class Op {
        /** The primitive; binary ones take {@code (x, x)}. */
        @Param({"add", "mul", "sin", "exp", "tanh", "reduce_sum", "dot_general"})
        public String op;

        Function<Array, Array> repeated;
        Function<Array, Array> innerJvp;
        UnaryOperator<double[]> java;

        /** Creates the state (JMH instantiates it and sets {@link #op}). */
        public Op() {}

        /**
         * Builds the functions outside the measured code.
         *
         * @param o the operands
         */
        @Setup
        public void setup(Operands o) {
            UnaryOperator<Array> solstice = solstice(op);
            repeated = z -> {
                Array r = null;
                for (int k = 0; k < OPS; k++) {
                    r = solstice.apply(z);
                    o.kept[k] = r;
                }
                return r;
            };
            innerJvp = z -> Jax.jvp(repeated, z, o.v).tangent();
            java = java(op);
        }
    }

    private static UnaryOperator<Array> solstice(String op) {
        int[] contract = {0};
        int[] none = {};
        return switch (op) {
            case "add" -> z -> Lax.add(z, z);
            case "mul" -> z -> Lax.mul(z, z);
            case "sin" -> Lax::sin;
            case "exp" -> Lax::exp;
            case "tanh" -> Lax::tanh;
            case "reduce_sum" -> z -> Lax.reduceSum(z, 0);
            case "dot_general" -> z -> Lax.dotGeneral(z, z, contract, contract, none, none);
            default -> throw new IllegalArgumentException("DispatchBench: unknown op '" + op + "'");
        };
    }

    /** The same operation in plain Java, into a fresh array as an eager result is. */
    private static UnaryOperator<double[]> java(String op) {
        return switch (op) {
            case "add" -> a -> map(a, (p) -> p + p);
            case "mul" -> a -> map(a, (p) -> p * p);
            case "sin" -> a -> map(a, Math::sin);
            case "exp" -> a -> map(a, Math::exp);
            case "tanh" -> a -> map(a, Math::tanh);
            case "reduce_sum" -> a -> new double[] {a[0] + a[1] + a[2] + a[3]};
            case "dot_general" -> a -> new double[] {a[0] * a[0] + a[1] * a[1] + a[2] * a[2] + a[3] * a[3]};
            default -> throw new IllegalArgumentException("DispatchBench: unknown op '" + op + "'");
        };
    }

    private static double[] map(double[] a, java.util.function.DoubleUnaryOperator f) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = f.applyAsDouble(a[i]);
        }
        return out;
    }

    /**
     * The operation as a plain Java loop: the floor the eager figures compare with.
     *
     * @param op the primitive
     * @param o the operands
     * @return the last result
     */
    @Benchmark
    @OperationsPerInvocation(OPS)
    public Object javaLoop(Op op, Operands o) {
        double[] r = null;
        for (int k = 0; k < OPS; k++) {
            r = op.java.apply(o.a);
            o.kept[k] = r;
        }
        return r;
    }

    /**
     * The primitive applied eagerly.
     *
     * @param op the primitive
     * @param o the operands
     * @return the last result
     */
    @Benchmark
    @OperationsPerInvocation(OPS)
    public Array eager(Op op, Operands o) {
        return op.repeated.apply(o.x);
    }

    /**
     * The primitive under {@code Jax.jvp(f, x, v)}.
     *
     * @param op the primitive
     * @param o the operands
     * @return the primal and tangent of the last result
     */
    @Benchmark
    @OperationsPerInvocation(OPS)
    public JvpResult<Array> jvp(Op op, Operands o) {
        return Jax.jvp(op.repeated, o.x, o.v);
    }

    /**
     * The primitive under {@code Jax.jvp(z -> Jax.jvp(f, z, v).tangent(), x, u)}.
     *
     * @param op the primitive
     * @param o the operands
     * @return the primal and tangent of the last result
     */
    @Benchmark
    @OperationsPerInvocation(OPS)
    public JvpResult<Array> jvpOfJvp(Op op, Operands o) {
        return Jax.jvp(op.innerJvp, o.x, o.u);
    }

    /**
     * The fixed cost of one {@code Jax.jvp} call of the identity, in ns per call (included in the per-operation
     * figures above divided by {@value #OPS}).
     *
     * @param o the operands
     * @return the primal and tangent
     */
    @Benchmark
    public JvpResult<Array> jvpEntry(Operands o) {
        return Jax.jvp(Function.identity(), o.x, o.v);
    }
}
