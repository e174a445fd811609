package dev.solstice.curvature;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An estimate of a Hessian's eigenvalue density (stochastic Lanczos quadrature, PyHessian's method): the
 * average over random starts of the Gauss quadrature nodes (Ritz values) and weights, each node smoothed by a
 * Gaussian of width {@code sigma}, on a grid. The density integrates to about 1 over the grid.
 *
 * {@snippet lang=java :
 * UnaryOperator<Array> loss = x -> Jnp.sum(Jnp.multiply(Array.of(1.0, 2.0, 3.0), Jnp.square(x)));
 * Density d = Curvature.spectralDensity(loss, Array.of(0.5, 0.5, 0.5), 2, 3, Prng.key(0), 0.5);
 * d.density().length              // 1000
 * d.at(100.0)                     // 0.0
 * }
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

    /**
     * A copy of the grid.
     *
     * {@snippet lang=java :
     * Density d = new Density(new double[] {0, 1, 2}, new double[] {0, 1, 0}, new double[] {1}, new double[] {1}, 0.1);
     * d.grid()                        // [0.0, 1.0, 2.0]
     * }
     */
    @Override
    public double[] grid() {
        return grid.clone();
    }

    /**
     * A copy of the density.
     *
     * {@snippet lang=java :
     * Density d = new Density(new double[] {0, 1, 2}, new double[] {0, 1, 0}, new double[] {1}, new double[] {1}, 0.1);
     * d.density()                     // [0.0, 1.0, 0.0]
     * }
     */
    @Override
    public double[] density() {
        return density.clone();
    }

    /**
     * A copy of the nodes.
     *
     * {@snippet lang=java :
     * Density d = new Density(new double[] {0, 1, 2}, new double[] {0, 1, 0}, new double[] {1, 3}, new double[] {0.5, 0.5}, 0.1);
     * d.nodes()                       // [1.0, 3.0]
     * }
     */
    @Override
    public double[] nodes() {
        return nodes.clone();
    }

    /**
     * A copy of the weights.
     *
     * {@snippet lang=java :
     * Density d = new Density(new double[] {0, 1, 2}, new double[] {0, 1, 0}, new double[] {1, 3}, new double[] {0.5, 0.5}, 0.1);
     * d.weights()                     // [0.5, 0.5]
     * }
     */
    @Override
    public double[] weights() {
        return weights.clone();
    }

    /**
     * The density at {@code x}: the smoothed quadrature, as on the grid.
     *
     * {@snippet lang=java :
     * // one node at 0 with weight 1 and width 1: the standard normal density
     * Density d = new Density(new double[] {0}, new double[] {0.3989}, new double[] {0}, new double[] {1}, 1.0);
     * d.at(0.0)                       // 0.3989
     * d.at(1.0)                       // 0.2420
     * }
     */
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
     * {@snippet lang=java :
     * UnaryOperator<Array> loss = x -> Jnp.sum(Jnp.multiply(Array.of(1.0, 2.0, 3.0), Jnp.square(x)));
     * Density d = Curvature.spectralDensity(loss, Array.of(0.5, 0.5, 0.5), 2, 3, Prng.key(0));
     * Path png = Files.createTempFile("density", ".png");
     * d.savePng(png);
     * Files.size(png) > 0             // true
     * }
     *
     * @param file the PNG to write
     * @throws IOException when it cannot be written
     */
    public void savePng(Path file) throws IOException {
        DensityPlot.write(this, file);
    }
}
