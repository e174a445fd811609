package dev.solstice;

import dev.solstice.prim.UnvmapAny;
import dev.solstice.transform.CheckpointedWhile;
import dev.solstice.tree.Tree;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * {@link Eqx#whileLoop}'s kinds. All run the loop on the pair (carry, step count) with the condition
 * {@code unvmapAny(cond(carry) && step < maxSteps)}, so the bound is exact whatever the kind, and under vmap the
 * loop runs while any example continues (the predicate is never batched), the body keeping the carry of an example
 * whose own predicate fails, as Equinox's common rewrite does.
 *
 * <p>{@link WhileKind#BOUNDED} follows Equinox's bounded while loop: with {@code maxSteps} rounded up to
 * {@code BASE^depth}, level {@code d} is a scan of length {@code BASE} whose step is
 * {@code cond(pred, level d - 1, identity)}, and level 0 is the body. Reverse mode then
 * stores one carry per scan step of each level; checkpointing every level above the lowest scan keeps that to
 * {@code O(BASE * depth)} carries at the price of recomputing the inner levels. The conds' predicate being
 * unbatched, a block of steps after every example has stopped is skipped under vmap too.
 *
 * <p>{@link WhileKind#CHECKPOINTED} is Equinox's checkpointed while loop ({@link CheckpointedWhile}): the plain
 * loop when evaluated; under reverse mode its forward pass stores at most {@code checkpoints} carries (online
 * Stumm–Walther placement) and its backward pass recomputes from them (treeverse).
 */
final class EqxWhile {
    /** The scan length of each level (Equinox's default base). */
    static final int BASE = 16;

    private EqxWhile() {}

    static <C> C run(Function<C, Array> cond, UnaryOperator<C> body, C init, int maxSteps, WhileKind kind) {
        return run(cond, body, init, maxSteps, kind, kind == WhileKind.CHECKPOINTED ? defaultCheckpoints(maxSteps) : 1);
    }

    static <C> C run(Function<C, Array> cond, UnaryOperator<C> body, C init, int maxSteps, WhileKind kind,
            int checkpoints) {
        if (maxSteps < 0) {
            throw new IllegalArgumentException("Eqx.whileLoop: maxSteps must be >= 0, got " + maxSteps);
        }
        if (kind == null) {
            throw new IllegalArgumentException("Eqx.whileLoop: kind is null (give WhileKind.LAX, BOUNDED or CHECKPOINTED)");
        }
        if (kind == WhileKind.CHECKPOINTED && checkpoints < 1) {
            throw new IllegalArgumentException("Eqx.whileLoop: checkpoints must be >= 1, got " + checkpoints);
        }
        if (maxSteps == 0) {
            return init;
        }
        // as Equinox's common rewrite: the loop's predicate is unvmapped (any example continues), so under vmap the
        // loop stops when every example has and BOUNDED's conds skip whole blocks; an example whose own predicate
        // fails keeps its carry. The step count is the same in every example (a cond may still batch it).
        Function<List<Object>, Array> counted = p -> UnvmapAny.of(Jnp.logicalAnd(cond.apply(carry(p)),
                Jnp.less(stepOf(p), Array.scalar(maxSteps))));
        UnaryOperator<List<Object>> countedBody = p -> {
            C c = carry(p);
            Array continues = cond.apply(c);
            C next = body.apply(c);
            return List.of(Tree.map((Array a, Array b) -> Jnp.where(continues, a, b), next, c), stepOf(p).add(Array.scalar(1)));
        };
        List<Object> start = List.of(init, Array.scalar(0));
        List<Object> end = switch (kind) {
            case LAX -> Lax.whileLoop(counted, countedBody, start);
            case BOUNDED -> bounded(counted, countedBody, start, roundedUp(maxSteps));
            case CHECKPOINTED -> CheckpointedWhile.run("Eqx.whileLoop", counted, countedBody, start,
                    Math.min(checkpoints, maxSteps), maxSteps);
        };
        return carry(end);
    }

    /**
     * Equinox's default number of checkpoints: the least {@code c} with {@code maxSteps < (c + 1)(c + 2) / 2}, so
     * that every step stays in the range where Stumm and Walther's online placement is optimal ({@code c} grows
     * as {@code sqrt(2 maxSteps)}); 1 for a single step.
     */
    static int defaultCheckpoints(int maxSteps) {
        if (maxSteps <= 1) {
            return 1;
        }
        return (int) Math.floor(-1.5 + Math.sqrt(2.0 * maxSteps + 0.25)) + 1;
    }

    /** {@code BASE^k} for the least {@code k} with {@code BASE^k >= maxSteps}. */
    private static long roundedUp(int maxSteps) {
        long steps = 1;
        while (steps < maxSteps) {
            steps *= BASE;
        }
        return steps;
    }

    /** At most {@code steps} (a power of {@code BASE}) iterations of the loop, as nested scans of conds. */
    private static <P> P bounded(Function<P, Array> cond, UnaryOperator<P> body, P init, long steps) {
        if (steps == 1) {
            return Lax.cond(cond.apply(init), body, (P p) -> p, init);
        }
        UnaryOperator<P> inner = steps == BASE ? body : p -> bounded(cond, body, p, steps / BASE);
        Function<P, P> level = p -> Lax.cond(cond.apply(p), inner, (P q) -> q, p);
        // the lowest scan (whose steps are single iterations) keeps its residuals; the levels above recompute
        Function<P, P> step = steps / BASE > 1 ? Jax.checkpoint(level) : level;
        return Lax.scan((P p, Object x) -> new ScanStep<P, Object>(step.apply(p), null), init, null,
                ScanOptions.ofLength(BASE)).carry();
    }

    @SuppressWarnings("unchecked")
    private static <C> C carry(List<Object> p) {
        return (C) p.get(0);
    }

    private static Array stepOf(List<Object> p) {
        return (Array) p.get(1);
    }
}
