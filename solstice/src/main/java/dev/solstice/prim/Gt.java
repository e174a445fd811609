package dev.solstice.prim;

import dev.solstice.DType;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** x > y; bool output, zero derivative. */
public record Gt() implements Comparison {
    @Override
    public boolean test(double x, double y) {
        return x > y;
    }

    /** Example operands for the primitive contract test (with ties, which matter for comparisons). */
    public static List<Example> examples() {
        List<Example> out = new ArrayList<>(Example.binary(new Gt(), Example.Domain.REAL, Example.Domain.REAL));
        Random r = new Random(8);
        out.add(new Example(new Gt(), Example.random(r, DType.INT32, Example.Domain.REAL, 3, 3),
                Example.random(r, DType.INT32, Example.Domain.REAL, 3, 3)));
        out.add(new Example(new Gt(), Example.random(r, DType.BOOL, Example.Domain.REAL, 4),
                Example.random(r, DType.BOOL, Example.Domain.REAL, 4)));
        out.add(Example.withTies(new Gt()));
        return out;
    }
}
