package dev.solstice;

import dev.solstice.core.Primitive;
import dev.solstice.prim.DotGeneral;
import dev.solstice.transform.CheckpointName;
import dev.solstice.transform.SaveablePolicy;
import java.util.Set;

/**
 * Which intermediate values of a {@link Jax#checkpoint}ed function reverse mode may store, as JAX's checkpoint
 * policies; every other intermediate is recomputed in the backward pass from the saved values and the function's
 * inputs.
 *
 * {@snippet lang=java :
 * UnaryOperator<Array> f = Jax.checkpoint((Array x) -> Jnp.sin(Jnp.sin(x)), CheckpointPolicy.dotsSaveable());
 * Jax.grad(f).apply(Array.scalar(1.0))        // 0.36003948908962097: cos(sin 1) cos 1, as without a checkpoint
 * }
 *
 * @param kind what is saved
 * @param names the names saved by {@link Kind#NAMED} ({@link Lax#checkpointName}); empty otherwise
 */
public record CheckpointPolicy(Kind kind, Set<String> names) implements SaveablePolicy {

    /**
     * The kinds of policy.
     *
     * {@snippet lang=java :
     * CheckpointPolicy.saveOnlyNames("h").kind() == CheckpointPolicy.Kind.NAMED   // true
     * }
     */
    public enum Kind {
        /** Nothing is saved: everything is recomputed ({@code jax.checkpoint_policies.nothing_saveable}). */
        NOTHING,
        /** Everything is saved, as without a checkpoint ({@code everything_saveable}). */
        EVERYTHING,
        /** The results of matrix products ({@code dot_general}) are saved ({@code dots_saveable}). */
        DOTS,
        /** Only values named by {@link Lax#checkpointName} with one of the names ({@code save_only_these_names}). */
        NAMED
    }

    /** Copies the names; checks that names are given with {@link Kind#NAMED} (at least one) and only then. */
    public CheckpointPolicy {
        names = Set.copyOf(names);
        if (kind == null || (kind == Kind.NAMED) == names.isEmpty()) {
            throw new IllegalArgumentException("CheckpointPolicy: Kind.NAMED takes at least one name and the other"
                    + " kinds none, got " + kind + " with " + names);
        }
    }

    /**
     * Saves nothing: the default of {@link Jax#checkpoint}.
     *
     * {@snippet lang=java :
     * UnaryOperator<Array> f = Jax.checkpoint((Array x) -> Jnp.exp(Jnp.exp(x)), CheckpointPolicy.nothingSaveable());
     * Jax.grad(f).apply(Array.scalar(0.0))        // 2.718281828459045: e^(e^0) e^0
     * }
     */
    public static CheckpointPolicy nothingSaveable() {
        return new CheckpointPolicy(Kind.NOTHING, Set.of());
    }

    /**
     * Saves everything (as if there were no checkpoint).
     *
     * {@snippet lang=java :
     * CheckpointPolicy.everythingSaveable().kind()    // EVERYTHING
     * }
     */
    public static CheckpointPolicy everythingSaveable() {
        return new CheckpointPolicy(Kind.EVERYTHING, Set.of());
    }

    /**
     * Saves the results of matrix products and nothing else.
     *
     * {@snippet lang=java :
     * Array w = Array.of(new double[] {1, 2, 3, 4}, 2, 2);
     * UnaryOperator<Array> f = Jax.checkpoint((Array x) -> Jnp.sum(Jnp.tanh(w.matmul(x))), CheckpointPolicy.dotsSaveable());
     * Jax.grad(f).apply(Array.of(0.0, 0.0))       // [4.0, 6.0]: w's column sums, tanh'(0) = 1
     * }
     */
    public static CheckpointPolicy dotsSaveable() {
        return new CheckpointPolicy(Kind.DOTS, Set.of());
    }

    /**
     * Saves only the values named (by {@link Lax#checkpointName}) with one of {@code names}.
     *
     * {@snippet lang=java :
     * UnaryOperator<Array> f = Jax.checkpoint(
     *         (Array x) -> Jnp.sin(Lax.checkpointName(Jnp.square(x), "sq")), CheckpointPolicy.saveOnlyNames("sq"));
     * Jax.grad(f).apply(Array.scalar(0.0))        // 0.0
     * CheckpointPolicy.saveOnlyNames()            // throws IllegalArgumentException
     * }
     */
    public static CheckpointPolicy saveOnlyNames(String... names) {
        return new CheckpointPolicy(Kind.NAMED, Set.of(names));
    }

    /**
     * Whether the outputs of {@code p} may be saved under this policy.
     *
     * {@snippet lang=java :
     * CheckpointPolicy.everythingSaveable().saveable(null)    // true: whatever the primitive
     * }
     */
    @Override
    public boolean saveable(Primitive p) {
        return switch (kind) {
            case NOTHING -> false;
            case EVERYTHING -> true;
            case DOTS -> p instanceof DotGeneral;
            case NAMED -> p instanceof CheckpointName n && names.contains(n.label());
        };
    }
}
