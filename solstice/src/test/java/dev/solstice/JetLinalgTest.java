package dev.solstice;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.hipparchus.linear.CholeskyDecomposition;
import org.hipparchus.linear.MatrixUtils;
import org.hipparchus.linear.RealMatrix;
import org.junit.jupiter.api.Test;

/**
 * Taylor mode through the factorisations and cumlogsumexp, float64, on well-conditioned inputs (positive definite
 * for cholesky, eigenvalues and singular values well apart, full rank): Jax.jet against nested jvp to order 6
 * (every output of each factorisation), the second derivative along a path against central differences of the
 * evaluated primitive, and Jax.laplacian of functions using cholesky and eigh against the trace of a Hessian by
 * central differences of a Hipparchus (or plain Java) evaluation, and against Jax.hessian (also under jit).
 */
class JetLinalgTest {
    private static final int ORDER = 6;
    private final Random random = new Random(2026);

    private Array matrix(int rows, int cols, double diagonalStep) {
        double[] v = new double[rows * cols];
        for (int i = 0; i < v.length; i++) {
            int r = i / cols;
            v[i] = 0.3 * (2 * random.nextDouble() - 1) + (r == i % cols ? 1 + diagonalStep * r : 0);
        }
        return Jnp.reshape(Array.of(v), rows, cols);
    }

    /** {@code M Mᵀ + n I}: positive definite, condition number of order 1. */
    private Array positiveDefinite(int n) {
        Array m = matrix(n, n, 0);
        return Jnp.matmul(m, Lax.transpose(m, 1, 0)).add(Jnp.eye(DType.FLOAT64, n).mul(Array.scalar(n)));
    }

    private List<Array> series(int... shape) {
        List<Array> s = new ArrayList<>();
        for (int k = 0; k < ORDER; k++) {
            s.add(matrix(shape[0], shape[1], 0).mul(Array.scalar(0.5)));
        }
        return s;
    }

    private void check(String name, UnaryOperator<Array> f, Array x0) {
        JetOracles.assertJetMatchesNestedJvp(name, f, x0, series(x0.shape()), 1e-9);
    }

    private static Array flat(Array... xs) {
        Array[] r = new Array[xs.length];
        for (int i = 0; i < xs.length; i++) {
            r[i] = Jnp.ravel(xs[i]);
        }
        return Lax.concatenate(0, r);
    }

    private static Array columns(Array x, int from, int to) {
        return Lax.slice(x, new int[] {0, from}, new int[] {x.shape()[0], to}, new int[] {1, 1});
    }

    @Test
    void choleskyMatchesNestedJvp() {
        check("cholesky", Linalg::cholesky, positiveDefinite(5));
    }

    @Test
    void triangularSolveInBothOperandsMatchesNestedJvp() {
        // x = [a | b]: a's triangle on a diagonal of about 1..3, b 4x4 so that it fits either side
        Array x0 = Lax.concatenate(1, matrix(4, 4, 0.6), matrix(4, 4, 0));
        for (int flags = 0; flags < 8; flags++) {
            boolean left = (flags & 1) != 0;
            boolean lower = (flags & 2) != 0;
            boolean transposeA = (flags & 4) != 0;
            check("triangular_solve left " + left + " lower " + lower + " transposeA " + transposeA,
                    x -> Linalg.triangularSolve(columns(x, 0, 4), columns(x, 4, 8), left, lower, transposeA), x0);
        }
    }

    @Test
    void luMatchesNestedJvp() {
        // the diagonal grows faster than the noise, so the pivots are the diagonal's (fixed near x0)
        for (int[] shape : new int[][] {{4, 4}, {5, 3}, {3, 5}}) {
            check("lu " + shape[0] + "x" + shape[1], x -> Linalg.lu(x).lu(), matrix(shape[0], shape[1], 1.2));
        }
    }

    @Test
    void eighValuesAndVectorsMatchNestedJvp() {
        Array x0 = matrix(4, 4, 1.2);
        check("eigh", x -> {
            EighResult e = Linalg.eigh(x);
            return flat(e.eigenvalues(), e.eigenvectors());
        }, Lax.add(x0, Lax.transpose(x0, 1, 0)));
    }

    @Test
    void svdMatchesNestedJvp() {
        for (int[] shape : new int[][] {{4, 4}, {5, 3}, {3, 5}}) {
            Array x0 = matrix(shape[0], shape[1], 1.2);
            check("svd " + shape[0] + "x" + shape[1], x -> {
                SvdResult s = Linalg.svd(x, false);
                return flat(s.s(), s.u(), s.vh());
            }, x0);
            check("svdvals " + shape[0] + "x" + shape[1], Linalg::svdvals, x0);
        }
    }

    @Test
    void qrMatchesNestedJvp() {
        for (int[] shape : new int[][] {{4, 4}, {5, 3}}) {
            check("qr " + shape[0] + "x" + shape[1], x -> {
                QrResult q = Linalg.qr(x);
                return flat(q.q(), q.r());
            }, matrix(shape[0], shape[1], 1.2));
        }
    }

    @Test
    void cumlogsumexpMatchesNestedJvpAtLargeMagnitudes() {
        // exp of these overflows and underflows: the rule must not go through exp(x)
        Array x0 = Jnp.reshape(Array.of(-800.0, 3.0, 2.5, 750.0, 749.0, -3.0, 0.5, 1.0), 2, 4);
        check("cumlogsumexp", x -> Lax.cumlogsumexp(x, 1, false), x0);
        check("cumlogsumexp reverse", x -> Lax.cumlogsumexp(x, 0, true), x0);
    }

    @Test
    void float32StaysFloat32AndAgreesWithFloat64() {
        Array a0 = positiveDefinite(4);
        List<Array> s = series(4, 4).subList(0, 3);
        UnaryOperator<Array> eigenvalues = x -> Linalg.eigh(x).eigenvalues();
        UnaryOperator<Array> running = x -> Lax.cumlogsumexp(x, 1, false);
        for (UnaryOperator<Array> f : List.<UnaryOperator<Array>>of(Linalg::cholesky, eigenvalues, running)) {
            Jet wide = Jax.jet(f, a0, s);
            Jet narrow = Jax.jet(f, Lax.convert(a0, DType.FLOAT32), s.stream().map(x -> Lax.convert(x, DType.FLOAT32))
                    .toList());
            for (int k = 0; k < s.size(); k++) {
                assertEquals(DType.FLOAT32, narrow.series().get(k).dtype());
                JetOracles.assertClose("order " + (k + 1), wide.series().get(k),
                        Lax.convert(narrow.series().get(k), DType.FLOAT64), 1e-4);
            }
        }
    }

    /** The second series entry along {@code A0 + t A1 + t^2/2 A2} against central differences of the primitive. */
    @Test
    void secondDerivativesMatchCentralDifferences() {
        Array a0 = positiveDefinite(4);
        List<Array> s = series(4, 4).subList(0, 2);
        double h = 1e-3;
        UnaryOperator<Array> eigenvalues = x -> Linalg.eigh(x).eigenvalues();
        for (UnaryOperator<Array> f : List.<UnaryOperator<Array>>of(Linalg::cholesky, eigenvalues)) {
            double[] up = f.apply(along(a0, s, h)).toDoubleArray();
            double[] mid = f.apply(a0).toDoubleArray();
            double[] down = f.apply(along(a0, s, -h)).toDoubleArray();
            double[] jet = Jax.jet(f, a0, s).series().get(1).toDoubleArray();
            for (int i = 0; i < mid.length; i++) {
                assertEquals((up[i] - 2 * mid[i] + down[i]) / (h * h), jet[i], 1e-5, "element " + i);
            }
        }
    }

    private static Array along(Array a0, List<Array> s, double t) {
        return a0.add(s.get(0).mul(Array.scalar(t))).add(s.get(1).mul(Array.scalar(t * t / 2)));
    }

    /** {@code log det(A0 + X Xᵀ)}, {@code X} the 3x3 matrix of {@code x}: through cholesky, and by Hipparchus. */
    @Test
    void laplacianOfLogDetByCholesky() {
        int n = 3;
        Array a0 = positiveDefinite(n);
        UnaryOperator<Array> logDet = x -> {
            Array m = Jnp.reshape(x, n, n);
            Array l = Linalg.cholesky(a0.add(Jnp.matmul(m, Lax.transpose(m, 1, 0))));
            Array diagonal = Lax.reduceSum(l.mul(Jnp.eye(DType.FLOAT64, n)), 1);
            return Jnp.sum(Jnp.log(diagonal)).mul(Array.scalar(2.0));
        };
        double[] a = a0.toDoubleArray();
        ScalarFunction oracle = x -> {
            RealMatrix m = MatrixUtils.createRealMatrix(n, n);
            for (int i = 0; i < n * n; i++) {
                m.setEntry(i / n, i % n, x[i]);
            }
            RealMatrix sum = m.multiply(m.transpose());
            for (int i = 0; i < n * n; i++) {
                sum.addToEntry(i / n, i % n, a[i]);
            }
            return Math.log(new CholeskyDecomposition(sum).getDeterminant());
        };
        checkLaplacian(logDet, oracle, matrix(n, n, 0).toDoubleArray());
    }

    /** {@code sum(w^3)} over the eigenvalues of {@code S = (X + Xᵀ)/2}: the trace of {@code S^3}, in plain Java. */
    @Test
    void laplacianOfEigenvaluesCubed() {
        int n = 3;
        UnaryOperator<Array> cubes = x -> Jnp.sum(Lax.integerPow(Linalg.eigh(Jnp.reshape(x, n, n)).eigenvalues(), 3));
        ScalarFunction traceOfCube = x -> {
            double[][] s = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    s[i][j] = (x[i * n + j] + x[j * n + i]) / 2;
                }
            }
            double trace = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    for (int k = 0; k < n; k++) {
                        trace += s[i][j] * s[j][k] * s[k][i];
                    }
                }
            }
            return trace;
        };
        checkLaplacian(cubes, traceOfCube, Lax.add(matrix(n, n, 1.2), Lax.transpose(matrix(n, n, 1.2), 1, 0))
                .toDoubleArray());
    }

    private interface ScalarFunction {
        double apply(double[] x);
    }

    /** Jax.laplacian against the trace of the Hessian by central differences of {@code oracle} and by Jax.hessian. */
    private static void checkLaplacian(UnaryOperator<Array> f, ScalarFunction oracle, double[] x) {
        double h = 1e-4;
        double f0 = oracle.apply(x);
        double byDifferences = 0;
        for (int i = 0; i < x.length; i++) {
            double[] up = x.clone();
            double[] down = x.clone();
            up[i] += h;
            down[i] -= h;
            byDifferences += (oracle.apply(up) - 2 * f0 + oracle.apply(down)) / (h * h);
        }
        Array at = Array.of(x);
        assertEquals(f0, f.apply(at).item(), 1e-12 * Math.max(1, Math.abs(f0)), "the function itself");
        double laplacian = Jax.laplacian(f).apply(at).item();
        double scale = Math.max(1, Math.abs(byDifferences));
        assertEquals(byDifferences, laplacian, 1e-5 * scale, "central differences");
        double[] hessian = Jax.hessian(f).apply(at).toDoubleArray();
        double trace = 0;
        for (int i = 0; i < x.length; i++) {
            trace += hessian[i * x.length + i];
        }
        assertEquals(trace, laplacian, 1e-11 * scale, "trace of Jax.hessian");
        assertEquals(laplacian, Jax.jit(Jax.laplacian(f)).apply(at).item(), 1e-12 * scale, "under jit");
    }
}
