package dev.solstice.transform;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.Batched;
import dev.solstice.core.DenseArray;
import dev.solstice.ir.Program;
import java.util.Arrays;

/**
 * JAX's {@code while} primitive. Operands: the values the predicate captured, the values the body captured, then
 * the carries. The predicate program maps (its captures, carries) to a bool scalar; the body program maps (its
 * captures, carries) to new carries of the same avals. Its JVP is a while carrying tangents as extra carries;
 * batching with a batched predicate runs while any example's predicate holds and keeps each example's carry once
 * its own predicate fails. Reverse mode is refused ({@link #reverseModeError}), as in JAX: the number of
 * iterations is not known in advance, so residuals cannot be stored.
 *
 * <p>Two whiles are equal when they hold the same program objects (programs are compared by identity).
 *
 * @param cond the predicate program
 * @param body the body program
 * @param condConsts how many operands (first) are the predicate's captured values
 * @param bodyConsts how many operands (next) are the body's captured values
 */
public record While(Program cond, Program body, int condConsts, int bodyConsts) implements NamedAxisBatching {

    /** The error for reverse-mode differentiation of a while loop. */
    public static UnsupportedOperationException reverseModeError() {
        return new UnsupportedOperationException("Lax.whileLoop: reverse-mode differentiation (grad, vjp, jacrev,"
                + " linearize) does not work through a while loop (Lax.whileLoop, or Lax.foriLoop with traced"
                + " bounds), whose number of iterations is not known in advance; use Lax.foriLoop with static bounds"
                + " (ints, or concrete arrays), Lax.scan or Eqx.whileLoop BOUNDED (reverse-differentiable), or"
                + " forward mode (jvp, jacfwd)");
    }

    int numCarries() {
        return body.outputs().size();
    }

    @Override
    public Aval[] shapeRule(Aval[] in) {
        int n = condConsts + bodyConsts + numCarries();
        if (in.length != n) {
            throw new IllegalArgumentException("while: expects " + n + " operands, got " + in.length);
        }
        Aval[] carries = Arrays.copyOfRange(in, condConsts + bodyConsts, n);
        check("predicate", cond, condConsts, Arrays.copyOfRange(in, 0, condConsts), carries);
        check("body", body, bodyConsts, Arrays.copyOfRange(in, condConsts, condConsts + bodyConsts), carries);
        Aval pred = cond.outputs().get(0).aval();
        if (cond.outputs().size() != 1 || pred.dtype() != DType.BOOL || pred.rank() != 0) {
            throw new IllegalArgumentException("while: the predicate must return one bool scalar, got " + pred.str());
        }
        return carries;
    }

    private static void check(String what, Program p, int numConsts, Aval[] consts, Aval[] carries) {
        for (int i = 0; i < p.inputs().size(); i++) {
            Aval want = p.inputs().get(i).aval();
            Aval got = i < numConsts ? consts[i] : carries[i - numConsts];
            if (!want.equals(got)) {
                throw new IllegalArgumentException("while: " + what + " input " + i + " is " + got.str()
                        + " but the " + what + " was traced for " + want.str());
            }
        }
    }

    /** Runs its program on the operands as stored: the program's own equations widen what they compute. */
    @Override
    public boolean evaluatesNarrowTypes() {
        return true;
    }

    @Override
    public DenseArray[] eval(DenseArray[] in, Aval[] outAvals) {
        DenseArray[] condIn = Arrays.copyOf(Arrays.copyOfRange(in, 0, condConsts), condConsts + numCarries());
        DenseArray[] bodyIn = Arrays.copyOf(Arrays.copyOfRange(in, condConsts, condConsts + bodyConsts),
                bodyConsts + numCarries());
        DenseArray[] carry = Arrays.copyOfRange(in, condConsts + bodyConsts, in.length);
        while (true) {
            System.arraycopy(carry, 0, condIn, condConsts, carry.length);
            if (JitExecution.run(cond, condIn)[0].item() == 0) {
                return carry;
            }
            System.arraycopy(carry, 0, bodyIn, bodyConsts, carry.length);
            carry = JitExecution.run(body, bodyIn);
        }
    }

    @Override
    public Array[][] jvpWithPrimal(Array[] primals, Array[] tangents) {
        return WhileRules.jvp(this, primals, tangents);
    }

    @Override
    public Array[] jvp(Array[] primals, Array[] outs, Array[] tangents) {
        return WhileRules.jvp(this, primals, tangents)[1];
    }

    @Override
    public boolean usesAxisName(String axisName) {
        return cond.usesAxisName(axisName) || body.usesAxisName(axisName);
    }

    @Override
    public Batched batchNamed(Array[] vals, int[] dims, int axisSize, String axisName) {
        return WhileRules.batch(this, vals, dims, axisSize, axisName);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof While w && w.cond == cond && w.body == body && w.condConsts == condConsts
                && w.bodyConsts == bodyConsts;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(cond) * 31 + System.identityHashCode(body);
    }

    @Override
    public String toString() {
        return "while(" + numCarries() + " carries)";
    }
}
