package dev.solstice.jit;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded cache of generated kernels by structural key, least recently used evicted first. An evicted
 * kernel's hidden class unloads once no executable holds it any more. Thread-safe.
 */
final class KernelCache {
    /** The default bound: system property {@code solstice.jit.kernelCache}, else 512. */
    static final KernelCache SHARED = new KernelCache(Integer.getInteger("solstice.jit.kernelCache", 512));

    private final int capacity;
    private final Map<KernelSpec, FusedKernel> kernels;
    private long generated;

    KernelCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("jit: the kernel cache needs a capacity of at least 1, got " + capacity);
        }
        this.capacity = capacity;
        this.kernels = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<KernelSpec, FusedKernel> eldest) {
                return size() > KernelCache.this.capacity;
            }
        };
    }

    /** The kernel of {@code spec}, generated on first use. */
    FusedKernel get(KernelSpec spec) {
        synchronized (this) {
            FusedKernel k = kernels.get(spec);
            if (k != null) {
                return k;
            }
        }
        FusedKernel made = KernelGenerator.generate(spec); // outside the lock: generation takes a while
        synchronized (this) {
            FusedKernel k = kernels.putIfAbsent(spec, made);
            if (k != null) {
                return k;
            }
            generated++;
            return made;
        }
    }

    /** How many kernels this cache has generated and kept (for tests). */
    synchronized long generated() {
        return generated;
    }

    /** How many kernels it holds now. */
    synchronized int size() {
        return kernels.size();
    }
}
