package dev.solstice.transform;

import dev.solstice.core.Aval;
import dev.solstice.ir.Atom;
import dev.solstice.ir.Const;
import dev.solstice.ir.Eqn;
import dev.solstice.ir.Program;
import dev.solstice.ir.Var;
import dev.solstice.prim.ErrorIf;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loop-invariant residuals of a split scan, as JAX's {@code _scan_partial_eval} hoists them: a residual of the known
 * body that depends on its known captures only (say {@code 2 * W}, or a transpose of a captured weight) has the same
 * value at every step, so it is computed once before the known scan and passed to the unknown scan as a capture,
 * instead of being stacked once per step. Both halves then become jit calls: the known one computes the invariant
 * residuals and runs the known scan, the unknown one passes them to the unknown scan among its captures. An
 * {@code error_if} is never hoisted (it would run even for a scan of no steps).
 */
final class ScanHoisting {
    private ScanHoisting() {}

    /** The atoms of {@code k} computed from its first {@code numConsts} inputs (the known captures) alone. */
    static Set<Atom> invariants(Program k, int numConsts) {
        Set<Atom> inv = Collections.newSetFromMap(new IdentityHashMap<>());
        inv.addAll(k.inputs().subList(0, numConsts));
        for (Eqn e : k.eqns()) {
            if (e.primitive() instanceof ErrorIf) {
                continue;
            }
            boolean all = true;
            for (Atom a : e.inputs()) {
                all &= a instanceof Const || inv.contains(a);
            }
            if (all) {
                Collections.addAll(inv, e.outputs());
            }
        }
        return inv;
    }

    /** Whether the residual {@code a} is loop-invariant but not itself a capture (those are passed through as they are). */
    static boolean hoistable(Set<Atom> invariants, Atom a, int numConsts, Program k) {
        return (a instanceof Const || invariants.contains(a)) && !k.inputs().subList(0, numConsts).contains(a);
    }

    /**
     * The known half: the equations of {@code k} that the hoisted residuals need (on its captures), then the known
     * scan; returns the scan's outputs, then the hoisted residuals.
     */
    static JitCall knownHalf(ScanLoop known, Program k, int numConsts, List<Atom> hoisted) {
        List<Var> ins = freshVars(operandAvals(known));
        Map<Var, Atom> renamed = new IdentityHashMap<>();
        for (int i = 0; i < numConsts; i++) {
            renamed.put(k.inputs().get(i), ins.get(i));
        }
        List<Eqn> eqns = new ArrayList<>();
        for (Eqn e : cone(k, hoisted)) {
            Atom[] in = new Atom[e.inputs().length];
            for (int i = 0; i < in.length; i++) {
                in[i] = rename(renamed, e.inputs()[i]);
            }
            Var[] out = new Var[e.outputs().length];
            for (int i = 0; i < out.length; i++) {
                out[i] = new Var(e.outputs()[i].aval(), -1);
                renamed.put(e.outputs()[i], out[i]);
            }
            eqns.add(new Eqn(e.primitive(), in, out));
        }
        Var[] scanOuts = freshVars(known.shapeRule(operandAvals(known))).toArray(Var[]::new);
        eqns.add(new Eqn(known, ins.toArray(Atom[]::new), scanOuts));
        List<Atom> outs = new ArrayList<>(List.of(scanOuts));
        for (Atom h : hoisted) {
            outs.add(rename(renamed, h));
        }
        return new JitCall("scan_known", new Program(List.copyOf(ins), List.copyOf(eqns), List.copyOf(outs)));
    }

    /**
     * The unknown half: takes (captures, carries, stacked residuals, hoisted residuals, inputs), the order in which
     * partial evaluation passes a split scan's operands, and runs {@code unknown}, whose captures end with the
     * hoisted residuals ({@code leading} captures come before them).
     */
    static JitCall unknownHalf(ScanLoop unknown, int leading, int hoisted, int stacked) {
        List<Var> ops = freshVars(operandAvals(unknown)); // captures, hoisted, carries, stacked residuals, inputs
        int carriesAt = leading + hoisted;
        int stackedAt = unknown.numConsts() + unknown.numCarries();
        List<Var> ins = new ArrayList<>(ops.subList(0, leading));
        ins.addAll(ops.subList(carriesAt, stackedAt + stacked));
        ins.addAll(ops.subList(leading, carriesAt));
        ins.addAll(ops.subList(stackedAt + stacked, ops.size()));
        Var[] outs = freshVars(unknown.shapeRule(operandAvals(unknown))).toArray(Var[]::new);
        Eqn scan = new Eqn(unknown, ops.toArray(Atom[]::new), outs);
        return new JitCall("scan_unknown", new Program(List.copyOf(ins), List.of(scan), List.of(outs)));
    }

    /** The equations of {@code k} that {@code targets} depend on, in order. */
    private static List<Eqn> cone(Program k, List<Atom> targets) {
        Set<Atom> need = Collections.newSetFromMap(new IdentityHashMap<>());
        need.addAll(targets);
        List<Eqn> out = new ArrayList<>();
        for (int i = k.eqns().size() - 1; i >= 0; i--) {
            Eqn e = k.eqns().get(i);
            boolean needed = false;
            for (Var v : e.outputs()) {
                needed |= need.contains(v);
            }
            if (needed) {
                out.add(e);
                Collections.addAll(need, e.inputs());
            }
        }
        Collections.reverse(out);
        return out;
    }

    private static Atom rename(Map<Var, Atom> renamed, Atom a) {
        return a instanceof Var v ? renamed.get(v) : a;
    }

    /** The avals of a scan's operands: captures and carries as the body takes them, inputs stacked. */
    private static Aval[] operandAvals(ScanLoop s) {
        Aval[] body = s.body().inAvals();
        Aval[] out = new Aval[body.length];
        for (int i = 0; i < body.length; i++) {
            out[i] = i < s.numConsts() + s.numCarries() ? body[i] : ScanSlices.stackedAval(body[i], s.length());
        }
        return out;
    }

    private static List<Var> freshVars(Aval[] avals) {
        List<Var> out = new ArrayList<>();
        for (int i = 0; i < avals.length; i++) {
            out.add(new Var(avals[i], i));
        }
        return out;
    }
}
