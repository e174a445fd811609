package dev.solstice.transform;

import dev.solstice.core.Primitive;
import dev.solstice.ir.Atom;
import dev.solstice.ir.Program;
import dev.solstice.ir.Var;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Partial evaluation of a {@link ScanLoop} whose operands are partly unknown, as JAX's {@code _scan_partial_eval}:
 * a carry is unknown if its initial value is or the body makes it so (a fixed point); the body is split
 * ({@link PartialEval}); the known scan returns its known outputs and the residuals of every iteration stacked as
 * extra outputs; the unknown scan reads them as scanned inputs. Residuals that are known captures are passed
 * through once, and those computed from known captures alone are computed once before the loop
 * ({@link ScanHoisting}); neither is stacked.
 */
final class ScanPartialEval {
    private ScanPartialEval() {}

    /**
     * The two halves of a scan.
     *
     * @param known the known scan, or a jit call of it that also computes the hoisted residuals; operands: the
     *     known operands in order; outputs: known carries, known stacked outputs, stacked residuals, hoisted ones
     * @param unknown the unknown scan (or a jit call of it); operands: unknown captures, the known captures it reads
     *     ({@code constResiduals}), unknown carries, the residuals (stacked, then hoisted), unknown inputs
     * @param outUnknown for each output of the scan, whether the unknown half computes it
     * @param numResiduals how many residuals (stacked and hoisted) pass from the known half to the unknown one
     * @param constResiduals the operands (indices into the scan's operands) that are known captures read by the
     *     unknown half: passed to it as captures, not stacked once per iteration
     */
    record Split(Primitive known, Primitive unknown, boolean[] outUnknown, int numResiduals,
            List<Integer> constResiduals) {}

    /** Splits {@code s} given which of its operands are unknown (memoised per scan and mask). */
    static Split split(ScanLoop s, boolean[] unknownOperands) {
        return ControlFlowCache.derived(s, "partial_eval", ControlFlowCache.mask(unknownOperands),
                () -> compute(s, unknownOperands));
    }

    private static Split compute(ScanLoop s, boolean[] unknownOperands) {
        int c = s.numConsts();
        int m = s.numCarries();
        boolean[] mask = unknownOperands.clone();
        PartialEval.Split sp;
        while (true) {
            sp = PartialEval.split(new JitCall("scan_body", s.body()), mask);
            boolean grew = false;
            for (int j = 0; j < m; j++) {
                if (sp.outUnknown()[j] && !mask[c + j]) {
                    mask[c + j] = true;
                    grew = true;
                }
            }
            if (!grew) {
                break;
            }
        }
        Program k = sp.known().program();
        int numKnown = sp.numKnownOutputs();
        int outs = s.body().outputs().size();
        List<Atom> knownOuts = new ArrayList<>();
        List<Atom> residuals = new ArrayList<>(k.outputs().subList(numKnown, k.outputs().size()));
        List<Atom> promoted = new ArrayList<>();
        List<Var> promotedVars = new ArrayList<>();
        int at = 0;
        for (int j = 0; j < outs; j++) {
            if (sp.outUnknown()[j]) {
                continue;
            }
            Atom a = k.outputs().get(at++);
            if (j < m && mask[c + j]) { // known output of an unknown carry: passed on as a residual
                promoted.add(a);
                promotedVars.add(new Var(a.aval(), -1));
            } else {
                knownOuts.add(a);
            }
        }
        // residuals that are known captures are loop-invariant: the unknown scan takes them as captures
        List<Var> constResidualVars = new ArrayList<>();
        List<Integer> constResiduals = new ArrayList<>();
        int knownConsts = 0;
        int knownCarries = 0;
        int unknownConsts = 0;
        int unknownCarries = 0;
        for (int i = 0; i < c + m; i++) {
            boolean carry = i >= c;
            if (mask[i]) {
                unknownConsts += carry ? 0 : 1;
                unknownCarries += carry ? 1 : 0;
            } else {
                knownConsts += carry ? 0 : 1;
                knownCarries += carry ? 1 : 0;
            }
        }
        // residuals computed from known captures alone are loop-invariant: computed once, not stacked
        Set<Atom> invariants = ScanHoisting.invariants(k, knownConsts);
        List<Atom> stacked = new ArrayList<>();
        List<Atom> hoisted = new ArrayList<>();
        for (Atom a : residuals) {
            int operand = a instanceof Var v ? capturedOperand(s, mask, k, v) : -1;
            if (operand >= 0 && !constResiduals.contains(operand)) {
                constResiduals.add(operand);
                constResidualVars.add((Var) a);
            } else if (operand < 0) {
                (ScanHoisting.hoistable(invariants, a, knownConsts, k) ? hoisted : stacked).add(a);
            }
        }
        stacked.addAll(promoted);
        knownOuts.addAll(stacked);
        ScanLoop known = new ScanLoop(new Program(k.inputs(), k.eqns(), List.copyOf(knownOuts)), knownConsts,
                knownCarries, s.length(), s.reverse(), s.unroll());
        Program u = sp.unknown().program();
        int ownRes = sp.numResiduals();
        List<Var> ukIn = u.inputs().subList(ownRes, u.inputs().size()); // unknown captures, carries, slices
        List<Var> inputs = new ArrayList<>(ukIn.subList(0, unknownConsts));
        List<Var> ownResVars = u.inputs().subList(0, ownRes);
        List<Var> stackedVars = new ArrayList<>();
        List<Var> hoistedVars = new ArrayList<>();
        List<Atom> ownResAtoms = k.outputs().subList(numKnown, k.outputs().size());
        for (Var cv : constResidualVars) {
            inputs.add(ownResVars.get(ownResAtoms.indexOf(cv)));
        }
        for (int r = 0; r < ownRes; r++) {
            Atom a = ownResAtoms.get(r);
            if (!constResidualVars.contains(a)) {
                (ScanHoisting.hoistable(invariants, a, knownConsts, k) ? hoistedVars : stackedVars).add(ownResVars.get(r));
            }
        }
        int leading = inputs.size();
        inputs.addAll(hoistedVars);
        inputs.addAll(ukIn.subList(unknownConsts, unknownConsts + unknownCarries));
        inputs.addAll(stackedVars);
        inputs.addAll(promotedVars);
        inputs.addAll(ukIn.subList(unknownConsts + unknownCarries, ukIn.size()));
        List<Atom> unknownOuts = new ArrayList<>();
        boolean[] outUnknown = new boolean[outs];
        int ua = 0;
        int pa = 0;
        for (int j = 0; j < outs; j++) {
            outUnknown[j] = j < m ? mask[c + j] : sp.outUnknown()[j];
            if (sp.outUnknown()[j]) {
                unknownOuts.add(u.outputs().get(ua++));
            } else if (outUnknown[j]) {
                unknownOuts.add(promotedVars.get(pa++));
            }
        }
        ScanLoop unknown = new ScanLoop(new Program(List.copyOf(inputs), u.eqns(), List.copyOf(unknownOuts)),
                leading + hoistedVars.size(), unknownCarries, s.length(), s.reverse(), s.unroll());
        if (hoisted.isEmpty()) {
            return new Split(known, unknown, outUnknown, stacked.size(), List.copyOf(constResiduals));
        }
        return new Split(ScanHoisting.knownHalf(known, k, knownConsts, hoisted),
                ScanHoisting.unknownHalf(unknown, leading, hoisted.size(), stacked.size()), outUnknown,
                stacked.size() + hoisted.size(), List.copyOf(constResiduals));
    }

    /**
     * The scan operand that {@code v} is when it is a known capture (an input of the known body {@code k} among
     * the captures), or -1.
     */
    private static int capturedOperand(ScanLoop s, boolean[] mask, Program k, Var v) {
        int at = k.inputs().indexOf(v);
        if (at < 0) {
            return -1;
        }
        for (int i = 0, knownSeen = 0; i < s.numConsts(); i++) {
            if (!mask[i]) {
                if (knownSeen++ == at) {
                    return i;
                }
            }
        }
        return -1;
    }
}
