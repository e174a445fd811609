package dev.solstice.transform;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import dev.solstice.core.Batched;
import dev.solstice.core.DenseArray;
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
    public Aval[] shapeRule(Aval[] in) {
        return JitRules.checkOperands("jit_call(" + function + ")", program, in);
    }

    @Override
    public ProgramCall withProgram(String name, Program derived) {
        return new JitCall(name, derived);
    }

    @Override
    public DenseArray[] eval(DenseArray[] in, Aval[] outAvals) {
        return JitExecution.run(program, in);
    }

    @Override
    public Array[][] jvpWithPrimal(Array[] primals, Array[] tangents) {
        return JitRules.jvp(this, primals, tangents);
    }

    @Override
    public Array[] jvp(Array[] primals, Array[] outs, Array[] tangents) {
        return JitRules.jvp(this, primals, tangents)[1];
    }

    @Override
    public Array[] transpose(Array[] cts, Array[] args) {
        return JitRules.transpose(this, cts, args);
    }

    @Override
    public Batched batch(Array[] vals, int[] dims, int axisSize) {
        return JitRules.batch(this, vals, dims, axisSize);
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
