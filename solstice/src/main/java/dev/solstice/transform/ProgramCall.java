package dev.solstice.transform;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import dev.solstice.core.Batched;
import dev.solstice.core.DenseArray;
import dev.solstice.ir.Program;

/**
 * A primitive that calls a staged program on its operands ({@link JitCall}, {@link Remat}): evaluation runs the
 * program ({@link JitExecution}), and its rules are calls of derived programs ({@link JitRules}), each built by
 * {@link #withProgram} so that a jit call's JVP stays a jit call and a remat's a remat.
 */
interface ProgramCall extends NamedAxisBatching {

    /** The called function's name, for printing. */
    String function();

    /** The program: its inputs are the operands, its outputs the results. */
    Program program();

    /** The same kind of call, named {@code name}, of a derived program. */
    ProgramCall withProgram(String name, Program derived);

    @Override
    default Aval[] shapeRule(Aval[] in) {
        return JitRules.checkOperands(name() + "(" + function() + ")", program(), in);
    }

    /** Runs its program on the operands as stored: the program's own equations widen what they compute. */
    @Override
    default boolean evaluatesNarrowTypes() {
        return true;
    }

    @Override
    default DenseArray[] eval(DenseArray[] in, Aval[] outAvals) {
        return JitExecution.run(program(), in);
    }

    @Override
    default Array[][] jvpWithPrimal(Array[] primals, Array[] tangents) {
        return JitRules.jvp(this, primals, tangents);
    }

    @Override
    default Array[] jvp(Array[] primals, Array[] outs, Array[] tangents) {
        return JitRules.jvp(this, primals, tangents)[1];
    }

    @Override
    default Array[] transpose(Array[] cts, Array[] args) {
        return JitRules.transpose(this, cts, args);
    }

    @Override
    default boolean usesAxisName(String axisName) {
        return program().usesAxisName(axisName);
    }

    @Override
    default Batched batchNamed(Array[] vals, int[] dims, int axisSize, String axisName) {
        return JitRules.batch(this, vals, dims, axisSize, axisName);
    }
}
