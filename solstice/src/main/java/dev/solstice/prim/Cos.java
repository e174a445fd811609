package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.Lax;

/** Cosine; derivative -sin(x). */
public record Cos() implements ElementwiseUnary {
    @Override
    public double apply(double x) {
        return Math.cos(x);
    }

    @Override
    public Array tangent(Array g, Array x, Array y) {
        return Lax.neg(Lax.mul(g, Lax.sin(x)));
    }

    /** Example operands for the primitive contract test. */
    public static java.util.List<Example> examples() {
        return Example.unary(new Cos(), Example.Domain.REAL);
    }
}
