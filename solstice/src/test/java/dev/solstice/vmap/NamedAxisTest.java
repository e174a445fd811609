package dev.solstice.vmap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.Lax;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** vmap's axis name and the psum/pmean collectives, against sums written out by hand. */
class NamedAxisTest {
    private static final double[] X = {1.0, 2.0, 3.0, 6.0};

    private static double mean(double[] v) {
        double s = 0;
        for (double d : v) {
            s += d;
        }
        return s / v.length;
    }

    @Test
    void psumAndPmeanActAcrossTheNamedAxis() {
        Array xs = Array.of(X);
        Array centred = Jax.vmap((Array x) -> x.sub(Lax.pmean(x, "batch")), 0, 0, "batch").apply(xs);
        double m = mean(X);
        assertArrayEquals(new double[] {X[0] - m, X[1] - m, X[2] - m, X[3] - m}, centred.toDoubleArray(), 1e-15);
        Array counts = Jax.vmap((Array x) -> Lax.psum(Array.scalar(1.0), "b"), 0, 0, "b").apply(xs);
        assertArrayEquals(new double[] {4, 4, 4, 4}, counts.toDoubleArray(), 0);
        Array total = Jax.vmap((Array x) -> Lax.psum(x, "b"), 0, null, "b").apply(xs);
        assertArrayEquals(new double[] {12}, total.toDoubleArray(), 0);
    }

    @Test
    void gradientsFlowThroughBatchStatistics() {
        // d/dx_j sum_i (x_i - mean)^2 / n = 2 (x_j - mean) / n, the variance's gradient
        Function<Array, Array> variance = v -> Jnp.mean(Jnp.square(
                Jax.vmap((Array x) -> x.sub(Lax.pmean(x, "i")), 0, 0, "i").apply(v)));
        Array g = Jax.grad(variance::apply).apply(Array.of(X));
        double m = mean(X);
        double[] expected = new double[X.length];
        for (int j = 0; j < X.length; j++) {
            expected[j] = 2 * (X[j] - m) / X.length;
        }
        assertArrayEquals(expected, g.toDoubleArray(), 1e-15);
        // normalising by a batch statistic: x / psum(x); d/dx_j of sum_i w_i x_i / S = (w_j - sum_i w_i x_i / S) / S
        double[] w = {0.5, -1.0, 2.0, 0.25};
        Array wa = Array.of(w);
        Function<Array, Array> weighted = v -> Jnp.sum(wa.mul(Jax.vmap((Array x) -> x.div(Lax.psum(x, "i")), 0, 0, "i").apply(v)));
        double s = 0;
        double wx = 0;
        for (int i = 0; i < X.length; i++) {
            s += X[i];
            wx += w[i] * X[i];
        }
        double[] expected2 = new double[X.length];
        for (int j = 0; j < X.length; j++) {
            expected2[j] = (w[j] - wx / s) / s;
        }
        assertArrayEquals(expected2, Jax.grad(weighted::apply).apply(Array.of(X)).toDoubleArray(), 1e-15);
    }

    @Test
    void nestedNamesPickTheirOwnAxis() {
        Array m = Array.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        // inner axis "col" runs over columns of a row, outer "row" over rows
        Array rowTotals = Jax.vmap((Array row) -> Jax.vmap((Array e) -> Lax.psum(e, "col"), 0, 0, "col").apply(row),
                0, 0, "row").apply(m);
        assertArrayEquals(new double[] {6, 6, 6, 15, 15, 15}, rowTotals.toDoubleArray(), 0);
        Array colTotals = Jax.vmap((Array row) -> Jax.vmap((Array e) -> Lax.psum(e, "row"), 0, 0, "col").apply(row),
                0, 0, "row").apply(m);
        assertArrayEquals(new double[] {5, 7, 9, 5, 7, 9}, colTotals.toDoubleArray(), 0);
    }

    @Test
    void anUnboundAxisNameIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Lax.psum(Array.of(X), "zz"));
        assertTrue(e.getMessage().contains("psum") && e.getMessage().contains("zz") && e.getMessage().contains("float64[4]"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Jax.vmap((Array x) -> Lax.psum(x, "other"), 0, 0, "batch").apply(Array.of(X)));
    }
}
