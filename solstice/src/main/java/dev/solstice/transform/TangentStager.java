package dev.solstice.transform;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import dev.solstice.core.Shapes;
import dev.solstice.core.CallPrimitive;
import dev.solstice.core.Interpreter;
import dev.solstice.core.Interpreters;
import dev.solstice.core.Primitive;
import dev.solstice.core.TangentOnly;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Zero;
import dev.solstice.ir.Atom;
import dev.solstice.ir.Const;
import dev.solstice.ir.Eqn;
import dev.solstice.ir.Program;
import dev.solstice.ir.Var;
import java.util.ArrayList;
import java.util.List;

/**
 * Partial evaluation for linearize: values it owns ({@link StagedTracer}s, the tangents) are unknown and
 * every operation on them is recorded as an equation; operations on known values only are passed to the
 * parent interpreter and computed now. Placed under a {@link JvpInterpreter}, it splits a JVP into the primal
 * computation (done) and a linear program of the tangents (staged), whose known operands are the residuals.
 */
final class TangentStager implements Interpreter {
    private final Interpreter parent;
    private final List<Eqn> eqns = new ArrayList<>();
    private int nextId;

    TangentStager(Interpreter parent) {
        this.parent = parent;
    }

    /** A new unknown input of the program. */
    StagedTracer newInput(Aval aval) {
        return new StagedTracer(this, new Var(aval, nextId++));
    }

    boolean owns(Array x) {
        return x instanceof StagedTracer s && s.owner() == this;
    }

    @Override
    public Array[] process(Primitive p, Array[] args) {
        boolean anyUnknown = false;
        for (Array a : args) {
            anyUnknown |= owns(a);
        }
        if (!anyUnknown && !(p instanceof TangentOnly)) {
            return Interpreters.delegate(parent, p, args); // known operands: computed now
        }
        if (p instanceof CallPrimitive call) {
            return call.inline(args);
        }
        if (p instanceof ProgramCall call) {
            return stageCall(call, args);
        }
        if (p instanceof While) {
            throw While.reverseModeError();
        }
        if (p instanceof ScanLoop scan) {
            return stageScan(scan, args);
        }
        if (p instanceof Cond cond && !owns(args[0])) {
            return stageCond(cond, args);
        }
        Atom[] in = new Atom[args.length];
        Aval[] avals = new Aval[args.length];
        for (int i = 0; i < args.length; i++) {
            in[i] = owns(args[i]) ? ((StagedTracer) args[i]).var : new Const(args[i]);
            avals[i] = args[i].aval();
        }
        Aval[] outAvals = p.shapeRule(avals);
        Var[] outs = new Var[outAvals.length];
        Array[] tracers = new Array[outAvals.length];
        for (int i = 0; i < outs.length; i++) {
            outs[i] = new Var(outAvals[i], nextId++);
            tracers[i] = new StagedTracer(this, outs[i]);
        }
        eqns.add(new Eqn(p, in, outs));
        return tracers;
    }

    /**
     * A jit call or remat with unknown operands (JAX's partial-eval rules of {@code jit} and {@code remat}): its
     * known half runs now, under the parent, giving the known outputs and the residuals (for a remat, only those
     * its policy saves); its unknown half is staged as one equation (a jit call, or a remat that recomputes what
     * was not saved) on the residuals and the unknown operands.
     */
    private Array[] stageCall(ProgramCall call, Array[] args) {
        boolean[] unknown = new boolean[args.length];
        List<Array> knownArgs = new ArrayList<>();
        List<Atom> unknownArgs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            unknown[i] = owns(args[i]);
            if (unknown[i]) {
                unknownArgs.add(((StagedTracer) args[i]).var);
            } else {
                knownArgs.add(args[i]);
            }
        }
        PartialEval.Split split = JitRules.partialEval(call, unknown);
        Array[] known = Interpreters.delegate(parent, split.known(), knownArgs.toArray(Array[]::new));
        List<Atom> in = residualAtoms(known, split.numResiduals());
        in.addAll(unknownArgs);
        return stageUnknownHalf(split.unknown(), in, known, split.numResiduals(), split.outUnknown(),
                call.shapeRule(Shapes.avals(args)));
    }

    /**
     * A cond with unknown operands (JAX's partial-eval rule of {@code cond}): the known half runs now, the unknown
     * half is staged on the index, the residuals and the unknown operands.
     */
    private Array[] stageCond(Cond cond, Array[] args) {
        boolean[] unknown = new boolean[args.length - 1];
        List<Array> knownArgs = new ArrayList<>(List.of(args[0]));
        List<Atom> unknownArgs = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            unknown[i - 1] = owns(args[i]);
            if (unknown[i - 1]) {
                unknownArgs.add(((StagedTracer) args[i]).var);
            } else {
                knownArgs.add(args[i]);
            }
        }
        CondPartialEval.Split split = CondPartialEval.split(cond, unknown);
        Array[] known = Interpreters.delegate(parent, split.known(), knownArgs.toArray(Array[]::new));
        List<Atom> in = new ArrayList<>(List.of(new Const(args[0])));
        in.addAll(residualAtoms(known, split.numResiduals()));
        in.addAll(unknownArgs);
        return stageUnknownHalf(split.unknown(), in, known, split.numResiduals(), split.outUnknown(),
                cond.shapeRule(Shapes.avals(args)));
    }

    /**
     * A scan with unknown operands (JAX's partial-eval rule of {@code scan}): the known scan runs now, stacking
     * the residuals; the unknown scan is staged on the unknown captures and carries, the residuals and the
     * unknown inputs.
     */
    private Array[] stageScan(ScanLoop scan, Array[] args) {
        boolean[] unknown = new boolean[args.length];
        for (int i = 0; i < args.length; i++) {
            unknown[i] = owns(args[i]);
        }
        ScanPartialEval.Split split = ScanPartialEval.split(scan, unknown);
        // a carry made unknown by the body: its initial value is a known value staged as a constant
        boolean[] carryUnknown = split.outUnknown();
        List<Array> knownArgs = new ArrayList<>();
        List<Atom> leading = new ArrayList<>();
        List<Atom> trailing = new ArrayList<>();
        int c = scan.numConsts();
        int m = scan.numCarries();
        for (int i = 0; i < args.length; i++) {
            boolean uk = i >= c && i < c + m ? carryUnknown[i - c] : unknown[i];
            if (!uk) {
                knownArgs.add(args[i]);
            } else {
                Atom a = owns(args[i]) ? ((StagedTracer) args[i]).var : new Const(args[i]);
                (i < c + m ? leading : trailing).add(a);
            }
        }
        Array[] known = Interpreters.delegate(parent, split.known(), knownArgs.toArray(Array[]::new));
        int unknownConsts = 0;
        for (int i = 0; i < c; i++) {
            unknownConsts += unknown[i] ? 1 : 0;
        }
        List<Atom> in = new ArrayList<>(leading.subList(0, unknownConsts));
        for (int operand : split.constResiduals()) {
            in.add(new Const(args[operand]));
        }
        in.addAll(leading.subList(unknownConsts, leading.size()));
        in.addAll(residualAtoms(known, split.numResiduals()));
        in.addAll(trailing);
        return stageUnknownHalf(split.unknown(), in, known, split.numResiduals(), split.outUnknown(),
                scan.shapeRule(Shapes.avals(args)));
    }

    private static List<Atom> residualAtoms(Array[] known, int numResiduals) {
        List<Atom> out = new ArrayList<>();
        for (int r = known.length - numResiduals; r < known.length; r++) {
            out.add(new Const(known[r]));
        }
        return out;
    }

    /**
     * Stages the unknown half of a split call on {@code in} (its operands, residuals among them: the last
     * {@code numResiduals} results of the known half); returns the known results and tracers of the unknown ones,
     * in output order.
     */
    private Array[] stageUnknownHalf(Primitive unknownHalf, List<Atom> in, Array[] known, int numResiduals,
            boolean[] outUnknown, Aval[] outAvals) {
        Array[] results = new Array[outUnknown.length];
        List<Var> outs = new ArrayList<>();
        int k = 0;
        for (int i = 0; i < results.length; i++) {
            if (outUnknown[i]) {
                Var v = new Var(outAvals[i], nextId++);
                outs.add(v);
                results[i] = new StagedTracer(this, v);
            } else {
                results[i] = known[k++];
            }
        }
        if (!outs.isEmpty()) {
            eqns.add(new Eqn(unknownHalf, in.toArray(Atom[]::new), outs.toArray(Var[]::new)));
        }
        return results;
    }

    /**
     * The program from {@code inputs} to {@code outputs}. An output that is not staged (it does not depend
     * on the inputs) becomes a symbolic {@link Zero} constant of its aval: a linear function of the tangents
     * is zero there. Whoever hands the program's results to a user instantiates it. An unstaged output that is
     * known and not zero can only come from a rule that returned a tangent not linear in its input tangents;
     * dropping it would be a silent wrong derivative, so it is an internal error.
     */
    Program program(List<StagedTracer> inputs, Array[] outputs, Aval[] outAvals) {
        List<Var> in = new ArrayList<>();
        for (StagedTracer t : inputs) {
            in.add(t.var);
        }
        List<Atom> out = new ArrayList<>();
        for (int i = 0; i < outputs.length; i++) {
            if (owns(outputs[i])) {
                out.add(((StagedTracer) outputs[i]).var);
            } else {
                requireZero(outputs[i], i);
                out.add(new Const(Zero.of(outAvals[i])));
            }
        }
        return new Program(List.copyOf(in), List.copyOf(eqns), List.copyOf(out));
    }

    /** An output tangent that no input tangent reaches must be zero: symbolically, or as concrete zeros. */
    private static void requireZero(Array tangent, int output) {
        if (Zero.isZero(tangent)) {
            return;
        }
        if (tangent instanceof DenseArray d) {
            boolean allZero = true;
            for (double v : d.toDoubleArray()) {
                allZero &= v == 0.0;
            }
            if (allZero) {
                return;
            }
        }
        throw new IllegalStateException("linearize: internal error: the tangent of output " + output + " ("
                + tangent.aval().str() + ") is known and not zero although it does not depend on the input"
                + " tangents; a JVP rule returned a tangent that is not linear in its input tangents (a bug in that"
                + " primitive's rule); it would otherwise be dropped as a silent zero");
    }
}
