package dev.solstice.transform;

import dev.solstice.core.Aval;
import dev.solstice.ir.Atom;
import dev.solstice.ir.Program;
import dev.solstice.ir.Var;
import java.util.ArrayList;
import java.util.List;

/**
 * Partial evaluation of a {@link Cond} whose operands are partly unknown, as JAX's {@code _cond_partial_eval}:
 * each branch is split ({@link PartialEval}); an output unknown in any branch is unknown in all (a branch that
 * knows it passes it on as a residual); the residuals of all branches are merged into one list of slots, each
 * branch filling its own and returning zeros in the others'.
 */
final class CondPartialEval {
    private CondPartialEval() {}

    /**
     * The two halves of a cond.
     *
     * @param known operands: the index, then the known operands; outputs: the known outputs, then the residuals
     * @param unknown operands: the index, the residuals, then the unknown operands; outputs: the unknown outputs
     * @param outUnknown for each output of the cond, whether the unknown half computes it
     * @param numResiduals how many residuals pass from the known half to the unknown one
     */
    record Split(Cond known, Cond unknown, boolean[] outUnknown, int numResiduals) {}

    /** Splits {@code c} given which of its operands after the index are unknown (memoised per cond and mask). */
    static Split split(Cond c, boolean[] unknownOperands) {
        return ControlFlowCache.derived(c, "partial_eval", ControlFlowCache.mask(unknownOperands),
                () -> compute(c, unknownOperands));
    }

    private static Split compute(Cond c, boolean[] unknownOperands) {
        int nb = c.branches().size();
        int m = c.branches().get(0).outputs().size();
        PartialEval.Split[] splits = new PartialEval.Split[nb];
        boolean[] outUnknown = new boolean[m];
        for (int b = 0; b < nb; b++) {
            splits[b] = PartialEval.split(new JitCall("cond_branch" + b, c.branches().get(b)), unknownOperands);
            for (int j = 0; j < m; j++) {
                outUnknown[j] |= splits[b].outUnknown()[j];
            }
        }
        List<List<Atom>> knownOuts = new ArrayList<>();
        List<List<Atom>> residuals = new ArrayList<>();
        List<List<Aval>> slots = new ArrayList<>();
        for (int b = 0; b < nb; b++) {
            Program known = splits[b].known().program();
            int numKnown = splits[b].numKnownOutputs();
            List<Atom> mine = new ArrayList<>(known.outputs().subList(numKnown, known.outputs().size()));
            List<Atom> outs = new ArrayList<>();
            int k = 0;
            for (int j = 0; j < m; j++) {
                if (splits[b].outUnknown()[j]) {
                    continue;
                }
                Atom a = known.outputs().get(k++);
                (outUnknown[j] ? mine : outs).add(a); // known here, unknown elsewhere: passed on as a residual
            }
            knownOuts.add(outs);
            residuals.add(mine);
            slots.add(CondRules.atomAvals(mine));
        }
        List<Program> knownBranches = new ArrayList<>();
        List<Program> unknownBranches = new ArrayList<>();
        int numResiduals = 0;
        for (List<Aval> s : slots) {
            numResiduals += s.size();
        }
        for (int b = 0; b < nb; b++) {
            Program known = splits[b].known().program();
            List<Atom> outs = new ArrayList<>(knownOuts.get(b));
            for (int s = 0; s < nb; s++) {
                if (s == b) {
                    outs.addAll(residuals.get(b));
                } else {
                    slots.get(s).forEach(a -> outs.add(CondRules.zeros(a)));
                }
            }
            knownBranches.add(new Program(known.inputs(), known.eqns(), List.copyOf(outs)));
            unknownBranches.add(unknownBranch(splits[b], outUnknown, residuals.get(b).size(), slots, b));
        }
        return new Split(new Cond(knownBranches), new Cond(unknownBranches), outUnknown, numResiduals);
    }

    /**
     * Branch {@code b}'s unknown half over the merged residual slots: its own residuals, then the outputs it knows
     * but others do not (forwarded from new inputs), then the unknown operands.
     */
    private static Program unknownBranch(PartialEval.Split split, boolean[] outUnknown, int slotSize,
            List<List<Aval>> slots, int b) {
        Program u = split.unknown().program();
        int own = split.numResiduals();
        List<Var> inputs = new ArrayList<>(u.inputs().subList(0, own));
        List<Atom> outs = new ArrayList<>();
        int k = 0;
        int forwarded = own;
        for (int j = 0; j < outUnknown.length; j++) {
            if (split.outUnknown()[j]) {
                outs.add(u.outputs().get(k++));
            } else if (outUnknown[j]) {
                Var v = new Var(slots.get(b).get(forwarded++), -1);
                inputs.add(v);
                outs.add(v);
            }
        }
        if (forwarded != slotSize) {
            throw new IllegalStateException("cond partial eval: residual slot of branch " + b + " has " + slotSize
                    + " entries but " + forwarded + " were filled (a bug)");
        }
        inputs.addAll(u.inputs().subList(own, u.inputs().size()));
        return CondRules.widen(new Program(List.copyOf(inputs), u.eqns(), List.copyOf(outs)), slots, b);
    }
}
