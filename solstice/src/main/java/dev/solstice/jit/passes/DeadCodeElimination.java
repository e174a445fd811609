package dev.solstice.jit.passes;

import dev.solstice.ir.Atom;
import dev.solstice.ir.Eqn;
import dev.solstice.ir.Program;
import dev.solstice.ir.Var;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Removes the equations none of whose outputs the program's outputs need. Every primitive is pure, so this is
 * exact; error_if returns its operand and must have that output used to take effect (as in Equinox), so an
 * error check whose result is used is kept like any other equation.
 */
public final class DeadCodeElimination {
    private DeadCodeElimination() {}

    /**
     * The program without its dead equations (the same program when none is dead).
     *
     * @param p the program
     * @return an equivalent program whose every equation contributes to an output
     */
    public static Program run(Program p) {
        Set<Var> live = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Atom a : p.outputs()) {
            if (a instanceof Var v) {
                live.add(v);
            }
        }
        List<Eqn> kept = new ArrayList<>();
        for (Eqn e : p.eqns().reversed()) {
            boolean used = false;
            for (Var v : e.outputs()) {
                used |= live.contains(v);
            }
            if (used) {
                kept.add(e);
                for (Atom a : e.inputs()) {
                    if (a instanceof Var v) {
                        live.add(v);
                    }
                }
            }
        }
        return kept.size() == p.eqns().size() ? p : new Program(p.inputs(), kept.reversed(), p.outputs());
    }
}
