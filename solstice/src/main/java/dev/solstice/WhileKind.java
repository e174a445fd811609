package dev.solstice;

/**
 * How {@link Eqx#whileLoop} runs a loop with a bound on its number of steps, as Equinox's {@code kind}
 * argument of {@code eqx.internal.while_loop}.
 *
 * {@snippet lang=java :
 * Array n = Eqx.whileLoop((Array c) -> Jnp.less(c, 10.0), c -> c.mul(2.0), Array.scalar(1.0), 8, WhileKind.BOUNDED);
 * n                               // 16.0
 * }
 */
public enum WhileKind {
    /** One {@link Lax#whileLoop}: cheap, forward-mode differentiable only (reverse mode is refused). */
    LAX,
    /**
     * Nested scans of {@code Lax.cond} steps ({@code maxSteps} rounded up to a power of 16), checkpointed on all
     * but the innermost level: reverse-mode differentiable, at the cost of recomputation and of scanning every
     * step up to the bound (the steps after the loop has stopped are skipped by the conds, not removed; under
     * vmap too, once no example continues, the predicate being reduced over the batch).
     */
    BOUNDED,
    /**
     * Equinox's checkpointed while loop: evaluated, a plain while loop; under reverse mode its forward pass stores
     * at most a fixed number of carries (the checkpoints, placed online as Stumm and Walther's algorithm does) and
     * the backward pass recomputes the steps between them (treeverse). Forward mode (jvp, Hessians as forward
     * over reverse) works too. The number of checkpoints defaults to Equinox's, about {@code sqrt(2 maxSteps)};
     * {@link Eqx#whileLoop(java.util.function.Function, java.util.function.UnaryOperator, Object, int, WhileKind,
     * int)} sets it.
     */
    CHECKPOINTED
}
