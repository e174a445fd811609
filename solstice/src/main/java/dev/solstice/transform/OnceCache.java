package dev.solstice.transform;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A bounded, least-recently-used cache that computes each value exactly once however many threads ask for it
 * together: the first thread to insert a key's future computes the value outside any lock, the others wait for
 * it. Not {@code computeIfAbsent}: that holds a bin lock while computing, and a computation that consults the
 * cache again (a jitted function calling another) would deadlock or throw. A failed computation is forgotten, so
 * the next call tries again; the threads that waited for it see its exception.
 */
final class OnceCache<K, V> {
    private final ConcurrentHashMap<K, Slot<V>> map = new ConcurrentHashMap<>();
    private final int capacity;
    private final AtomicLong clock = new AtomicLong();

    /** A key's future, when it was last used, and which thread computes it (to refuse waiting on oneself). */
    private static final class Slot<V> {
        final CompletableFuture<V> future = new CompletableFuture<>();
        final Thread computer = Thread.currentThread();
        volatile long lastUse;
    }

    /** A cache of at most {@code capacity} values (at least 1). */
    OnceCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a cache must hold at least one entry, got a bound of " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * The value of {@code key}, computed by {@code compute} if it is not cached (by this thread, or by another
     * one that asked first and is computing it now).
     */
    V get(K key, Function<K, V> compute) {
        Slot<V> slot = map.get(key);
        if (slot == null) {
            Slot<V> mine = new Slot<>();
            slot = map.putIfAbsent(key, mine);
            if (slot == null) {
                return computeInto(key, mine, compute);
            }
        }
        slot.lastUse = clock.incrementAndGet();
        if (!slot.future.isDone() && slot.computer == Thread.currentThread()) {
            throw new IllegalStateException("a cached computation asked for its own result while computing it"
                    + " (a jitted function that calls itself with the same arguments?)");
        }
        return join(slot.future);
    }

    /** The number of values held (computed or being computed). */
    int size() {
        return map.size();
    }

    /** The keys held, most recently used first. */
    List<K> keysByRecency() {
        List<Map.Entry<K, Long>> uses = new ArrayList<>(); // a snapshot: lastUse changes under other threads
        for (Map.Entry<K, Slot<V>> e : map.entrySet()) {
            uses.add(Map.entry(e.getKey(), e.getValue().lastUse));
        }
        uses.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
        List<K> keys = new ArrayList<>();
        for (Map.Entry<K, Long> e : uses) {
            keys.add(e.getKey());
        }
        return keys;
    }

    /** Forgets {@code key}'s value (a value valid for one call only). */
    void remove(K key) {
        map.remove(key);
    }

    private V computeInto(K key, Slot<V> slot, Function<K, V> compute) {
        slot.lastUse = clock.incrementAndGet();
        V value;
        try {
            value = compute.apply(key);
        } catch (RuntimeException | Error e) {
            map.remove(key, slot);
            slot.future.completeExceptionally(e);
            throw e;
        }
        slot.future.complete(value);
        evictBeyondCapacity();
        return value;
    }

    /** Drops the least recently used computed values until the bound holds (a scan: misses are rare and costly anyway). */
    private synchronized void evictBeyondCapacity() {
        while (map.size() > capacity) {
            K oldest = null;
            Slot<V> oldestSlot = null;
            for (Map.Entry<K, Slot<V>> e : map.entrySet()) {
                Slot<V> s = e.getValue();
                if (s.future.isDone() && (oldestSlot == null || s.lastUse < oldestSlot.lastUse)) {
                    oldest = e.getKey();
                    oldestSlot = s;
                }
            }
            if (oldest == null) {
                return; // everything left is still being computed
            }
            map.remove(oldest, oldestSlot);
        }
    }

    private static <V> V join(CompletableFuture<V> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }
}
