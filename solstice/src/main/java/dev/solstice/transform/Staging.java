package dev.solstice.transform;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import dev.solstice.core.Interpreters;
import dev.solstice.core.Zero;
import dev.solstice.ir.Atom;
import dev.solstice.ir.ClosedProgram;
import dev.solstice.ir.Program;
import dev.solstice.ir.Var;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Traces a function of flat arrays to a {@link ClosedProgram}: the function runs once on abstract values of
 * the given avals, every primitive it applies is recorded, and whatever it captured from outside (concrete
 * arrays, tracers of enclosing transformations) becomes an explicit input. The foundation of jit, and of
 * staged custom rules and control flow.
 */
public final class Staging {
    private Staging() {}

    /**
     * Traces {@code fn} on arguments of {@code argAvals}. Inside, asking a traced array for its values throws
     * a {@link dev.solstice.core.ConcretizationTypeError}. An output that is an argument or a captured value
     * is an output of the program as it is (the program then forwards an input).
     */
    public static ClosedProgram trace(Function<Array[], Array[]> fn, Aval[] argAvals) {
        StagingInterpreter staging = new StagingInterpreter();
        Array[] args = new Array[argAvals.length];
        List<Var> argVars = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            StagedTracer t = staging.newArgument(argAvals[i]);
            args[i] = t;
            argVars.add(t.var);
        }
        Array[] outs = Interpreters.runWith(staging, () -> fn.apply(args));
        if (outs == null) {
            throw new IllegalArgumentException("a traced function returned null instead of its outputs");
        }
        List<Atom> outAtoms = new ArrayList<>();
        for (Array out : outs) {
            if (out == null) {
                throw new IllegalArgumentException("a traced function returned a null output");
            }
            outAtoms.add(staging.atom(Zero.isZero(out) ? Zero.instantiate(out) : out));
        }
        List<Var> inputs = new ArrayList<>(staging.constvars());
        inputs.addAll(argVars);
        Program program = new Program(List.copyOf(inputs), List.copyOf(staging.eqns()), List.copyOf(outAtoms));
        return new ClosedProgram(program, staging.capturedValues());
    }
}
