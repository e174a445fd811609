package dev.solstice.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.solstice.Array;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.Lax;
import dev.solstice.TopK;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Jnp#searchsorted} by binary search: every length from 0 to 40 (so every depth of the search and
 * both parities of the halvings), many duplicates, values below, between, on and above the elements, against
 * the naive count; scalars; vmap over the values against the loop. {@link dev.solstice.Lax#topK} by its heap
 * selection against a stable full sort of positions, on long rows with many ties and NaNs, every k shape.
 */
class SearchAndTopKTest {

    @Test
    void everyLengthAgreesWithTheNaiveCount() {
        Random r = new Random(51);
        for (int n = 0; n <= 40; n++) {
            double[] a = new double[n];
            for (int i = 0; i < n; i++) {
                a[i] = r.nextInt(8);                       // many duplicates
            }
            Arrays.sort(a);
            double[] v = new double[25];
            for (int i = 0; i < v.length; i++) {
                v[i] = r.nextInt(20) * 0.5 - 1;            // on, between, below and above the elements
            }
            int[] left = Jnp.searchsorted(Array.of(a), Array.of(v), "left").toIntArray();
            int[] right = Jnp.searchsorted(Array.of(a), Array.of(v), "right").toIntArray();
            for (int i = 0; i < v.length; i++) {
                int l = 0;
                int rr = 0;
                for (double e : a) {
                    l += e < v[i] ? 1 : 0;
                    rr += e <= v[i] ? 1 : 0;
                }
                assertEquals(l, left[i], "n = " + n + ", left, value " + v[i]);
                assertEquals(rr, right[i], "n = " + n + ", right, value " + v[i]);
            }
        }
        assertEquals(2.0, Jnp.searchsorted(Array.of(1.0, 2.0, 3.0), Array.scalar(2.5)).item());
        assertArrayEquals(new int[0], Jnp.searchsorted(Array.of(1.0, 2.0), Array.scalar(0.0)).shape());
    }

    @Test
    void vmapOverTheValuesAgreesWithTheLoop() {
        Array sorted = Array.of(0.0, 1.0, 1.0, 4.0, 9.0);
        Array values = Array.of(new double[] {-1, 1, 3, 9, 10, 1.5}, 3, 2);
        Array batched = Jax.vmap((Array z) -> Jnp.searchsorted(sorted, z, "right"), 0, 0).apply(values);
        for (int e = 0; e < 3; e++) {
            assertArrayEquals(Jnp.searchsorted(sorted, values.get(e), "right").toIntArray(), batched.get(e).toIntArray());
        }
    }

    @Test
    void topKAgreesWithAStableFullSortOnLongRowsWithTiesAndNaNs() {
        Random r = new Random(52);
        int rows = 3;
        int n = 1000;
        double[] x = new double[rows * n];
        for (int i = 0; i < x.length; i++) {
            x[i] = i % 97 == 5 ? Double.NaN : r.nextInt(50) - 25;          // ties everywhere, some NaNs
        }
        Array a = Array.of(x, rows, n);
        for (int k : new int[] {0, 1, 7, 200, n}) {
            TopK t = Lax.topK(a, k);
            double[] values = t.values().toDoubleArray();
            int[] indices = t.indices().toIntArray();
            for (int row = 0; row < rows; row++) {
                int base = row * n;
                Integer[] order = new Integer[n];
                for (int i = 0; i < n; i++) {
                    order[i] = i;
                }
                Arrays.sort(order, (p, q) -> Double.compare(x[base + q], x[base + p]));   // NaN first, stable
                for (int j = 0; j < k; j++) {
                    assertEquals(order[j], indices[row * k + j], "k = " + k + ", row " + row + ", rank " + j);
                    assertEquals(x[base + order[j]], values[row * k + j], "k = " + k + ", value");
                }
            }
        }
        Array batched = Jax.vmap((Array z) -> Lax.topK(z, 4).values(), 1, 0).apply(Jnp.transpose(a));
        for (int row = 0; row < rows; row++) {
            assertArrayEquals(Lax.topK(a.get(row), 4).values().toDoubleArray(), batched.get(row).toDoubleArray());
        }
    }
}
