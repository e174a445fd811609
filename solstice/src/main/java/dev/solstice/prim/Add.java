package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.DType;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Addition: linear in both operands. */
public record Add() implements ElementwiseBinary {
    @Override
    public double apply(double x, double y) {
        return x + y;
    }

    @Override
    public int applyInt(int x, int y) {
        return x + y;
    }

    @Override
    public Array tangentLhs(Array g, Array x, Array y, Array out) {
        return g;
    }

    @Override
    public Array tangentRhs(Array g, Array x, Array y, Array out) {
        return g;
    }

    @Override
    public Array[] transpose(Array[] cts, Array[] args) {
        return new Array[] {Tangents.ifLinear(args[0], () -> cts[0]), Tangents.ifLinear(args[1], () -> cts[0])};
    }

    /** Example operands for the primitive contract test. */
    public static List<Example> examples() {
        List<Example> out = new ArrayList<>(Example.binary(new Add(), Example.Domain.REAL, Example.Domain.REAL));
        out.addAll(intExamples(new Add()));
        return out;
    }

    private static List<Example> intExamples(Add p) {
        if (!p.accepts(DType.INT32)) {
            return List.of();
        }
        Random r = new Random(7);
        return List.of(new Example(p, Example.random(r, DType.INT32, Example.Domain.REAL, 2, 2),
                Example.random(r, DType.INT32, Example.Domain.REAL, 2, 2)));
    }
}
