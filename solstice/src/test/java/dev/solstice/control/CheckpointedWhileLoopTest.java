package dev.solstice.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.solstice.Array;
import dev.solstice.Eqx;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.WhileKind;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Smoke. */
class CheckpointedWhileLoopTest {
    private static final double LIMIT = 10.0;

    private static double[] javaLoop(double a, double x0, int maxSteps) {
        double x = x0;
        int n = 0;
        while (x < LIMIT && n < maxSteps) {
            x = x * a + 0.1 * Math.sin(x);
            n++;
        }
        return new double[] {x, n};
    }

    private static Array step(Array x, Array a) {
        return x.mul(a).add(Jnp.sin(x).mul(0.1));
    }

    private static Array loop(Array a, Array x0, int maxSteps, int c) {
        return Eqx.whileLoop((Array x) -> Jnp.less(x, LIMIT), (Array x) -> step(x, a), x0, maxSteps,
                WhileKind.CHECKPOINTED, c);
    }

    private static Array unrolled(Array a, Array x0, int iterations) {
        Array x = x0;
        for (int i = 0; i < iterations; i++) {
            x = step(x, a);
        }
        return x;
    }

    @Test
    void smoke() {
        double a = 1.02;
        for (int c : new int[] {1, 2, 3, 5, 100}) {
            for (double x0 : new double[] {1.1, 0.5, 12}) {
                int max = 60;
                int it = (int) javaLoop(a, x0, max)[1];
                Array ax0 = Array.scalar(x0);
                assertEquals(javaLoop(a, x0, max)[0], loop(Array.scalar(a), ax0, max, c).item(), 1e-12);
                double got = Jax.grad((UnaryOperator<Array>) s -> loop(s, ax0, max, c)).apply(Array.scalar(a)).item();
                double want = Jax.grad((UnaryOperator<Array>) s -> unrolled(s, ax0, it)).apply(Array.scalar(a)).item();
                System.out.println("c=" + c + " x0=" + x0 + " it=" + it + " got " + got + " want " + want);
                assertEquals(want, got, 1e-9 * Math.max(1, Math.abs(want)));
            }
        }
    }
}
