package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.Lax;

/** Rounds half to even, as jnp.round; derivative zero everywhere. */
public record Round() implements ElementwiseUnary {
    @Override
    public double apply(double x) {
        return Math.rint(x);
    }

    @Override
    public Array tangent(Array g, Array x, Array y) {
        return null;
    }

    /** Example operands for the primitive contract test. */
    public static java.util.List<Example> examples() {
        return Example.unary(new Round(), Example.Domain.REAL);
    }
}
