package dev.solstice.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.solstice.Array;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.Lax;
import dev.solstice.ScanOptions;
import dev.solstice.ScanStep;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Collectives over a named vmap axis inside cond branches, while and scan bodies under that vmap: the loop or
 * branch is batched under the name, so psum sums across the vmap's examples. Oracles: the sums by hand.
 */
class ControlFlowNamedAxisTest {
    private static final double[] X = {1.0, 2.0, 3.0, 6.0};
    private static final double SUM = 12.0;

    @Test
    void psumInsideAScanBody() {
        // three steps of c <- c / psum(c) * 2: every example's carry keeps its share of twice the total
        Function<Array, Array> f = x -> Lax.scan((Array c, Object o) -> new ScanStep<>(c.div(Lax.psum(c, "i")).mul(2.0),
                null), x, null, ScanOptions.ofLength(3)).carry();
        Array r = Jax.vmap(f, 0, 0, "i").apply(Array.of(X));
        double[] expected = new double[X.length];
        for (int j = 0; j < X.length; j++) {
            expected[j] = 2 * X[j] / SUM; // after the first step the total is 2, so later steps keep the values
        }
        assertArrayEquals(expected, r.toDoubleArray(), 1e-15);
    }

    @Test
    void psumOfAConstantInsideAScanBodyCountsTheExamples() {
        Function<Array, Array> f = x -> Lax.scan((Array c, Object o) -> new ScanStep<>(c.add(Lax.psum(Array.scalar(1.0), "i")),
                null), x, null, ScanOptions.ofLength(2)).carry();
        Array r = Jax.vmap(f, 0, 0, "i").apply(Array.of(X));
        assertArrayEquals(new double[] {9, 10, 11, 14}, r.toDoubleArray(), 0);
    }

    @Test
    void psumInsideCondBranchesWithASharedAndABatchedPredicate() {
        Function<Array, Array> shared = x -> Lax.cond(Jnp.greater(Array.scalar(1.0), Array.scalar(0.0)), (Array v) -> v.div(Lax.psum(v, "i")),
                (Array v) -> v, x);
        assertArrayEquals(new double[] {X[0] / SUM, X[1] / SUM, X[2] / SUM, X[3] / SUM},
                Jax.vmap(shared, 0, 0, "i").apply(Array.of(X)).toDoubleArray(), 1e-16);
        // a batched predicate runs both branches for every example; the psum sees all of them
        Function<Array, Array> batched = x -> Lax.cond(Jnp.greater(x, 2.5), (Array v) -> v.div(Lax.psum(v, "i")),
                (Array v) -> v.neg(), x);
        // the true branch sees zeros where the predicate fails (floating inputs masked), so the total is 3 + 6
        assertArrayEquals(new double[] {-1, -2, 3 / 9.0, 6 / 9.0},
                Jax.vmap(batched, 0, 0, "i").apply(Array.of(X)).toDoubleArray(), 1e-16);
    }

    @Test
    void psumInsideAWhileBody() {
        // double every carry until the total exceeds 100: totals 12, 24, 48, 96, 192 -> four doublings
        Function<Array, Array> f = x -> Lax.whileLoop((Array c) -> Jnp.less(Lax.psum(c, "i"), Array.scalar(100.0)),
                (Array c) -> c.mul(2.0), x);
        assertArrayEquals(new double[] {16, 32, 48, 96}, Jax.vmap(f, 0, 0, "i").apply(Array.of(X)).toDoubleArray(), 0);
    }

    @Test
    void gradientThroughAScanWithABatchStatistic() {
        // loss(x) = sum_i sin(x_i / S) with S = sum x, inside a one-step scan; d/dx_j = cos(x_j/S)/S - sum_i cos(x_i/S) x_i / S^2
        Function<Array, Array> share = x -> Lax.scan((Array c, Object o) -> new ScanStep<>(Jnp.sin(c.div(Lax.psum(c, "i"))),
                null), x, null, ScanOptions.ofLength(1)).carry();
        Function<Array, Array> loss = v -> Jnp.sum(Jax.vmap(share, 0, 0, "i").apply(v));
        double cx = 0;
        for (double x : X) {
            cx += Math.cos(x / SUM) * x;
        }
        double[] expected = new double[X.length];
        for (int j = 0; j < X.length; j++) {
            expected[j] = Math.cos(X[j] / SUM) / SUM - cx / (SUM * SUM);
        }
        assertArrayEquals(expected, Jax.grad(loss::apply).apply(Array.of(X)).toDoubleArray(), 1e-15);
    }
}
