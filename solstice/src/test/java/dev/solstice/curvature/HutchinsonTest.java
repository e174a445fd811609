package dev.solstice.curvature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jnp;
import dev.solstice.Prng;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Hutchinson's estimator on quadratics whose Hessian is known: exact for a diagonal one, unbiased otherwise. */
class HutchinsonTest {
    @Test
    void hutchinsonIsExactForADiagonalHessianAndUnbiasedOtherwise() {
        // f(x) = 1/2 x^T A x has Hessian A; for diagonal A every Rademacher probe gives z^T A z = trace(A)
        double[] diag = {1, -2, 3.5, 0.25, 7};
        double[] full = new double[25];
        for (int i = 0; i < 5; i++) {
            full[i * 5 + i] = diag[i];
        }
        Array d = Array.of(full, 5, 5);
        UnaryOperator<Array> fd = x -> Jnp.multiply(Jnp.dot(x, Jnp.matmul(d, x)), 0.5);
        TraceEstimate exact = Curvature.hutchinsonTrace(fd, Array.of(new double[5]), 16, Prng.key(1));
        assertEquals(9.75, exact.mean(), 1e-12);
        assertEquals(0.0, exact.standardError(), 1e-12);
        // a dense symmetric A: the mean of many probes is within a few standard errors of the trace
        int n = 8;
        double[] a = new double[n * n];
        double trace = 0;
        double offSq = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double v = Math.sin(1 + i * 7 + j * 3);
                a[i * n + j] = v;
                a[j * n + i] = v;
                if (i == j) {
                    trace += v;
                } else {
                    offSq += 2 * v * v;
                }
            }
        }
        Array m = Array.of(a, n, n);
        UnaryOperator<Array> f = x -> Jnp.multiply(Jnp.dot(x, Jnp.matmul(m, x)), 0.5);
        int probes = 400;
        double mean = Curvature.hutchinsonTrace(f, Array.of(new double[n]), probes, Prng.key(2)).mean();
        double stderr = Math.sqrt(2 * offSq / probes); // Var(z^T A z) = 2 sum_{i != j} A_ij^2 for Rademacher z
        assertTrue(Math.abs(mean - trace) < 5 * stderr, "mean " + mean + " trace " + trace + " stderr " + stderr);
    }

    @Test
    void rademacherProbesAreTheDocumentedBernoulliDraws() {
        // the oracle is the documented construction, 2 * bernoulli(key, 0.5) - 1, through Prng's float path
        int[][] shapes = {{1, 1}, {3, 7}, {5, 1001}, {2, 4810}};
        for (int k = 0; k < 3; k++) {
            Array key = Prng.key(40 + k);
            for (int[] s : shapes) {
                double[] expected = Jnp.subtract(Jnp.multiply(Prng.bernoulli(key, 0.5, s).astype(DType.FLOAT64), 2.0),
                        1.0).toDoubleArray();
                double[][] rows = Curvature.rademacherProbes(key, s[0], s[1]);
                for (int i = 0; i < s[0]; i++) {
                    double[] want = java.util.Arrays.copyOfRange(expected, i * s[1], (i + 1) * s[1]);
                    assertArrayEquals(want, rows[i], "key " + (40 + k) + ", shape " + s[0] + "x" + s[1] + ", row " + i);
                }
            }
        }
    }
}
