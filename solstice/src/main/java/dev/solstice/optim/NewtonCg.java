package dev.solstice.optim;

import dev.solstice.Array;
import dev.solstice.Jax;
import dev.solstice.ValueAndGrad;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Newton-CG (truncated Newton) minimisation of a scalar loss of a parameter tree: each iteration solves
 * {@code (H + damping I) p = -g} approximately by conjugate gradients on Hessian-vector products (forward over
 * reverse, never a dense Hessian), then takes the longest step {@code t p}, {@code t = 1, 1/2, ...}, that
 * decreases the loss enough (Armijo). A direction of negative curvature met by CG is not followed past it (the
 * steepest-descent direction is used when it is met first), so the method stays a descent method on non-convex
 * losses. The linear algebra runs in double; the loss is differentiated in the parameters' dtype.
 *
 * {@snippet lang=java :
 * UnaryOperator<Array> rosen = p -> Jnp.add(Jnp.square(Jnp.subtract(1.0, p.get(0))),
 *         Jnp.multiply(Jnp.square(Jnp.subtract(p.get(1), Jnp.square(p.get(0)))), 100.0));
 * NewtonCg.minimize(rosen, Array.of(-1.2, 1.0), NewtonCg.Options.defaults()).converged()   // true
 * }
 */
public final class NewtonCg {
    private NewtonCg() {}

    /**
     * The options.
     *
     * {@snippet lang=java :
     * NewtonCg.Options o = new NewtonCg.Options(20, 10, 1e-6, 1e-8);
     * o.cgIterations()                // 10
     * new NewtonCg.Options(0, 10, 0, 0)   // throws IllegalArgumentException
     * }
     *
     * @param maxIterations Newton iterations at most, positive
     * @param cgIterations conjugate-gradient iterations (Hessian-vector products) per Newton step at most, positive
     * @param damping added to the Hessian's diagonal (0 for plain Newton), non-negative
     * @param gradientTolerance stop when the gradient's norm is at most this
     */
    public record Options(int maxIterations, int cgIterations, double damping, double gradientTolerance) {
        /** Checks the numbers. */
        public Options {
            if (maxIterations <= 0 || cgIterations <= 0 || !(damping >= 0) || !(gradientTolerance >= 0)) {
                throw new IllegalArgumentException("NewtonCg.Options: iterations must be positive and damping and"
                        + " tolerance non-negative, got " + maxIterations + ", " + cgIterations + ", " + damping + ", "
                        + gradientTolerance);
            }
        }

        /**
         * 100 iterations, 100 CG iterations per step, no damping, gradient tolerance 1e-10.
         *
         * {@snippet lang=java :
         * NewtonCg.Options.defaults()     // Options[maxIterations=100, cgIterations=100, damping=0.0, gradientTolerance=1.0E-10]
         * }
         */
        public static Options defaults() {
            return new Options(100, 100, 0, 1e-10);
        }
    }

    /**
     * What a minimisation reached.
     *
     * {@snippet lang=java :
     * UnaryOperator<Array> loss = p -> Jnp.sum(Jnp.square(Jnp.subtract(p, Array.of(1.0, -2.0))));
     * NewtonCg.Result<Array> r = NewtonCg.minimize(loss, Array.of(0.0, 0.0), NewtonCg.Options.defaults());
     * r.params()                      // [1.0, -2.0]
     * r.iterations()                  // 1
     * r.converged()                   // true
     * }
     *
     * @param params the final parameters
     * @param loss the loss there
     * @param gradientNorm the gradient's norm there
     * @param iterations the Newton iterations taken
     * @param hessianVectorProducts the Hessian-vector products used in all
     * @param converged whether the gradient tolerance was met
     * @param <T> the parameters' tree type
     */
    public record Result<T>(T params, double loss, double gradientNorm, int iterations, int hessianVectorProducts,
            boolean converged) {}

    /**
     * Minimises {@code loss} from {@code params}.
     *
     * {@snippet lang=java :
     * // a quadratic: one Newton step reaches the minimum
     * UnaryOperator<Array> loss = p -> Jnp.sum(Jnp.square(Jnp.subtract(p, Array.of(1.0, -2.0))));
     * NewtonCg.minimize(loss, Array.of(0.0, 0.0), NewtonCg.Options.defaults()).loss()   // 0.0
     * }
     *
     * @param loss the loss, a scalar function of the parameters
     * @param params the starting parameters (a tree of float arrays)
     * @param options the options
     * @param <T> the parameters' tree type
     * @return the result
     */
    public static <T> Result<T> minimize(Function<T, Array> loss, T params, Options options) {
        FlatProblem<T> prob = new FlatProblem<>("NewtonCg.minimize", params);
        UnaryOperator<Array> f = prob.scalarOfFlat(loss);
        Function<Array, ValueAndGrad<Array>> vg = Jax.valueAndGrad(f);
        Array theta = prob.raveled.flat();
        int products = 0;
        for (int it = 0; it < options.maxIterations(); it++) {
            ValueAndGrad<Array> at = vg.apply(theta);
            double value = at.value().item();
            double[] g = FlatProblem.doubles(at.grad());
            double gnorm = Math.sqrt(ConjugateGradient.dot(g, g));
            if (gnorm <= options.gradientTolerance()) {
                return new Result<>(prob.raveled.unravel().apply(theta), value, gnorm, it, products, true);
            }
            double[] minusG = new double[g.length];
            for (int i = 0; i < g.length; i++) {
                minusG[i] = -g[i];
            }
            Array point = theta;
            UnaryOperator<double[]> hessian = v -> {
                double[] hv = FlatProblem.doubles(Jax.hvp(f, point, prob.vector(v)));
                for (int i = 0; i < hv.length; i++) {
                    hv[i] += options.damping() * v[i];
                }
                return hv;
            };
            // forcing term min(0.1, |g|) |g| (Nocedal and Wright, 7.1): quadratic convergence near the minimum
            ConjugateGradient.Solution p = ConjugateGradient.solve(hessian, minusG, options.cgIterations(),
                    Math.min(0.1, gnorm));
            products += p.iterations();
            double slope = ConjugateGradient.dot(g, p.x());
            double t = 1;
            Array next = null;
            for (int halvings = 0; halvings < 60; halvings++) {
                Array candidate = step(prob, theta, p.x(), t);
                double v = f.apply(candidate).item();
                if (v <= value + 1e-4 * t * slope) {
                    next = candidate;
                    break;
                }
                t /= 2;
            }
            if (next == null) { // no decrease at any step length: a stationary point to rounding
                return new Result<>(prob.raveled.unravel().apply(theta), value, gnorm, it, products, false);
            }
            theta = next;
        }
        ValueAndGrad<Array> end = vg.apply(theta);
        double[] g = FlatProblem.doubles(end.grad());
        double gnorm = Math.sqrt(ConjugateGradient.dot(g, g));
        return new Result<>(prob.raveled.unravel().apply(theta), end.value().item(), gnorm, options.maxIterations(), products,
                gnorm <= options.gradientTolerance());
    }

    private static Array step(FlatProblem<?> prob, Array theta, double[] direction, double t) {
        double[] x = FlatProblem.doubles(theta);
        for (int i = 0; i < x.length; i++) {
            x[i] += t * direction[i];
        }
        return prob.vector(x);
    }
}
