package dev.solstice.transform;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Interpreters;
import dev.solstice.core.Tracer;
import dev.solstice.ir.ClosedProgram;
import dev.solstice.tree.KeyPath;
import dev.solstice.tree.Tree;
import dev.solstice.tree.TreeDef;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The machinery behind {@code Jax.jit} and {@code Eqx.filterJit}: a function of a tree that is traced once per
 * signature (structure, static values, avals of the traced leaves) into a program, cached, and applied as one
 * {@link JitCall} under whatever transformations are current. Thread-safe: when several threads make the first
 * call with one signature together, exactly one traces and the others wait for its program.
 *
 * @param <T> the argument type
 * @param <R> the result type
 */
public final class StagedFunction<T, R> {
    private static final System.Logger LOG = System.getLogger("dev.solstice.jit");

    /** Which leaves are traced and which other leaves are accepted as static. */
    public enum Mode {
        /**
         * {@code Jax.jit}: arrays are traced; Java numbers and booleans are static values; any other leaf must sit
         * in a static argument.
         */
        JIT("Jax.jit"),
        /** {@code Eqx.filterJit}: arrays are traced and every other leaf is static (compared by {@code equals}). */
        FILTER("Eqx.filterJit");

        private final String op;

        Mode(String op) {
            this.op = op;
        }
    }

    /**
     * A traced function: the closed program, and the structure of its result (static values of the result are
     * kept in it as they were when tracing).
     *
     * @param program the program with its captured values
     * @param outDef the result's structure; its leaves are the program's outputs
     */
    public record Traced(ClosedProgram program, TreeDef outDef) {}

    /** A cache entry; {@code perCall} when the trace captured a tracer, so it holds for one call only. */
    private record Entry(JitCall call, Array[] consts, TreeDef outDef, boolean perCall) {}

    private final String name;
    private final Function<T, R> fn;
    private final Mode mode;
    private final Set<Object> staticKeys;
    private final OnceCache<JitSignature, Entry> cache;
    private final AtomicInteger traces = new AtomicInteger();
    private volatile String lastMiss = "no call has missed the cache yet";
    private final AtomicBoolean warnedOfLambdas = new AtomicBoolean();

    /**
     * A staged {@code fn}. {@code staticKeys} names top-level entries of the argument that are static as a whole:
     * an {@code Integer} is a position (list or array index, record component), a {@code String} a record
     * component or map key. At most {@code cacheSize} traces are kept, least recently used dropped first.
     */
    public StagedFunction(String name, Function<T, R> fn, Mode mode, Set<Object> staticKeys, int cacheSize) {
        this.name = name;
        this.fn = fn;
        this.mode = mode;
        this.staticKeys = Set.copyOf(staticKeys);
        this.cache = new OnceCache<>(cacheSize);
    }

    /** Applies the function: looks the signature up (tracing on a miss) and binds the program's jit call. */
    public R apply(T x) {
        ArgumentSplit split = ArgumentSplit.of(x, staticKeys, false);
        JitSignature key = split.signature();
        boolean[] tracedHere = {false};
        Entry e = cache.get(key, k -> {
            tracedHere[0] = true;
            return miss(split, k);
        });
        if (e.perCall) {
            if (tracedHere[0]) {
                cache.remove(key);
            } else {
                e = miss(split, key); // another thread's trace captured its own tracers
            }
        }
        List<Object> leaves = split.leaves();
        Array[] operands = new Array[e.consts.length + leaves.size()];
        System.arraycopy(e.consts, 0, operands, 0, e.consts.length);
        for (int i = 0; i < leaves.size(); i++) {
            operands[e.consts.length + i] = (Array) leaves.get(i);
        }
        Array[] outs = Interpreters.bind(e.call, operands);
        return Tree.unflatten(e.outDef, Arrays.asList(outs));
    }

    /** How many times the function has been traced (cache misses, and calls whose trace could not be kept). */
    public int traceCount() {
        return traces.get();
    }

    /** The number of traces held in the cache now. */
    public int cacheSize() {
        return cache.size();
    }

    /** Why the latest trace happened, naming what changed (a tree path, an aval, a static value). */
    public String explainCacheMiss() {
        return lastMiss;
    }

    /** Names the function and its cache, for example {@code Jax.jit(fn): 2 traces, 2 cached}. */
    @Override
    public String toString() {
        return mode.op + "(" + name + "): " + traceCount() + " traces, " + cacheSize() + " cached";
    }

    private Entry miss(ArgumentSplit split, JitSignature key) {
        check(mode, split, staticKeys);
        String why = explain(split, key);
        Traced t = trace(fn, split);
        boolean perCall = false;
        for (Array c : t.program().consts()) {
            perCall |= c instanceof Tracer;
        }
        int n = traces.incrementAndGet();
        lastMiss = mode.op + "(" + name + ") traced (trace " + n + "): " + why
                + (perCall ? "; it captured a value traced by an enclosing transformation, so this trace holds for"
                        + " one call only" : "");
        boolean lambdaAnew = why.contains(TreePaths.LAMBDA_HINT);
        if (lambdaAnew && !warnedOfLambdas.getAndSet(true)) {
            LOG.log(System.Logger.Level.WARNING, lastMiss + " (warned once per jitted function)");
        } else {
            LOG.log(System.Logger.Level.DEBUG, lastMiss);
        }
        Array[] consts = t.program().consts().toArray(Array[]::new);
        fixIfConcrete(t.program().program(), consts);
        return new Entry(new JitCall(name, t.program().program()), consts, t.outDef(), perCall);
    }

    /** Captured values that are all concrete arrays are fixed for this trace: its executable may fold them. */
    private static void fixIfConcrete(dev.solstice.ir.Program program, Array[] consts) {
        DenseArray[] fixed = new DenseArray[consts.length];
        for (int i = 0; i < fixed.length; i++) {
            if (!(consts[i] instanceof DenseArray d)) {
                return;
            }
            fixed[i] = d;
        }
        if (fixed.length > 0) {
            JitExecution.fixCaptured(program, fixed);
        }
    }

    /** What distinguishes {@code split} from the signatures cached, in words. */
    private String explain(ArgumentSplit split, JitSignature key) {
        List<JitSignature> held = new ArrayList<>(cache.keysByRecency());
        held.remove(key);
        if (held.isEmpty()) {
            return "first call with " + (key.avals.length == 0 ? "no traced leaves" : Arrays.toString(key.avals));
        }
        for (JitSignature s : held) {
            if (s.structure.equals(key.structure)) {
                List<KeyPath> paths = split.leafPaths();
                List<String> changes = new ArrayList<>();
                for (int i = 0; i < key.avals.length; i++) {
                    if (!key.avals[i].equals(s.avals[i])) {
                        changes.add("at " + TreePaths.show(paths.get(i)) + ": was " + s.avals[i].str() + ", now "
                                + key.avals[i].str());
                    }
                }
                return String.join("; ", changes);
            }
        }
        String nearest = null; // prefer a signature that differs only in a static value: the likely culprit
        for (JitSignature s : held) {
            String d = structureChange(s.structure, split);
            if (nearest == null || d.startsWith("static") && !nearest.startsWith("static")) {
                nearest = d;
            }
        }
        return nearest;
    }

    /** The first difference in structure or static values from the most recently used signature. */
    private static String structureChange(List<Object> was, ArgumentSplit now) {
        if (now.top() == null) {
            return TreePaths.difference((TreeDef) was.getFirst(), (TreeDef) now.parts().getFirst(), KeyPath.ROOT);
        }
        if (!was.getFirst().equals(now.top())) {
            return TreePaths.difference((TreeDef) was.getFirst(), now.top(), KeyPath.ROOT);
        }
        for (int i = 0; i < now.parts().size(); i++) {
            Object a = was.get(i + 1);
            Object b = now.parts().get(i);
            KeyPath path = TreePaths.childPath(now.top(), i, KeyPath.ROOT);
            if (a.equals(b)) {
                continue;
            }
            if (a instanceof ArgumentSplit.StaticArg sa && b instanceof ArgumentSplit.StaticArg sb) {
                return "static argument " + path + ": " + TreePaths.staticChange(sa.value(), sb.value());
            }
            if (a instanceof TreeDef da && b instanceof TreeDef db) {
                return TreePaths.difference(da, db, path);
            }
        }
        return "the argument's structure changed";
    }

    /**
     * Traces {@code fn} on {@code x} once, without caching: for {@code makeJaxpr} and {@code evalShape}. Arrays and
     * {@link Aval}s are traced leaves (so {@code x} is {@code fn}'s argument with avals for some arrays); every
     * other leaf is static.
     */
    public static <T> Traced traceOnce(Function<T, ?> fn, Object x) {
        ArgumentSplit split = ArgumentSplit.of(x, Set.of(), true);
        check(Mode.FILTER, split, Set.of());
        return trace(fn, split);
    }

    private static <T> Traced trace(Function<T, ?> fn, ArgumentSplit split) {
        TreeDef[] outDef = new TreeDef[1];
        ClosedProgram program = Staging.trace(args -> {
            T arg = split.rebuild(Arrays.asList(args));
            Tree.Flattened out = Tree.flatten(fn.apply(arg));
            outDef[0] = out.def();
            return out.leaves().toArray(Array[]::new);
        }, split.avals());
        return new Traced(program, outDef[0]);
    }

    /** Rejects leaves that cannot be static in this mode, and static keys the argument does not have. */
    private static void check(Mode mode, ArgumentSplit split, Set<Object> staticKeys) {
        StaticChecks.check(mode.op, mode == Mode.JIT, split, staticKeys);
    }
}
