package dev.solstice.prim;

import static dev.solstice.prim.Example.Domain.REAL;
import static dev.solstice.prim.Examples.entry;

import dev.solstice.DType;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Primitive;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/** Examples of the reductions over axes (sum, max, min, argmax, argmin) and of the contraction dot_general. */
final class ReductionExamples {

    private ReductionExamples() {}

    /** The family's registry entries. */
    static Map<Class<? extends Primitive>, Supplier<List<Example>>> all() {
        return Map.ofEntries(
                entry(ReduceSum.class, () -> reduction(ReduceSum::new)),
                entry(ReduceMax.class, () -> reduction(ReduceMax::new)),
                entry(ReduceMin.class, () -> reduction(ReduceMin::new)),
                entry(ArgMax.class, () -> argReduction(ArgMax::new, 1, 3, 3, 0, Double.NaN, 2, Double.NaN, 5)),
                entry(ArgMin.class, () -> argReduction(ArgMin::new, 1, -1, -1, 2, 0, Double.NaN, -3, Double.NaN)),
                entry(DotGeneral.class, ReductionExamples::dotGeneral));
    }

    /**
     * Operands shared by the reductions: one or several axes, none, negative ones, int32 and empty; leading and
     * middle runs of axes (the strided kernel path), with more than 16 rows so the partial sums fill.
     */
    private static List<Example> reduction(Function<int[], Primitive> make) {
        Random r = new Random(20);
        return List.of(
                new Example(make.apply(new int[] {1}), Example.random(r, DType.FLOAT64, REAL, 2, 3)),
                new Example(make.apply(new int[] {0, 2}), Example.random(r, DType.FLOAT32, REAL, 2, 3, 4)),
                new Example(make.apply(new int[] {0}), Example.random(r, DType.FLOAT64, REAL, 5)),
                new Example(make.apply(new int[] {}), Example.random(r, DType.FLOAT64, REAL, 3)),
                new Example(make.apply(new int[] {1}), Example.random(r, DType.INT32, REAL, 3, 4)),
                new Example(make.apply(new int[] {-1, 0}), Example.random(r, DType.FLOAT64, REAL, 2, 3, 2)),
                new Example(make.apply(new int[] {1}), Example.random(r, DType.FLOAT64, REAL, 0, 3)),
                new Example(make.apply(new int[] {0}), Example.random(r, DType.FLOAT32, REAL, 37, 3)),
                new Example(make.apply(new int[] {1}), Example.random(r, DType.FLOAT64, REAL, 2, 18, 3)),
                new Example(make.apply(new int[] {0, 1}), Example.random(r, DType.FLOAT64, REAL, 3, 7, 2)),
                new Example(make.apply(new int[] {0}), Example.random(r, DType.INT32, REAL, 5, 4)));
    }

    /** Along axes 1, 0 and -1, in float64, float32 and int32; the last with ties and NaNs. */
    private static List<Example> argReduction(IntFunction<Primitive> make, double... tiesAndNaNs) {
        Random r = new Random(21);
        return List.of(new Example(make.apply(1), Example.random(r, DType.FLOAT64, REAL, 2, 3)),
                new Example(make.apply(0), Example.random(r, DType.FLOAT32, REAL, 4, 2)),
                new Example(make.apply(-1), Example.random(r, DType.INT32, REAL, 3, 5)),
                new Example(make.apply(1), DenseArray.ofDoubles(tiesAndNaNs, 2, 4)));
    }

    /** Matrix products, inner and outer products, batch axes in any order, int32 and empty contractions. */
    private static List<Example> dotGeneral() {
        Random r = new Random(22);
        int[] none = {};
        return List.of(
                new Example(new DotGeneral(new int[] {1}, new int[] {0}, none, none),
                        Example.random(r, DType.FLOAT64, REAL, 2, 3), Example.random(r, DType.FLOAT64, REAL, 3, 4)),
                new Example(new DotGeneral(new int[] {0}, new int[] {0}, none, none),
                        Example.random(r, DType.FLOAT32, REAL, 3), Example.random(r, DType.FLOAT32, REAL, 3)),
                new Example(new DotGeneral(new int[] {2}, new int[] {1}, new int[] {0}, new int[] {0}),
                        Example.random(r, DType.FLOAT64, REAL, 2, 3, 4), Example.random(r, DType.FLOAT64, REAL, 2, 4, 5)),
                new Example(new DotGeneral(new int[] {0, 2}, new int[] {2, 0}, new int[] {1}, new int[] {1}),
                        Example.random(r, DType.FLOAT64, REAL, 3, 2, 4), Example.random(r, DType.FLOAT64, REAL, 4, 2, 3)),
                new Example(new DotGeneral(none, none, none, none),
                        Example.random(r, DType.FLOAT64, REAL, 2), Example.random(r, DType.FLOAT64, REAL, 3)),
                new Example(new DotGeneral(new int[] {1}, new int[] {0}, none, none),
                        Example.random(r, DType.INT32, REAL, 2, 2), Example.random(r, DType.INT32, REAL, 2, 3)),
                new Example(new DotGeneral(new int[] {2}, new int[] {2}, new int[] {1, 0}, new int[] {0, 1}),
                        Example.random(r, DType.FLOAT64, REAL, 2, 3, 4), Example.random(r, DType.FLOAT64, REAL, 3, 2, 4)),
                new Example(new DotGeneral(new int[] {0, 3}, new int[] {3, 1}, new int[] {2}, new int[] {0}),
                        Example.random(r, DType.FLOAT64, REAL, 2, 3, 2, 2),
                        Example.random(r, DType.FLOAT64, REAL, 2, 2, 1, 2)),
                new Example(new DotGeneral(new int[] {1}, new int[] {0}, none, none),
                        Example.random(r, DType.FLOAT64, REAL, 2, 0), Example.random(r, DType.FLOAT64, REAL, 0, 3)));
    }
}
