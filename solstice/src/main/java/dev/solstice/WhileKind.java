package dev.solstice;

/**
 * How {@link Eqx#whileLoop} runs a loop with a bound on its number of steps, as Equinox's {@code kind}
 * argument of {@code eqx.internal.while_loop}.
 */
public enum WhileKind {
    /** One {@link Lax#whileLoop}: cheap, forward-mode differentiable only (reverse mode is refused). */
    LAX,
    /**
     * Nested scans of {@code Lax.cond} steps ({@code maxSteps} rounded up to a power of 16), checkpointed on all
     * but the innermost level: reverse-mode differentiable, at the cost of recomputation and of scanning every
     * step up to the bound (the steps after the loop has stopped are skipped by the conds, not removed).
     */
    BOUNDED,
    /** Equinox's checkpointed (treeverse) while loop: not implemented yet; {@link Eqx#whileLoop} refuses it. */
    CHECKPOINTED
}
