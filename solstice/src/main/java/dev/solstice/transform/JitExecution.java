package dev.solstice.transform;

import dev.solstice.Array;
import dev.solstice.core.DenseArray;
import dev.solstice.core.EvalInterpreter;
import dev.solstice.core.Interpreters;
import dev.solstice.core.Zero;
import dev.solstice.ir.Program;

/**
 * Where a jitted program meets concrete arrays: the single place that decides how a staged {@link Program} is run.
 * For now it evaluates the program equation by equation with the eager kernels (so results are bitwise those of
 * eager code); the compiler ({@code dev.solstice.jit}) takes its place here, behind the same call.
 */
public final class JitExecution {
    private static final Interpreters.Scope EVAL = Interpreters.scope(EvalInterpreter.INSTANCE);

    private JitExecution() {}

    /**
     * Runs {@code program} on concrete inputs (one per program input, avals as staged) and returns concrete
     * outputs. Nested jit calls and custom-rule calls inside are bound under the eval interpreter, which runs them
     * in turn.
     */
    public static DenseArray[] run(Program program, DenseArray[] inputs) {
        // an interpreter that delegated the call (its parent being eval) may still be current: install eval then
        Array[] out = Interpreters.current() == EvalInterpreter.INSTANCE ? program.evaluate(inputs)
                : EVAL.run(() -> program.evaluate(inputs));
        DenseArray[] dense = new DenseArray[out.length];
        for (int i = 0; i < out.length; i++) {
            dense[i] = Zero.instantiate(out[i]).concrete(); // a program may output a symbolic zero
        }
        return dense;
    }
}
