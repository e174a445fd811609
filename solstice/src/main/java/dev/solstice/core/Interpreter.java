package dev.solstice.core;

import dev.solstice.Array;

/**
 * A transformation as an interpreter of primitives (evaluation, JVP, staging, ...). The current interpreter
 * is context ({@link Interpreters}); each interpreter remembers the one that was current when it was made
 * (its parent) and runs its rules with the parent installed, which is what lets transformations nest.
 */
public interface Interpreter {

    /** Applies {@code p} to {@code args}, which may be tracers of this or of any enclosing interpreter. */
    Array[] process(Primitive p, Array[] args);
}
