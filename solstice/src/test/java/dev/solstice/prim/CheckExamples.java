package dev.solstice.prim;

import static dev.solstice.prim.Example.Domain.REAL;
import static dev.solstice.prim.Examples.entry;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Primitive;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Examples of the runtime check error_if. Their predicates are empty (shapes [0] and [2,0]): the contract's
 * batching check negates bool operands in its perturbed copies, so any non-empty predicate would fail there,
 * while an empty one never does. Failing and passing checks with real predicates, under every transformation,
 * are tested in {@code dev.solstice.eqx.ErrorIfTest}.
 */
final class CheckExamples {

    private CheckExamples() {}

    /** The family's registry entries. */
    static Map<Class<? extends Primitive>, Supplier<List<Example>>> all() {
        return Map.ofEntries(entry(ErrorIf.class, CheckExamples::errorIf));
    }

    private static List<Example> errorIf() {
        Random r = new Random(29);
        ErrorIf one = new ErrorIf(List.of("x must be positive"));
        ErrorIf two = new ErrorIf(List.of("too small", "too large"));
        Array none = DenseArray.ofBools(new boolean[0], 0);
        Array noneInRows = DenseArray.ofBools(new boolean[0], 2, 0);
        return List.of(
                new Example(one, Example.random(r, DType.FLOAT64, REAL, 2, 3), none, Array.scalar(0)),
                new Example(two, Example.random(r, DType.FLOAT32, REAL), noneInRows, Array.scalar(1)),
                new Example(one, Example.random(r, DType.INT32, REAL, 4), none, Array.scalar(0)),
                new Example(one, Example.random(r, DType.BOOL, REAL, 2, 2), noneInRows, Array.scalar(0)),
                new Example(two, Example.random(r, DType.FLOAT64, REAL, 3), Example.random(r, DType.FLOAT32, REAL, 2, 2),
                        none, Array.scalar(1)));
    }
}
