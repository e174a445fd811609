package dev.solstice.transform;

import dev.solstice.core.DenseArray;
import dev.solstice.core.EvalInterpreter;
import dev.solstice.core.Interpreters;
import dev.solstice.ir.ByIdentity;
import dev.solstice.ir.Program;
import dev.solstice.jit.Compiler;
import dev.solstice.jit.Executable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a jitted program meets concrete arrays: the single place that decides how a staged {@link Program} is run.
 * Each program is compiled once: its nested calls inlined ({@link CallInlining}), then the {@link Compiler} (dead
 * code and common subexpressions removed, elementwise chains fused into generated kernels, buffers reused), its
 * results bitwise those of evaluating it with the eager kernels. Executables are kept in a bounded
 * least-recently-used cache keyed by the program's identity (programs are owned by jitted functions' trace caches
 * and by the memo of derived programs, both bounded too).
 *
 * <p>Debugging: with the system property {@code solstice.jit.dump=true}, every compilation prints the inlined
 * program and the executable's steps ({@link #dump}) to standard error; for per-step times see
 * {@link Executable}'s {@code solstice.jit.profile}.
 */
public final class JitExecution {
    private static final Interpreters.Scope EVAL = Interpreters.scope(EvalInterpreter.INSTANCE);
    private static final int CAPACITY = Integer.getInteger("solstice.jit.executables", 1024);
    private static final OnceCache<Key, Compiled> EXECUTABLES = new OnceCache<>(CAPACITY);
    private static final DenseArray[] NONE = {};
    /** The captured values of the jitted functions' programs, by program (see {@link #fixCaptured}); bounded. */
    private static final Map<ByIdentity<Program>, DenseArray[]> CAPTURED = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ByIdentity<Program>, DenseArray[]> eldest) {
            return size() > CAPACITY;
        }
    };

    /** A program, and whether its executable may have the program's captured values fixed. */
    private record Key(ByIdentity<Program> program, boolean withCaptured) {}

    /** An executable, and the values of its first inputs it was compiled for (none: any values). */
    private record Compiled(Executable executable, DenseArray[] fixed) {
        boolean accepts(DenseArray[] inputs) {
            for (int i = 0; i < fixed.length; i++) {
                if (inputs[i] != fixed[i]) {
                    return false;
                }
            }
            return true;
        }
    }

    private JitExecution() {}

    /**
     * Records that {@code program}'s first inputs are always {@code captured} when its jitted function calls it
     * (its trace captured these concrete arrays): its executable is then compiled with them fixed, computing the
     * equations that depend on them alone once, at compile time (see
     * {@link dev.solstice.jit.passes.ConstantFolding}). A run given other arrays for them gets an executable without
     * them fixed, so results never depend on this. To take effect it must come before the program's first run.
     * The captured arrays (and the folded results of the executable) stay in memory while the program is
     * remembered here (or its executable cached), after the jitted function is gone, as in JAX's compilation
     * cache. At most {@code solstice.jit.executables} programs are
     * remembered, least recently registered or compiled dropped first (a dropped one is compiled without folding).
     */
    static void fixCaptured(Program program, DenseArray[] captured) {
        synchronized (CAPTURED) {
            CAPTURED.put(new ByIdentity<>(program), captured.clone());
        }
    }

    private static DenseArray[] capturedOf(Program program) {
        synchronized (CAPTURED) {
            DenseArray[] c = CAPTURED.get(new ByIdentity<>(program));
            return c == null ? NONE : c;
        }
    }

    /**
     * Runs {@code program} on concrete inputs (one per program input, avals as staged) and returns concrete
     * outputs. Nested jit calls and custom-rule calls inside are bound under the eval interpreter, which runs them
     * in turn.
     */
    public static DenseArray[] run(Program program, DenseArray[] inputs) {
        Executable executable = executable(program, inputs);
        // an interpreter that delegated the call (its parent being eval) may still be current: install eval then,
        // so that the custom-rule calls the executable binds are evaluated
        return Interpreters.current() == EvalInterpreter.INSTANCE ? executable.run(inputs)
                : EVAL.run(() -> executable.run(inputs));
    }

    /** The executable that runs {@code program} on {@code inputs}, compiled on first use (tests count its steps). */
    static Executable executable(Program program, DenseArray[] inputs) {
        ByIdentity<Program> p = new ByIdentity<>(program);
        Compiled c = EXECUTABLES.get(new Key(p, true), key -> compile(program, capturedOf(program)));
        return c.accepts(inputs) ? c.executable()
                : EXECUTABLES.get(new Key(p, false), key -> compile(program, NONE)).executable();
    }

    private static Compiled compile(Program program, DenseArray[] fixedInputs) {
        Program inlined = CallInlining.inline(program);
        Executable executable = Compiler.compile(inlined, fixedInputs);
        if (Boolean.getBoolean("solstice.jit.dump")) {
            System.err.print(dump(inlined, executable));
        }
        return new Compiled(executable, fixedInputs);
    }

    /** The program as compiled (its calls inlined) and the executable's numbered steps, for debugging. */
    static String dump(Program inlined, Executable executable) {
        return "=== jit program\n" + inlined + "\n=== jit executable (" + executable.stepCount() + " steps)\n"
                + executable.describe();
    }
}
