package dev.solstice.transform;

import dev.solstice.ir.Program;

/**
 * JAX's {@code remat} ({@code jax.checkpoint}): a call of a staged program whose intermediate values reverse mode
 * does not store but recomputes in the backward pass, except those the {@link SaveablePolicy} allows. Evaluation,
 * JVP, batching and transposition are those of a {@link JitCall} with the derived program re-bound as a remat
 * (so a JVP of a remat is still a remat); partial evaluation is by policy: the known half computes the outputs and
 * only the saveable residuals, the unknown half (a remat) recomputes the rest from them and the saved inputs.
 * The compiler never inlines a remat ({@link CallInlining} leaves it alone), so the recomputation in a backward
 * pass is never merged with the forward pass by common-subexpression elimination.
 *
 * <p>Two remats are equal when they run the same program object with equal policies.
 *
 * @param function the checkpointed function's name, for printing
 * @param program the staged program: captured values first, then the arguments
 * @param policy which intermediates may be saved
 */
public record Remat(String function, Program program, SaveablePolicy policy) implements ProgramCall {

    @Override
    public ProgramCall withProgram(String name, Program derived) {
        return new Remat(name, derived, policy);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Remat r && r.program == program && r.function.equals(function) && r.policy.equals(policy);
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(program) * 31 + function.hashCode();
    }

    @Override
    public String toString() {
        return "remat(" + function + ": " + program.inputs().size() + " operands, " + program.eqns().size()
                + " equations, " + policy + ")";
    }
}
