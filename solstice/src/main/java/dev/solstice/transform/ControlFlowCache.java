package dev.solstice.transform;

import dev.solstice.Array;
import dev.solstice.core.Tracer;
import dev.solstice.ir.ClosedProgram;
import dev.solstice.ir.Program;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The two caches of control flow, both bounded (least recently used go first) and safe across threads
 * ({@link OnceCache}).
 *
 * <p>Canonical programs: control flow traces its functions on every call (a function may read a field or any state
 * that changed since the last call, so reusing an earlier trace of the same function object could be stale), then
 * swaps the traced program for the first program seen with the same structure ({@link ProgramStructure}). Captured
 * values stay operands of the call, not part of the program, so a repeated call with new captured values still
 * finds the same program, whose executable {@link JitExecution} compiled on the first call, and whose derived
 * programs are memoised. Tracing a small branch costs about a microsecond; compiling it, tens.
 *
 * <p>Derived programs: the rules of cond, while and scan (JVP, batching, transpose, partial evaluation) trace
 * programs derived from the primitive's programs; they are memoised per primitive (its programs compared by
 * identity), rule and variant (masks, batch axes, operand avals), as {@link JitRules} does for jit calls.
 */
final class ControlFlowCache {
    private ControlFlowCache() {}

    /** How many programs each cache keeps ({@code -Dsolstice.controlflow.cache}). */
    private static final int CAPACITY = Integer.getInteger("solstice.controlflow.cache", 1024);
    private static final OnceCache<ProgramStructure, Program> CANONICAL = new OnceCache<>(CAPACITY);
    private static final OnceCache<Key, Object> DERIVED = new OnceCache<>(CAPACITY);

    /** A memo key: the source (a primitive, or programs by identity), the rule and its variant. */
    private record Key(Object source, String rule, List<?> variant) {}

    /** The program of {@code p}'s structure seen first (and still cached), else {@code p} itself. */
    static Program canonical(Program p) {
        return CANONICAL.get(ProgramStructure.of(p), k -> p);
    }

    /** {@code cp} with its program made canonical; the captured values stay its own. */
    static ClosedProgram canonical(ClosedProgram cp) {
        Program p = canonical(cp.program());
        return p == cp.program() ? cp : new ClosedProgram(p, cp.consts());
    }

    /**
     * The memoised value of {@code rule} of {@code variant} applied to {@code source}, made by {@code make} when it
     * is not cached. {@code source} must compare its programs by identity (as {@link Cond}, {@link While} and
     * {@link ScanLoop} do), and the value must depend on nothing but the key.
     */
    static <V> V derived(Object source, String rule, List<?> variant, Supplier<V> make) {
        return derived(source, rule, variant, make, v -> true);
    }

    /**
     * {@link #derived(Object, String, List, Supplier)}, but a value that fails {@code reusable} is not kept (a
     * derived program that captured a tracer of an enclosing transformation: valid while that transformation runs).
     */
    @SuppressWarnings("unchecked")
    static <V> V derived(Object source, String rule, List<?> variant, Supplier<V> make, Predicate<V> reusable) {
        Key key = new Key(source, rule, variant);
        V v = (V) DERIVED.get(key, k -> make.get());
        if (!reusable.test(v)) {
            DERIVED.remove(key);
        }
        return v;
    }

    /** How many programs and derived values are cached (for tests). */
    static int size() {
        return CANONICAL.size() + DERIVED.size();
    }

    /** A mask as a list, for a key. */
    static List<Integer> mask(boolean[] mask) {
        List<Integer> out = new ArrayList<>(mask.length);
        for (boolean b : mask) {
            out.add(b ? 1 : 0);
        }
        return out;
    }

    /**
     * The variant key of a loop's batching rule: the operands' batch axes and avals, the batch size and the
     * vmap's name (see {@link NamedAxisBatching#memoKey}).
     */
    static List<Object> batchVariant(Array[] vals, int[] dims, int axisSize, String axisName) {
        return List.of(ints(dims), axisSize, CondRules.avals(List.of(vals)), NamedAxisBatching.memoKey(axisName));
    }

    /** Ints (batch axes) as a list, for a key. */
    static List<Integer> ints(int[] values) {
        List<Integer> out = new ArrayList<>(values.length);
        for (int v : values) {
            out.add(v);
        }
        return out;
    }

    /** Whether none of the programs captured a tracer (so a derived value holding them may be kept). */
    static boolean noTracers(List<ClosedProgram> programs) {
        for (ClosedProgram cp : programs) {
            for (Array c : cp.consts()) {
                if (c instanceof Tracer) {
                    return false;
                }
            }
        }
        return true;
    }
}
