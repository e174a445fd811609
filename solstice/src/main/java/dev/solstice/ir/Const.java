package dev.solstice.ir;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import dev.solstice.core.Zero;

/**
 * A value captured by a staged program: a concrete array or a tracer of an enclosing transformation (so a
 * residual of an outer derivative stays differentiable when the program is evaluated later), or, as an
 * output only, a symbolic {@link Zero} (printed {@code zero:}).
 */
public record Const(Array value) implements Atom {
    @Override
    public Aval aval() {
        return value.aval();
    }

    @Override
    public String toString() {
        return (Zero.isZero(value) ? "zero:" : "const:") + value.aval().str();
    }
}
