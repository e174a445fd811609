package dev.solstice.staging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.Jax;
import dev.solstice.JitOptions;
import dev.solstice.Jitted;
import dev.solstice.Jnp;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A long run cycling through more shapes than a small cache bound keeps: the cache stays within its bound, old
 * traces (and the programs derived from them for derivatives) become garbage, and neither the heap nor the number
 * of loaded classes grows (every retrace compiles again; its kernels come from the kernel cache, keyed by structure).
 * On this machine: 4,000 retraces in ~4 s, heap growth a few MB, a handful of classes.
 */
class JitSoakTest {
    private static final int CALLS = 100_000;
    private static final int SHAPES = 9;
    private static final int BOUND = 4;
    private static final long HEAP_GROWTH_BOUND = 64L << 20;
    /** Generous: a leak of one generated kernel class per retrace would add thousands. */
    private static final long CLASS_GROWTH_BOUND = 200;

    @Test
    void cyclingShapesKeepsTheCacheAndTheHeapBounded() {
        Jitted<Array, Array> f = Jax.jit(x -> Jnp.sum(Jnp.tanh(x).mul(x)), JitOptions.cacheSize(BOUND));
        Function<Array, Array> grad = Jax.grad(f);
        Array[] inputs = new Array[SHAPES];
        for (int s = 0; s < SHAPES; s++) {
            double[] v = new double[s + 1];
            for (int i = 0; i < v.length; i++) {
                v[i] = 0.1 * (i - s / 2.0);
            }
            inputs[s] = Array.of(v);
        }
        long before = 0;
        long classesBefore = 0;
        java.lang.management.ClassLoadingMXBean classes = java.lang.management.ManagementFactory.getClassLoadingMXBean();
        for (int call = 0; call < CALLS; call++) {
            if (call == 2 * 25 * SHAPES) { // after two full cycles: every kind of program has been compiled once
                before = usedHeapAfterGc();
                classesBefore = classes.getLoadedClassCount();
            }
            int s = (call / 25) % SHAPES; // runs of 25 calls per shape: hits within a run, a miss at each change
            Array x = inputs[s];
            double expected = 0;
            for (double xi : x.toDoubleArray()) {
                expected += Math.tanh(xi) * xi;
            }
            double got = (call % 100 == 99 ? grad.apply(x).sum() : f.apply(x)).item();
            if (call % 100 != 99) {
                assertEquals(expected, got, 1e-15, "call " + call);
            }
            assertTrue(f.cacheSize() <= BOUND, "cache size " + f.cacheSize() + " at call " + call);
        }
        assertEquals(CALLS / 25, f.traceCount(), "one trace per change of shape");
        long growth = usedHeapAfterGc() - before;
        assertTrue(growth < HEAP_GROWTH_BOUND, "heap grew by " + (growth >> 20) + " MB over " + CALLS + " calls");
        long classGrowth = classes.getLoadedClassCount() - classesBefore;
        assertTrue(classGrowth < CLASS_GROWTH_BOUND, classGrowth + " more classes loaded over " + CALLS + " calls");
        System.out.printf("jit soak: %d calls, %d traces, heap %+d KB, classes %+d%n", CALLS, f.traceCount(),
                growth >> 10, classGrowth);
    }

    private static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
