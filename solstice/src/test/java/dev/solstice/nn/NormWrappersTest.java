package dev.solstice.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Eqx;
import dev.solstice.Jnp;
import dev.solstice.Prng;
import dev.solstice.testing.Numeric;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** WeightNorm and SpectralNorm against direct computations. */
class NormWrappersTest {

    @Test
    void weightNormStartsAsTheLayerAndScalesEachRowByG() {
        Linear lin = new Linear(3, 2, true, DType.FLOAT64, Prng.key(1));
        WeightNorm<Linear> wn = WeightNorm.of(lin);
        Array x = Array.of(0.5, -1.0, 2.0);
        assertArrayEquals(lin.apply(x).toDoubleArray(), wn.apply(x).toDoubleArray(), 1e-14);
        WeightNorm<Linear> scaled = new WeightNorm<>(lin, Array.of(new double[] {2.0, 0.5}, 2, 1), Linear::weight, 0);
        double[] w = lin.weight().toDoubleArray();
        double[] b = lin.bias().toDoubleArray();
        double[] g = {2.0, 0.5};
        double[] expected = new double[2];
        for (int i = 0; i < 2; i++) {
            double n = Math.sqrt(w[3 * i] * w[3 * i] + w[3 * i + 1] * w[3 * i + 1] + w[3 * i + 2] * w[3 * i + 2]);
            expected[i] = b[i] + g[i] / n * (w[3 * i] * 0.5 - w[3 * i + 1] + w[3 * i + 2] * 2);
        }
        assertArrayEquals(expected, scaled.apply(x).toDoubleArray(), 1e-14);
        // the gradient with respect to g, against central differences
        Function<Array, Array> loss = gg -> Jnp.sum(Jnp.square(new WeightNorm<>(lin, gg, Linear::weight, 0).apply(x)));
        @SuppressWarnings("unchecked")
        WeightNorm<Linear> grad = Eqx.filterGrad((WeightNorm<Linear> m) -> Jnp.sum(Jnp.square(m.apply(x)))).apply(scaled);
        Array dir = Array.of(new double[] {1.0, -0.5}, 2, 1);
        assertEquals(Numeric.centralDifference(loss, scaled.g(), dir, 1e-5)[0], Numeric.dot(grad.g(), dir), 1e-9);
    }

    @Test
    void spectralNormDividesByTheLargestSingularValue() {
        Linear lin = new Linear(2, 2, false, DType.FLOAT64, Prng.key(2));
        ModelAndState<SpectralNorm<Linear>> ms = Eqx.makeWithState(new SpectralNorm<>(lin, Linear::weight, Prng.key(3)));
        SpectralNorm<Linear> sn = new SpectralNorm<>(ms.model().layer(), Linear::weight, ms.model().stateIndex(), 50, 1e-12, false);
        Array x = Array.of(1.0, -2.0);
        WithState r = sn.apply(x, ms.state());
        // largest singular value of a 2x2 matrix in closed form: sqrt of the largest eigenvalue of W^T W
        double[] w = lin.weight().toDoubleArray();
        double a = w[0] * w[0] + w[2] * w[2];
        double b = w[0] * w[1] + w[2] * w[3];
        double d = w[1] * w[1] + w[3] * w[3];
        double sigma = Math.sqrt((a + d) / 2 + Math.sqrt((a - d) * (a - d) / 4 + b * b));
        double[] expected = {(w[0] * 1 - w[1] * 2) / sigma, (w[2] * 1 - w[3] * 2) / sigma};
        assertArrayEquals(expected, r.output().toDoubleArray(), 1e-10);
        // inference mode uses the stored vectors and leaves the state unchanged
        WithState again = Eqx.inferenceMode(sn, true).apply(x, r.state());
        assertEquals(r.state(), again.state());
        assertArrayEquals(expected, again.output().toDoubleArray(), 1e-10);
        List<Array> uv = r.state().get(sn.stateIndex());
        assertEquals(1.0, Numeric.dot(uv.get(0), uv.get(0)), 1e-10);
        assertThrows(IllegalArgumentException.class, () -> new SpectralNorm<>(new Identity(), l -> Array.of(1.0), Prng.key(0)));
    }
}
