package dev.solstice.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A shortened soak of mixed transformations and jitted calls with cycling shapes under bounded caches: caches stay
 * within their bound, results stay bitwise stable, and neither the heap after GC nor the loaded-class count grows
 * beyond generous bounds ({@code bin/fuzz soak} runs 1,000,000 calls and prints the figures).
 */
class SoakTest {
    @Test
    void mixedTransformsUnderBoundedCachesStayFlat() {
        SoakRun.Result r = SoakRun.run(12_000);
        System.out.printf("soak: %d calls in %.1f s, heap %+d KB, classes %+d, %d traces%n", r.calls(), r.seconds(),
                (r.heapEnd() - r.heapStart()) >> 10, r.classesEnd() - r.classesStart(), r.traces());
        assertEquals(0, r.unstable(), "results changed between calls of the same function and shape");
        assertTrue(r.maxCacheSize() <= SoakRun.BOUND, "cache size " + r.maxCacheSize());
        assertTrue(r.traces() > 100, "the run must retrace: " + r.traces());
        assertTrue(r.heapEnd() - r.heapStart() < 64L << 20, "heap grew by " + ((r.heapEnd() - r.heapStart()) >> 20) + " MB");
        // generous: a leak of one generated kernel class per retrace would add hundreds
        assertTrue(r.classesEnd() - r.classesStart() < 100, (r.classesEnd() - r.classesStart()) + " more classes loaded");
    }
}
