package dev.solstice.transform;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.Batched;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Interpreters;
import dev.solstice.core.Primitive;
import dev.solstice.core.Shapes;
import dev.solstice.core.Zero;
import dev.solstice.ir.ClosedProgram;
import dev.solstice.ir.Eqn;
import dev.solstice.ir.Program;
import dev.solstice.tree.Tree;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A while loop that reverse mode can go through (Equinox's {@code checkpointed_while_loop}): evaluated, it is the
 * plain {@link While} it wraps; differentiated, its forward pass ({@link TreeverseForward}) stores at most
 * {@code checkpoints} carries, chosen online, and the tangent map is a {@link CheckpointedWhileLinear}, whose
 * transpose walks the loop backward from those checkpoints ({@link TreeverseBackward}, treeverse) and whose
 * forward evaluation is the while loop's own JVP, so forward mode works too. Operands are the while's.
 *
 * @param loop the plain loop
 * @param checkpoints how many carries the forward pass may store, {@code >= 1}
 * @param maxSteps a bound on the number of steps the loop makes (its predicate enforces it): below it fewer
 *        controller operations are needed
 */
public record CheckpointedWhile(While loop, int checkpoints, int maxSteps) implements NamedAxisBatching {

    /**
     * Runs {@code body} on the carry while {@code cond} holds (at most {@code maxSteps} times: {@code cond} must
     * enforce it), reverse-differentiable storing at most {@code checkpoints} carries.
     */
    public static <C> C run(String op, Function<C, Array> cond, UnaryOperator<C> body, C init, int checkpoints,
            int maxSteps) {
        Tree.Flattened in = Tree.flatten(init);
        Aval[] inAvals = Shapes.avals(in.leaves());
        TreeStaging.Staged pred = TreeStaging.stage(op, cond, in.def(), inAvals);
        Aval[] p = pred.outAvals();
        if (p.length != 1 || p[0].dtype() != DType.BOOL || p[0].rank() != 0) {
            throw new IllegalArgumentException(op + ": the predicate must return a bool scalar, got " + Shapes.str(p));
        }
        TreeStaging.Staged step = TreeStaging.stage(op, body, in.def(), inAvals);
        ControlFlow.checkCarry(op, init, inAvals, "the body", step);
        List<Array> ops = new ArrayList<>(pred.program().consts());
        ops.addAll(step.program().consts());
        ops.addAll(in.leaves());
        While loop = new While(pred.program().program(), step.program().program(), pred.program().consts().size(),
                step.program().consts().size());
        Array[] outs = Interpreters.bind(new CheckpointedWhile(loop, checkpoints, maxSteps), ops.toArray(Array[]::new));
        return Tree.unflatten(in.def(), Arrays.asList(outs));
    }

    @Override
    public String name() {
        return "checkpointed_while";
    }

    @Override
    public Aval[] shapeRule(Aval[] in) {
        return loop.shapeRule(in);
    }

    /** Runs its program on the operands as stored: the program's own equations widen what they compute. */
    @Override
    public boolean evaluatesNarrowTypes() {
        return true;
    }

    @Override
    public DenseArray[] eval(DenseArray[] in, Aval[] outAvals) {
        return loop.eval(in, outAvals);
    }

    /**
     * The forward pass with checkpoints, and the tangents through {@link CheckpointedWhileLinear} applied to the
     * tangents of the body's captures and of the carries that can become nonzero (the while's fixed point).
     */
    @Override
    public Array[][] jvpWithPrimal(Array[] primals, Array[] tangents) {
        int nc = loop.condConsts();
        int nb = loop.bodyConsts();
        int m = loop.numCarries();
        boolean[] nz = new boolean[nb + m];
        for (int i = 0; i < nb + m; i++) {
            nz[i] = !Zero.isZero(tangents[nc + i]);
        }
        ProgramTransforms.jvpCarryFixedPoint(loop.body(), CondRules.avals(List.of(primals).subList(nc, nc + nb + m)),
                nz, nb, m);
        TreeverseForward.Result fwd = TreeverseForward.run(loop, checkpoints, maxSteps, primals);
        Array[] outT = new Array[m];
        for (int j = 0; j < m; j++) {
            outT[j] = Zero.of(fwd.outs()[j].aval());
        }
        CheckpointedWhileLinear lin = new CheckpointedWhileLinear(this, nz);
        if (lin.outputs().length == 0) {
            return new Array[][] {fwd.outs(), outT};
        }
        List<Array> ops = new ArrayList<>(List.of(primals));
        ops.add(fwd.numSteps());
        ops.add(fwd.slotSteps());
        ops.addAll(List.of(fwd.buffers()));
        for (int i = 0; i < nb + m; i++) {
            if (nz[i]) {
                ops.add(Zero.instantiate(tangents[nc + i]));
            }
        }
        Array[] t = Interpreters.bind(lin, ops.toArray(Array[]::new));
        int[] outs = lin.outputs();
        for (int k = 0; k < outs.length; k++) {
            outT[outs[k]] = t[k];
        }
        return new Array[][] {fwd.outs(), outT};
    }

    /**
     * The plain while's batching (captured batched values vectorised into the body; with a batched predicate,
     * running while any example holds, each example's carry kept once its own predicate fails), with the while it
     * binds checkpointed again: staged, and the program's one while replaced.
     */

    @Override
    public boolean usesAxisName(String axisName) {
        return loop.usesAxisName(axisName);
    }

    @Override
    public Batched batchNamed(Array[] vals, int[] dims, int axisSize, String axisName) {
        int[][] outDims = new int[1][];
        ClosedProgram staged = Staging.trace(args -> {
            Batched b = WhileRules.batch(loop, args, dims, axisSize, axisName);
            outDims[0] = b.dims();
            return b.outs();
        }, Shapes.avals(vals));
        Program p = staged.program();
        List<Eqn> eqns = new ArrayList<>();
        for (Eqn e : p.eqns()) {
            Primitive q = e.primitive() instanceof While w ? new CheckpointedWhile(w, checkpoints, maxSteps)
                    : e.primitive();
            eqns.add(new Eqn(q, e.inputs(), e.outputs()));
        }
        List<Array> args = new ArrayList<>(staged.consts());
        args.addAll(List.of(vals));
        Array[] outs = new Program(p.inputs(), eqns, p.outputs()).evaluate(args.toArray(Array[]::new));
        return new Batched(outs, outDims[0]);
    }

    @Override
    public Array[] jvp(Array[] primals, Array[] outs, Array[] tangents) {
        return jvpWithPrimal(primals, tangents)[1];
    }

    @Override
    public String toString() {
        return "checkpointed_while(" + loop.numCarries() + " carries, " + checkpoints + " checkpoints)";
    }
}
