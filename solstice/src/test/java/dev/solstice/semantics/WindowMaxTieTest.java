package dev.solstice.semantics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.solstice.Array;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.Lax;
import dev.solstice.nn.MaxPool2d;
import org.junit.jupiter.api.Test;

/**
 * Max pooling at ties, as JAX: the JVP of reduce_window_max is select-and-gather-add with a greater-or-equal
 * selector and its transpose select-and-scatter-add, so within each window the FIRST maximal element in
 * row-major window order receives the whole tangent (cotangent); the other tied elements get 0. The expected
 * values below are written out by hand from that rule (not 1/k, which an earlier rule gave).
 */
class WindowMaxTieTest {

    @Test
    void oneDimensionalWindowsGiveTheFirstTiedElementEverything() {
        // windows of 2 with stride 1 over [3, 3, 1, 5, 5]: maxima 3 (tie 0,1), 3 (1), 5 (3), 5 (tie 3,4)
        Array x = Array.of(3.0, 3.0, 1.0, 5.0, 5.0);
        Array g = Jax.grad((Array v) -> Jnp.sum(Lax.reduceWindowMax(v, new int[] {2}, new int[] {1}, new int[1], new int[1])))
                .apply(x);
        assertArrayEquals(new double[] {1, 1, 0, 2, 0}, g.toDoubleArray());
        Array t = Array.of(10.0, 20.0, 30.0, 40.0, 50.0);
        Array jvp = Jax.jvp((Array v) -> Lax.reduceWindowMax(v, new int[] {2}, new int[] {1}, new int[1], new int[1]), x, t)
                .tangent();
        assertArrayEquals(new double[] {10, 20, 40, 40}, jvp.toDoubleArray());
    }

    @Test
    void maxPool2dOfAConstantImagePicksTheTopLeftOfEachWindow() {
        // one channel, 4x4 of ones, 2x2 windows with stride 2: each window's top-left element is selected
        Array x = Jnp.ones(dev.solstice.DType.FLOAT64, 1, 4, 4);
        MaxPool2d pool = new MaxPool2d(2, 2);
        Array g = Jax.grad((Array v) -> Jnp.sum(pool.apply(v))).apply(x);
        assertArrayEquals(new double[] {
            1, 0, 1, 0,
            0, 0, 0, 0,
            1, 0, 1, 0,
            0, 0, 0, 0}, g.toDoubleArray());
    }

    @Test
    void aHessianThroughATieIsZeroAndTheGradientStillSelectsOne() {
        // f(v) = (max window of v)^2 at a tie: gradient 2*max at the first element only; the Hessian is
        // 2 at (0,0): the selected element's second derivative, 0 elsewhere
        Array x = Array.of(2.0, 2.0);
        var f = (java.util.function.UnaryOperator<Array>) v -> Jnp.sum(Jnp.square(
                Lax.reduceWindowMax(v, new int[] {2}, new int[] {1}, new int[1], new int[1])));
        assertArrayEquals(new double[] {4, 0}, Jax.grad(f).apply(x).toDoubleArray());
        assertArrayEquals(new double[] {2, 0, 0, 0}, Jax.hessian(f).apply(x).toDoubleArray());
        assertArrayEquals(new double[] {2, 0, 0, 0}, Jax.jacfwd(Jax.jacfwd(f)).apply(x).toDoubleArray());
    }
}
