package dev.solstice.transform;

import dev.solstice.core.DenseArray;
import dev.solstice.core.EvalInterpreter;
import dev.solstice.core.Interpreters;
import dev.solstice.ir.ByIdentity;
import dev.solstice.ir.Program;
import dev.solstice.jit.Compiler;
import dev.solstice.jit.Executable;

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
    private static final OnceCache<ByIdentity<Program>, Executable> EXECUTABLES = new OnceCache<>(CAPACITY);

    private JitExecution() {}

    /**
     * Runs {@code program} on concrete inputs (one per program input, avals as staged) and returns concrete
     * outputs. Nested jit calls and custom-rule calls inside are bound under the eval interpreter, which runs them
     * in turn.
     */
    public static DenseArray[] run(Program program, DenseArray[] inputs) {
        Executable executable = EXECUTABLES.get(new ByIdentity<>(program),
                key -> compile(key.value()));
        // an interpreter that delegated the call (its parent being eval) may still be current: install eval then,
        // so that the custom-rule calls the executable binds are evaluated
        return Interpreters.current() == EvalInterpreter.INSTANCE ? executable.run(inputs)
                : EVAL.run(() -> executable.run(inputs));
    }

    private static Executable compile(Program program) {
        Program inlined = CallInlining.inline(program);
        Executable executable = Compiler.compile(inlined);
        if (Boolean.getBoolean("solstice.jit.dump")) {
            System.err.print(dump(inlined, executable));
        }
        return executable;
    }

    /** The program as compiled (its calls inlined) and the executable's numbered steps, for debugging. */
    static String dump(Program inlined, Executable executable) {
        return "=== jit program\n" + inlined + "\n=== jit executable (" + executable.stepCount() + " steps)\n"
                + executable.describe();
    }
}
