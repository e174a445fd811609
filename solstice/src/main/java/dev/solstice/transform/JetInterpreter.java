package dev.solstice.transform;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import dev.solstice.core.CallPrimitive;
import dev.solstice.core.Interpreter;
import dev.solstice.core.Interpreters;
import dev.solstice.core.Primitive;

/**
 * Taylor mode (JAX's {@code jet}): each of its values carries a truncated power series, and every primitive maps
 * the series of its operands to the series of its outputs by a rule in {@link JetRules}. Like the JVP interpreter,
 * each instance is its own tag (values it did not create are constants with zero series), and rules run with the
 * parent installed, so enclosing transformations see their operations.
 */
final class JetInterpreter implements Interpreter {
    private final Interpreter parent;
    private final Interpreters.Scope parentScope;
    private final int order;

    JetInterpreter(Interpreter parent, int order) {
        this.parent = parent;
        this.parentScope = Interpreters.scope(parent);
        this.order = order;
    }

    /** A series of this interpreter; integer and bool values have no derivatives and stay plain. */
    Array lift(Array[] coeffs) {
        return coeffs[0].dtype().isFloating() ? new JetTracer(this, coeffs) : coeffs[0];
    }

    int order() {
        return order;
    }

    /** Runs {@code body} with the parent installed: how a rule binds the primitives it derives. */
    <T> T inParent(ScopedValue.CallableOp<T, RuntimeException> body) {
        return parentScope.run(body);
    }

    boolean owns(Array x) {
        return x instanceof JetTracer t && t.owner() == this;
    }

    /** The coefficients of a value of this interpreter, or {@code null} for a constant. */
    Array[] coeffsOf(Array x) {
        return owns(x) ? ((JetTracer) x).coeffs : null;
    }

    Array primalOf(Array x) {
        return owns(x) ? ((JetTracer) x).coeffs[0] : x;
    }

    @Override
    public Array[] process(Primitive p, Array[] args) {
        if (p instanceof CallPrimitive call) {
            // a custom rule states first derivatives only: differentiate the function itself (this interpreter is current)
            return call.inline(args);
        }
        if (p instanceof ProgramCall call && anyOwned(args)) {
            // a jitted function: run its program here, one primitive at a time, so each meets its own rule
            return Interpreters.runWith(this, () -> call.program().evaluate(args));
        }
        boolean any = false;
        Array[] primals = new Array[args.length];
        Array[][] coeffs = new Array[args.length][];
        Aval[] avals = new Aval[args.length];
        for (int i = 0; i < args.length; i++) {
            any |= owns(args[i]);
            primals[i] = primalOf(args[i]);
            coeffs[i] = coeffsOf(args[i]);
            avals[i] = args[i].aval();
        }
        if (!any || !anyFloating(p.shapeRule(avals))) {
            return Interpreters.delegate(parent, p, primals); // constant here, or an integer/bool result (no series)
        }
        Array[] viaPrograms = JetControlFlow.apply(this, p, args);
        if (viaPrograms != null) {
            return viaPrograms; // cond, while, scan: one of the same kind over the jets of its programs
        }
        JetRules.Rule rule = JetRules.ruleFor(p);
        if (rule == null) {
            throw new TaylorMode.NoRule("jet: primitive '" + p.name() + "' has no Taylor-mode rule and no JVP rule to"
                    + " derive one from; give it a JVP rule (Primitive.jvp) or a rule in JetRules");
        }
        Array[][] outs = parentScope.run(() -> rule.apply(p, primals, coeffs, order));
        Array[] lifted = new Array[outs.length];
        for (int i = 0; i < outs.length; i++) {
            lifted[i] = lift(outs[i]);
        }
        return lifted;
    }

    private boolean anyOwned(Array[] args) {
        for (Array a : args) {
            if (owns(a)) {
                return true;
            }
        }
        return false;
    }

    private static boolean anyFloating(Aval[] avals) {
        for (Aval a : avals) {
            if (a.dtype().isFloating()) {
                return true;
            }
        }
        return false;
    }
}
