package dev.solstice.curvature;

import java.util.List;

/**
 * Extreme eigenvalues of a Hessian (or another curvature operator) and their eigenvectors as trees of the
 * parameters' structure.
 *
 * {@snippet lang=java :
 * UnaryOperator<Array> loss = x -> Jnp.sum(Jnp.multiply(Array.of(1.0, 2.0, 3.0), Jnp.square(x)));
 * Eigen<Array> e = Curvature.topEigenvalues(loss, Array.of(0.5, 0.5, 0.5), 2, Prng.key(0), 3);
 * e.values()                      // [6.0, 4.0]
 * e.vectors().size()              // 2
 * }
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

    /**
     * A copy of the eigenvalues.
     *
     * {@snippet lang=java :
     * Eigen<Array> e = new Eigen<>(new double[] {3.0, 1.0}, List.of(Array.of(1.0, 0.0), Array.of(0.0, 1.0)), 2);
     * e.values()                      // [3.0, 1.0]
     * }
     */
    @Override
    public double[] values() {
        return values.clone();
    }
}
