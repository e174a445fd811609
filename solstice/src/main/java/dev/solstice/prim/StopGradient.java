package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.Zero;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** The identity whose derivative is zero: values pass, derivatives stop. */
public record StopGradient() implements ElementwiseUnary {
    @Override
    public double apply(double x) {
        return x;
    }

    @Override
    public int applyInt(int x) {
        return x;
    }

    @Override
    public boolean accepts(DType t) {
        return true;
    }

    @Override
    public Array tangent(Array g, Array x, Array y) {
        return Zero.like(y);
    }

    /** Example operands for the primitive contract test. */
    public static List<Example> examples() {
        List<Example> out = new ArrayList<>(Example.unary(new StopGradient(), Example.Domain.REAL));
        out.add(new Example(new StopGradient(), Example.random(new Random(5), DType.INT32, Example.Domain.REAL, 3)));
        out.add(new Example(new StopGradient(), Example.random(new Random(5), DType.BOOL, Example.Domain.REAL, 2, 2)));
        return out;
    }
}
