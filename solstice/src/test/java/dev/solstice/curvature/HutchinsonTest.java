package dev.solstice.curvature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jnp;
import dev.solstice.Prng;
import java.util.List;
import java.util.function.Function;
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

    @Test
    void integerAndFloat32LeavesKeepTheirPlaceInTheRaveledHessian() {
        // sum(x^3) + 2 sum(y^2) + sum(k): Hessian diag(6 x) for x, 4 for the float32 y, zero for the int32 k
        List<Array> params = List.of(Array.of(1.0, 2.0), Array.of(new int[] {3}, 1), Array.of(new float[] {0.5f}, 1));
        Function<List<Array>, Array> f = q -> Jnp.add(Jnp.add(Jnp.sum(Jnp.power(q.get(0), 3.0)),
                Jnp.multiply(Jnp.sum(Jnp.square(q.get(2))), 2.0)), Jnp.sum(q.get(1).astype(DType.FLOAT64)));
        TraceEstimate t = Curvature.hutchinsonTrace(f, params, 4, Prng.key(3));
        assertEquals(22.0, t.mean(), 1e-12);
        assertEquals(0.0, t.standardError(), 1e-12);
        double[] top = Curvature.topEigenvalues(f, params, 3, Prng.key(4), 4).values();
        assertArrayEquals(new double[] {12, 6, 4}, top, 1e-6); // one leaf's products are float32
        List<Array> d = Curvature.hessianDiagonal(f, params, 2, Prng.key(5));
        assertArrayEquals(new double[] {6, 12}, d.get(0).toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {4}, d.get(2).toDoubleArray(), 1e-6);
        // the same Hessian without the int leaf differentiates the tree itself
        List<Array> floats = List.of(params.get(0), params.get(2));
        Function<List<Array>, Array> g = q -> Jnp.add(Jnp.sum(Jnp.power(q.get(0), 3.0)),
                Jnp.multiply(Jnp.sum(Jnp.square(q.get(1))), 2.0));
        assertEquals(22.0, Curvature.hutchinsonTrace(g, floats, 4, Prng.key(3)).mean(), 1e-12);
        assertArrayEquals(new double[] {12, 6, 4}, Curvature.topEigenvalues(g, floats, 3, Prng.key(4), 3).values(), 1e-6);
    }
}
