package dev.solstice;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Softmax, log-softmax and logsumexp of empty arrays, as JAX defines them (nn_test.py testSoftmaxEmptyArray: the
 * result of an empty array is that empty array; logsumexp reduces with the maximum's initial value -inf, so an
 * empty sum is log 0 = -inf, as scipy's).
 */
class EmptySoftmaxTest {

    @Test
    void softmaxAndLogSoftmaxOfAnEmptyArrayAreEmpty() {
        for (DType t : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            for (int[] shape : new int[][] {{0}, {2, 0}, {0, 3}}) {
                Array x = Jnp.zeros(t, shape);
                for (int axis : new int[] {0, -1}) {
                    Array s = Nn.softmax(x, axis);
                    assertArrayEquals(shape, s.shape());
                    assertEquals(t, s.dtype());
                    Array l = Nn.logSoftmax(x, axis);
                    assertArrayEquals(shape, l.shape());
                    assertEquals(t, l.dtype());
                }
            }
        }
        assertArrayEquals(new int[] {0}, Nn.softmax(Array.of(new double[0])).shape());
        assertArrayEquals(new int[] {0}, Jax.grad((Array v) -> Jnp.sum(Nn.logSoftmax(v))).apply(Array.of(new double[0])).shape());
    }

    @Test
    void logsumexpOverAnEmptyAxisIsMinusInfinity() {
        Array e = Jnp.zeros(DType.FLOAT64, 0);
        assertEquals(Double.NEGATIVE_INFINITY, Nn.logsumexp(e).item());
        Array x = Jnp.zeros(DType.FLOAT32, 2, 0);
        Array over1 = Nn.logsumexp(x, new int[] {1}, false);
        assertArrayEquals(new int[] {2}, over1.shape());
        assertArrayEquals(new float[] {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY}, over1.toFloatArray());
        assertArrayEquals(new int[] {2, 1}, Nn.logsumexp(x, new int[] {1}, true).shape());
        Array over0 = Nn.logsumexp(x, new int[] {0}, false);
        assertArrayEquals(new int[] {0}, over0.shape(), "the non-empty reduced axis leaves an empty result");
        assertEquals(DType.FLOAT32, over0.dtype());
    }
}
