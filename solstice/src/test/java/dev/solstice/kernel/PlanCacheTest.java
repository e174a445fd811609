package dev.solstice.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.core.DenseArray;
import dev.solstice.prim.ArgMax;
import dev.solstice.prim.Ops;
import dev.solstice.prim.ReduceSum;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The plan cache: a repeated call of an operation on the same shapes reuses its index tables (the very same
 * arrays), the cache stays within its bounds however many shapes pass through, and concurrent use gives the
 * results of plain loops (the independent oracle).
 */
class PlanCacheTest {

    @BeforeEach
    @AfterEach
    void empty() {
        PlanCache.clear();
    }

    private static Array matrix(int rows, int cols) {
        double[] d = new double[rows * cols];
        for (int i = 0; i < d.length; i++) {
            d[i] = (i * 7 % 11) - 5 + 0.25 * i;
        }
        return DenseArray.ofDoubles(d, rows, cols);
    }

    /** Each operation that builds index maps, on a 3x4 matrix. */
    private static Map<String, Supplier<Array>> operations() {
        Array x = matrix(3, 4);
        Array zero = DenseArray.ofDoubles(new double[] {0}, new int[0]);
        Array idx = DenseArray.ofInts(new int[] {2, 0, 1, 3, 1, 1, 0, 2, 3, 3, 0, 1}, 3, 4);
        Array img = DenseArray.ofDoubles(new double[2 * 3 * 5], 1, 2, 3, 5);
        Array ker = DenseArray.ofDoubles(new double[4 * 2 * 2 * 2], 4, 2, 2, 2);
        Map<String, Supplier<Array>> ops = new LinkedHashMap<>();
        // over axes 0 and 2 of [3, 2, 2]: a reduction over consecutive axes runs a strided loop and needs no plan
        ops.put("reduce_sum", () -> Ops.reduceSum(Ops.reshape(x, 3, 2, 2), 0, 2));
        ops.put("argmax", () -> Ops.argmax(x, 0));
        // broadcast_in_dim, transpose, slice and rev build strided views: no tables (ViewsTest)
        ops.put("pad", () -> Ops.pad(x, zero, new int[] {1, -1}, new int[] {0, 2}, new int[] {1, 0}));
        ops.put("gather", () -> Ops.takeAlongAxis(x, idx, 1));
        ops.put("reduce_window_sum", () -> Ops.reduceWindowSum(x, new int[] {2, 2}, new int[] {1, 1},
                new int[] {0, 1}, new int[] {1, 0}));
        ops.put("conv (im2col)", () -> Ops.convGeneralDilated(img, ker, new int[] {1, 1}, new int[] {1, 0},
                new int[] {0, 1}, new int[] {1, 1}, new int[] {1, 2}, 1));
        return ops;
    }

    @Test
    void aRepeatedCallReusesItsTables() {
        for (Map.Entry<String, Supplier<Array>> op : operations().entrySet()) {
            PlanCache.clear();
            double[] first = op.getValue().get().toDoubleArray();
            List<int[][]> built = PlanCache.plans();
            assertFalse(built.isEmpty(), op.getKey() + ": no plan was cached");
            long builds = PlanCache.builds();
            double[] second = op.getValue().get().toDoubleArray();
            assertEquals(builds, PlanCache.builds(), op.getKey() + ": the second call rebuilt a plan");
            List<int[][]> after = PlanCache.plans();
            assertEquals(built.size(), after.size(), op.getKey() + ": the second call built new plans");
            Set<int[][]> same = Collections.newSetFromMap(new IdentityHashMap<>());
            same.addAll(built);
            assertTrue(same.containsAll(after), op.getKey() + ": the second call did not reuse the cached tables");
            assertArrayEquals(first, second, op.getKey() + ": the result changed when the plan was reused");
        }
    }

    @Test
    void aPlanIsFoundByAnEqualPrimitiveAndEqualAvals() {
        Array x = matrix(3, 4);
        // an arg-reduction over a leading axis still gathers its groups through a table
        Ops.argmax(x, 0);
        int[][] plan = PlanCache.cached(new ArgMax(0), x.aval());
        assertNotNull(plan, "a reduction over the same axes and aval finds the plan");
        Ops.argmax(matrix(3, 4), 0);
        assertSame(plan, PlanCache.cached(new ArgMax(0), x.aval()));
        assertEquals(List.of(0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11),
                java.util.Arrays.stream(plan[0]).boxed().toList(), "the reduction's groups");
    }

    @Test
    void theCacheStaysBoundedUnderManyShapes() {
        for (int n = 1; n <= PlanCache.MAX_ENTRIES + 300; n++) {
            Array x = DenseArray.ofDoubles(new double[2 * n], 2, n);
            assertEquals(n, Ops.argmax(x, 0).aval().size());
            assertTrue(PlanCache.size() <= PlanCache.MAX_ENTRIES, "entries: " + PlanCache.size());
        }
        assertEquals(PlanCache.MAX_ENTRIES, PlanCache.size());
        // the most recent shape is kept, the first ones are gone
        int last = PlanCache.MAX_ENTRIES + 300;
        assertNotNull(PlanCache.cached(new ArgMax(0),
                DenseArray.ofDoubles(new double[2 * last], 2, last).aval()));
        assertEquals(null, PlanCache.cached(new ArgMax(0),
                DenseArray.ofDoubles(new double[2], 2, 1).aval()));
    }

    @Test
    void theCacheStaysWithinItsSizeBound() {
        int quarter = (int) (PlanCache.MAX_INTS / 4);
        for (int i = 0; i < 12; i++) {
            int[] t = PlanCache.table("big", new Object[] {i}, () -> new int[quarter]);
            assertEquals(quarter, t.length);
            assertTrue(PlanCache.ints() <= PlanCache.MAX_INTS, "table entries: " + PlanCache.ints());
        }
        assertTrue(PlanCache.size() <= 4, "entries: " + PlanCache.size());
        int[] huge = PlanCache.table("huge", new Object[] {0}, () -> new int[(int) PlanCache.MAX_INTS + 1]);
        assertEquals(PlanCache.MAX_INTS + 1, huge.length);
        assertEquals(null, PlanCache.cached("huge", 0), "a plan over the whole bound is not stored");
    }

    @Test
    void concurrentUseFromEightThreadsGivesTheResultsOfPlainLoops() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int seed = t;
                done.add(pool.submit(() -> {
                    // shapes shared between threads, and more of them than the cache keeps, so entries are
                    // built, reused and evicted concurrently
                    for (int k = 0; k < 400; k++) {
                        int rows = 1 + (k * 7 + seed) % 9;
                        int cols = 1 + (k * 13 + seed * 3) % 70;
                        checkAgainstLoops(matrix(rows, cols), rows, cols);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(PlanCache.size() <= PlanCache.MAX_ENTRIES);
    }

    private static void checkAgainstLoops(Array x, int rows, int cols) {
        double[] d = x.toDoubleArray();
        double[] transposed = new double[d.length];
        double[] rowSums = new double[rows];
        double[] reversed = new double[d.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                transposed[j * rows + i] = d[i * cols + j];
                rowSums[i] += d[i * cols + j];
                reversed[i * cols + (cols - 1 - j)] = d[i * cols + j];
            }
        }
        String where = rows + "x" + cols;
        assertArrayEquals(transposed, Ops.transpose(x, 1, 0).toDoubleArray(), "transpose " + where);
        assertArrayEquals(rowSums, Ops.reduceSum(x, 1).toDoubleArray(), 1e-9, "reduce_sum " + where);
        assertArrayEquals(reversed, Ops.rev(x, 1).toDoubleArray(), "rev " + where);
    }
}
