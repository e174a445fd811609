package dev.solstice.dtypes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.Lax;
import dev.solstice.nn.Embedding;
import dev.solstice.Prng;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Gathers and dynamic slices with index arrays of every integer dtype, as jnp and lax accept them: the result
 * equals the one with the same indices in int32 (the primitives' own dtype), and out-of-range values follow
 * JAX's rules (clamping for dynamic_slice, the fill value for jnp.take/take_along_axis) even beyond int32's
 * range. Oracles: hand-computed gathers and the int32 runs.
 */
class IndexDTypesTest {
    private static final List<DType> INDEX_TYPES = List.of(DType.INT8, DType.UINT8, DType.INT32, DType.UINT32, DType.INT64);
    private static final Array TABLE = Array.of(new double[] {1, 2, 3, 4, 5, 6, 7, 8}, 4, 2);

    @Test
    void takeAndTakeAlongAxisAcceptEveryIntegerDtype() {
        long[] idx = {3, 0, 2, 3};
        for (DType t : INDEX_TYPES) {
            Array i = Array.of(idx, 4).astype(t);
            Array rows = Jnp.take(TABLE, i, 0);
            assertArrayEquals(new int[] {4, 2}, rows.shape());
            assertArrayEquals(new double[] {7, 8, 1, 2, 5, 6, 7, 8}, rows.toDoubleArray(), 0.0, t.toString());
            Array cols = Jnp.take(TABLE, Array.of(new long[] {1, 0, 1}, 3).astype(t).reshape(3, 1), 1);
            assertArrayEquals(new int[] {4, 3, 1}, cols.shape());
            Array along = Jnp.takeAlongAxis(TABLE, Array.of(new long[] {1, 0, 0, 1, 1, 1, 0, 0}, 4, 2).astype(t), 1);
            assertArrayEquals(new double[] {2, 1, 3, 4, 6, 6, 7, 7}, along.toDoubleArray(), 0.0, t.toString());
            Array lax = Lax.takeAlongAxis(Array.of(10.0, 20.0, 30.0), Array.of(new long[] {2, 0}, 2).astype(t), 0);
            assertArrayEquals(new double[] {30, 10}, lax.toDoubleArray(), 0.0, t.toString());
        }
    }

    @Test
    void outOfRangeIndicesWrapOnceThenFillAsJax() {
        Array x = Array.of(10.0, 20.0, 30.0);
        Array i = Array.of(new long[] {-1, -3, -4, 3, 1L << 33, -(1L << 33)}, 6);
        assertArrayEquals(new double[] {30, 10, Double.NaN, Double.NaN, Double.NaN, Double.NaN},
                Jnp.takeAlongAxis(x, i, 0).toDoubleArray(), 0.0);
        // uint8 255 is 255, not -1: out of range
        assertTrue(Double.isNaN(Jnp.take(x, Array.of(new long[] {255}, 1).astype(DType.UINT8), 0).toDoubleArray()[0]));
        // integer arrays fill with their extreme value, bool with true
        Array ints = Array.of(new long[] {5, 6}, 2).astype(DType.INT8);
        assertArrayEquals(new long[] {6, -128}, Jnp.take(ints, Array.of(new long[] {1, 9}, 2), 0).toLongArray());
        Array u = Array.of(new long[] {5, 6}, 2).astype(DType.UINT32);
        assertArrayEquals(new long[] {4294967295L}, Jnp.take(u, Array.of(new long[] {2}, 1), 0).toLongArray());
    }

    @Test
    void dynamicSliceAndUpdateTakeEveryIntegerDtypeAndClamp() {
        Array x = Jnp.arange(6);
        for (DType t : INDEX_TYPES) {
            Array start = Array.of(new long[] {4}, 1).reshape().astype(t);
            assertArrayEquals(new long[] {3, 4, 5}, Lax.dynamicSlice(x, new Array[] {start}, new int[] {3}).toLongArray(), t.toString());
            Array updated = Lax.dynamicUpdateSlice(Jnp.zeros(DType.INT32, 4), Array.of(7, 8), new Array[] {
                Array.of(new long[] {1}, 1).reshape().astype(t)});
            assertArrayEquals(new long[] {0, 7, 8, 0}, updated.toLongArray(), t.toString());
        }
        // beyond int32's range: clamped, not wrapped (2^32 + 1 would wrap to 1)
        Array far = Array.of(new long[] {(1L << 32) + 1}, 1).reshape();
        assertArrayEquals(new long[] {3, 4, 5}, Lax.dynamicSlice(x, new Array[] {far}, new int[] {3}).toLongArray());
        Array farDown = Array.of(new long[] {-(1L << 32) + 1}, 1).reshape();
        assertArrayEquals(new long[] {0, 1}, Lax.dynamicSlice(x, new Array[] {farDown}, new int[] {2}).toLongArray());
    }

    @Test
    void gathersWithWideIndicesDifferentiateBatchAndJit() {
        Array i = Array.of(new long[] {2, 2, 0}, 3);
        Array g = Jax.grad((Array v) -> Jnp.sum(Jnp.take(v, i, 0))).apply(Array.of(1.0, 2.0, 3.0));
        assertArrayEquals(new double[] {1, 0, 2}, g.toDoubleArray(), 0.0);
        Array batch = Array.of(new long[] {1, 0}, 2).astype(DType.UINT8);
        Array mapped = Jax.vmap((Array k) -> Jnp.take(TABLE, k, 0)).apply(batch);
        assertArrayEquals(new double[] {3, 4, 1, 2}, mapped.toDoubleArray(), 0.0);
        Array jitted = Jax.jit((Array k) -> Lax.dynamicSlice(TABLE, new Array[] {k, Array.scalar(0)}, new int[] {1, 2}))
                .apply(Array.of(new long[] {2}, 1).reshape().astype(DType.INT64));
        assertArrayEquals(new double[] {5, 6}, jitted.toDoubleArray(), 0.0);
    }

    @Test
    void embeddingLooksUpWithEveryIntegerDtype() {
        Embedding e = new Embedding(5, 3, Prng.key(0));
        Array want = e.apply(Array.scalar(4));
        for (DType t : INDEX_TYPES) {
            assertArrayEquals(want.toDoubleArray(), e.apply(Array.of(new long[] {4}, 1).reshape().astype(t)).toDoubleArray(), 0.0);
        }
        Array last = e.apply(Array.of(new long[] {-1}, 1).reshape().astype(DType.INT8));
        assertArrayEquals(want.toDoubleArray(), last.toDoubleArray(), 0.0);
        Array clamped = e.apply(Array.of(new long[] {1L << 40}, 1).reshape());
        assertArrayEquals(want.toDoubleArray(), clamped.toDoubleArray(), 0.0);
        assertThrows(IllegalArgumentException.class, () -> e.apply(Array.scalar(1.0)));
        assertThrows(IllegalArgumentException.class, () -> Jnp.take(TABLE, Array.of(1.0), 0));
        assertEquals(DType.FLOAT32, e.weight().dtype());
    }
}
