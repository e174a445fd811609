package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.DType;
import java.util.List;
import java.util.Random;

/** Exclusive or: logical on bool arrays, bitwise on int32 arrays (JAX's {@code xor}); no derivative. */
public record Xor() implements Bitwise {
    @Override
    public int applyInt(int x, int y) {
        return x ^ y;
    }

    /** Example operands for the primitive contract test: bools, small ints, and full-range words. */
    public static List<Example> examples() {
        Random r = new Random(13);
        return List.of(new Example(new Xor(), Example.random(r, DType.BOOL, Example.Domain.REAL, 2, 3),
                        Example.random(r, DType.BOOL, Example.Domain.REAL, 2, 3)),
                new Example(new Xor(), Example.random(r, DType.INT32, Example.Domain.REAL, 4),
                        Example.random(r, DType.INT32, Example.Domain.REAL, 4)),
                new Example(new Xor(), dev.solstice.core.DenseArray.ofInts(new int[] {-1, 0x6b200159, Integer.MIN_VALUE}, 3),
                        dev.solstice.core.DenseArray.ofInts(new int[] {0x12345678, -0x66451b02, -1}, 3)));
    }
}
