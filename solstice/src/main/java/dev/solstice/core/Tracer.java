package dev.solstice.core;

import dev.solstice.Array;

/**
 * An array seen by a transformation: it belongs to exactly one interpreter instance (its tag). To any other
 * interpreter it is an ordinary value, which is how a value not owned by a transformation gets a zero
 * derivative.
 */
public abstract class Tracer extends Array {

    /** For the library's tracer classes. */
    protected Tracer() {}

    /** The interpreter instance this tracer belongs to. */
    public abstract Interpreter owner();
}
