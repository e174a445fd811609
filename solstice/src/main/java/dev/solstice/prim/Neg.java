package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.DType;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Negation: linear, its own transpose. */
public record Neg() implements ElementwiseUnary {
    @Override
    public double apply(double x) {
        return -x;
    }

    @Override
    public int applyInt(int x) {
        return -x;
    }

    @Override
    public boolean accepts(DType t) {
        return t != DType.BOOL;
    }

    @Override
    public Array tangent(Array g, Array x, Array y) {
        return Ops.neg(g);
    }

    @Override
    public Array[] transpose(Array[] cts, Array[] args) {
        return new Array[] {Ops.neg(cts[0])};
    }

    /** Example operands for the primitive contract test. */
    public static List<Example> examples() {
        List<Example> out = new ArrayList<>(Example.unary(new Neg(), Example.Domain.REAL));
        out.add(new Example(new Neg(), Example.random(new Random(1), DType.INT32, Example.Domain.REAL, 4)));
        return out;
    }
}
