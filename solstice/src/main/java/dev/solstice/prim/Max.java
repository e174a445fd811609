package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.Aval;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Elementwise maximum (NaN propagates). At a tie each operand gets half the derivative (JAX's balanced rule). */
public record Max() implements ElementwiseBinary {
    @Override
    public double apply(double x, double y) {
        return Double.isNaN(x) || Double.isNaN(y) ? Double.NaN : Math.max(x, y);
    }

    @Override
    public int applyInt(int x, int y) {
        return Math.max(x, y);
    }

    @Override
    public Array tangentLhs(Array g, Array x, Array y, Array out) {
        return Ops.mul(g, Ties.balancedEq(x, out, y));
    }

    @Override
    public Array tangentRhs(Array g, Array x, Array y, Array out) {
        return Ops.mul(g, Ties.balancedEq(y, out, x));
    }

    /** Example operands for the primitive contract test. */
    public static List<Example> examples() {
        List<Example> out = new ArrayList<>(Example.binary(new Max(), Example.Domain.REAL, Example.Domain.REAL));
        out.addAll(intExamples(new Max()));
        return out;
    }

    private static List<Example> intExamples(Max p) {
        if (!p.accepts(DType.INT32)) {
            return List.of();
        }
        Random r = new Random(7);
        return List.of(new Example(p, Example.random(r, DType.INT32, Example.Domain.REAL, 2, 2),
                Example.random(r, DType.INT32, Example.Domain.REAL, 2, 2)));
    }
}
