package dev.solstice.transform;

import dev.solstice.core.TangentOnly;
import dev.solstice.ir.Atom;
import dev.solstice.ir.Eqn;
import dev.solstice.ir.Program;
import dev.solstice.ir.Var;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.Collections;

/**
 * Splits a program whose inputs are partly known (as JAX's {@code partial_eval_jaxpr_nounits}): the known
 * program computes every equation that depends on known inputs only, and returns the known outputs followed
 * by the residuals (known values the rest needs); the unknown program takes the residuals and the unknown
 * inputs and computes the unknown outputs. A nested jit call with some unknown operands is split the same way,
 * its known half going to the known program and its unknown half to the unknown one.
 */
final class PartialEval {
    private PartialEval() {}

    /**
     * The two halves of a jit call.
     *
     * @param known the known call: known operands in, known outputs then residuals out
     * @param unknown the unknown call: residuals then unknown operands in, unknown outputs out
     * @param outUnknown for each output of the original program, whether it is computed by the unknown call
     * @param numResiduals how many residuals pass from the known call to the unknown one
     */
    record Split(JitCall known, JitCall unknown, boolean[] outUnknown, int numResiduals) {
        int numKnownOutputs() {
            int n = 0;
            for (boolean u : outUnknown) {
                n += u ? 0 : 1;
            }
            return n;
        }
    }

    /** Splits {@code call}'s program given which of its inputs are unknown. */
    static Split split(JitCall call, boolean[] unknownInputs) {
        Program p = call.program();
        Set<Var> unknown = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Var> knownIn = new ArrayList<>();
        List<Var> unknownIn = new ArrayList<>();
        for (int i = 0; i < unknownInputs.length; i++) {
            Var v = p.inputs().get(i);
            if (unknownInputs[i]) {
                unknown.add(v);
                unknownIn.add(v);
            } else {
                knownIn.add(v);
            }
        }
        Residuals residuals = new Residuals();
        List<Eqn> knownEqns = new ArrayList<>();
        List<Eqn> unknownEqns = new ArrayList<>();
        for (Eqn e : p.eqns()) {
            boolean[] mask = unknownMask(e.inputs(), unknown);
            boolean any = false;
            boolean all = true;
            for (boolean m : mask) {
                any |= m;
                all &= m;
            }
            if (any && e.primitive() instanceof While) {
                throw While.reverseModeError();
            }
            if (!any && !(e.primitive() instanceof TangentOnly)) {
                knownEqns.add(e);
            } else if (any && !all && e.primitive() instanceof JitCall inner) {
                splitNested(e, inner, mask, knownEqns, unknownEqns, unknown, residuals);
            } else {
                for (Atom a : e.inputs()) {
                    if (a instanceof Var v && !unknown.contains(v)) {
                        residuals.add(v);
                    }
                }
                unknownEqns.add(e);
                Collections.addAll(unknown, e.outputs());
            }
        }
        boolean[] outUnknown = new boolean[p.outputs().size()];
        List<Atom> knownOut = new ArrayList<>();
        List<Atom> unknownOut = new ArrayList<>();
        for (int i = 0; i < outUnknown.length; i++) {
            Atom a = p.outputs().get(i);
            outUnknown[i] = a instanceof Var v && unknown.contains(v);
            (outUnknown[i] ? unknownOut : knownOut).add(a);
        }
        knownOut.addAll(residuals.list);
        List<Var> unknownProgramIn = new ArrayList<>(residuals.list);
        unknownProgramIn.addAll(unknownIn);
        Program known = new Program(List.copyOf(knownIn), List.copyOf(knownEqns), List.copyOf(knownOut));
        Program rest = new Program(List.copyOf(unknownProgramIn), List.copyOf(unknownEqns), List.copyOf(unknownOut));
        return new Split(new JitCall(call.function() + "_known", known), new JitCall(call.function() + "_unknown", rest),
                outUnknown, residuals.list.size());
    }

    /**
     * A nested jit call with known and unknown operands: its known half joins the known program (its residuals
     * become new variables there, and residuals of this program), its unknown half the unknown program.
     */
    private static void splitNested(Eqn e, JitCall inner, boolean[] mask, List<Eqn> knownEqns, List<Eqn> unknownEqns,
            Set<Var> unknown, Residuals residuals) {
        Split s = JitRules.partialEval(inner, mask);
        List<Atom> knownArgs = new ArrayList<>();
        List<Atom> unknownArgs = new ArrayList<>();
        for (int i = 0; i < mask.length; i++) {
            (mask[i] ? unknownArgs : knownArgs).add(e.inputs()[i]);
        }
        List<Var> knownOuts = new ArrayList<>();
        List<Var> unknownOuts = new ArrayList<>();
        for (int i = 0; i < e.outputs().length; i++) {
            (s.outUnknown()[i] ? unknownOuts : knownOuts).add(e.outputs()[i]);
        }
        List<Var> innerResiduals = new ArrayList<>();
        List<Var> unknownCallInputs = s.unknown().program().inputs();
        for (int r = 0; r < s.numResiduals(); r++) {
            Var v = new Var(unknownCallInputs.get(r).aval(), -1);
            innerResiduals.add(v);
        }
        List<Var> knownCallOuts = new ArrayList<>(knownOuts);
        knownCallOuts.addAll(innerResiduals);
        knownEqns.add(new Eqn(s.known(), knownArgs.toArray(Atom[]::new), knownCallOuts.toArray(Var[]::new)));
        if (!unknownOuts.isEmpty()) {
            List<Atom> unknownCallArgs = new ArrayList<>(innerResiduals);
            unknownCallArgs.addAll(unknownArgs);
            innerResiduals.forEach(residuals::add);
            unknownEqns.add(new Eqn(s.unknown(), unknownCallArgs.toArray(Atom[]::new), unknownOuts.toArray(Var[]::new)));
            unknown.addAll(unknownOuts);
        }
    }

    private static boolean[] unknownMask(Atom[] inputs, Set<Var> unknown) {
        boolean[] mask = new boolean[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            mask[i] = inputs[i] instanceof Var v && unknown.contains(v);
        }
        return mask;
    }

    /** Known variables the unknown program reads, each once, in order of first use. */
    private static final class Residuals {
        final List<Var> list = new ArrayList<>();
        private final Set<Var> seen = Collections.newSetFromMap(new IdentityHashMap<>());

        void add(Var v) {
            if (seen.add(v)) {
                list.add(v);
            }
        }
    }
}
