package dev.solstice.transform;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import dev.solstice.core.CallPrimitive;
import dev.solstice.core.Interpreter;
import dev.solstice.core.Interpreters;
import dev.solstice.core.Primitive;
import dev.solstice.core.Zero;

/**
 * Forward mode. Each instance is its own tag: only {@link JvpTracer}s it created are its own; every other
 * value (a concrete array, a tracer of an enclosing transformation) is a constant with a zero tangent. Rules
 * run with the parent interpreter installed, so their operations are seen by enclosing transformations.
 */
final class JvpInterpreter implements Interpreter {
    private final Interpreter parent;
    private final Interpreters.Scope parentScope;

    JvpInterpreter(Interpreter parent) {
        this.parent = parent;
        this.parentScope = Interpreters.scope(parent);
    }

    Interpreter parent() {
        return parent;
    }

    /**
     * A dual number owned by this interpreter. A symbolic zero tangent, and any tangent of an integer or
     * bool value (which has no derivative, as JAX's float0), gives back the primal itself.
     */
    Array lift(Array primal, Array tangent) {
        if (Zero.isZero(tangent) || !primal.dtype().isFloating()) {
            return primal;
        }
        return new JvpTracer(this, primal, tangent);
    }

    /** The primal part of a value as this interpreter sees it. */
    Array primalOf(Array x) {
        return owns(x) ? ((JvpTracer) x).primal : x;
    }

    /** The tangent of a value as this interpreter sees it: a symbolic {@link Zero} for anything it does not own. */
    Array tangentOf(Array x) {
        return owns(x) ? ((JvpTracer) x).tangent : Zero.like(x);
    }

    boolean owns(Array x) {
        return x instanceof JvpTracer t && t.owner() == this;
    }

    @Override
    public Array[] process(Primitive p, Array[] args) {
        boolean any = false;
        for (Array a : args) {
            any |= owns(a); // a tracer of this interpreter never has a symbolic zero tangent (see lift)
        }
        if (p instanceof CallPrimitive call && capturesDifferentiated(call, args)) {
            // as JAX: a custom rule only says how to differentiate with respect to the explicit arguments
            throw new IllegalArgumentException(p.name() + ": the function with a custom rule closes over a value that"
                    + " is being differentiated; its custom rule only covers its explicit arguments. Pass the value"
                    + " in as an argument (for several, use Eqx.filterCustomJvp / filterCustomVjp over a tree) and"
                    + " adapt the rule");
        }
        if (!any) {
            return Interpreters.delegate(parent, p, args); // every operand is its own primal
        }
        Array[] primals = new Array[args.length];
        Array[] tangents = new Array[args.length];
        for (int i = 0; i < args.length; i++) {
            primals[i] = primalOf(args[i]);
            tangents[i] = tangentOf(args[i]);
        }
        Array[][] result = parentScope.run(() -> p.jvpWithPrimal(primals, tangents));
        Array[] outs = result[0];
        Array[] outTangents = result[1];
        if (outTangents == null || outTangents.length != outs.length) {
            throw new IllegalStateException(p.name() + ": the JVP rule must give one tangent per output (" + outs.length
                    + "), got " + (outTangents == null ? "null" : outTangents.length) + " (a bug in the rule)");
        }
        Array[] lifted = new Array[outs.length];
        for (int i = 0; i < outs.length; i++) {
            Array t = outTangents[i];
            checkTangent(p, outs[i].aval(), t, i);
            lifted[i] = lift(outs[i], t);
        }
        return lifted;
    }

    /** Whether a value the call's function captured (its leading operands) is differentiated here. */
    private boolean capturesDifferentiated(CallPrimitive call, Array[] args) {
        for (int i = 0; i < call.numCaptured(); i++) {
            if (owns(args[i])) {
                return true;
            }
        }
        return false;
    }

    private static void checkTangent(Primitive p, Aval primal, Array t, int i) {
        if (t == null) {
            throw new IllegalStateException(p.name() + ": the JVP rule gave null for output " + i + " of " + primal.str()
                    + "; a structurally zero tangent is Zero.of(aval) (a bug in the rule)");
        }
        Aval tangent = t.aval();
        if (!primal.equals(tangent)) {
            throw new IllegalStateException(p.name() + ": the JVP rule gave a tangent of " + tangent.str()
                    + " for output " + i + " of " + primal.str() + "; a tangent must match its primal");
        }
    }
}
