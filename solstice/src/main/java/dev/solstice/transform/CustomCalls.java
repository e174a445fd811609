package dev.solstice.transform;

import dev.solstice.Array;
import dev.solstice.core.Shapes;
import dev.solstice.core.CallPrimitive;
import dev.solstice.core.DenseArray;
import dev.solstice.core.EvalInterpreter;
import dev.solstice.core.Interpreters;
import dev.solstice.ir.ClosedProgram;
import dev.solstice.prim.CustomJvpCall;
import dev.solstice.prim.CustomVjpCall;
import java.util.Arrays;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Calls of functions with custom rules (the machinery behind {@code Jax.customJvp}, {@code Jax.customVjp} and
 * Equinox's filtered versions). The function is staged to a closed program and the call is bound on the values
 * it captured followed by its arguments, as JAX's custom_jvp_call: a captured tracer of an enclosing
 * transformation is then an ordinary operand, which that transformation sees (vmap batches it and keeps the
 * rule; differentiating with respect to it is refused, as the rule does not cover it).
 */
public final class CustomCalls {
    private CustomCalls() {}

    /**
     * {@code fn} applied to {@code args}, with {@code rule} (given the arguments' primals and tangents, returns
     * {primal outputs, tangent outputs}) as its derivative.
     */
    public static Array[] customJvp(Function<Array[], Array[]> fn, BiFunction<Array[], Array[], Array[][]> rule,
            Array[] args) {
        if (evaluatedNow(args)) {
            return fn.apply(args);
        }
        ClosedProgram staged = Staging.trace(fn, Shapes.avals(args));
        int n = staged.consts().size();
        return bind(new CustomJvpCall(staged.program(), n, (ops, t) -> rule.apply(explicit(ops, n), t)), staged, args);
    }

    /**
     * {@code fn} applied to {@code args}, differentiated in reverse mode by {@code fwd} (returns {outputs,
     * residuals}) and {@code bwd} (given residuals and output cotangents, returns one cotangent per argument).
     */
    public static Array[] customVjp(Function<Array[], Array[]> fn, Function<Array[], Array[][]> fwd,
            BiFunction<Array[], Array[], Array[]> bwd, Array[] args) {
        if (evaluatedNow(args)) {
            return fn.apply(args);
        }
        ClosedProgram staged = Staging.trace(fn, Shapes.avals(args));
        int n = staged.consts().size();
        return bind(new CustomVjpCall(staged.program(), n, ops -> fwd.apply(explicit(ops, n)), bwd), staged, args);
    }

    /**
     * Whether the call is plain evaluation of concrete arguments: with no transformation installed, none can
     * see the call, so the function simply runs (as JAX's eval trace does), without being staged. A tracer the
     * function captured could not be understood here either way.
     */
    private static boolean evaluatedNow(Array[] args) {
        if (Interpreters.current() != EvalInterpreter.INSTANCE) {
            return false;
        }
        for (Array a : args) {
            if (!(a instanceof DenseArray)) {
                return false;
            }
        }
        return true;
    }

    private static Array[] bind(CallPrimitive call, ClosedProgram staged, Array[] args) {
        int n = staged.consts().size();
        Array[] operands = new Array[n + args.length];
        for (int i = 0; i < n; i++) {
            operands[i] = staged.consts().get(i);
        }
        System.arraycopy(args, 0, operands, n, args.length);
        return Interpreters.bind(call, operands);
    }

    /** The user's rules see the explicit arguments only: the operands after the {@code n} captured values. */
    private static Array[] explicit(Array[] operands, int n) {
        return Arrays.copyOfRange(operands, n, operands.length);
    }
}
