package dev.solstice.transform;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import dev.solstice.core.Interpreters;
import dev.solstice.ir.Atom;
import dev.solstice.ir.Const;
import dev.solstice.ir.Eqn;
import dev.solstice.ir.Program;
import dev.solstice.ir.Var;
import dev.solstice.prim.Add;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The backward pass: walks a linear program from its outputs to its inputs, applying each equation's
 * transpose rule and summing cotangents that meet. Runs under the current interpreter, so the cotangent
 * computation (and any residual that is a tracer of an enclosing transformation) is itself differentiable.
 */
final class Transpose {
    private Transpose() {}

    /** Input cotangents (never null: zeros where nothing flowed back) for output cotangents {@code cts}. */
    static Array[] backward(Program program, Array[] cts) {
        Map<Var, Array> ct = new IdentityHashMap<>();
        List<Atom> outs = program.outputs();
        for (int i = 0; i < outs.size(); i++) {
            if (outs.get(i) instanceof Var v && cts[i] != null) {
                accumulate(ct, v, cts[i]);
            }
        }
        List<Eqn> eqns = program.eqns();
        for (int e = eqns.size() - 1; e >= 0; e--) {
            Eqn eqn = eqns.get(e);
            Array[] outCts = new Array[eqn.outputs().length];
            boolean any = false;
            for (int i = 0; i < outCts.length; i++) {
                outCts[i] = ct.remove(eqn.outputs()[i]);
                any |= outCts[i] != null;
            }
            if (!any) {
                continue;
            }
            Atom[] ins = eqn.inputs();
            Array[] known = new Array[ins.length];
            Aval[] avals = new Aval[ins.length];
            for (int i = 0; i < ins.length; i++) {
                avals[i] = ins[i].aval();
                known[i] = ins[i] instanceof Const c ? c.value() : null;
            }
            Array[] inCts = eqn.primitive().transpose(outCts, known, avals);
            for (int i = 0; i < ins.length; i++) {
                if (ins[i] instanceof Var v && inCts[i] != null) {
                    if (!inCts[i].aval().equals(v.aval())) {
                        throw new IllegalStateException(eqn.primitive().name() + ": the transpose rule gave a cotangent of "
                                + inCts[i].aval().str() + " for an input of " + v.aval().str());
                    }
                    accumulate(ct, v, inCts[i]);
                }
            }
        }
        Array[] result = new Array[program.inputs().size()];
        for (int i = 0; i < result.length; i++) {
            Var v = program.inputs().get(i);
            Array c = ct.get(v);
            result[i] = c != null ? c : Zeros.of(v.aval());
        }
        return result;
    }

    private static void accumulate(Map<Var, Array> ct, Var v, Array c) {
        Array prev = ct.get(v);
        ct.put(v, prev == null ? c : Interpreters.bind1(new Add(), prev, c));
    }
}
