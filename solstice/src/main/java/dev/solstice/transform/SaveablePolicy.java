package dev.solstice.transform;

import dev.solstice.core.Primitive;

/**
 * Which intermediate values of a checkpointed function ({@link Remat}) reverse mode may store for the backward
 * pass, as JAX's checkpoint policies: a value computed by a primitive the policy rejects is recomputed from the
 * saved ones in the backward pass instead. The function's own inputs are always available.
 */
public interface SaveablePolicy {

    /** Whether the outputs of an equation applying {@code p} may be saved as residuals. */
    boolean saveable(Primitive p);
}
