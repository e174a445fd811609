package dev.solstice.transform;

import dev.solstice.Array;
import dev.solstice.core.UndefinedPrimal;
import dev.solstice.core.Zero;
import dev.solstice.ir.Atom;
import dev.solstice.ir.Const;
import dev.solstice.ir.Eqn;
import dev.solstice.ir.Program;
import dev.solstice.ir.Var;
import dev.solstice.prim.Ops;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The backward pass: walks a linear program from its outputs to its inputs, applying each equation's
 * transpose rule and summing cotangents that meet. Symbolic zeros are skipped, never added: an equation
 * whose outputs receive nothing is not transposed at all. Runs under the current interpreter, so the
 * cotangent computation (and any residual that is a tracer of an enclosing transformation) is itself
 * differentiable.
 */
final class Transpose {
    private Transpose() {}

    /**
     * Input cotangents for output cotangents {@code cts}: a symbolic {@link Zero} where nothing flowed back,
     * which the caller instantiates at its boundary.
     */
    static Array[] backward(Program program, Array[] cts) {
        Map<Var, Array> ct = new IdentityHashMap<>();
        List<Atom> outs = program.outputs();
        for (int i = 0; i < outs.size(); i++) {
            if (outs.get(i) instanceof Var v) {
                accumulate(ct, v, cts[i]);
            }
        }
        List<Eqn> eqns = program.eqns();
        for (int e = eqns.size() - 1; e >= 0; e--) {
            Eqn eqn = eqns.get(e);
            Array[] outCts = new Array[eqn.outputs().length];
            boolean any = false;
            for (int i = 0; i < outCts.length; i++) {
                Var v = eqn.outputs()[i];
                Array c = ct.remove(v);
                outCts[i] = c != null ? c : Zero.of(v.aval());
                any |= c != null;
            }
            if (any) {
                transposeEqn(eqn, outCts, ct);
            }
        }
        Array[] result = new Array[program.inputs().size()];
        for (int i = 0; i < result.length; i++) {
            Var v = program.inputs().get(i);
            Array c = ct.get(v);
            result[i] = c != null ? c : Zero.of(v.aval());
        }
        return result;
    }

    /** Applies one equation's transpose rule and adds the cotangents it gives to its linear inputs. */
    private static void transposeEqn(Eqn eqn, Array[] outCts, Map<Var, Array> ct) {
        Atom[] ins = eqn.inputs();
        Array[] args = new Array[ins.length];
        for (int i = 0; i < ins.length; i++) {
            // a plain type test: a pattern switch links through invokedynamic, slower on this per-operand path
            args[i] = ins[i] instanceof Const c ? c.value() : UndefinedPrimal.of(ins[i].aval());
        }
        Array[] inCts = eqn.primitive().transpose(outCts, args);
        if (inCts == null || inCts.length != ins.length) {
            throw new IllegalStateException(eqn.primitive().name() + ": the transpose rule must give one cotangent per input (" + ins.length
                    + "), got " + (inCts == null ? "null" : inCts.length) + " (a bug in the rule)");
        }
        for (int i = 0; i < ins.length; i++) {
            if (inCts[i] == null) {
                throw new IllegalStateException(eqn.primitive().name() + ": the transpose rule gave null for input " + i + " of "
                        + ins[i].aval().str() + "; a zero cotangent is Zero.of(aval) (a bug in the rule)");
            }
            if (!inCts[i].aval().equals(ins[i].aval())) {
                throw new IllegalStateException(eqn.primitive().name() + ": the transpose rule gave a cotangent of "
                        + inCts[i].aval().str() + " for an input of " + ins[i].aval().str());
            }
            if (ins[i] instanceof Var v) {
                accumulate(ct, v, inCts[i]);
            }
        }
    }

    /** Adds {@code c} to the cotangent of {@code v}; a symbolic zero adds nothing. */
    private static void accumulate(Map<Var, Array> ct, Var v, Array c) {
        if (Zero.isZero(c)) {
            return;
        }
        Array prev = ct.get(v);
        ct.put(v, prev == null ? c : Ops.add(prev, c));
    }
}
