package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.Lax;

/** Tangent; derivative 1 + tan(x)^2, reusing the output. */
public record Tan() implements ElementwiseUnary {
    @Override
    public double apply(double x) {
        return Math.tan(x);
    }

    @Override
    public Array tangent(Array g, Array x, Array y) {
        return Lax.mul(g, Lax.add(Lax.fullLike(y, 1), Lax.mul(y, y)));
    }

    /** Example operands for the primitive contract test. */
    public static java.util.List<Example> examples() {
        return Example.unary(new Tan(), Example.Domain.SMALL);
    }
}
