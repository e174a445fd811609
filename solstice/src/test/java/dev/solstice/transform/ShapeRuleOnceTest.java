package dev.solstice.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.solstice.Array;
import dev.solstice.Jax;
import dev.solstice.LinearizeResult;
import dev.solstice.VjpResult;
import dev.solstice.core.Aval;
import dev.solstice.core.Batched;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Interpreters;
import dev.solstice.core.Primitive;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Every application of a primitive runs its shape rule exactly once: the eval interpreter hands the checked
 * output avals to {@link Primitive#eval}, the staging interpreter records them in the equation, and a staged
 * program evaluated again reuses them. A counting primitive ({@code 2x}, linear) records shape-rule runs and
 * evaluations under each transformation; the expected counts are the number of applications each one makes.
 */
class ShapeRuleOnceTest {

    /** {@code 2x} on float64, counting its shape-rule runs and evaluations. */
    private record Doubling(AtomicInteger shapeRuns, AtomicInteger evals) implements Primitive {
        Doubling() {
            this(new AtomicInteger(), new AtomicInteger());
        }

        Array apply(Array x) {
            return Interpreters.bind1(this, x);
        }

        @Override
        public Aval[] shapeRule(Aval[] in) {
            shapeRuns.incrementAndGet();
            return new Aval[] {in[0]};
        }

        @Override
        public DenseArray[] eval(DenseArray[] in, Aval[] outAvals) {
            evals.incrementAndGet();
            double[] x = in[0].doubles();
            double[] y = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                y[i] = 2 * x[i];
            }
            return new DenseArray[] {DenseArray.wrap(outAvals[0], y)};
        }

        @Override
        public Array[] jvp(Array[] primals, Array[] outs, Array[] tangents) {
            return new Array[] {apply(tangents[0])};
        }

        @Override
        public Array[] transpose(Array[] cts, Array[] args) {
            return new Array[] {apply(cts[0])};
        }

        @Override
        public Batched batch(Array[] vals, int[] dims, int axisSize) {
            return new Batched(new Array[] {apply(vals[0])}, dims.clone());
        }

        void assertCounts(int shapeRuns, int evals, String what) {
            assertEquals(shapeRuns, this.shapeRuns.get(), what + ": shape-rule runs");
            assertEquals(evals, this.evals.get(), what + ": evaluations");
        }
    }

    private static final Array X = Array.of(1.0, -2.0, 3.0);
    private static final Array V = Array.of(0.5, 1.0, -1.0);

    @Test
    void eagerApplicationRunsTheShapeRuleOnce() {
        Doubling d = new Doubling();
        assertArrayEquals(new double[] {2, -4, 6}, d.apply(X).toDoubleArray());
        d.assertCounts(1, 1, "eager");
    }

    @Test
    void jvpRunsItOncePerApplication() {
        Doubling d = new Doubling();
        var r = Jax.jvp((UnaryOperator<Array>) d::apply, X, V);
        assertArrayEquals(new double[] {2, -4, 6}, r.primal().toDoubleArray());
        assertArrayEquals(new double[] {1, 2, -2}, r.tangent().toDoubleArray());
        d.assertCounts(2, 2, "jvp (primal and tangent)");
    }

    @Test
    void vmapRunsItOnceForTheBatchedApplication() {
        Doubling d = new Doubling();
        Array xs = Array.of(new double[] {1, 2, 3, 4, 5, 6}).reshape(2, 3);
        assertArrayEquals(new double[] {2, 4, 6, 8, 10, 12}, Jax.vmap((UnaryOperator<Array>) d::apply).apply(xs).toDoubleArray());
        d.assertCounts(1, 1, "vmap");
    }

    @Test
    void aLinearizedProgramReusesTheStagedAvals() {
        Doubling d = new Doubling();
        LinearizeResult<Array, Array> lin = Jax.linearize((UnaryOperator<Array>) d::apply, X);
        d.assertCounts(2, 1, "linearize (primal evaluated, tangent staged)");
        assertArrayEquals(new double[] {1, 2, -2}, lin.jvp().apply(V).toDoubleArray());
        assertArrayEquals(new double[] {2, -4, 6}, lin.jvp().apply(X).toDoubleArray());
        d.assertCounts(2, 3, "two evaluations of the staged program");
    }

    @Test
    void vjpRunsItOncePerApplication() {
        Doubling d = new Doubling();
        VjpResult<Array, Array> r = Jax.vjp((UnaryOperator<Array>) d::apply, X);
        assertArrayEquals(new double[] {1, 2, -2}, r.pullback().apply(V).toDoubleArray());
        d.assertCounts(3, 2, "vjp (primal evaluated, tangent staged, transpose evaluated)");
    }
}
