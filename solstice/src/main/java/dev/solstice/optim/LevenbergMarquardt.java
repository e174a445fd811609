package dev.solstice.optim;

import dev.solstice.Array;
import dev.solstice.Jax;
import dev.solstice.JvpResult;
import dev.solstice.Jnp;
import dev.solstice.VjpResult;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Levenberg-Marquardt (damped Gauss-Newton) for least squares: minimises {@code 1/2 |r(params)|^2} over a
 * parameter tree, {@code r} returning residuals of any shape. Each iteration solves
 * {@code (J^T J + lambda I) p = -J^T r} by conjugate gradients on Gauss-Newton products (a JVP then a VJP, never
 * the Jacobian itself), accepts the step when the cost falls (then {@code lambda /= 3}) and otherwise raises
 * {@code lambda} (times 2) and solves again: Gauss-Newton near a good fit, gradient descent far from one. The
 * linear algebra runs in double.
 *
 * {@snippet lang=java :
 * // fit a * t to the points (1, 2), (2, 4), (3, 6)
 * Array t = Array.of(1.0, 2.0, 3.0);
 * Function<Array, Array> residuals = a -> Jnp.subtract(Jnp.multiply(a, t), Array.of(2.0, 4.0, 6.0));
 * LevenbergMarquardt.minimize(residuals, Array.scalar(0.0), LevenbergMarquardt.Options.defaults()).params()   // 2.0
 * }
 */
public final class LevenbergMarquardt {
    private LevenbergMarquardt() {}

    /**
     * The options.
     *
     * {@snippet lang=java :
     * LevenbergMarquardt.Options o = new LevenbergMarquardt.Options(50, 1e-2, 20, 1e-8);
     * o.initialDamping()              // 0.01
     * new LevenbergMarquardt.Options(50, 0, 20, 1e-8)   // throws IllegalArgumentException
     * }
     *
     * @param maxIterations accepted or rejected steps at most, positive
     * @param initialDamping the starting lambda, positive
     * @param cgIterations conjugate-gradient iterations per step at most, positive
     * @param gradientTolerance stop when {@code |J^T r|} is at most this
     */
    public record Options(int maxIterations, double initialDamping, int cgIterations, double gradientTolerance) {
        /** Checks the numbers. */
        public Options {
            if (maxIterations <= 0 || !(initialDamping > 0) || cgIterations <= 0 || !(gradientTolerance >= 0)) {
                throw new IllegalArgumentException("LevenbergMarquardt.Options: iterations and damping must be positive"
                        + " and the tolerance non-negative, got " + maxIterations + ", " + initialDamping + ", "
                        + cgIterations + ", " + gradientTolerance);
            }
        }

        /**
         * 200 steps, lambda 1e-3, 100 CG iterations per step, gradient tolerance 1e-10.
         *
         * {@snippet lang=java :
         * LevenbergMarquardt.Options.defaults()   // Options[maxIterations=200, initialDamping=0.001, cgIterations=100, gradientTolerance=1.0E-10]
         * }
         */
        public static Options defaults() {
            return new Options(200, 1e-3, 100, 1e-10);
        }
    }

    /**
     * What a minimisation reached.
     *
     * {@snippet lang=java :
     * UnaryOperator<Array> residuals = q -> Jnp.subtract(Jnp.multiply(q, Array.of(1.0, 2.0)), Array.of(3.0, 4.0));
     * LevenbergMarquardt.Result<Array> r = LevenbergMarquardt.minimize(residuals, Array.of(0.0, 0.0),
     *         LevenbergMarquardt.Options.defaults());
     * r.params()                      // [3.0, 2.0]
     * r.cost()                        // 0.0
     * r.converged()                   // true
     * }
     *
     * @param params the final parameters
     * @param cost {@code 1/2 |r|^2} there
     * @param gradientNorm {@code |J^T r|} there
     * @param iterations the steps tried (accepted and rejected)
     * @param damping the final lambda
     * @param converged whether the gradient tolerance was met
     * @param <T> the parameters' tree type
     */
    public record Result<T>(T params, double cost, double gradientNorm, int iterations, double damping, boolean converged) {}

    /**
     * Minimises {@code 1/2 |residuals(params)|^2} from {@code params}.
     *
     * {@snippet lang=java :
     * UnaryOperator<Array> residuals = q -> Jnp.subtract(Jnp.multiply(q, Array.of(1.0, 2.0)), Array.of(3.0, 4.0));
     * LevenbergMarquardt.minimize(residuals, Array.of(0.0, 0.0), LevenbergMarquardt.Options.defaults()).params()   // [3.0, 2.0]
     * }
     *
     * @param residuals the residuals as a function of the parameters (any shape)
     * @param params the starting parameters (a tree of float arrays)
     * @param options the options
     * @param <T> the parameters' tree type
     * @return the result
     */
    public static <T> Result<T> minimize(Function<T, Array> residuals, T params, Options options) {
        FlatProblem<T> prob = new FlatProblem<>("LevenbergMarquardt.minimize", params);
        UnaryOperator<Array> r = t -> Jnp.ravel(residuals.apply(prob.raveled.unravel().apply(t)));
        Array theta = prob.raveled.flat();
        double lambda = options.initialDamping();
        VjpResult<Array, Array> lin = Jax.vjp(r, theta);
        double cost = halfSquaredNorm(lin.primal());
        double[] g = FlatProblem.doubles(lin.pullback().apply(lin.primal()));
        for (int it = 0; it < options.maxIterations(); it++) {
            double gnorm = Math.sqrt(ConjugateGradient.dot(g, g));
            if (gnorm <= options.gradientTolerance()) {
                return new Result<>(prob.raveled.unravel().apply(theta), cost, gnorm, it, lambda, true);
            }
            Array point = theta;
            VjpResult<Array, Array> pullAt = lin;
            double damping = lambda;
            UnaryOperator<double[]> normal = v -> {
                JvpResult<Array> jv = Jax.jvp(r, point, prob.vector(v));
                double[] out = FlatProblem.doubles(pullAt.pullback().apply(jv.tangent()));
                for (int i = 0; i < out.length; i++) {
                    out[i] += damping * v[i];
                }
                return out;
            };
            double[] minusG = new double[g.length];
            for (int i = 0; i < g.length; i++) {
                minusG[i] = -g[i];
            }
            double[] p = ConjugateGradient.solve(normal, minusG, options.cgIterations(), 1e-10).x();
            double[] x = FlatProblem.doubles(theta);
            for (int i = 0; i < x.length; i++) {
                x[i] += p[i];
            }
            Array candidate = prob.vector(x);
            VjpResult<Array, Array> next = Jax.vjp(r, candidate);
            double nextCost = halfSquaredNorm(next.primal());
            if (nextCost < cost) {
                theta = candidate;
                lin = next;
                cost = nextCost;
                g = FlatProblem.doubles(next.pullback().apply(next.primal()));
                lambda = Math.max(lambda / 3, 1e-15);
            } else {
                lambda *= 2;
                if (lambda > 1e16) { // no step decreases the cost: a minimum to rounding
                    return new Result<>(prob.raveled.unravel().apply(theta), cost, gnorm, it + 1, lambda, false);
                }
            }
        }
        double gnorm = Math.sqrt(ConjugateGradient.dot(g, g));
        return new Result<>(prob.raveled.unravel().apply(theta), cost, gnorm, options.maxIterations(), lambda,
                gnorm <= options.gradientTolerance());
    }

    private static double halfSquaredNorm(Array r) {
        double[] v = FlatProblem.doubles(r);
        return 0.5 * ConjugateGradient.dot(v, v);
    }
}
