package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Zero;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Sign (-1, 0 or 1; NaN stays NaN); derivative zero everywhere. */
public record Sign() implements ElementwiseUnary {
    @Override
    public double apply(double x) {
        return Math.signum(x);
    }

    @Override
    public int applyInt(int x) {
        return Integer.signum(x);
    }

    @Override
    public boolean accepts(DType t) {
        return t != DType.BOOL;
    }

    @Override
    public Array tangent(Array g, Array x, Array y) {
        return Zero.like(y);
    }

    /** Example operands for the primitive contract test (the last with signed zeros and a NaN). */
    public static List<Example> examples() {
        List<Example> out = new ArrayList<>(Example.unary(new Sign(), Example.Domain.REAL));
        out.add(new Example(new Sign(), Example.random(new Random(3), DType.INT32, Example.Domain.REAL, 5)));
        out.add(new Example(new Sign(), DenseArray.ofDoubles(new double[] {-1.5, -0.0, 0.0, 2, Double.NaN}, 5)));
        return out;
    }
}
