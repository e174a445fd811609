package dev.solstice.prim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.Jax;
import dev.solstice.Lax;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * dynamic_slice, dynamic_update_slice, gather and scatter_add against values written out by hand: XLA's
 * clamping of start indices, NumPy's negative indices, accumulation of repeated indices, gradients (an
 * embedding lookup's gradient counts repeats), and vmap with batched indices against the per-example results.
 */
class IndexingTest {

    private static final Array X = Array.of(new double[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 3, 4);

    @Test
    void dynamicSliceClampsStartsSoTheWindowFits() {
        assertArrayEquals(new double[] {5, 6, 9, 10}, Lax.dynamicSlice(X, new int[] {1, 1}, new int[] {2, 2}).toDoubleArray());
        // start 2 on an axis of 3 with size 2 is clamped to 1; -5 to 0; 3 on the column axis to 2
        assertArrayEquals(new double[] {6, 7, 10, 11}, Lax.dynamicSlice(X, new int[] {2, 3}, new int[] {2, 2}).toDoubleArray());
        assertArrayEquals(new double[] {0, 1, 2}, Lax.dynamicSlice(X, new int[] {-5, 0}, new int[] {1, 3}).toDoubleArray());
        assertArrayEquals(new int[] {0, 2}, Lax.dynamicSlice(X, new int[] {1, 1}, new int[] {0, 2}).shape());
    }

    @Test
    void dynamicUpdateSliceClampsAndOverwrites() {
        Array u = Array.of(new double[] {-1, -2}, 1, 2);
        double[] expected = X.toDoubleArray();
        expected[4 * 2 + 2] = -1;
        expected[4 * 2 + 3] = -2;
        assertArrayEquals(expected, Lax.dynamicUpdateSlice(X, u, new int[] {7, 9}).toDoubleArray());
    }

    @Test
    void dynamicSliceGradientAndVmapWithBatchedStarts() {
        Array g = Jax.grad((Array x) -> Lax.reduceSum(Lax.dynamicSlice(x, new int[] {1, 2}, new int[] {2, 2}), 0, 1)).apply(X);
        assertArrayEquals(new double[] {0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1}, g.toDoubleArray());
        // one start row per example: the rule must read each example's own start
        Array starts = Array.of(new int[] {0, 2, 1}, 3);
        Function<List<Array>, Array> f = a -> Lax.dynamicSlice(a.get(0), new Array[] {a.get(1), Array.scalar(1)}, new int[] {1, 2});
        Array batched = Jax.vmap(f, Arrays.asList(null, 0), 0).apply(List.of(X, starts));
        assertArrayEquals(new int[] {3, 1, 2}, batched.shape());
        assertArrayEquals(new double[] {1, 2, 9, 10, 5, 6}, batched.toDoubleArray());
    }

    @Test
    void takeAlongAxisReadsNegativeIndicesFromTheEndAndClampsTheRest() {
        Array idx = Array.of(new int[] {3, -1, 0, 9, -9, 1}, 3, 2);
        assertArrayEquals(new double[] {3, 3, 4, 7, 8, 9}, Lax.takeAlongAxis(X, idx, 1).toDoubleArray());
        Array rows = Array.of(new int[] {2, 0, 1, 2}, 1, 4);
        assertArrayEquals(new double[] {8, 1, 6, 11}, Lax.takeAlongAxis(X, rows, 0).toDoubleArray());
    }

    @Test
    void scatterAddAccumulatesRepeatsAndIsTheGradientOfALookup() {
        Array table = Array.of(new double[] {0, 0, 0, 0}, 4);
        Array idx = Array.of(new int[] {1, 3, 1, 1}, 4);
        Array upd = Array.of(new double[] {1, 2, 3, 4}, 4);
        assertArrayEquals(new double[] {0, 8, 0, 2}, Lax.scatterAdd(table, idx, upd, 0).toDoubleArray());
        Array weights = Array.of(new double[] {0.5, -1, 2, 3}, 4);
        Array g = Jax.grad((Array t) -> Lax.reduceSum(Lax.takeAlongAxis(t, idx, 0), 0)).apply(weights);
        assertArrayEquals(new double[] {0, 3, 0, 1}, g.toDoubleArray());
        // per-example indices under vmap
        Array batchIdx = Array.of(new int[] {0, 0, 3, 2, 1, 1}, 3, 2);
        Array looked = Jax.vmap((List<Array> a) -> Lax.takeAlongAxis(a.get(0), a.get(1), 0), Arrays.asList(null, 0), 0)
                .apply(List.of(weights, batchIdx));
        assertArrayEquals(new double[] {0.5, 0.5, 3, 2, -1, -1}, looked.toDoubleArray());
    }

    @Test
    void errorsNameThePrimitiveAndTheOperands() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Lax.takeAlongAxis(X, Array.of(new int[] {0, 1}, 2), 0));
        assertTrue(e.getMessage().contains("gather") && e.getMessage().contains("float64[3,4]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Lax.dynamicSlice(X, new int[] {0}, new int[] {1, 1}));
        assertTrue(e.getMessage().contains("dynamic_slice"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Lax.dynamicSlice(X, new Array[] {Array.scalar(0.0), Array.scalar(0)}, new int[] {1, 1}));
        assertTrue(e.getMessage().contains("int32 scalars"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Lax.dynamicSlice(X, new int[] {0, 0}, new int[] {4, 1}));
        assertTrue(e.getMessage().contains("slice sizes [4, 1]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Lax.scatterAdd(X, Array.of(new int[] {0, 1, 2, 0}, 1, 4), Array.of(new float[] {1, 2, 3, 4}, 1, 4), 0));
        assertTrue(e.getMessage().contains("scatter_add"), e.getMessage());
    }
}
