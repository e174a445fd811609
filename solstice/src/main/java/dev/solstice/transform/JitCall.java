package dev.solstice.transform;

import dev.solstice.ir.Program;

/**
 * A call of a jitted function: the staged {@link Program} of the function, applied to its operands (the values
 * the function captured, then its flattened traced arguments). As JAX's {@code jit} primitive, every
 * transformation treats it as one operation with rules of its own: evaluation runs the program
 * ({@link JitExecution}); the JVP is a jit call of the program's JVP; batching is a jit call of the vmapped
 * program; linearization splits it into a known call computed now and an unknown one staged; the transpose is a
 * jit call of the transposed program. Derived programs are memoised ({@link JitRules}), so repeated calls under a
 * transformation do not trace again. Tracing an enclosing jit records it as one equation.
 *
 * <p>Two calls are equal when they run the same program object (programs are compared by identity).
 *
 * @param function the jitted function's name, for printing
 * @param program the staged program: captured values first, then the arguments
 */
public record JitCall(String function, Program program) implements ProgramCall {

    @Override
    public ProgramCall withProgram(String name, Program derived) {
        return new JitCall(name, derived);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JitCall c && c.program == program && c.function.equals(function);
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(program) * 31 + function.hashCode();
    }

    @Override
    public String toString() {
        return "jit_call(" + function + ": " + program.inputs().size() + " operands, " + program.eqns().size()
                + " equations)";
    }
}
