package dev.solstice.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.solstice.Array;
import org.junit.jupiter.api.Test;

/**
 * NAdam (Optax's {@code scale_by_adam(nesterov=True)}) against its update rule worked out here in plain double
 * arithmetic: with {@code t} the 1-based step, {@code m = b1 m + (1 - b1) g}, {@code v = b2 v + (1 - b2) g^2},
 * {@code mHat = b1 m / (1 - b1^(t+1)) + (1 - b1) g / (1 - b1^t)}, {@code vHat = v / (1 - b2^t)} and
 * {@code u = -lr mHat / (sqrt(vHat + epsRoot) + eps)}.
 */
class NadamTest {
    /**
     * {@code steps} NAdam steps by hand on the quadratic of {@link OptimizerTrajectoryTest} (whose gradient is
     * {@code (w0, 4 w1, 4 (b - 1))}) from its starting point.
     */
    static double[] byHand(int steps, double lr, double b1, double b2, double eps, double epsRoot) {
        double[] x = OptimizerTrajectoryTest.X0.clone();
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

    @Test
    void nadamFollowsTheNesterovAdamRuleStepByStep() {
        for (int steps = 1; steps <= 4; steps++) {
            assertArrayEquals(byHand(steps, 0.1, 0.9, 0.999, 1e-8, 0.0), OptimizerTrajectoryTest.run(Optim.nadam(0.1), steps),
                    1e-13);
        }
        assertArrayEquals(byHand(3, 0.05, 0.8, 0.99, 1e-3, 0.0), OptimizerTrajectoryTest.run(Optim.nadam(0.05, 0.8, 0.99, 1e-3), 3),
                1e-13);
        assertArrayEquals(byHand(3, 0.05, 0.8, 0.99, 1e-3, 1e-4),
                OptimizerTrajectoryTest.run(Optim.chain(Optim.scaleByAdam(0.8, 0.99, 1e-3, 1e-4, true), Optim.scaleByLearningRate(0.05)), 3),
                1e-13);
    }

    @Test
    void nadamWithAScheduleReadsTheRateAtEachStep() {
        // a constant schedule gives the constant-rate trajectory
        assertArrayEquals(byHand(3, 0.1, 0.9, 0.999, 1e-8, 0.0),
                OptimizerTrajectoryTest.run(Optim.nadam(Schedule.constant(0.1)), 3), 1e-13);
    }

    @Test
    void nadamFirstStepDiffersFromAdamAsTheLookAheadPredicts() {
        // one step from zero moments with g: m = (1 - b1) g, so mHat = g (b1 (1 - b1) / (1 - b1^2) + 1) = g (1 + b1 / (1 + b1))
        // while Adam's mHat = g; vHat = g^2 for both, so NAdam's first step is (1 + b1 / (1 + b1)) times Adam's
        OptimizerTrajectoryTest.P p = new OptimizerTrajectoryTest.P(Array.of(3.0, -0.5), Array.scalar(2.0));
        OptimizerTrajectoryTest.P g = new OptimizerTrajectoryTest.P(Array.of(0.3, 0.7), Array.scalar(-1.5));
        GradientTransformation<?> nadam = Optim.nadam(0.1, 0.9, 0.999, 0.0);
        OptimizerTrajectoryTest.P u = (OptimizerTrajectoryTest.P) Optim.update(nadam, g, nadam.init(p), p).updates();
        double factor = 1 + 0.9 / 1.9;
        assertArrayEquals(new double[] {-0.1 * factor, -0.1 * factor}, u.w().toDoubleArray(), 1e-15);
        assertEquals(0.1 * factor, u.b().item(), 1e-15);
    }
}
