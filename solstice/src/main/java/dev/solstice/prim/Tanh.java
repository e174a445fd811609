package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.Lax;

/** Hyperbolic tangent; derivative 1 - y^2. */
public record Tanh() implements ElementwiseUnary {
    @Override
    public double apply(double x) {
        return Math.tanh(x);
    }

    @Override
    public Array tangent(Array g, Array x, Array y) {
        return Lax.mul(g, Lax.sub(Lax.fullLike(y, 1), Lax.mul(y, y)));
    }

    /** Example operands for the primitive contract test. */
    public static java.util.List<Example> examples() {
        return Example.unary(new Tanh(), Example.Domain.REAL);
    }
}
