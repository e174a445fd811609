package dev.solstice.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.solstice.core.DenseArray;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The sort kernel's two paths and its key order: the packed path (one key of 32 bits) and the merge-sort path
 * (float64 or several keys) give the same permutation for the same values, and {@link Sorting#sortableKey}
 * orders like {@link Float#compare} once -0.0 is read as 0.0 and every NaN as the one NaN.
 */
class SortingTest {

    private static float[] awkwardFloats(Random r, int n) {
        float[] special = {Float.NaN, -Float.NaN, Float.intBitsToFloat(0xff800123), -0.0f, 0.0f, Float.MIN_VALUE,
            -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextInt(4) == 0 ? special[r.nextInt(special.length)] : (float) (r.nextGaussian() * Math.pow(10, r.nextInt(8) - 4));
        }
        return v;
    }

    private static float canonical(float v) {
        return v == 0 ? 0.0f : Float.isNaN(v) ? Float.NaN : v;
    }

    @Test
    void keysOrderLikeTheCanonicalTotalOrder() {
        Random r = new Random(31);
        float[] f = awkwardFloats(r, 400);
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        for (int i = 0; i < f.length; i++) {
            for (int j = 0; j < f.length; j++) {
                int expected = Integer.signum(Float.compare(canonical(f[i]), canonical(f[j])));
                assertEquals(expected, Long.signum(Long.compare(Sorting.sortableKey(f, i), Sorting.sortableKey(f, j))),
                        f[i] + " vs " + f[j] + " (float32)");
                assertEquals(expected, Long.signum(Long.compare(Sorting.sortableKey(d, i), Sorting.sortableKey(d, j))),
                        f[i] + " vs " + f[j] + " (float64)");
            }
        }
    }

    @Test
    void packedAndMergedPathsGiveTheSamePermutation() {
        Random r = new Random(32);
        for (int n : new int[] {1, 2, 15, 16, 17, 33, 1000, 4095, 4096, 20000}) {
            float[] f = awkwardFloats(r, n * 3);
            double[] d = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                d[i] = f[i];
            }
            for (int axis = 0; axis < 2; axis++) {
                int[] shape = axis == 0 ? new int[] {n, 3} : new int[] {3, n};
                int[] packed = Sorting.sourcePositions(new DenseArray[] {DenseArray.ofFloats(f, shape)}, axis, 1);
                int[] merged = Sorting.sourcePositions(new DenseArray[] {DenseArray.ofDoubles(d, shape)}, axis, 1);
                assertArrayEquals(packed, merged, "n = " + n + ", axis " + axis);
            }
        }
    }
}
