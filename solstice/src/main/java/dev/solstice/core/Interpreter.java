package dev.solstice.core;

import dev.solstice.Array;

/**
 * A transformation as an interpreter of primitives (evaluation, JVP, staging, ...). The current interpreter
 * is context ({@link Interpreters}); each interpreter remembers the one that was current when it was made
 * (its parent) and runs its rules with the parent installed, which is what lets transformations nest.
 */
public interface Interpreter {

    /**
     * Applies {@code p} to {@code args}, which may be tracers of this or of any enclosing interpreter.
     *
     * <p>Called with this interpreter current. For a primitive that is not a {@link CallPrimitive} the result
     * must not depend on that: an implementation installs its parent itself wherever it runs rules (which bind
     * further primitives), and never binds through the context otherwise. That is what lets an interpreter hand
     * an operation it has no part in straight down to its parent ({@link Interpreters#delegate}) without
     * installing it. A call primitive runs user code, which binds through the context, so it is always
     * processed with its interpreter installed.
     */
    Array[] process(Primitive p, Array[] args);
}
