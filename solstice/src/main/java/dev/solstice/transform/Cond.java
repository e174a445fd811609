package dev.solstice.transform;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.Batched;
import dev.solstice.core.DenseArray;
import dev.solstice.ir.Program;
import java.util.List;

/**
 * JAX's {@code cond} primitive: operand 0 is an int32 scalar index choosing one of the branch programs, which
 * all take the remaining operands (the values every branch captured, then the operands of {@code Lax.cond} /
 * {@code Lax.switchCase}) and return outputs of the same avals. Only the chosen branch runs. Its JVP is a cond
 * of the branches' JVPs; batching is a cond of the vmapped branches, or, for a batched index, a select of
 * every branch's results with the untaken branches' inputs masked; partial evaluation splits each branch and
 * merges their residuals ({@link CondRules}); the transpose is a cond of the branches' backward passes.
 *
 * <p>Two conds are equal when they hold the same program objects (programs are compared by identity).
 *
 * @param branches the branch programs, all with the same input and output avals
 */
public record Cond(List<Program> branches) implements NamedAxisBatching {

    /** Checks there is at least one branch. */
    public Cond {
        branches = List.copyOf(branches);
        if (branches.isEmpty()) {
            throw new IllegalArgumentException("cond: needs at least one branch");
        }
    }

    @Override
    public Aval[] shapeRule(Aval[] in) {
        Program p = branches.get(0);
        int n = p.inputs().size();
        if (in.length != n + 1) {
            throw new IllegalArgumentException("cond: the branches take " + n + " operands after the index, got "
                    + (in.length - 1));
        }
        if (in[0].dtype() != DType.INT32 || in[0].rank() != 0) {
            throw new IllegalArgumentException("cond: the index must be an int32 scalar, got " + in[0].str());
        }
        for (int i = 0; i < n; i++) {
            Aval want = p.inputs().get(i).aval();
            if (!want.equals(in[i + 1])) {
                throw new IllegalArgumentException("cond: operand " + i + " is " + in[i + 1].str()
                        + " but the branches were traced for " + want.str());
            }
        }
        return p.outAvals();
    }

    /** Runs its program on the operands as stored: the program's own equations widen what they compute. */
    @Override
    public boolean evaluatesNarrowTypes() {
        return true;
    }

    @Override
    public DenseArray[] eval(DenseArray[] in, Aval[] outAvals) {
        int index = Math.clamp((long) in[0].item(), 0, branches.size() - 1);
        DenseArray[] ops = new DenseArray[in.length - 1];
        System.arraycopy(in, 1, ops, 0, ops.length);
        return JitExecution.run(branches.get(index), ops);
    }

    @Override
    public Array[][] jvpWithPrimal(Array[] primals, Array[] tangents) {
        return CondRules.jvp(this, primals, tangents);
    }

    @Override
    public Array[] jvp(Array[] primals, Array[] outs, Array[] tangents) {
        return CondRules.jvp(this, primals, tangents)[1];
    }

    @Override
    public Array[] transpose(Array[] cts, Array[] args) {
        return CondRules.transpose(this, cts, args);
    }

    @Override
    public boolean usesAxisName(String axisName) {
        for (Program p : branches) {
            if (p.usesAxisName(axisName)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Batched batchNamed(Array[] vals, int[] dims, int axisSize, String axisName) {
        return CondRules.batch(this, vals, dims, axisSize, axisName);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Cond c) || c.branches.size() != branches.size()) {
            return false;
        }
        for (int i = 0; i < branches.size(); i++) {
            if (c.branches.get(i) != branches.get(i)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (Program p : branches) {
            h = h * 31 + System.identityHashCode(p);
        }
        return h;
    }

    @Override
    public String toString() {
        return "cond(" + branches.size() + " branches, " + branches.get(0).inputs().size() + " operands)";
    }
}
