package dev.solstice;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Options of {@link Jax#jit(java.util.function.Function, JitOptions)}: which top-level entries of the argument are
 * static, how many traces to keep, and the name shown in programs and messages. Immutable; start from
 * {@link #staticArgs}, {@link #staticArgNames}, {@link #cacheSize} or {@link #named} and chain the {@code with}
 * methods.
 *
 * <p><b>Static arguments.</b> A jitted function takes one argument; to pass several, pass a {@code List}, a record
 * or a {@code Map}, whose top-level entries are then the arguments (JAX's positional arguments). A static entry is
 * not traced: it is part of the cache key, compared with {@code equals} (a new value traces again), and the function
 * sees the value itself, so Java code may branch on it. It may be any value with value equality (numbers, strings,
 * enums, records, lists and maps of those), but not an array nor a Java array. Entries are named by position
 * ({@link #staticArgs}: list index, record component index) or by name ({@link #staticArgNames}: record component,
 * map key).
 *
 * {@snippet lang=java :
 * Jitted<List<Object>, Array> scale = Jax.jit((List<Object> a) -> ((Array) a.get(0)).mul((Double) a.get(1)),
 *         JitOptions.staticArgs(1).withName("scale"));
 * scale.apply(List.of(Array.of(1.0, 2.0), 3.0))    // [3.0, 6.0]
 * scale.apply(List.of(Array.of(1.0, 2.0), 4.0))    // [4.0, 8.0]: a new static value, a new trace
 * scale.traceCount()                               // 2
 * }
 */
public final class JitOptions {
    private static final int DEFAULT_CACHE_SIZE = 64;

    /** The defaults: nothing static beyond Java numbers, 64 traces kept, named {@code fn}. */
    public static final JitOptions DEFAULT = new JitOptions(Set.of(), DEFAULT_CACHE_SIZE, "fn");

    private final Set<Object> staticKeys;
    private final int maxCacheEntries;
    private final String name;

    private JitOptions(Set<Object> staticKeys, int maxCacheEntries, String name) {
        if (maxCacheEntries < 1) {
            throw new IllegalArgumentException("JitOptions.cacheSize: a jitted function must keep at least one trace, got "
                    + maxCacheEntries);
        }
        this.staticKeys = Set.copyOf(staticKeys);
        this.maxCacheEntries = maxCacheEntries;
        this.name = name;
    }

    /**
     * The default options with the top-level entries at {@code positions} static.
     *
     * {@snippet lang=java :
     * JitOptions.staticArgs(1, 2).staticKeys().containsAll(Set.of(1, 2))     // true
     * }
     */
    public static JitOptions staticArgs(int... positions) {
        return DEFAULT.withStaticArgs(positions);
    }

    /**
     * The default options with the top-level entries named {@code names} (record components, map keys) static.
     *
     * {@snippet lang=java :
     * record Step(Array w, String mode) {}
     * Jitted<Step, Array> f = Jax.jit((Step s) -> s.mode().equals("double") ? s.w().mul(2.0) : s.w(),
     *         JitOptions.staticArgNames("mode"));
     * f.apply(new Step(Array.of(1.0, 2.0), "double"))     // [2.0, 4.0]
     * }
     */
    public static JitOptions staticArgNames(String... names) {
        return DEFAULT.withStaticArgNames(names);
    }

    /**
     * The default options keeping at most {@code maxEntries} traces (least recently used dropped first).
     *
     * {@snippet lang=java :
     * Jitted<Array, Array> f = Jax.jit((Array x) -> x.mul(2.0), JitOptions.cacheSize(1));
     * f.apply(Array.of(1.0));
     * f.apply(Array.of(1.0, 2.0));
     * f.cacheSize()                                       // 1: the first trace was dropped
     * }
     */
    public static JitOptions cacheSize(int maxEntries) {
        return DEFAULT.withCacheSize(maxEntries);
    }

    /**
     * The default options with a name for the function, shown in programs ({@code jit_call[function=...]}) and messages.
     *
     * {@snippet lang=java :
     * JitOptions.named("step").name()                     // step
     * }
     */
    public static JitOptions named(String name) {
        return DEFAULT.withName(name);
    }

    /**
     * These options with the entries at {@code positions} static as well.
     *
     * {@snippet lang=java :
     * JitOptions.staticArgs(0).withStaticArgs(2).staticKeys().contains(2)   // true
     * }
     */
    public JitOptions withStaticArgs(int... positions) {
        Set<Object> keys = new LinkedHashSet<>(staticKeys);
        for (int p : positions) {
            if (p < 0) {
                throw new IllegalArgumentException("JitOptions.staticArgs: negative position " + p + " in "
                        + Arrays.toString(positions));
            }
            keys.add(p);
        }
        return new JitOptions(keys, maxCacheEntries, name);
    }

    /**
     * These options with the entries named {@code names} static as well.
     *
     * {@snippet lang=java :
     * JitOptions.named("f").withStaticArgNames("mode").staticKeys().toString()   // [mode]
     * }
     */
    public JitOptions withStaticArgNames(String... names) {
        Set<Object> keys = new LinkedHashSet<>(staticKeys);
        keys.addAll(List.of(names));
        return new JitOptions(keys, maxCacheEntries, name);
    }

    /**
     * These options keeping at most {@code maxEntries} traces.
     *
     * {@snippet lang=java :
     * JitOptions.named("f").withCacheSize(8).maxCacheEntries()    // 8
     * JitOptions.named("f").withCacheSize(0)                      // throws IllegalArgumentException
     * }
     */
    public JitOptions withCacheSize(int maxEntries) {
        return new JitOptions(staticKeys, maxEntries, name);
    }

    /**
     * These options with another name.
     *
     * {@snippet lang=java :
     * JitOptions.cacheSize(4).withName("loss").name()             // loss
     * }
     */
    public JitOptions withName(String newName) {
        if (newName == null || newName.isBlank()) {
            throw new IllegalArgumentException("JitOptions.named: the name must not be blank");
        }
        return new JitOptions(staticKeys, maxCacheEntries, newName);
    }

    /**
     * The static entries: {@code Integer} positions and {@code String} names.
     *
     * {@snippet lang=java :
     * JitOptions.staticArgs(1).withStaticArgNames("mode").staticKeys().size()   // 2
     * }
     */
    public Set<Object> staticKeys() {
        return staticKeys;
    }

    /**
     * The most traces kept.
     *
     * {@snippet lang=java :
     * JitOptions.DEFAULT.maxCacheEntries()                        // 64
     * }
     */
    public int maxCacheEntries() {
        return maxCacheEntries;
    }

    /**
     * The function's name.
     *
     * {@snippet lang=java :
     * JitOptions.DEFAULT.name()                                   // fn
     * }
     */
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return "JitOptions[static=" + staticKeys + ", cacheSize=" + maxCacheEntries + ", name=" + name + "]";
    }
}
