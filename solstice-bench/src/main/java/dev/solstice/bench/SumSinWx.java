package dev.solstice.bench;

import dev.solstice.Array;
import dev.solstice.Jnp;
import java.util.function.UnaryOperator;

/**
 * The benchmark function {@code f(x) = sum(sin(W x))} in float64, with {@code W_ij = 0.05 sin(256 i + j)},
 * {@code x_i = cos i} and {@code v = 1} (the same data as the peers' runs), and its derivatives in closed form
 * with plain Java loops: the oracle for Solstice's results and the baseline for its timings.
 */
final class SumSinWx {
    /** Size of the problem. */
    final int n;
    /** {@code W}, row-major n x n. */
    final double[] w;
    /** The point {@code x}. */
    final double[] x0;
    /** The direction {@code v} of the Hessian-vector product. */
    final double[] v0;
    /** {@code W}, {@code x} and {@code v} as Solstice arrays. */
    final Array wa;
    final Array x;
    final Array v;
    /** {@code f} written with Solstice operations. */
    final UnaryOperator<Array> f;

    SumSinWx(int n) {
        this.n = n;
        w = new double[n * n];
        x0 = new double[n];
        v0 = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                w[i * n + j] = 0.05 * Math.sin(256.0 * i + j);
            }
            x0[i] = Math.cos(i);
            v0[i] = 1;
        }
        wa = Array.of(w, n, n);
        x = Array.of(x0);
        v = Array.of(v0);
        Array weights = wa;
        f = z -> Jnp.sum(Jnp.sin(Jnp.matmul(weights, z)));
    }

    /** {@code W^T cos(W x)}. */
    double[] gradient() {
        double[] wx = matVec(w, x0);
        for (int i = 0; i < wx.length; i++) {
            wx[i] = Math.cos(wx[i]);
        }
        return matTVec(w, wx);
    }

    /** {@code W^T (-sin(W x) * (W v))}. */
    double[] hvp() {
        double[] wx = matVec(w, x0);
        double[] wv = matVec(w, v0);
        for (int i = 0; i < wx.length; i++) {
            wx[i] = -Math.sin(wx[i]) * wv[i];
        }
        return matTVec(w, wx);
    }

    /** {@code W^T diag(-sin(W x)) W}, row-major n x n. */
    double[] hessian() {
        double[] d = matVec(w, x0);
        for (int k = 0; k < n; k++) {
            d[k] = -Math.sin(d[k]);
        }
        double[] h = new double[n * n];
        for (int k = 0; k < n; k++) {
            double dk = d[k];
            int rk = k * n;
            for (int i = 0; i < n; i++) {
                double a = w[rk + i] * dk;
                int ri = i * n;
                for (int j = 0; j < n; j++) {
                    h[ri + j] += a * w[rk + j];
                }
            }
        }
        return h;
    }

    /** Fails unless {@code actual} matches {@code expected} to 1e-12 relative to the larger of 1 and its scale. */
    static void requireClose(String what, double[] actual, double[] expected) {
        double err = Fixtures.maxAbsDiff(actual, expected);
        Fixtures.require(err <= 1e-12 * Math.max(1, Fixtures.maxAbs(expected)), what, err);
    }

    private static double[] matVec(double[] m, double[] x) {
        int n = x.length;
        double[] r = new double[m.length / n];
        for (int i = 0; i < r.length; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += m[i * n + j] * x[j];
            }
            r[i] = s;
        }
        return r;
    }

    /** {@code W^T y}. */
    private static double[] matTVec(double[] m, double[] y) {
        int rows = y.length;
        int n = m.length / rows;
        double[] r = new double[n];
        for (int i = 0; i < rows; i++) {
            double yi = y[i];
            for (int j = 0; j < n; j++) {
                r[j] += m[i * n + j] * yi;
            }
        }
        return r;
    }
}
