package dev.solstice;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Jax.laplacian against closed forms, the trace of the dense Hessian, and central differences for its gradient. */
class LaplacianTest {

    @Test
    void closedForms() {
        UnaryOperator<Array> cubes = x -> Jnp.sum(Jnp.power(x, 3.0));
        assertEquals(6 * (1 - 2 + 0.5), Jax.laplacian(cubes).apply(Array.of(1.0, -2.0, 0.5)).item(), 1e-12);
        UnaryOperator<Array> harmonic = x -> Jnp.multiply(Jnp.sin(x.get(0)), Jnp.exp(x.get(1)));
        assertEquals(0.0, Jax.laplacian(harmonic).apply(Array.of(0.7, 0.3)).item(), 1e-14);
        UnaryOperator<Array> squaredNorm = x -> Jnp.sum(Jnp.square(x));
        assertEquals(2.0 * 6, Jax.laplacian(squaredNorm).apply(Jnp.ones(DType.FLOAT64, 2, 3)).item(), 1e-14);
    }

    /** sort has no Taylor rule: the Laplacian falls back to nested JVPs and is still exact. */
    @Test
    void aFunctionWithoutTaylorRulesFallsBackToNestedJvps() {
        UnaryOperator<Array> sortedCubes = x -> Jnp.sum(Jnp.power(Jnp.sort(x, 0), 3.0));
        assertEquals(6 * (0.3 - 1.5 + 2.0), Jax.laplacian(sortedCubes).apply(Array.of(2.0, 0.3, -1.5)).item(), 1e-12);
        assertEquals(6 * (0.3 - 1.5 + 2.0), Jax.jit(Jax.laplacian(sortedCubes)).apply(Array.of(2.0, 0.3, -1.5)).item(), 1e-12);
        double[] g = Jax.grad(Jax.laplacian(sortedCubes)).apply(Array.of(2.0, 0.3, -1.5)).toDoubleArray();
        for (double gi : g) {
            assertEquals(6.0, gi, 1e-12);
        }
    }

    @Test
    void equalsTheTraceOfTheDenseHessianAndComposes() {
        Array w = Prng.normal(Prng.key(1), new int[] {4, 3}, DType.FLOAT64);
        UnaryOperator<Array> f = x -> Jnp.sum(Jnp.tanh(Jnp.matmul(w, x)));
        Array x0 = Array.of(0.3, -0.2, 0.9);
        double[] h = Jax.hessian(f).apply(x0).toDoubleArray();
        assertEquals(h[0] + h[4] + h[8], Jax.laplacian(f).apply(x0).item(), 1e-13);
        // vmap over points equals a loop; the gradient of the Laplacian (third order) equals central differences
        Array points = Prng.normal(Prng.key(2), new int[] {5, 3}, DType.FLOAT64);
        double[] batched = Jax.vmap(Jax.laplacian(f)).apply(points).toDoubleArray();
        double[] g = Jax.grad(Jax.laplacian(f)).apply(x0).toDoubleArray();
        for (int i = 0; i < 5; i++) {
            assertEquals(Jax.laplacian(f).apply(points.get(i)).item(), batched[i], 1e-14);
        }
        double eps = 1e-5;
        for (int i = 0; i < 3; i++) {
            double[] up = x0.toDoubleArray();
            double[] down = x0.toDoubleArray();
            up[i] += eps;
            down[i] -= eps;
            double fd = (Jax.laplacian(f).apply(Array.of(up)).item() - Jax.laplacian(f).apply(Array.of(down)).item()) / (2 * eps);
            assertEquals(fd, g[i], 1e-8);
        }
        assertEquals(Jax.laplacian(f).apply(x0).item(), Jax.jit(Jax.laplacian(f)).apply(x0).item(), 1e-15);
    }
}
