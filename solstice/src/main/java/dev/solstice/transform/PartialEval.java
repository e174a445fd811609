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
            } else if (any && !mask[0] && e.primitive() instanceof Cond cond) {
                splitNestedCond(e, cond, mask, knownEqns, unknownEqns, unknown, residuals);
            } else if (any && !all && e.primitive() instanceof ScanLoop scan) {
                splitNestedScan(e, scan, mask, knownEqns, unknownEqns, unknown, residuals);
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
        splitCall(e, s.known(), knownArgs, s.unknown(), res -> {
            List<Atom> in = new ArrayList<>(res);
            in.addAll(unknownArgs);
            return in;
        }, s.outUnknown(), s.numResiduals(), knownEqns, unknownEqns, unknown, residuals);
    }

    /** A nested cond with a known index and some unknown operands, split as {@link CondPartialEval} does. */
    private static void splitNestedCond(Eqn e, Cond cond, boolean[] mask, List<Eqn> knownEqns, List<Eqn> unknownEqns,
            Set<Var> unknown, Residuals residuals) {
        CondPartialEval.Split s = CondPartialEval.split(cond, java.util.Arrays.copyOfRange(mask, 1, mask.length));
        List<Atom> knownArgs = new ArrayList<>();
        List<Atom> unknownArgs = new ArrayList<>();
        for (int i = 1; i < mask.length; i++) {
            (mask[i] ? unknownArgs : knownArgs).add(e.inputs()[i]);
        }
        knownArgs.add(0, e.inputs()[0]);
        splitCall(e, s.known(), knownArgs, s.unknown(), res -> {
            List<Atom> in = new ArrayList<>(List.of(e.inputs()[0]));
            in.addAll(res);
            in.addAll(unknownArgs);
            return in;
        }, s.outUnknown(), s.numResiduals(), knownEqns, unknownEqns, unknown, residuals);
    }

    /** A nested scan with some unknown operands, split as {@link ScanPartialEval} does. */
    private static void splitNestedScan(Eqn e, ScanLoop scan, boolean[] mask, List<Eqn> knownEqns,
            List<Eqn> unknownEqns, Set<Var> unknown, Residuals residuals) {
        ScanPartialEval.Split s = ScanPartialEval.split(scan, mask);
        int c = scan.numConsts();
        int m = scan.numCarries();
        List<Atom> knownArgs = new ArrayList<>();
        List<Atom> leading = new ArrayList<>();
        List<Atom> trailing = new ArrayList<>();
        for (int i = 0; i < mask.length; i++) {
            boolean uk = i >= c && i < c + m ? s.outUnknown()[i - c] : mask[i];
            if (!uk) {
                knownArgs.add(e.inputs()[i]);
            } else {
                (i < c + m ? leading : trailing).add(e.inputs()[i]);
            }
        }
        int unknownConsts = 0;
        for (int i = 0; i < c; i++) {
            unknownConsts += mask[i] ? 1 : 0;
        }
        List<Atom> in = new ArrayList<>(leading.subList(0, unknownConsts));
        for (int operand : s.constResiduals()) {
            in.add(e.inputs()[operand]);
        }
        in.addAll(leading.subList(unknownConsts, leading.size()));
        splitCall(e, s.known(), knownArgs, s.unknown(), res -> {
            List<Atom> all = new ArrayList<>(in);
            all.addAll(res);
            all.addAll(trailing);
            return all;
        }, s.outUnknown(), s.numResiduals(), knownEqns, unknownEqns, unknown, residuals);
    }

    /**
     * Adds a split call: the known half on {@code knownArgs} to the known program, giving the known outputs of
     * {@code e} and new residual variables; the unknown half on the operands {@code unknownArgs} builds from
     * those residuals to the unknown program. Known variables the unknown half reads become residuals.
     */
    private static void splitCall(Eqn e, dev.solstice.core.Primitive knownHalf, List<Atom> knownArgs,
            dev.solstice.core.Primitive unknownHalf, java.util.function.Function<List<Var>, List<Atom>> unknownArgs,
            boolean[] outUnknown, int numResiduals, List<Eqn> knownEqns, List<Eqn> unknownEqns, Set<Var> unknown,
            Residuals residuals) {
        dev.solstice.core.Aval[] knownAvals = knownHalf.shapeRule(
                knownArgs.stream().map(Atom::aval).toArray(dev.solstice.core.Aval[]::new));
        List<Var> knownOuts = new ArrayList<>();
        List<Var> unknownOuts = new ArrayList<>();
        for (int i = 0; i < e.outputs().length; i++) {
            (outUnknown[i] ? unknownOuts : knownOuts).add(e.outputs()[i]);
        }
        List<Var> innerResiduals = new ArrayList<>();
        for (int r = knownAvals.length - numResiduals; r < knownAvals.length; r++) {
            innerResiduals.add(new Var(knownAvals[r], -1));
        }
        List<Var> knownCallOuts = new ArrayList<>(knownOuts);
        knownCallOuts.addAll(innerResiduals);
        knownEqns.add(new Eqn(knownHalf, knownArgs.toArray(Atom[]::new), knownCallOuts.toArray(Var[]::new)));
        if (!unknownOuts.isEmpty()) {
            List<Atom> args = unknownArgs.apply(innerResiduals);
            for (Atom a : args) {
                if (a instanceof Var v && !unknown.contains(v)) {
                    residuals.add(v);
                }
            }
            unknownEqns.add(new Eqn(unknownHalf, args.toArray(Atom[]::new), unknownOuts.toArray(Var[]::new)));
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
