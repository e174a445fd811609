package dev.solstice.transform;

import dev.solstice.core.Primitive;
import dev.solstice.ir.Program;

/**
 * A primitive that calls a staged program on its operands ({@link JitCall}, {@link Remat}): its rules are calls
 * of derived programs ({@link JitRules}), each built by {@link #withProgram} so that a jit call's JVP stays a jit
 * call and a remat's a remat.
 */
interface ProgramCall extends Primitive {

    /** The called function's name, for printing. */
    String function();

    /** The program: its inputs are the operands, its outputs the results. */
    Program program();

    /** The same kind of call, named {@code name}, of a derived program. */
    ProgramCall withProgram(String name, Program derived);
}
