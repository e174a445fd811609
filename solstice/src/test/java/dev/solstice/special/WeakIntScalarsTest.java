package dev.solstice.special;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import org.junit.jupiter.api.Test;

/**
 * Weak integer scalars (JAX's Python ints): a Java int combined with an array takes the array's dtype, so an
 * int32 array stays int32 and a float32 array stays float32; only a Java double makes an int32 array floating.
 */
class WeakIntScalarsTest {

    @Test
    void aJavaIntKeepsTheArraysDtype() {
        Array ints = Array.of(1, 2, -3);
        assertEquals(DType.INT32, ints.add(1).dtype());
        assertArrayEquals(new int[] {2, 3, -2}, ints.add(1).toIntArray());
        assertArrayEquals(new int[] {0, 1, -4}, ints.sub(1).toIntArray());
        assertArrayEquals(new int[] {3, 6, -9}, ints.mul(3).toIntArray());
        assertArrayEquals(new int[] {4, 3, 8}, Jnp.subtract(5, ints).toIntArray());
        assertEquals(DType.INT32, Jnp.multiply(ints, 2).dtype());
        // int32 wraps around on overflow, as XLA
        assertArrayEquals(new int[] {Integer.MIN_VALUE}, Array.of(Integer.MAX_VALUE).add(1).toIntArray());
        // bool becomes int32, as JAX's True + 1
        assertArrayEquals(new int[] {2, 1}, Array.of(true, false).add(1).toIntArray());
        // a float array keeps its dtype
        Array singles = Array.of(1f, 2f);
        assertEquals(DType.FLOAT32, singles.add(1).dtype());
        assertArrayEquals(new float[] {2f, 3f}, singles.add(1).toFloatArray());
        assertEquals(DType.FLOAT64, Array.of(1.5).mul(2).dtype());
    }

    @Test
    void onlyAJavaDoubleMakesAnIntArrayFloating() {
        Array ints = Array.of(1, 2);
        assertEquals(DType.FLOAT64, ints.add(1.0).dtype());
        assertEquals(DType.FLOAT64, ints.mul(0.5).dtype());
        assertArrayEquals(new double[] {0.5, 1.0}, ints.mul(0.5).toDoubleArray(), 0);
        assertEquals(DType.FLOAT64, ints.div(2).dtype(), "true division is floating, as NumPy");
        assertArrayEquals(new double[] {0.5, 1.0}, ints.div(2).toDoubleArray(), 0);
    }

    @Test
    void weakIntsWorkUnderTransformations() {
        // the weak int adds a float32 constant inside grad, vmap and jit
        Array x = Array.of(1f, 2f, 3f);
        Array g = Jax.grad((Array v) -> Jnp.sum(v.mul(3).add(1))).apply(x);
        assertEquals(DType.FLOAT32, g.dtype());
        assertArrayEquals(new float[] {3f, 3f, 3f}, g.toFloatArray());
        Array counts = Array.of(new int[] {1, 2, 3, 4}, 2, 2);
        Array vmapped = Jax.vmap((Array row) -> row.mul(2).sub(1)).apply(counts);
        assertEquals(DType.INT32, vmapped.dtype());
        assertArrayEquals(new int[] {1, 3, 5, 7}, vmapped.toIntArray());
        Array jitted = Jax.jit((Array v) -> v.add(1)).apply(Array.of(4, 5));
        assertEquals(DType.INT32, jitted.dtype());
        assertArrayEquals(new int[] {5, 6}, jitted.toIntArray());
    }
}
