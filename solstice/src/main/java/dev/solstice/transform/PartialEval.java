package dev.solstice.transform;

import dev.solstice.core.TangentOnly;
import dev.solstice.ir.Atom;
import dev.solstice.jit.passes.DeadCodeElimination;
import dev.solstice.ir.Const;
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
 * inputs and computes the unknown outputs. A nested jit call, remat, cond or scan with some unknown operands is
 * split the same way, its known half going to the known program and its unknown half to the unknown one. Under a
 * remat's policy, known equations whose outputs may not be saved are recomputed by the unknown program.
 */
final class PartialEval {
    private PartialEval() {}

    /**
     * The two halves of a jit call.
     *
     * @param known the known call: known operands in, known outputs then residuals out
     * @param unknown the unknown call (of the split call's kind): residuals then unknown operands in, unknown outputs out
     * @param outUnknown for each output of the original program, whether it is computed by the unknown call
     * @param numResiduals how many residuals pass from the known call to the unknown one
     */
    record Split(JitCall known, ProgramCall unknown, boolean[] outUnknown, int numResiduals) {
        int numKnownOutputs() {
            int n = 0;
            for (boolean u : outUnknown) {
                n += u ? 0 : 1;
            }
            return n;
        }
    }

    /** Splits {@code call}'s program given which of its inputs are unknown, saving every residual. */
    static Split split(ProgramCall call, boolean[] unknownInputs) {
        return split(call, unknownInputs, p -> true);
    }

    /**
     * Splits {@code call}'s program given which of its inputs are unknown (JAX's {@code partial_eval_jaxpr_custom}
     * when {@code policy} rejects some equations): a known equation whose primitive the policy does not allow to be
     * saved is also copied into the unknown program, which recomputes its outputs from the residuals instead of
     * receiving them (copies the unknown program does not need are dropped). The unknown half is a call of the same
     * kind as {@code call}.
     */
    static Split split(ProgramCall call, boolean[] unknownInputs, SaveablePolicy policy) {
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
        Halves h = new Halves(policy);
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
                h.addKnown(e);
            } else if (any && !all && e.primitive() instanceof ProgramCall inner) {
                splitNested(e, inner, mask, h, unknown);
            } else if (any && !mask[0] && e.primitive() instanceof Cond cond) {
                splitNestedCond(e, cond, mask, h, unknown);
            } else if (any && !all && e.primitive() instanceof ScanLoop scan) {
                splitNestedScan(e, scan, mask, h, unknown);
            } else {
                h.unknownEqns.add(e);
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
        List<Eqn> unknownEqns = h.neededUnknownEqns(unknownOut);
        List<Var> residuals = h.residuals(unknownEqns, unknown);
        knownOut.addAll(residuals);
        List<Var> unknownProgramIn = new ArrayList<>(residuals);
        unknownProgramIn.addAll(unknownIn);
        Program known = new Program(List.copyOf(knownIn), List.copyOf(h.knownEqns), List.copyOf(knownOut));
        Program rest = new Program(List.copyOf(unknownProgramIn), List.copyOf(unknownEqns), List.copyOf(unknownOut));
        return new Split(new JitCall(call.function() + "_known", known),
                call.withProgram(call.function() + "_unknown", rest), outUnknown, residuals.size());
    }

    /**
     * A nested jit call or remat with known and unknown operands: its known half joins the known program (its
     * residuals become new variables there, and residuals of this program), its unknown half the unknown program.
     * A residual that merely forwards a known operand (or a constant) is read from that operand instead, as JAX
     * prunes forwarded residuals: a loop body then passes a captured weight on as a capture, not once per step.
     */
    private static void splitNested(Eqn e, ProgramCall inner, boolean[] mask, Halves h, Set<Var> unknown) {
        Split s = JitRules.partialEval(inner, mask);
        List<Atom> knownArgs = new ArrayList<>();
        List<Atom> unknownArgs = new ArrayList<>();
        for (int i = 0; i < mask.length; i++) {
            (mask[i] ? unknownArgs : knownArgs).add(e.inputs()[i]);
        }
        Program k = s.known().program();
        List<Atom> forwarded = new ArrayList<>();
        for (Atom a : k.outputs().subList(k.outputs().size() - s.numResiduals(), k.outputs().size())) {
            int at = a instanceof Var v ? k.inputs().indexOf(v) : -1;
            forwarded.add(a instanceof Const ? a : at >= 0 ? knownArgs.get(at) : null);
        }
        splitCall(e, s.known(), knownArgs, s.unknown(), res -> {
            List<Atom> in = new ArrayList<>();
            for (int r = 0; r < res.size(); r++) {
                in.add(forwarded.get(r) != null ? forwarded.get(r) : res.get(r));
            }
            in.addAll(unknownArgs);
            return in;
        }, s.outUnknown(), s.numResiduals(), h, unknown);
    }

    /** A nested cond with a known index and some unknown operands, split as {@link CondPartialEval} does. */
    private static void splitNestedCond(Eqn e, Cond cond, boolean[] mask, Halves h, Set<Var> unknown) {
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
        }, s.outUnknown(), s.numResiduals(), h, unknown);
    }

    /** A nested scan with some unknown operands, split as {@link ScanPartialEval} does. */
    private static void splitNestedScan(Eqn e, ScanLoop scan, boolean[] mask, Halves h, Set<Var> unknown) {
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
        }, s.outUnknown(), s.numResiduals(), h, unknown);
    }

    /**
     * Adds a split call: the known half on {@code knownArgs} to the known program, giving the known outputs of
     * {@code e} and new residual variables; the unknown half on the operands {@code unknownArgs} builds from
     * those residuals to the unknown program.
     */
    private static void splitCall(Eqn e, dev.solstice.core.Primitive knownHalf, List<Atom> knownArgs,
            dev.solstice.core.Primitive unknownHalf, java.util.function.Function<List<Var>, List<Atom>> unknownArgs,
            boolean[] outUnknown, int numResiduals, Halves h, Set<Var> unknown) {
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
        h.addKnown(new Eqn(knownHalf, knownArgs.toArray(Atom[]::new), knownCallOuts.toArray(Var[]::new)));
        if (!unknownOuts.isEmpty()) {
            List<Atom> args = unknownArgs.apply(innerResiduals);
            h.unknownEqns.add(new Eqn(unknownHalf, args.toArray(Atom[]::new), unknownOuts.toArray(Var[]::new)));
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

    /**
     * The equations of the two halves as they are built: known equations, and unknown ones interleaved with the
     * copies of known equations the policy does not let save (recomputed in the unknown half if needed there).
     */
    private static final class Halves {
        final List<Eqn> knownEqns = new ArrayList<>();
        final List<Eqn> unknownEqns = new ArrayList<>();
        private final Set<Eqn> recomputed = Collections.newSetFromMap(new IdentityHashMap<>());
        private final SaveablePolicy policy;

        Halves(SaveablePolicy policy) {
            this.policy = policy;
        }

        /** A known equation; copied to the unknown half too when its outputs may not be saved. */
        void addKnown(Eqn e) {
            knownEqns.add(e);
            if (!policy.saveable(e.primitive())) {
                recomputed.add(e);
                unknownEqns.add(e);
            }
        }

        /** The unknown equations, less the recomputed copies (and anything else) no unknown output depends on. */
        List<Eqn> neededUnknownEqns(List<Atom> unknownOut) {
            return recomputed.isEmpty() ? unknownEqns
                    : DeadCodeElimination.run(new Program(List.of(), List.copyOf(unknownEqns), unknownOut)).eqns();
        }

        /**
         * The residuals: the variables {@code eqns} read that they do not compute and that are not unknown, each
         * once, in order of first use.
         */
        List<Var> residuals(List<Eqn> eqns, Set<Var> unknown) {
            Set<Var> defined = Collections.newSetFromMap(new IdentityHashMap<>());
            Set<Var> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            List<Var> list = new ArrayList<>();
            for (Eqn e : eqns) {
                for (Atom a : e.inputs()) {
                    if (a instanceof Var v && !unknown.contains(v) && !defined.contains(v) && seen.add(v)) {
                        list.add(v);
                    }
                }
                if (recomputed.contains(e)) {
                    Collections.addAll(defined, e.outputs());
                }
            }
            return list;
        }
    }
}
