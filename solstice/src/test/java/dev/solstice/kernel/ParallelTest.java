package dev.solstice.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The splitting layer: every item is computed exactly once, in pieces that depend only on the size and the
 * cost (not on the thread count), a failure in any piece reaches the caller, and small work stays on the
 * calling thread.
 */
class ParallelTest {
    private int saved;

    @BeforeEach
    void save() {
        saved = Parallel.threads();
    }

    @AfterEach
    void restore() {
        Parallel.threads(saved);
    }

    /** The pieces {@code forRange} cuts, sorted, at the current thread count; checks each item is covered once. */
    private static List<String> pieces(int n, long cost) {
        AtomicIntegerArray seen = new AtomicIntegerArray(n);
        List<String> pieces = Collections.synchronizedList(new ArrayList<>());
        Parallel.forRange(n, cost, (from, to) -> {
            pieces.add(from + ".." + to);
            for (int i = from; i < to; i++) {
                seen.incrementAndGet(i);
            }
        });
        for (int i = 0; i < n; i++) {
            assertEquals(1, seen.get(i), "item " + i + " of " + n);
        }
        List<String> sorted = new ArrayList<>(pieces);
        Collections.sort(sorted);
        return sorted;
    }

    @Test
    void piecesCoverEveryItemOnceAndDoNotDependOnTheThreadCount() {
        for (int n : new int[] {1, 100, 16_384, 16_385, 65_537, 300_007}) {
            for (long cost : new long[] {1, 16, 1000, 100_000}) {
                Parallel.threads(2);
                List<String> two = pieces(n, cost);
                Parallel.threads(8);
                assertEquals(two, pieces(n, cost), n + " items of cost " + cost);
                Parallel.threads(1);
                assertEquals(List.of("0.." + n), pieces(n, cost), "one thread: one piece");
            }
        }
    }

    @Test
    void aFailureInAnyPieceReachesTheCaller() {
        Parallel.threads(4);
        IllegalStateException boom = new IllegalStateException("boom");
        for (int failing : new int[] {0, 17, 63}) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Parallel.forRange(64 * 16_384, 1,
                    (from, to) -> {
                        if (from / 16_384 == failing) {
                            throw boom;
                        }
                    }));
            assertSame(boom, e);
        }
        // the pool still works afterwards
        assertEquals(1, pieces(1 << 20, 1).stream().filter(p -> p.startsWith("0..")).count());
    }

    @Test
    void smallWorkIsNotSplitAndThreadCountsAreChecked() {
        Parallel.threads(8);
        assertFalse(Parallel.splits(Parallel.MIN_PARALLEL_ELEMENTS - 1, 1));
        assertTrue(Parallel.splits(Parallel.MIN_PARALLEL_ELEMENTS, 1));
        assertTrue(Parallel.splits(Parallel.MIN_PARALLEL_ELEMENTS / 16, 16));
        Parallel.threads(1);
        assertFalse(Parallel.splits(Long.MAX_VALUE / 16, 1), "one thread never splits");
        assertThrows(IllegalArgumentException.class, () -> Parallel.threads(0));
    }

    @Test
    void forEachRunsEveryTaskOnce() {
        Parallel.threads(3);
        AtomicIntegerArray seen = new AtomicIntegerArray(37);
        Parallel.forEach(37, Parallel.MIN_PARALLEL_WORK, seen::incrementAndGet);
        for (int t = 0; t < 37; t++) {
            assertEquals(1, seen.get(t), "task " + t);
        }
    }
}
