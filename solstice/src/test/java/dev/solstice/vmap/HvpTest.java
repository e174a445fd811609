package dev.solstice.vmap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.solstice.Array;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Jax.hvp against the closed form W^T diag(-sin(Wx)) W v, for arrays and for trees. */
class HvpTest {

    @Test
    void hessianVectorProductMatchesTheClosedForm() {
        int n = 7;
        double[] w = new double[n * n];
        double[] x = new double[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                w[i * n + j] = 0.05 * Math.sin(256.0 * i + j);
            }
            x[i] = Math.cos(i);
            v[i] = 1 + 0.1 * i;
        }
        Array wa = Array.of(w, n, n);
        Array hv = Jax.hvp(z -> Jnp.sum(Jnp.sin(Jnp.matmul(wa, z))), Array.of(x), Array.of(v));
        double[] s = new double[n];
        double[] wv = new double[n];
        for (int i = 0; i < n; i++) {
            double z = 0;
            for (int j = 0; j < n; j++) {
                z += w[i * n + j] * x[j];
                wv[i] += w[i * n + j] * v[j];
            }
            s[i] = -Math.sin(z) * wv[i];
        }
        double[] expected = new double[n];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                expected[j] += w[i * n + j] * s[i];
            }
        }
        assertArrayEquals(expected, hv.toDoubleArray(), 1e-15);
    }

    @Test
    void treeHessianVectorProduct() {
        // f(a, b) = a^2 b + sin(b): H = [[2b, 2a], [2a, -sin b]]
        List<Array> x = List.of(Array.scalar(1.5), Array.scalar(0.5));
        List<Array> v = List.of(Array.scalar(1.0), Array.scalar(2.0));
        List<Array> hv = Jax.hvp((List<Array> t) -> Jnp.add(Jnp.multiply(Jnp.square(t.get(0)), t.get(1)), Jnp.sin(t.get(1))), x, v);
        assertEquals(2 * 0.5 * 1 + 2 * 1.5 * 2, hv.get(0).item(), 1e-15);
        assertEquals(2 * 1.5 * 1 - Math.sin(0.5) * 2, hv.get(1).item(), 1e-15);
    }
}
