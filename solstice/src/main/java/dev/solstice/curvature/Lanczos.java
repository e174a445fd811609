package dev.solstice.curvature;

import java.util.function.UnaryOperator;

/**
 * The Lanczos iteration with full reorthogonalisation (two Gram-Schmidt passes against every earlier Lanczos
 * vector, so converged eigenvalues do not reappear as spurious copies), in double arithmetic, on a symmetric
 * operator known through matrix-vector products. After {@code m} steps the eigenvalues of the tridiagonal
 * matrix (Ritz values) approximate the operator's extreme eigenvalues, and with the squared first components of
 * its eigenvectors they form the Gauss quadrature behind stochastic Lanczos quadrature.
 *
 * @param basis the Lanczos vectors, one per step taken (orthonormal)
 * @param ritz the tridiagonal matrix's eigen-decomposition (values descending)
 * @param lastBeta the norm of the residual after the last step (0 when the Krylov space was exhausted): Ritz
 *     pair j's residual {@code |A x - theta x|} is {@code lastBeta * |y_j[m-1]|}
 */
record Lanczos(double[][] basis, SymmetricEigen ritz, double lastBeta) {

    /** {@code steps} steps (fewer when the Krylov space is exhausted) from the unit vector along {@code start}. */
    static Lanczos run(UnaryOperator<double[]> matvec, double[] start, int steps) {
        int n = start.length;
        if (n == 0 || steps <= 0) {
            throw new IllegalArgumentException("Lanczos: the dimension and steps must be positive, got " + n + " and " + steps);
        }
        if (!(norm(start) > 0)) {
            throw new IllegalArgumentException("Lanczos: the starting vector is zero or not finite");
        }
        int m = Math.min(steps, n);
        double[][] q = new double[m][];
        double[] alpha = new double[m];
        double[] beta = new double[m];
        double[] v = start.clone();
        scale(v, 1 / norm(v));
        int k = 0;
        double lastBeta = 0;
        while (k < m) {
            q[k] = v;
            double[] w = matvec.apply(v.clone());
            if (w.length != n) {
                throw new IllegalArgumentException("Lanczos: the product has " + w.length + " elements, expected " + n);
            }
            for (double x : w) {
                if (!Double.isFinite(x)) {
                    throw new IllegalArgumentException("Lanczos: a Hessian-vector product is not finite at step " + k
                            + "; check the loss at these parameters");
                }
            }
            alpha[k] = dot(w, v);
            for (int pass = 0; pass < 2; pass++) {
                for (int j = 0; j <= k; j++) {
                    axpy(-dot(w, q[j]), q[j], w);
                }
            }
            k++;
            double b = norm(w);
            if (b <= 1e-12 * Math.max(1, Math.abs(alpha[k - 1]))) {
                lastBeta = 0;
                break;
            }
            lastBeta = b;
            if (k == m) {
                break;
            }
            beta[k - 1] = b;
            scale(w, 1 / b);
            v = w;
        }
        double[][] t = new double[k][k];
        for (int i = 0; i < k; i++) {
            t[i][i] = alpha[i];
            if (i + 1 < k) {
                t[i][i + 1] = beta[i];
                t[i + 1][i] = beta[i];
            }
        }
        double[][] basis = new double[k][];
        System.arraycopy(q, 0, basis, 0, k);
        return new Lanczos(basis, SymmetricEigen.of(t), lastBeta);
    }

    /** The number of steps taken. */
    int steps() {
        return basis.length;
    }

    /** The Ritz vector of Ritz value {@code j} (descending order) in the operator's space. */
    double[] ritzVector(int j) {
        double[] y = ritz.vectors()[j];
        double[] out = new double[basis[0].length];
        for (int i = 0; i < basis.length; i++) {
            axpy(y[i], basis[i], out);
        }
        return out;
    }

    /** Ritz pair {@code j}'s residual norm {@code |A x_j - theta_j x_j|} (exact in exact arithmetic). */
    double residual(int j) {
        double[] y = ritz.vectors()[j];
        return lastBeta * Math.abs(y[y.length - 1]);
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    static void scale(double[] a, double s) {
        for (int i = 0; i < a.length; i++) {
            a[i] *= s;
        }
    }

    static void axpy(double alpha, double[] x, double[] y) {
        for (int i = 0; i < y.length; i++) {
            y[i] += alpha * x[i];
        }
    }
}
