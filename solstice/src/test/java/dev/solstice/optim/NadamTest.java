package dev.solstice.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.solstice.Array;
import dev.solstice.Eqx;
import dev.solstice.Jax;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * NAdam (Optax's {@code scale_by_adam(nesterov=True)}) against its update rule worked out here in plain double
 * arithmetic: with {@code t} the 1-based step, {@code m = b1 m + (1 - b1) g}, {@code v = b2 v + (1 - b2) g^2},
 * {@code mHat = b1 m / (1 - b1^(t+1)) + (1 - b1) g / (1 - b1^t)}, {@code vHat = v / (1 - b2^t)} and
 * {@code u = -lr mHat / (sqrt(vHat + epsRoot) + eps)}.
 */
class NadamTest {
    record P(Array w, Array b) {}

    /** The loss {@code 0.5 (w0^2 + 4 w1^2) + 2 (b - 1)^2}; its gradient is {@code (w0, 4 w1, 4 (b - 1))}. */
    static Array loss(P p) {
        return p.w().pow(2).mul(Array.of(0.5, 2.0)).sum().add(p.b().sub(1.0).pow(2).mul(2.0));
    }

    /** {@code steps} NAdam steps from {@code x}, by hand. */
    static double[] byHand(double[] x0, int steps, double lr, double b1, double b2, double eps, double epsRoot) {
        double[] x = x0.clone();
        double[] m = new double[3];
        double[] v = new double[3];
        for (int t = 1; t <= steps; t++) {
            double[] g = {x[0], 4 * x[1], 4 * (x[2] - 1)};
            for (int i = 0; i < 3; i++) {
                m[i] = b1 * m[i] + (1 - b1) * g[i];
                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
                double mHat = b1 * m[i] / (1 - Math.pow(b1, t + 1)) + (1 - b1) * g[i] / (1 - Math.pow(b1, t));
                double vHat = v[i] / (1 - Math.pow(b2, t));
                x[i] -= lr * mHat / (Math.sqrt(vHat + epsRoot) + eps);
            }
        }
        return x;
    }

    static double[] run(GradientTransformation<?> opt, double[] x0, int steps) {
        P p = new P(Array.of(x0[0], x0[1]), Array.scalar(x0[2]));
        Object state = opt.init(p);
        Function<P, P> grad = Jax.grad(NadamTest::loss);
        for (int k = 0; k < steps; k++) {
            Update<?> u = Optim.update(opt, grad.apply(p), state, p);
            p = Eqx.applyUpdates(p, u.updates());
            state = u.state();
        }
        double[] w = p.w().toDoubleArray();
        return new double[] {w[0], w[1], p.b().item()};
    }

    @Test
    void nadamFollowsTheNesterovAdamRuleStepByStep() {
        double[] x0 = {1.0, -2.0, 0.5};
        for (int steps = 1; steps <= 4; steps++) {
            assertArrayEquals(byHand(x0, steps, 0.1, 0.9, 0.999, 1e-8, 0.0), run(Optim.nadam(0.1), x0, steps), 1e-13);
        }
        assertArrayEquals(byHand(x0, 3, 0.05, 0.8, 0.99, 1e-3, 0.0), run(Optim.nadam(0.05, 0.8, 0.99, 1e-3), x0, 3), 1e-13);
        assertArrayEquals(byHand(x0, 3, 0.05, 0.8, 0.99, 1e-3, 1e-4),
                run(Optim.chain(Optim.scaleByAdam(0.8, 0.99, 1e-3, 1e-4, true), Optim.scaleByLearningRate(0.05)), x0, 3),
                1e-13);
    }

    @Test
    void nadamWithAScheduleReadsTheRateAtEachStep() {
        double[] x0 = {1.0, -2.0, 0.5};
        // a constant schedule gives the constant-rate trajectory
        assertArrayEquals(byHand(x0, 3, 0.1, 0.9, 0.999, 1e-8, 0.0), run(Optim.nadam(Schedule.constant(0.1)), x0, 3), 1e-13);
    }

    @Test
    void nadamFirstStepDiffersFromAdamAsTheLookAheadPredicts() {
        // one step from zero moments with g: m = (1 - b1) g, so mHat = g (b1 (1 - b1) / (1 - b1^2) + 1) = g (1 + b1 / (1 + b1))
        // while Adam's mHat = g; vHat = g^2 for both, so NAdam's first step is (1 + b1 / (1 + b1)) times Adam's
        P p = new P(Array.of(3.0, -0.5), Array.scalar(2.0));
        P g = new P(Array.of(0.3, 0.7), Array.scalar(-1.5));
        GradientTransformation<?> nadam = Optim.nadam(0.1, 0.9, 0.999, 0.0);
        P u = (P) Optim.update(nadam, g, nadam.init(p), p).updates();
        double factor = 1 + 0.9 / 1.9;
        assertArrayEquals(new double[] {-0.1 * factor, -0.1 * factor}, u.w().toDoubleArray(), 1e-15);
        assertEquals(0.1 * factor, u.b().item(), 1e-15);
    }
}
