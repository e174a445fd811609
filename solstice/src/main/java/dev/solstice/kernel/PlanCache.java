package dev.solstice.kernel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A bounded, thread-safe cache of index plans: the {@code int[]} tables (gather maps, reduction groupings,
 * window and im2col tables) that evaluation builds from shapes alone. A plan is keyed by what it depends on,
 * typically the primitive (a record with value equality) and its input avals, so a repeated call of the same
 * operation on the same shapes reuses the tables instead of rebuilding them.
 *
 * <p>Cached tables are shared between calls and threads, so they are immutable by contract: nobody writes
 * into a table obtained here. The cache keeps the most recently used plans, at most {@value #MAX_ENTRIES}
 * of them and at most {@value #MAX_INTS} table entries in all (a plan larger than that is built every time
 * and never stored). All methods are safe to call from any thread; a plan missing from the cache may be
 * built by two threads at once, and then both get the one stored first.
 */
public final class PlanCache {
    /** The most plans kept. */
    static final int MAX_ENTRIES = 512;
    /** The most table entries ({@code int}s) kept in all: 32 MiB. */
    static final long MAX_INTS = 8L << 20;

    private static final Map<Key, int[][]> PLANS = new LinkedHashMap<>(64, 0.75f, true);
    private static long ints;
    private static final AtomicLong BUILDS = new AtomicLong();

    private PlanCache() {}

    /** What a plan depends on: an owner (a primitive, or a name) and the values it was built from. */
    private record Key(Object owner, Object[] parts) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && owner.equals(k.owner) && Arrays.deepEquals(parts, k.parts);
        }

        @Override
        public int hashCode() {
            return owner.hashCode() * 31 + Arrays.deepHashCode(parts);
        }
    }

    /**
     * The tables of the plan for {@code owner} and {@code parts} (avals, shapes, sizes: values with value
     * equality, {@code int[]} compared by content), built by {@code build} if not cached. The result and its
     * arrays must not be modified.
     */
    public static int[][] tables(Object owner, Object[] parts, Supplier<int[][]> build) {
        Key key = new Key(owner, parts);
        int[][] plan;
        synchronized (PLANS) {
            plan = PLANS.get(key);
        }
        return plan != null ? plan : store(key, build.get());
    }

    /** {@link #tables} for a plan of one table. */
    public static int[] table(Object owner, Object[] parts, Supplier<int[]> build) {
        return tables(owner, parts, () -> new int[][] {build.get()})[0];
    }

    private static int[][] store(Key key, int[][] plan) {
        BUILDS.incrementAndGet();
        long size = size(plan);
        if (size > MAX_INTS) {
            return plan;
        }
        synchronized (PLANS) {
            int[][] raced = PLANS.putIfAbsent(key, plan);
            if (raced != null) {
                return raced;
            }
            ints += size;
            Iterator<int[][]> eldest = PLANS.values().iterator();
            while (PLANS.size() > MAX_ENTRIES || ints > MAX_INTS) {
                ints -= size(eldest.next());
                eldest.remove();
            }
            return plan;
        }
    }

    private static long size(int[][] plan) {
        long n = plan.length;
        for (int[] t : plan) {
            n += t == null ? 0 : t.length;
        }
        return n;
    }

    /** The cached plan for {@code owner} and {@code parts}, or {@code null} (a test hook; counts as a use). */
    static int[][] cached(Object owner, Object... parts) {
        synchronized (PLANS) {
            return PLANS.get(new Key(owner, parts));
        }
    }

    /** The plans cached now, least recently used first (a test hook). */
    static List<int[][]> plans() {
        synchronized (PLANS) {
            return new ArrayList<>(PLANS.values());
        }
    }

    /** The number of plans built so far, cached or not (a test hook). */
    static long builds() {
        return BUILDS.get();
    }

    /** The number of plans cached now (a test hook). */
    static int size() {
        synchronized (PLANS) {
            return PLANS.size();
        }
    }

    /** The number of table entries cached now (a test hook). */
    static long ints() {
        synchronized (PLANS) {
            return ints;
        }
    }

    /** Empties the cache (a test hook). */
    static void clear() {
        synchronized (PLANS) {
            PLANS.clear();
            ints = 0;
        }
    }
}
