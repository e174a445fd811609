package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.DenseArray;
import dev.solstice.core.UndefinedPrimal;
import dev.solstice.core.Zero;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Division; linear in the numerator. Integer division truncates toward zero and, as in XLA, never traps:
 * {@code x / 0 == -1} and {@code MIN_VALUE / -1 == MIN_VALUE}.
 */
public record Div() implements ElementwiseBinary {
    @Override
    public double apply(double x, double y) {
        return x / y;
    }

    @Override
    public int applyInt(int x, int y) {
        return y == 0 ? -1 : x / y;
    }

    @Override
    public Array tangentLhs(Array g, Array x, Array y, Array out) {
        return Ops.div(g, y);
    }

    @Override
    public Array tangentRhs(Array g, Array x, Array y, Array out) {
        return Ops.mul(Ops.neg(g), Ops.div(out, y));
    }

    @Override
    public Array[] transpose(Array[] cts, Array[] args) {
        if (args[1] instanceof UndefinedPrimal) {
            throw new IllegalStateException("div: the denominator is linear, so the quotient is not linear: " + args[1].aval().str());
        }
        return new Array[] {Ops.div(cts[0], args[1]), Zero.like(args[1])};
    }

    /** Example operands for the primitive contract test. */
    public static List<Example> examples() {
        List<Example> out = new ArrayList<>(Example.binary(new Div(), Example.Domain.REAL, Example.Domain.POSITIVE));
        out.addAll(intExamples(new Div()));
        return out;
    }

    private static List<Example> intExamples(Div p) {
        if (!p.accepts(DType.INT32)) {
            return List.of();
        }
        Random r = new Random(7);
        return List.of(new Example(p, Example.random(r, DType.INT32, Example.Domain.REAL, 2, 2),
                Example.random(r, DType.INT32, Example.Domain.REAL, 2, 2)),
                new Example(p, DenseArray.ofInts(new int[] {7, -7, 0, 5, -5, Integer.MIN_VALUE, 9}, 7),
                        DenseArray.ofInts(new int[] {0, 0, 0, -2, 2, -1, 4}, 7)));
    }
}
