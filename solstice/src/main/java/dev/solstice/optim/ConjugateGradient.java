package dev.solstice.optim;

import java.util.function.UnaryOperator;

/**
 * The conjugate gradient method for {@code A x = b} with a symmetric positive definite {@code A} known through
 * products, in double arithmetic, from {@code x = 0}: the inner solver of {@link NewtonCg} and
 * {@link LevenbergMarquardt}. Stops after {@code maxIterations}, when the residual's norm falls below
 * {@code tolerance * |b|}, or on negative curvature ({@code p^T A p <= 0}; the iterate so far is returned, or
 * {@code b} itself when that happens at once, as truncated Newton methods do).
 */
final class ConjugateGradient {
    private ConjugateGradient() {}

    /**
     * The solution and how it ended.
     *
     * @param x the approximate solution
     * @param iterations products used
     * @param negativeCurvature whether a direction of non-positive curvature stopped it
     */
    record Solution(double[] x, int iterations, boolean negativeCurvature) {}

    static Solution solve(UnaryOperator<double[]> a, double[] b, int maxIterations, double tolerance) {
        int n = b.length;
        double[] x = new double[n];
        double[] r = b.clone();
        double[] p = b.clone();
        double rr = dot(r, r);
        double stop = tolerance * tolerance * rr;
        int k = 0;
        while (k < maxIterations && rr > stop && rr > 0) {
            double[] ap = a.apply(p.clone());
            k++;
            double pap = dot(p, ap);
            if (!(pap > 0)) {
                return new Solution(k == 1 ? b.clone() : x, k, true);
            }
            double alpha = rr / pap;
            for (int i = 0; i < n; i++) {
                x[i] += alpha * p[i];
                r[i] -= alpha * ap[i];
            }
            double next = dot(r, r);
            double beta = next / rr;
            rr = next;
            for (int i = 0; i < n; i++) {
                p[i] = r[i] + beta * p[i];
            }
        }
        return new Solution(x, k, false);
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
