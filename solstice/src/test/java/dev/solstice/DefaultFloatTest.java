package dev.solstice;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The default float dtype: float64 out of the box, switched by Solstice.defaultFloat, followed by every dtype-less creation call. */
class DefaultFloatTest {
    static void assertArray(DType dtype, int[] shape, double[] values, Array x) {
        assertEquals(dtype, x.dtype(), x.aval().str());
        assertArrayEquals(shape, x.shape(), x.aval().str());
        assertArrayEquals(values, x.toDoubleArray(), 1e-6, x.aval().str());
    }

    /** Every creation call without a dtype, each checked for the dtype it must now have. */
    static void assertCreationUses(DType dtype) {
        assertArray(dtype, new int[] {4}, new double[] {1, 1, 1, 1}, Jnp.ones(4));
        assertArray(dtype, new int[] {2, 3}, new double[6], Jnp.zeros(2, 3));
        assertArray(dtype, new int[] {}, new double[] {1}, Jnp.ones());
        assertArray(dtype, new int[] {2, 2}, new double[] {7, 7, 7, 7}, Jnp.full(new int[] {2, 2}, 7));
        assertArray(dtype, new int[] {2, 2}, new double[] {1, 0, 0, 1}, Jnp.eye(2));
        assertArray(dtype, new int[] {3}, new double[] {0, 0.5, 1}, Jnp.linspace(0, 1, 3));
        assertArray(dtype, new int[] {3}, new double[] {0, 0.25, 0.5}, Jnp.arange(0, 0.6, 0.25));
        Array labels = Array.of(2, 0);
        assertArray(dtype, new int[] {2, 3}, new double[] {0, 0, 1, 1, 0, 0}, Nn.oneHot(labels, 3));
        // what is not floating stays as it was: an integer arange, explicit dtypes
        assertEquals(DType.INT32, Jnp.arange(3).dtype());
        assertEquals(DType.INT32, Jnp.zeros(DType.INT32, 2).dtype());
    }

    @Test
    void theDefaultIsFloat64AndTheSwitchReachesEveryCreationCallAndOtherThreads() throws Exception {
        assertEquals(DType.FLOAT64, Solstice.defaultFloat());
        assertCreationUses(DType.FLOAT64);
        DType before = Solstice.defaultFloat();
        Solstice.defaultFloat(DType.FLOAT32);
        try {
            assertCreationUses(DType.FLOAT32);
            AtomicReference<DType> seen = new AtomicReference<>();
            Thread t = new Thread(() -> seen.set(Jnp.ones(1).dtype()));
            t.start();
            t.join();
            assertEquals(DType.FLOAT32, seen.get(), "another thread sees the switch");
            // arrays made before keep their dtype; an explicit dtype wins
            assertEquals(DType.FLOAT64, Jnp.ones(DType.FLOAT64, 2).dtype());
        } finally {
            Solstice.defaultFloat(before);
        }
        assertEquals(DType.FLOAT64, Jnp.ones(4).dtype());
    }

    /** Integer and bool arrays meeting a float-only function or a Java double become the default float, as JAX's. */
    @Test
    void integerArraysPromoteToTheDefaultFloat() {
        Array ints = Array.of(1, 2, 4);
        assertEquals(DType.FLOAT64, Jnp.sin(ints).dtype());
        DType before = Solstice.defaultFloat();
        Solstice.defaultFloat(DType.FLOAT32);
        try {
            assertEquals(DType.FLOAT32, Jnp.sin(ints).dtype(), "sin of int32");
            assertEquals(DType.FLOAT32, Jnp.add(ints, 1.5).dtype(), "int32 + a Java double");
            assertEquals(DType.FLOAT32, Jnp.divide(ints, Array.of(2, 2, 2)).dtype(), "true division of ints");
            assertEquals(DType.FLOAT32, Special.gammaln(ints).dtype(), "a special function of ints");
            assertEquals(DType.INT32, Jnp.add(ints, 1).dtype(), "a Java int stays weak: int32");
            assertArray(DType.FLOAT32, new int[] {3}, new double[] {0.5, 1, 2}, Jnp.divide(ints, Array.of(2, 2, 2)));
        } finally {
            Solstice.defaultFloat(before);
        }
        assertEquals(DType.FLOAT64, Jnp.add(ints, 1.5).dtype());
    }

    @Test
    void oneHotTakesTheDtypeOfTheArrayItWillMeet() {
        Array labels = Array.of(1, 0);
        Array logits32 = Jnp.zeros(DType.FLOAT32, 2, 3);
        Array oneHot = Nn.oneHot(labels, 3, logits32);
        assertArray(DType.FLOAT32, new int[] {2, 3}, new double[] {0, 1, 0, 1, 0, 0}, oneHot);
        assertEquals(DType.FLOAT32, Jnp.multiply(oneHot, logits32).dtype(), "no promotion of float32 logits");
        assertEquals(DType.FLOAT64, Nn.oneHot(labels, 3, Jnp.zeros(DType.FLOAT64, 2)).dtype());
        assertEquals(DType.FLOAT64, Nn.oneHot(labels, 3, labels).dtype(), "an integer array gives the default");
        assertEquals(DType.FLOAT32, Nn.oneHot(labels, 3, DType.FLOAT32).dtype());
    }

    @Test
    void theDefaultMustBeAFloatingDtype() {
        for (DType bad : new DType[] {DType.INT32, DType.BOOL, null}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Solstice.defaultFloat(bad));
            assertTrue(e.getMessage().contains("Solstice.defaultFloat(" + bad + ")"), e.getMessage());
        }
        assertEquals(DType.FLOAT64, Solstice.defaultFloat(), "a refused switch changes nothing");
    }
}
