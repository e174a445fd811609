package dev.solstice.prim;

import static dev.solstice.prim.Example.Domain.POSITIVE;
import static dev.solstice.prim.Example.Domain.REAL;
import static dev.solstice.prim.Examples.entry;

import dev.solstice.DType;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Primitive;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/** Examples of the elementwise primitives of several operands: arithmetic, comparisons and select. */
final class BinaryExamples {

    private BinaryExamples() {}

    /** The family's registry entries. */
    static Map<Class<? extends Primitive>, Supplier<List<Example>>> all() {
        return Map.ofEntries(
                entry(Add.class, () -> arithmetic(new Add(), REAL, REAL)),
                entry(Sub.class, () -> arithmetic(new Sub(), REAL, REAL)),
                entry(Mul.class, () -> arithmetic(new Mul(), REAL, REAL)),
                entry(Div.class, BinaryExamples::div),
                entry(Max.class, () -> arithmetic(new Max(), REAL, REAL)),
                entry(Min.class, () -> arithmetic(new Min(), REAL, REAL)),
                entry(Pow.class, () -> arithmetic(new Pow(), POSITIVE, REAL)),
                entry(Eq.class, () -> comparison(new Eq())),
                entry(Ne.class, () -> comparison(new Ne())),
                entry(Lt.class, () -> comparison(new Lt())),
                entry(Le.class, () -> comparison(new Le())),
                entry(Gt.class, () -> comparison(new Gt())),
                entry(Ge.class, () -> comparison(new Ge())),
                entry(Select.class, BinaryExamples::select));
    }

    /** Float operands from the given domains, then int32 ones if the primitive takes int32. */
    private static List<Example> arithmetic(ElementwiseBinary p, Example.Domain left, Example.Domain right) {
        List<Example> out = new ArrayList<>(Example.binary(p, left, right));
        if (p.accepts(DType.INT32)) {
            Random r = new Random(7);
            out.add(new Example(p, Example.random(r, DType.INT32, REAL, 2, 2), Example.random(r, DType.INT32, REAL, 2, 2)));
        }
        return out;
    }

    /** Positive float divisors, then int32 with division by zero, signs and the overflowing MIN_VALUE / -1. */
    private static List<Example> div() {
        List<Example> out = arithmetic(new Div(), REAL, POSITIVE);
        out.add(new Example(new Div(), DenseArray.ofInts(new int[] {7, -7, 0, 5, -5, Integer.MIN_VALUE, 9}, 7),
                DenseArray.ofInts(new int[] {0, 0, 0, -2, 2, -1, 4}, 7)));
        return out;
    }

    /** Floats, int32, bool, and ties and NaNs, which matter for comparisons. */
    private static List<Example> comparison(Comparison p) {
        List<Example> out = new ArrayList<>(Example.binary(p, REAL, REAL));
        Random r = new Random(8);
        out.add(new Example(p, Example.random(r, DType.INT32, REAL, 3, 3), Example.random(r, DType.INT32, REAL, 3, 3)));
        out.add(new Example(p, Example.random(r, DType.BOOL, REAL, 4), Example.random(r, DType.BOOL, REAL, 4)));
        out.add(Example.withTies(p));
        return out;
    }

    /** Branches of every dtype, and scalars. */
    private static List<Example> select() {
        Random r = new Random(10);
        return List.of(
                new Example(new Select(), Example.random(r, DType.BOOL, REAL, 2, 3),
                        Example.random(r, DType.FLOAT64, REAL, 2, 3),
                        Example.random(r, DType.FLOAT64, REAL, 2, 3)),
                new Example(new Select(), Example.random(r, DType.BOOL, REAL, 4),
                        Example.random(r, DType.FLOAT32, REAL, 4),
                        Example.random(r, DType.FLOAT32, REAL, 4)),
                new Example(new Select(), Example.random(r, DType.BOOL, REAL, 4),
                        Example.random(r, DType.INT32, REAL, 4),
                        Example.random(r, DType.INT32, REAL, 4)),
                new Example(new Select(), Example.random(r, DType.BOOL, REAL, 2, 2),
                        Example.random(r, DType.BOOL, REAL, 2, 2),
                        Example.random(r, DType.BOOL, REAL, 2, 2)),
                new Example(new Select(), Example.random(r, DType.BOOL, REAL),
                        Example.random(r, DType.FLOAT64, REAL),
                        Example.random(r, DType.FLOAT64, REAL)));
    }
}
