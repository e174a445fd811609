package dev.solstice.curvature;

import java.util.List;

/**
 * Extreme eigenvalues of a Hessian (or another curvature operator) and their eigenvectors as trees of the
 * parameters' structure.
 *
 * @param values the eigenvalues, in the order asked for (descending for the top, ascending for the bottom)
 * @param vectors unit eigenvectors (in the raveled parameters' norm), one per value
 * @param lanczosSteps the Lanczos steps taken
 * @param <T> the parameters' tree type
 */
public record Eigen<T>(double[] values, List<T> vectors, int lanczosSteps) {
    /** Copies the values. */
    public Eigen {
        values = values.clone();
        vectors = List.copyOf(vectors);
    }

    /** A copy of the eigenvalues. */
    @Override
    public double[] values() {
        return values.clone();
    }
}
