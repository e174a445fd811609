package dev.solstice.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.solstice.Array;
import dev.solstice.Eqx;
import dev.solstice.Jax;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Every optimiser against a two-step trajectory on a quadratic, with the expected numbers worked out here in
 * plain double arithmetic from Optax's published update rules (independently of the code under test).
 *
 * <p>The loss is {@code 0.5 (w0^2 + 4 w1^2) + 2 (b - 1)^2}, so the gradient is {@code (w0, 4 w1, 4 (b - 1))};
 * the parameters are a record of a vector and a scalar, starting at {@code w = (1, -2)}, {@code b = 0.5}.
 */
class OptimizerTrajectoryTest {
    record P(Array w, Array b) {}

    static final double[] X0 = {1.0, -2.0, 0.5};

    static Array loss(P p) {
        return p.w().pow(2).mul(Array.of(0.5, 2.0)).sum().add(p.b().sub(1.0).pow(2).mul(2.0));
    }

    /** The gradient of the loss, by hand. */
    static double[] grad(double[] x) {
        return new double[] {x[0], 4 * x[1], 4 * (x[2] - 1)};
    }

    static P params(double[] x) {
        return new P(Array.of(x[0], x[1]), Array.scalar(x[2]));
    }

    static double[] values(P p) {
        double[] w = p.w().toDoubleArray();
        return new double[] {w[0], w[1], p.b().item()};
    }

    /** Runs the optimiser for {@code steps} steps from {@link #X0}, gradients by Jax.grad. */
    static double[] run(GradientTransformation<?> opt, int steps) {
        P p = params(X0);
        Object state = opt.init(p);
        Function<P, P> g = Jax.grad(OptimizerTrajectoryTest::loss);
        for (int k = 0; k < steps; k++) {
            Update<?> u = Optim.update(opt, g.apply(p), state, p);
            p = Eqx.applyUpdates(p, u.updates());
            state = u.state();
        }
        return values(p);
    }

    static void check(double[] expected, GradientTransformation<?> opt) {
        assertArrayEquals(expected, run(opt, 2), 1e-12);
    }

    @Test
    void sgd() {
        double lr = 0.1;
        double[] x = X0.clone();
        for (int k = 0; k < 2; k++) {
            double[] g = grad(x);
            for (int i = 0; i < 3; i++) {
                x[i] -= lr * g[i];
            }
        }
        // step 1: (0.9, -1.2, 0.7); step 2: (0.81, -0.72, 0.82)
        assertArrayEquals(new double[] {0.81, -0.72, 0.82}, x, 1e-15);
        check(x, Optim.sgd(lr));
    }

    @Test
    void sgdWithMomentum() {
        double lr = 0.1;
        double mom = 0.9;
        double[] x = X0.clone();
        double[] t = new double[3];
        for (int k = 0; k < 2; k++) {
            double[] g = grad(x);
            for (int i = 0; i < 3; i++) {
                t[i] = g[i] + mom * t[i];
                x[i] -= lr * t[i];
            }
        }
        check(x, Optim.sgd(lr, mom, false));
    }

    @Test
    void sgdWithNesterovMomentum() {
        double lr = 0.1;
        double mom = 0.9;
        double[] x = X0.clone();
        double[] t = new double[3];
        for (int k = 0; k < 2; k++) {
            double[] g = grad(x);
            for (int i = 0; i < 3; i++) {
                t[i] = g[i] + mom * t[i];
                x[i] -= lr * (g[i] + mom * t[i]);
            }
        }
        // Nesterov differs from heavy-ball momentum after the first step
        assertNotClose(x, run(Optim.sgd(lr, mom, false), 2));
        check(x, Optim.sgd(lr, mom, true));
    }

    static double[] adamTrajectory(double lr, double b1, double b2, double eps, double wd) {
        double[] x = X0.clone();
        double[] m = new double[3];
        double[] v = new double[3];
        for (int k = 1; k <= 2; k++) {
            double[] g = grad(x);
            for (int i = 0; i < 3; i++) {
                m[i] = b1 * m[i] + (1 - b1) * g[i];
                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
                double mHat = m[i] / (1 - Math.pow(b1, k));
                double vHat = v[i] / (1 - Math.pow(b2, k));
                x[i] -= lr * (mHat / (Math.sqrt(vHat) + eps) + wd * x[i]);
            }
        }
        return x;
    }

    @Test
    void adam() {
        check(adamTrajectory(0.1, 0.9, 0.999, 1e-8, 0), Optim.adam(0.1));
        check(adamTrajectory(0.05, 0.8, 0.99, 1e-3, 0), Optim.adam(0.05, 0.8, 0.99, 1e-3));
        // adam is the chain of its building blocks
        check(adamTrajectory(0.1, 0.9, 0.999, 1e-8, 0), Optim.chain(Optim.scaleByAdam(), Optim.scaleByLearningRate(0.1)));
    }

    @Test
    void adamw() {
        check(adamTrajectory(0.1, 0.9, 0.999, 1e-8, 1e-4), Optim.adamw(0.1));
        check(adamTrajectory(0.1, 0.9, 0.999, 1e-8, 0.5), Optim.adamw(0.1, 0.9, 0.999, 1e-8, 0.5));
    }

    @Test
    void rmsprop() {
        double lr = 0.1;
        double decay = 0.9;
        double eps = 1e-8;
        double[] x = X0.clone();
        double[] nu = new double[3];
        for (int k = 0; k < 2; k++) {
            double[] g = grad(x);
            for (int i = 0; i < 3; i++) {
                nu[i] = decay * nu[i] + (1 - decay) * g[i] * g[i];
                x[i] -= lr * g[i] / Math.sqrt(nu[i] + eps);
            }
        }
        check(x, Optim.rmsprop(lr));
    }

    @Test
    void rmspropWithMomentum() {
        double lr = 0.01;
        double decay = 0.95;
        double eps = 1e-6;
        double mom = 0.5;
        double[] x = X0.clone();
        double[] nu = new double[3];
        double[] t = new double[3];
        for (int k = 0; k < 2; k++) {
            double[] g = grad(x);
            for (int i = 0; i < 3; i++) {
                nu[i] = decay * nu[i] + (1 - decay) * g[i] * g[i];
                double u = -lr * g[i] / Math.sqrt(nu[i] + eps);
                t[i] = u + mom * t[i];
                x[i] += t[i];
            }
        }
        check(x, Optim.rmsprop(lr, decay, eps, mom, false));
    }

    @Test
    void centredRmsprop() {
        double lr = 0.1;
        double decay = 0.9;
        double eps = 1e-8;
        double[] x = X0.clone();
        double[] mu = new double[3];
        double[] nu = new double[3];
        for (int k = 0; k < 2; k++) {
            double[] g = grad(x);
            for (int i = 0; i < 3; i++) {
                mu[i] = decay * mu[i] + (1 - decay) * g[i];
                nu[i] = decay * nu[i] + (1 - decay) * g[i] * g[i];
                x[i] -= lr * g[i] / Math.sqrt(nu[i] - mu[i] * mu[i] + eps);
            }
        }
        check(x, Optim.rmsprop(lr, decay, eps, true, 0, false));
    }

    @Test
    void adagrad() {
        double lr = 0.1;
        double[] x = X0.clone();
        double[] s = {0.1, 0.1, 0.1};
        for (int k = 0; k < 2; k++) {
            double[] g = grad(x);
            for (int i = 0; i < 3; i++) {
                s[i] += g[i] * g[i];
                x[i] -= lr * g[i] / Math.sqrt(s[i] + 1e-7);
            }
        }
        check(x, Optim.adagrad(lr));
    }

    @Test
    void lion() {
        double lr = 0.1;
        double b1 = 0.9;
        double b2 = 0.99;
        double wd = 0.01;
        double[] x = X0.clone();
        double[] m = new double[3];
        for (int k = 0; k < 2; k++) {
            double[] g = grad(x);
            for (int i = 0; i < 3; i++) {
                double u = Math.signum((1 - b1) * g[i] + b1 * m[i]);
                m[i] = (1 - b2) * g[i] + b2 * m[i];
                x[i] -= lr * (u + wd * x[i]);
            }
        }
        check(x, Optim.lion(lr, b1, b2, wd));
        // Optax's default weight decay is 1e-3
        double[] y = X0.clone();
        double[] n = new double[3];
        for (int k = 0; k < 2; k++) {
            double[] g = grad(y);
            for (int i = 0; i < 3; i++) {
                double u = Math.signum(0.1 * g[i] + 0.9 * n[i]);
                n[i] = 0.01 * g[i] + 0.99 * n[i];
                y[i] -= lr * (u + 1e-3 * y[i]);
            }
        }
        check(y, Optim.lion(lr));
    }

    @Test
    void scheduledLearningRate() {
        // lr(step) = 0.2 then 0.1: the first update reads the schedule at step 0
        Schedule lr = step -> step == 0 ? 0.2 : 0.1;
        double[] x = X0.clone();
        for (int k = 0; k < 2; k++) {
            double[] g = grad(x);
            for (int i = 0; i < 3; i++) {
                x[i] -= lr.at(k) * g[i];
            }
        }
        check(x, Optim.sgd(lr, 0, false));
    }

    static void assertNotClose(double[] a, double[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        if (d < 1e-6) {
            throw new AssertionError("expected different trajectories, got the same");
        }
    }
}
