package dev.solstice.prim;

import static dev.solstice.prim.Example.Domain.REAL;
import static dev.solstice.prim.Examples.entry;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Primitive;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/** Examples of the logical and bitwise primitives and of the random-bits hash threefry2x32. */
final class BitsExamples {

    private BitsExamples() {}

    /** The family's registry entries. */
    static Map<Class<? extends Primitive>, Supplier<List<Example>>> all() {
        return Map.ofEntries(
                entry(Not.class, BitsExamples::not),
                entry(And.class, () -> logical(new And())),
                entry(Or.class, () -> logical(new Or())),
                entry(Xor.class, BitsExamples::xor),
                entry(ShiftRightLogical.class, BitsExamples::shiftRightLogical),
                entry(Threefry2x32.class, BitsExamples::threefry2x32));
    }

    private static List<Example> not() {
        Random r = new Random(4);
        return List.of(new Example(new Not(), Example.random(r, DType.BOOL, REAL, 2, 3)),
                new Example(new Not(), Example.random(r, DType.INT32, REAL, 4)));
    }

    /** Bools and small ints. */
    private static List<Example> logical(Bitwise p) {
        Random r = new Random(9);
        return List.of(new Example(p, Example.random(r, DType.BOOL, REAL, 2, 3), Example.random(r, DType.BOOL, REAL, 2, 3)),
                new Example(p, Example.random(r, DType.INT32, REAL, 4), Example.random(r, DType.INT32, REAL, 4)));
    }

    /** Bools, small ints, and full-range words. */
    private static List<Example> xor() {
        Random r = new Random(13);
        return List.of(new Example(new Xor(), Example.random(r, DType.BOOL, REAL, 2, 3),
                        Example.random(r, DType.BOOL, REAL, 2, 3)),
                new Example(new Xor(), Example.random(r, DType.INT32, REAL, 4),
                        Example.random(r, DType.INT32, REAL, 4)),
                new Example(new Xor(), DenseArray.ofInts(new int[] {-1, 0x6b200159, Integer.MIN_VALUE}, 3),
                        DenseArray.ofInts(new int[] {0x12345678, -0x66451b02, -1}, 3)));
    }

    /** Small ints (negative amounts included) and full-range words with amounts 0..32. */
    private static List<Example> shiftRightLogical() {
        Random r = new Random(17);
        return List.of(new Example(new ShiftRightLogical(), Example.random(r, DType.INT32, REAL, 2, 3),
                        Example.random(r, DType.INT32, REAL, 2, 3)),
                new Example(new ShiftRightLogical(), DenseArray.ofInts(new int[] {-1, -1, 0x6b200159, Integer.MIN_VALUE, -7, 12345}, 6),
                        DenseArray.ofInts(new int[] {9, 0, 31, 1, 32, 3}, 6)));
    }

    /** The three Random123 vectors, random words of shape [2,3], and a scalar. */
    private static List<Example> threefry2x32() {
        List<Example> out = new ArrayList<>();
        out.add(new Example(new Threefry2x32(), DenseArray.ofInts(new int[] {0, -1, 0x13198a2e}, 3),
                DenseArray.ofInts(new int[] {0, -1, 0x03707344}, 3), DenseArray.ofInts(new int[] {0, -1, 0x243f6a88}, 3),
                DenseArray.ofInts(new int[] {0, -1, 0x85a308d3}, 3)));
        Random r = new Random(2011);
        Array[] words = new Array[4];
        for (int i = 0; i < 4; i++) {
            int[] v = new int[6];
            for (int j = 0; j < 6; j++) {
                v[j] = r.nextInt();
            }
            words[i] = DenseArray.ofInts(v, 2, 3);
        }
        out.add(new Example(new Threefry2x32(), words));
        out.add(new Example(new Threefry2x32(), DenseArray.ofInts(new int[] {7}), DenseArray.ofInts(new int[] {-7}),
                DenseArray.ofInts(new int[] {1}), DenseArray.ofInts(new int[] {2})));
        return out;
    }
}
