package dev.solstice.staging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.Jax;
import dev.solstice.Jitted;
import dev.solstice.Jnp;
import dev.solstice.Lax;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Collectives over a named vmap axis inside a jitted (or checkpointed) function under that vmap: the call is
 * batched under the name, so psum sums across the vmap's examples. Oracles are the sums written out by hand.
 */
class JitNamedAxisTest {
    private static final double[] X = {1.0, 2.0, 3.0, 6.0};
    private static final double SUM = 12.0;

    @Test
    void psumInsideJitActsAcrossTheEnclosingNamedVmap() {
        Jitted<Array, Array> share = Jax.jit((Array x) -> x.div(Lax.psum(x, "i")));
        Array r = Jax.vmap(share, 0, 0, "i").apply(Array.of(X));
        assertArrayEquals(new double[] {X[0] / SUM, X[1] / SUM, X[2] / SUM, X[3] / SUM}, r.toDoubleArray(), 1e-16);
        // a second call reuses the one trace
        Jax.vmap(share, 0, 0, "i").apply(Array.of(X));
        assertEquals(1, share.traceCount());
    }

    @Test
    void aCallWithNoBatchedOperandIsStillBatchedUnderItsName() {
        Jitted<Array, Array> count = Jax.jit((Array x) -> Lax.psum(Array.scalar(1.0), "i"));
        Array r = Jax.vmap(count, 0, 0, "i").apply(Array.of(X));
        assertArrayEquals(new double[] {4, 4, 4, 4}, r.toDoubleArray(), 0);
    }

    @Test
    void gradientOfABatchStatisticThroughJit() {
        // d/dx_j sum_i w_i x_i / S = (w_j - sum_i w_i x_i / S) / S with S = sum x
        double[] w = {0.5, -1.0, 2.0, 0.25};
        Array wa = Array.of(w);
        Function<Array, Array> share = Jax.jit((Array x) -> x.div(Lax.psum(x, "i")));
        Function<Array, Array> loss = v -> Jnp.sum(wa.mul(Jax.vmap(share, 0, 0, "i").apply(v)));
        double wx = 0;
        for (int i = 0; i < X.length; i++) {
            wx += w[i] * X[i];
        }
        double[] expected = new double[X.length];
        for (int j = 0; j < X.length; j++) {
            expected[j] = (w[j] - wx / SUM) / SUM;
        }
        assertArrayEquals(expected, Jax.grad(loss::apply).apply(Array.of(X)).toDoubleArray(), 1e-15);
        assertArrayEquals(expected, Jax.jit(Jax.grad(loss::apply)).apply(Array.of(X)).toDoubleArray(), 1e-15);
    }

    @Test
    void jvpUnderTheNamedVmap() {
        // d/dt (x + t v) / sum(x + t v) at t = 0 = v / S - x sum(v) / S^2
        double[] v = {1.0, 0.0, -2.0, 0.5};
        Function<Array, Array> share = Jax.jit((Array x) -> x.div(Lax.psum(x, "i")));
        Array t = Jax.jvp(Jax.vmap(share, 0, 0, "i")::apply, Array.of(X), Array.of(v)).tangent();
        double sv = 1.0 + 0.0 - 2.0 + 0.5;
        double[] expected = new double[X.length];
        for (int j = 0; j < X.length; j++) {
            expected[j] = v[j] / SUM - X[j] * sv / (SUM * SUM);
        }
        assertArrayEquals(expected, t.toDoubleArray(), 1e-15);
    }

    @Test
    void anInnerVmapOfAnotherNameLeavesTheOuterCollectiveInPlace() {
        // rows of a [2, 4] matrix; the jitted function sums over the outer axis "rows" inside an inner vmap "cols"
        double[][] m = {{1, 2, 3, 4}, {10, 20, 30, 40}};
        Function<Array, Array> colShare = Jax.jit((Array x) -> x.div(Lax.psum(x, "rows")));
        Function<Array, Array> inner = row -> Jax.vmap(colShare, 0, 0, "cols").apply(row);
        Array r = Jax.vmap(inner, 0, 0, "rows").apply(Array.of(new double[] {1, 2, 3, 4, 10, 20, 30, 40}, 2, 4));
        double[] flat = r.toDoubleArray();
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 4; j++) {
                assertEquals(m[i][j] / (m[0][j] + m[1][j]), flat[i * 4 + j], 1e-16);
            }
        }
    }

    @Test
    void checkpointedFunctionWithACollective() {
        Function<Array, Array> share = Jax.checkpoint((Array x) -> Jnp.sin(x).div(Lax.psum(x, "i")));
        Function<Array, Array> loss = v -> Jnp.sum(Jax.vmap(share, 0, 0, "i").apply(v));
        // d/dx_j sum_i sin(x_i) / S = cos(x_j) / S - sum_i sin(x_i) / S^2
        double ss = 0;
        for (double x : X) {
            ss += Math.sin(x);
        }
        double[] expected = new double[X.length];
        for (int j = 0; j < X.length; j++) {
            expected[j] = Math.cos(X[j]) / SUM - ss / (SUM * SUM);
        }
        assertArrayEquals(expected, Jax.grad(loss::apply).apply(Array.of(X)).toDoubleArray(), 1e-15);
    }

    @Test
    void outsideAnyVmapOfThatNameTheErrorNamesTheAxis() {
        Jitted<Array, Array> share = Jax.jit((Array x) -> x.div(Lax.psum(x, "i")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> share.apply(Array.of(X)));
        assertTrue(e.getMessage().contains("'i'"), e.getMessage());
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                () -> Jax.vmap(share, 0, 0, "j").apply(Array.of(X)));
        assertTrue(e2.getMessage().contains("'i'"), e2.getMessage());
    }
}
