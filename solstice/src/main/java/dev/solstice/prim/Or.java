package dev.solstice.prim;

import dev.solstice.DType;
import java.util.List;
import java.util.Random;

/** Or: logical on bool arrays, bitwise on int32 arrays; no derivative. */
public record Or() implements Bitwise {
    @Override
    public int applyInt(int x, int y) {
        return x | y;
    }

    /** Example operands for the primitive contract test. */
    public static List<Example> examples() {
        Random r = new Random(9);
        return List.of(new Example(new Or(), Example.random(r, DType.BOOL, Example.Domain.REAL, 2, 3),
                        Example.random(r, DType.BOOL, Example.Domain.REAL, 2, 3)),
                new Example(new Or(), Example.random(r, DType.INT32, Example.Domain.REAL, 4),
                        Example.random(r, DType.INT32, Example.Domain.REAL, 4)));
    }
}
