package dev.solstice.curvature;

import dev.solstice.Array;
import dev.solstice.Jax;
import dev.solstice.JvpResult;
import dev.solstice.Jnp;
import dev.solstice.Prng;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Curvature of a loss at given parameters without ever forming a dense Hessian: Hessian-, Gauss-Newton- and
 * Fisher-vector products, extreme eigenvalues with eigenvectors (Lanczos), trace estimates (Hutchinson, Hutch++),
 * the Hessian diagonal, and the eigenvalue density (stochastic Lanczos quadrature, as PyHessian). Parameters are
 * any tree of float arrays ({@code Array}, a model, a list); a loss is a {@code Function<T, Array>} returning a
 * scalar; vectors travel as trees of the parameters' structure and are raveled in {@code Tree.ravel} order
 * (norms and inner products are those of the raveled vector). Random probes come from a {@link Prng} key, so
 * results are reproducible.
 *
 * {@snippet lang=java :
 * UnaryOperator<Array> loss = x -> Jnp.sum(Jnp.multiply(Array.of(1.0, 2.0, 3.0), Jnp.square(x)));
 * Curvature.topEigenvalues(loss, Array.of(0.5, 0.5, 0.5), 1, Prng.key(0)).values()[0]   // 6.0
 * }
 */
public final class Curvature {
    private Curvature() {}

    /**
     * {@code H v}: the Hessian of {@code loss} at {@code params} times {@code v} (forward over reverse).
     *
     * {@snippet lang=java :
     * UnaryOperator<Array> loss = x -> Jnp.sum(Jnp.multiply(Array.of(1.0, 2.0, 3.0), Jnp.square(x)));
     * Curvature.hessianVectorProduct(loss, Array.of(0.5, 0.5, 0.5), Array.of(1.0, 1.0, 1.0))   // [2.0, 4.0, 6.0]
     * }
     */
    public static <T> T hessianVectorProduct(Function<T, Array> loss, T params, T v) {
        return Jax.hvp(loss, params, v);
    }

    /**
     * The generalised Gauss-Newton product {@code J^T H_L J v}: {@code J} the Jacobian of the network's outputs
     * with respect to the parameters, {@code H_L} the Hessian of the loss with respect to the outputs. Never
     * forms either matrix: one JVP, one Hessian-vector product in output space, one VJP.
     *
     * {@snippet lang=java :
     * // outputs 2x, loss |o|^2: J = 2I, H_L = 2I, so J^T H_L J v = 8 v
     * Curvature.ggnVectorProduct((Array x) -> Jnp.multiply(x, 2.0), o -> Jnp.sum(Jnp.square(o)),
     *         Array.of(1.0, 1.0), Array.of(1.0, 0.0))   // [8.0, 0.0]
     * }
     *
     * @param outputFn the network's outputs (any array) as a function of the parameters
     * @param lossOfOutput the loss as a function of those outputs, a scalar
     * @param params the parameters
     * @param v the vector, a tree of the parameters' structure
     * @param <T> the parameters' tree type
     * @return {@code J^T H_L J v}, a tree of the parameters' structure
     */
    public static <T> T ggnVectorProduct(Function<T, Array> outputFn, Function<Array, Array> lossOfOutput, T params, T v) {
        JvpResult<Array> jv = Jax.jvp(outputFn, params, v);
        Array hjv = Jax.hvp(lossOfOutput, jv.primal(), jv.tangent());
        return Jax.vjp(outputFn, params).pullback().apply(hjv);
    }

    /**
     * The Fisher information of a categorical model times {@code v}, for the mean negative log-likelihood over
     * rows: {@code (1/n) sum_i J_i^T (diag(p_i) - p_i p_i^T) J_i v} with {@code p_i = softmax(logits_i)}. It
     * equals the Gauss-Newton product of the softmax cross-entropy and needs no labels.
     *
     * {@snippet lang=java :
     * // logits = params, p = softmax(0, 0) = (1/2, 1/2): (diag(p) - p p^T) v
     * Curvature.fisherVectorProduct((Array x) -> x, Array.of(0.0, 0.0), Array.of(1.0, 0.0))   // [0.25, -0.25]
     * }
     *
     * @param logitsFn the logits {@code [n, classes]} (or {@code [classes]}) as a function of the parameters
     * @param params the parameters
     * @param v the vector
     * @param <T> the parameters' tree type
     * @return the Fisher-vector product
     */
    public static <T> T fisherVectorProduct(Function<T, Array> logitsFn, T params, T v) {
        JvpResult<Array> jv = Jax.jvp(logitsFn, params, v);
        Array logits = jv.primal();
        int rows = logits.ndim() == 1 ? 1 : logits.shape()[0];
        Array p = dev.solstice.Nn.softmax(logits, -1);
        Array u = jv.tangent();
        Array pu = Jnp.multiply(p, u);
        Array hu = Jnp.divide(Jnp.subtract(pu, Jnp.multiply(p, Jnp.sum(pu, new int[] {-1}, true))), (double) rows);
        return Jax.vjp(logitsFn, params).pullback().apply(hu);
    }

    /**
     * The {@code k} largest Hessian eigenvalues, with eigenvectors, by Lanczos run until converged: from
     * {@code max(3k, 20)} steps, doubling (from the same start) until every wanted Ritz pair's residual
     * {@code |H x - theta x|} is below {@code 1e-8} of the largest Ritz value's magnitude, or the Krylov space is
     * exhausted. Clustered eigenvalues need many more steps than well separated ones; a fixed count can be
     * asked for with {@link #topEigenvalues(Function, Object, int, Array, int)}.
     *
     * {@snippet lang=java :
     * UnaryOperator<Array> loss = x -> Jnp.sum(Jnp.multiply(Array.of(1.0, 2.0, 3.0), Jnp.square(x)));
     * Eigen<Array> e = Curvature.topEigenvalues(loss, Array.of(0.5, 0.5, 0.5), 1, Prng.key(0));
     * e.values()[0]                   // 6.0
     * Math.abs(e.vectors().get(0).get(2).item())   // 1.0
     * }
     */
    public static <T> Eigen<T> topEigenvalues(Function<T, Array> loss, T params, int k, Array key) {
        return extreme("topEigenvalues", loss, params, k, key, -1, true);
    }

    /**
     * The {@code k} largest eigenvalues of the Hessian of {@code loss} at {@code params}, descending, with unit
     * eigenvectors: Ritz pairs of {@code steps} Lanczos steps (full reorthogonalisation) from a Gaussian start
     * drawn from {@code key}. With {@code steps} equal to the number of parameters they are exact to rounding.
     *
     * {@snippet lang=java :
     * UnaryOperator<Array> loss = x -> Jnp.sum(Jnp.multiply(Array.of(1.0, 2.0, 3.0), Jnp.square(x)));
     * Curvature.topEigenvalues(loss, Array.of(0.5, 0.5, 0.5), 2, Prng.key(0), 3).values()   // [6.0, 4.0]
     * }
     *
     * @param loss the loss, a scalar
     * @param params the parameters
     * @param k how many, positive
     * @param key the Prng key of the starting vector
     * @param steps Lanczos steps (capped at the number of parameters)
     * @param <T> the parameters' tree type
     * @return the eigenvalues and eigenvectors
     */
    public static <T> Eigen<T> topEigenvalues(Function<T, Array> loss, T params, int k, Array key, int steps) {
        return extreme("topEigenvalues", loss, params, k, key, steps, true);
    }

    /**
     * The {@code k} smallest Hessian eigenvalues, ascending, with eigenvectors (as {@link #topEigenvalues}).
     *
     * {@snippet lang=java :
     * UnaryOperator<Array> loss = x -> Jnp.sum(Jnp.multiply(Array.of(1.0, 2.0, 3.0), Jnp.square(x)));
     * Curvature.bottomEigenvalues(loss, Array.of(0.5, 0.5, 0.5), 1, Prng.key(0)).values()   // [2.0]
     * }
     */
    public static <T> Eigen<T> bottomEigenvalues(Function<T, Array> loss, T params, int k, Array key) {
        return extreme("bottomEigenvalues", loss, params, k, key, -1, false);
    }

    /**
     * The {@code k} smallest Hessian eigenvalues, ascending, with {@code steps} Lanczos steps.
     *
     * {@snippet lang=java :
     * UnaryOperator<Array> loss = x -> Jnp.sum(Jnp.multiply(Array.of(1.0, 2.0, 3.0), Jnp.square(x)));
     * Curvature.bottomEigenvalues(loss, Array.of(0.5, 0.5, 0.5), 2, Prng.key(0), 3).values()   // [2.0, 4.0]
     * }
     */
    public static <T> Eigen<T> bottomEigenvalues(Function<T, Array> loss, T params, int k, Array key, int steps) {
        return extreme("bottomEigenvalues", loss, params, k, key, steps, false);
    }

    private static <T> Eigen<T> extreme(String op, Function<T, Array> loss, T params, int k, Array key, int steps,
            boolean top) {
        boolean untilConverged = steps == -1;
        if (k <= 0 || (steps <= 0 && !untilConverged)) {
            throw new IllegalArgumentException(op + ": k and steps must be positive, got k " + k + ", steps " + steps);
        }
        FlatHessian<T> h = new FlatHessian<>(op, loss, params);
        double[] start = h.gaussian(key);
        Lanczos lz = Lanczos.run(h::apply, start, untilConverged ? Math.max(3 * k, 20) : steps);
        while (untilConverged && lz.steps() < h.size && lz.lastBeta() > 0 && !converged(lz, k, top)) {
            lz = Lanczos.run(h::apply, start, Math.min(h.size, 2 * lz.steps()));
        }
        int found = Math.min(k, lz.steps());
        double[] values = new double[found];
        List<T> vectors = new ArrayList<>();
        double[] ritz = lz.ritz().values();
        for (int i = 0; i < found; i++) {
            int j = top ? i : ritz.length - 1 - i;
            values[i] = ritz[j];
            vectors.add(h.tree(lz.ritzVector(j)));
        }
        return new Eigen<>(values, vectors, lz.steps());
    }

    /** Whether the {@code k} wanted Ritz pairs' residuals are below 1e-8 of the largest Ritz value's magnitude. */
    private static boolean converged(Lanczos lz, int k, boolean top) {
        double[] ritz = lz.ritz().values();
        double scale = Math.max(Math.abs(ritz[0]), Math.abs(ritz[ritz.length - 1]));
        for (int i = 0; i < Math.min(k, ritz.length); i++) {
            int j = top ? i : ritz.length - 1 - i;
            if (lz.residual(j) > 1e-8 * scale) {
                return false;
            }
        }
        return true;
    }

    /**
     * The random probes every estimator here draws: {@code count} vectors of {@code size} entries +-1 from
     * {@code Prng.bernoulli(key, 0.5, [count, size])}, in raveled-parameter order. Anyone replaying an estimate
     * elsewhere (another machine, a Spark job, a dense check) draws the same probes from the same key.
     *
     * {@snippet lang=java :
     * double[][] z = Curvature.rademacherProbes(Prng.key(0), 2, 3);
     * Math.abs(z[1][2])                  // 1.0
     * }
     *
     * @param key the Prng key
     * @param count how many vectors
     * @param size their length
     * @return {@code count} rows of {@code size} entries +-1
     */
    public static double[][] rademacherProbes(Array key, int count, int size) {
        // bernoulli(key, 0.5) is uniform(float32) < 0.5, and that uniform is (bits >>> 9) * 2^-23 of
        // Prng.bits(key): below one half exactly when the word's top bit is clear. Reading that bit off the words
        // gives the same probes without the float passes over count * size elements.
        int[] bits = Prng.bits(key, count, size).concrete().ints(); // read in place, not converted word by word
        double[][] rows = new double[count][size];
        for (int i = 0; i < count; i++) {
            double[] row = rows[i];
            for (int j = 0, at = i * size; j < size; j++, at++) {
                row[j] = 1 - 2 * (bits[at] >>> 31); // branch-free: the sign bits are coin flips, so a branch mispredicts
            }
        }
        return rows;
    }

    /**
     * Hutchinson's estimate of the Hessian's trace: the mean of {@code z^T H z} over {@code probes} Rademacher
     * vectors drawn from {@code key} (one compiled Hessian-vector product per probe), with its standard error.
     *
     * {@snippet lang=java :
     * // a diagonal Hessian: every Rademacher probe gives z^T H z = tr H exactly
     * UnaryOperator<Array> loss = x -> Jnp.sum(Jnp.multiply(Array.of(1.0, 2.0, 3.0), Jnp.square(x)));
     * TraceEstimate t = Curvature.hutchinsonTrace(loss, Array.of(0.5, 0.5, 0.5), 4, Prng.key(0));
     * t.mean()                        // 12.0
     * t.standardError()               // 0.0
     * }
     */
    public static <T> TraceEstimate hutchinsonTrace(Function<T, Array> loss, T params, int probes, Array key) {
        if (probes <= 0) {
            throw new IllegalArgumentException("hutchinsonTrace: probes must be positive, got " + probes);
        }
        FlatHessian<T> h = new FlatHessian<>("hutchinsonTrace", loss, params);
        double[][] z = h.rademacher(key, probes);
        double[] q = new double[probes];
        for (int i = 0; i < probes; i++) {
            q[i] = h.quadraticForm(z[i]);
        }
        return TraceEstimate.ofSamples(q, 0, probes);
    }

    /**
     * Hutch++ (Meyer, Musco, Musco and Woodruff, 2021): a third of the {@code products} Hessian-vector products
     * sketch the dominant range {@code Q}, whose trace is computed exactly ({@code tr(Q^T H Q)}), and the rest
     * estimate the trace of the deflated remainder by Hutchinson's method. Exact when the sketch spans the whole
     * space ({@code products >= 3 n}); its standard error is that of the remainder's estimate.
     *
     * {@snippet lang=java :
     * UnaryOperator<Array> loss = x -> Jnp.sum(Jnp.multiply(Array.of(1.0, 2.0, 3.0), Jnp.square(x)));
     * Curvature.hutchPlusPlus(loss, Array.of(0.5, 0.5, 0.5), 9, Prng.key(0)).mean()   // 12.0
     * }
     */
    public static <T> TraceEstimate hutchPlusPlus(Function<T, Array> loss, T params, int products, Array key) {
        if (products < 3) {
            throw new IllegalArgumentException("hutchPlusPlus: needs at least 3 products, got " + products);
        }
        FlatHessian<T> h = new FlatHessian<>("hutchPlusPlus", loss, params);
        Array[] keys = Prng.split(key, 2);
        int s = products / 3;
        double[][] y = h.applyAll(h.rademacher(keys[0], Math.min(s, h.size)));
        double[][] q = orthonormalBasis(y);
        double exact = 0;
        if (q.length > 0) {
            double[][] hq = h.applyAll(q);
            for (int i = 0; i < q.length; i++) {
                exact += Lanczos.dot(q[i], hq[i]);
            }
        }
        int rest = products - s - q.length;
        if (q.length == h.size || rest <= 0) {
            return new TraceEstimate(exact, 0, s + q.length);
        }
        double[][] g = h.rademacher(keys[1], rest);
        for (double[] gi : g) {
            for (double[] qj : q) {
                Lanczos.axpy(-Lanczos.dot(gi, qj), qj, gi);
            }
        }
        double[][] hg = h.applyAll(g);
        double[] samples = new double[rest];
        for (int i = 0; i < rest; i++) {
            samples[i] = Lanczos.dot(g[i], hg[i]);
        }
        return TraceEstimate.ofSamples(samples, exact, s + q.length + rest);
    }

    /** An orthonormal basis of the span of the rows (modified Gram-Schmidt twice; dependent rows dropped). */
    private static double[][] orthonormalBasis(double[][] rows) {
        List<double[]> basis = new ArrayList<>();
        for (double[] r : rows) {
            double[] v = r.clone();
            double before = Lanczos.norm(v);
            for (int pass = 0; pass < 2; pass++) {
                for (double[] b : basis) {
                    Lanczos.axpy(-Lanczos.dot(v, b), b, v);
                }
            }
            double n = Lanczos.norm(v);
            if (n > 1e-10 * Math.max(before, Double.MIN_NORMAL)) {
                Lanczos.scale(v, 1 / n);
                basis.add(v);
            }
        }
        return basis.toArray(double[][]::new);
    }

    /**
     * An unbiased estimate of the Hessian's diagonal: the mean of {@code z * (H z)} over {@code probes} Rademacher
     * vectors (Bekas, Kokiopoulou and Saad), as a tree of the parameters' structure.
     *
     * {@snippet lang=java :
     * UnaryOperator<Array> loss = x -> Jnp.sum(Jnp.multiply(Array.of(1.0, 2.0, 3.0), Jnp.square(x)));
     * Curvature.hessianDiagonal(loss, Array.of(0.5, 0.5, 0.5), 4, Prng.key(0))   // [2.0, 4.0, 6.0]
     * }
     */
    public static <T> T hessianDiagonal(Function<T, Array> loss, T params, int probes, Array key) {
        if (probes <= 0) {
            throw new IllegalArgumentException("hessianDiagonal: probes must be positive, got " + probes);
        }
        FlatHessian<T> h = new FlatHessian<>("hessianDiagonal", loss, params);
        double[][] z = h.rademacher(key, probes);
        double[][] hz = h.applyAll(z);
        double[] d = new double[h.size];
        for (int i = 0; i < probes; i++) {
            for (int j = 0; j < h.size; j++) {
                d[j] += z[i][j] * hz[i][j] / probes;
            }
        }
        return h.tree(d);
    }

    /**
     * The eigenvalue density by stochastic Lanczos quadrature, smoothed with 1% of the spectrum's width.
     *
     * {@snippet lang=java :
     * UnaryOperator<Array> loss = x -> Jnp.sum(Jnp.multiply(Array.of(1.0, 2.0, 3.0), Jnp.square(x)));
     * Density d = Curvature.spectralDensity(loss, Array.of(0.5, 0.5, 0.5), 2, 3, Prng.key(0));
     * d.grid().length                 // 1000
     * d.sigma()                       // 0.04
     * }
     */
    public static <T> Density spectralDensity(Function<T, Array> loss, T params, int runs, int steps, Array key) {
        return spectralDensity(loss, params, runs, steps, key, Double.NaN);
    }

    /**
     * The eigenvalue density of the Hessian by stochastic Lanczos quadrature (Ghorbani, Krishnan and Xiao; the
     * method of PyHessian): {@code runs} Lanczos runs of {@code steps} steps from Gaussian starts; each run's Ritz
     * values are quadrature nodes weighted by the squared first components of the tridiagonal's eigenvectors; the
     * average, smoothed by Gaussians of width {@code sigma} (NaN: 1% of the nodes' range), on 1000 grid points
     * spanning the nodes and 5 sigma either side.
     *
     * {@snippet lang=java :
     * UnaryOperator<Array> loss = x -> Jnp.sum(Jnp.multiply(Array.of(1.0, 2.0, 3.0), Jnp.square(x)));
     * Density d = Curvature.spectralDensity(loss, Array.of(0.5, 0.5, 0.5), 2, 3, Prng.key(0), 0.5);
     * d.sigma()                       // 0.5
     * Arrays.stream(d.weights()).sum()   // 1.0
     * }
     */
    public static <T> Density spectralDensity(Function<T, Array> loss, T params, int runs, int steps, Array key,
            double sigma) {
        if (runs <= 0 || steps <= 0) {
            throw new IllegalArgumentException("spectralDensity: runs and steps must be positive, got " + runs + ", " + steps);
        }
        FlatHessian<T> h = new FlatHessian<>("spectralDensity", loss, params);
        List<Double> nodes = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            Lanczos lz = Lanczos.run(h::apply, h.gaussian(Prng.foldIn(key, r)), steps);
            double[] values = lz.ritz().values();
            for (int j = 0; j < values.length; j++) {
                double first = lz.ritz().vectors()[j][0];
                nodes.add(values[j]);
                weights.add(first * first / runs);
            }
        }
        double lo = nodes.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double hi = nodes.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        double width = Double.isNaN(sigma) ? Math.max(0.01 * (hi - lo), 1e-6 * Math.max(1, Math.abs(hi))) : sigma;
        if (!(width > 0)) {
            throw new IllegalArgumentException("spectralDensity: sigma must be positive, got " + sigma);
        }
        double[] n = nodes.stream().mapToDouble(Double::doubleValue).toArray();
        double[] w = weights.stream().mapToDouble(Double::doubleValue).toArray();
        int points = 1000;
        double[] grid = new double[points];
        double[] dens = new double[points];
        double from = lo - 5 * width;
        double to = hi + 5 * width;
        Density shape = new Density(new double[0], new double[0], n, w, width);
        for (int i = 0; i < points; i++) {
            grid[i] = from + (to - from) * i / (points - 1);
            dens[i] = shape.at(grid[i]);
        }
        return new Density(grid, dens, n, w, width);
    }
}
