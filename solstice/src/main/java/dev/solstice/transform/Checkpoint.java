package dev.solstice.transform;

import dev.solstice.core.Shapes;
import dev.solstice.Array;
import dev.solstice.core.EvalInterpreter;
import dev.solstice.core.Interpreters;
import dev.solstice.ir.ClosedProgram;
import dev.solstice.tree.Tree;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/** The machinery behind {@code Jax.checkpoint} and {@code Lax.checkpointName}: staging a function into a {@link Remat}. */
public final class Checkpoint {
    private Checkpoint() {}

    /**
     * Applies {@code f} to {@code x} as one remat: {@code f} is staged on the shapes of {@code x}'s leaves (the
     * values it captures become operands) and bound under the current transformations. With no transformation
     * active, {@code f} is simply applied: there is nothing to save or recompute, and the values are the same.
     */
    public static <T, R> R apply(String op, Function<T, R> f, SaveablePolicy policy, T x) {
        if (Interpreters.current() == EvalInterpreter.INSTANCE) {
            return f.apply(x);
        }
        Tree.Flattened in = Tree.flatten(x);
        TreeStaging.Staged s = TreeStaging.stage(op, f, in.def(), Shapes.avals(in.leaves()));
        ClosedProgram cp = s.program();
        List<Array> operands = new ArrayList<>(cp.consts());
        operands.addAll(in.leaves());
        Array[] outs = Interpreters.bind(new Remat(op, cp.program(), policy), operands.toArray(Array[]::new));
        return Tree.unflatten(s.outDef(), Arrays.asList(outs));
    }

    /** {@code x} named {@code label}, for a policy that saves named values. */
    public static Array name(Array x, String label) {
        if (label == null || label.isEmpty()) {
            throw new IllegalArgumentException("Lax.checkpointName: the name must not be empty, got " + label
                    + " for " + x.aval().str());
        }
        return Interpreters.bind(new CheckpointName(label), x)[0];
    }
}
