package dev.solstice.ir;

import dev.solstice.core.Aval;

/** An operand of a staged equation: a variable of the program or a captured constant. */
public sealed interface Atom permits Var, Const {
    /** The dtype and shape of the operand. */
    Aval aval();
}
