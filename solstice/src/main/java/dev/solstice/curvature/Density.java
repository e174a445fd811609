package dev.solstice.curvature;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An estimate of a Hessian's eigenvalue density (stochastic Lanczos quadrature, PyHessian's method): the
 * average over random starts of the Gauss quadrature nodes (Ritz values) and weights, each node smoothed by a
 * Gaussian of width {@code sigma}, on a grid. The density integrates to about 1 over the grid.
 *
 * @param grid the eigenvalue axis, increasing
 * @param density the density at each grid point
 * @param nodes every run's quadrature nodes, concatenated
 * @param weights their weights (each run's sum to 1), divided by the number of runs
 * @param sigma the smoothing width
 */
public record Density(double[] grid, double[] density, double[] nodes, double[] weights, double sigma) {
    /** Copies the arrays. */
    public Density {
        grid = grid.clone();
        density = density.clone();
        nodes = nodes.clone();
        weights = weights.clone();
    }

    /** A copy of the grid. */
    @Override
    public double[] grid() {
        return grid.clone();
    }

    /** A copy of the density. */
    @Override
    public double[] density() {
        return density.clone();
    }

    /** A copy of the nodes. */
    @Override
    public double[] nodes() {
        return nodes.clone();
    }

    /** A copy of the weights. */
    @Override
    public double[] weights() {
        return weights.clone();
    }

    /** The density at {@code x}: the smoothed quadrature, as on the grid. */
    public double at(double x) {
        double s = 0;
        for (int j = 0; j < nodes.length; j++) {
            double z = (x - nodes[j]) / sigma;
            s += weights[j] * Math.exp(-0.5 * z * z) / (sigma * Math.sqrt(2 * Math.PI));
        }
        return s;
    }

    /**
     * Writes the density as a PNG line chart (log-scaled density axis, as PyHessian plots it), atomically.
     *
     * @param file the PNG to write
     * @throws IOException when it cannot be written
     */
    public void savePng(Path file) throws IOException {
        DensityPlot.write(this, file);
    }
}
