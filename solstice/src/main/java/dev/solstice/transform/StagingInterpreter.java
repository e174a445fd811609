package dev.solstice.transform;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import dev.solstice.core.Interpreter;
import dev.solstice.core.Primitive;
import dev.solstice.ir.Atom;
import dev.solstice.ir.Eqn;
import dev.solstice.ir.Var;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records every primitive applied while a function is traced (JAX's omnistaging: operations on constants are
 * recorded too, nothing is computed). An operand this interpreter does not own (a concrete array, or a tracer
 * of an enclosing transformation) is captured once, by identity, as a constvar: closure conversion.
 */
final class StagingInterpreter implements Interpreter {
    private final List<Eqn> eqns = new ArrayList<>();
    private final Map<Array, Var> captured = new IdentityHashMap<>();
    private final List<Array> capturedValues = new ArrayList<>();
    private final List<Var> constvars = new ArrayList<>();
    private int nextId;

    /** A new argument of the program being traced. */
    StagedTracer newArgument(Aval aval) {
        return new StagedTracer(this, newVar(aval));
    }

    @Override
    public Array[] process(Primitive p, Array[] args) {
        // a custom-rule call is recorded like any other primitive (its function is already a program), so whoever
        // evaluates this program under a transformation meets the call and uses its rule; the rule is made to
        // see the operands' values where it closed over them as traced here
        if (CustomCallBatching.handles(p)) {
            p = CustomCallStaging.recorded(p, args);
        }
        Atom[] in = new Atom[args.length];
        Aval[] avals = new Aval[args.length];
        for (int i = 0; i < args.length; i++) {
            in[i] = atom(args[i]);
            avals[i] = args[i].aval();
        }
        Aval[] outAvals = p.shapeRule(avals);
        Var[] outs = new Var[outAvals.length];
        Array[] tracers = new Array[outAvals.length];
        for (int i = 0; i < outs.length; i++) {
            outs[i] = newVar(outAvals[i]);
            tracers[i] = new StagedTracer(this, outs[i]);
        }
        eqns.add(new Eqn(p, in, outs));
        return tracers;
    }

    /** The variable standing for {@code x}: its own if it is traced here, else the constvar capturing it. */
    Var atom(Array x) {
        if (x instanceof StagedTracer t && t.owner() == this) {
            return t.var;
        }
        Var v = captured.get(x);
        if (v == null) {
            v = newVar(x.aval());
            captured.put(x, v);
            capturedValues.add(x);
            constvars.add(v);
        }
        return v;
    }

    List<Eqn> eqns() {
        return eqns;
    }

    List<Var> constvars() {
        return constvars;
    }

    List<Array> capturedValues() {
        return capturedValues;
    }

    private Var newVar(Aval aval) {
        return new Var(aval, nextId++);
    }
}
