package dev.solstice.prim;

import static dev.solstice.prim.Example.Domain.REAL;
import static dev.solstice.prim.Examples.entry;

import dev.solstice.DType;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Primitive;
import dev.solstice.testing.Numeric;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Examples of sort and the cumulative reductions. Floating sort keys are distinct and at least 0.3 apart, so
 * the central differences of the contract never reorder them; ties, NaNs and signed zeros are tested in
 * {@code SortTest} against {@link java.util.Arrays#sort}, and ties here are int32 keys (which have no tangent).
 */
final class SortExamples {

    private SortExamples() {}

    /** The family's registry entries. */
    static Map<Class<? extends Primitive>, Supplier<List<Example>>> all() {
        return Map.ofEntries(
                entry(Sort.class, SortExamples::sort),
                entry(CumSum.class, () -> cumulative(CumSum::new, true)),
                entry(CumProd.class, () -> cumulative(CumProd::new, true)),
                entry(CumMax.class, () -> cumulative(CumMax::new, true)),
                entry(CumMin.class, () -> cumulative(CumMin::new, true)),
                entry(CumLogSumExp.class, () -> cumulative(CumLogSumExp::new, false)));
    }

    private static DenseArray doubles(Random r, int... shape) {
        return (DenseArray) Numeric.separated(r, 0.37, 0.05, shape);
    }

    private static DenseArray floats(Random r, int... shape) {
        double[] d = Numeric.separated(r, 0.37, 0.05, shape).toDoubleArray();
        float[] f = new float[d.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) d[i];
        }
        return DenseArray.ofFloats(f, shape);
    }

    /** One and several operands, every axis kind, every dtype as a key, int32 keys with ties. */
    private static List<Example> sort() {
        Random r = new Random(81);
        return List.of(
                new Example(new Sort(0, 1), doubles(r, 6)),
                new Example(new Sort(1, 1), floats(r, 2, 5)),
                new Example(new Sort(-2, 1), doubles(r, 3, 2)),
                new Example(new Sort(1, 1), doubles(r, 2, 3, 2)),
                new Example(new Sort(0, 1), DenseArray.ofInts(new int[] {2, -1, 2, 0, -1, 2}, 6), doubles(r, 6)),
                new Example(new Sort(1, 2), DenseArray.ofInts(new int[] {1, 0, 1, 0, 1, 1, 0, 1}, 2, 4),
                        doubles(r, 2, 4), Example.random(r, DType.FLOAT64, REAL, 2, 4)),
                new Example(new Sort(0, 1), DenseArray.ofBools(new boolean[] {true, false, true, false}, 4),
                        Example.random(r, DType.INT32, REAL, 4)),
                new Example(new Sort(0, 1), Example.random(r, DType.FLOAT64, REAL, 0, 3)));
    }

    /** Forward and reverse along every axis of ranks 1 to 3, float64, float32 and (where accepted) int32. */
    private static List<Example> cumulative(BiFunction<Integer, Boolean, Primitive> make, boolean ints) {
        Random r = new Random(91);
        List<Example> out = new ArrayList<>(List.of(
                new Example(make.apply(0, false), doubles(r, 5)),
                new Example(make.apply(0, true), doubles(r, 4)),
                new Example(make.apply(1, true), floats(r, 2, 4)),
                new Example(make.apply(-2, false), doubles(r, 3, 2)),
                new Example(make.apply(1, false), doubles(r, 2, 3, 2)),
                new Example(make.apply(0, false), Example.random(r, DType.FLOAT64, REAL, 0, 2))));
        if (ints) {
            out.add(new Example(make.apply(1, false), Example.random(r, DType.INT32, REAL, 2, 3)));
            out.add(new Example(make.apply(0, true), Example.random(r, DType.INT32, REAL, 4)));
        }
        return out;
    }
}
