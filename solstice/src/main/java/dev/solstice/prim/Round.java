package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.core.Zero;

/** Rounds half to even, as jnp.round; derivative zero everywhere. */
public record Round() implements ElementwiseUnary {
    @Override
    public double apply(double x) {
        return Math.rint(x);
    }

    @Override
    public Array tangent(Array g, Array x, Array y) {
        return Zero.like(y);
    }

    /** Example operands for the primitive contract test (the last with halves, where ties go to even). */
    public static java.util.List<Example> examples() {
        java.util.List<Example> out = new java.util.ArrayList<>(Example.unary(new Round(), Example.Domain.REAL));
        out.add(new Example(new Round(), dev.solstice.core.DenseArray.ofDoubles(
                new double[] {-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 0.49999999999999994}, 7)));
        out.add(new Example(new Round(), dev.solstice.core.DenseArray.ofFloats(new float[] {-0.5f, 0.5f, 1.5f, 2.5f}, 4)));
        return out;
    }
}
