package dev.solstice.prim;

import static dev.solstice.prim.Example.Domain.REAL;
import static dev.solstice.prim.Examples.entry;

import dev.solstice.DType;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Primitive;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/** Examples of the indexing primitives: dynamic_slice, dynamic_update_slice, gather and scatter_add. */
final class IndexingExamples {

    private IndexingExamples() {}

    /** The family's registry entries. */
    static Map<Class<? extends Primitive>, Supplier<List<Example>>> all() {
        return Map.ofEntries(
                entry(DynamicSlice.class, IndexingExamples::dynamicSlice),
                entry(DynamicUpdateSlice.class, IndexingExamples::dynamicUpdateSlice),
                entry(Gather.class, IndexingExamples::gather),
                entry(ScatterAdd.class, IndexingExamples::scatterAdd));
    }

    /** A scalar int32 start index. */
    private static DenseArray index(int i) {
        return DenseArray.ofInts(new int[] {i});
    }

    /** In range, clamped below and above, empty. */
    private static List<Example> dynamicSlice() {
        Random r = new Random(61);
        return List.of(
                new Example(new DynamicSlice(new int[] {2}), Example.random(r, DType.FLOAT64, REAL, 5), index(2)),
                new Example(new DynamicSlice(new int[] {2, 2}), Example.random(r, DType.FLOAT32, REAL, 3, 4), index(1), index(-1)),
                new Example(new DynamicSlice(new int[] {2, 3}), Example.random(r, DType.FLOAT64, REAL, 4, 5), index(3), index(1)),
                new Example(new DynamicSlice(new int[] {3}), Example.random(r, DType.INT32, REAL, 4), index(3)),
                new Example(new DynamicSlice(new int[] {1, 2}), Example.random(r, DType.BOOL, REAL, 2, 3), index(0), index(2)),
                new Example(new DynamicSlice(new int[] {0, 2}), Example.random(r, DType.FLOAT64, REAL, 2, 3), index(1), index(0)));
    }

    /** In range, clamped, empty update, every dtype. */
    private static List<Example> dynamicUpdateSlice() {
        Random r = new Random(62);
        return List.of(
                new Example(new DynamicUpdateSlice(), Example.random(r, DType.FLOAT64, REAL, 5),
                        Example.random(r, DType.FLOAT64, REAL, 2), index(1)),
                new Example(new DynamicUpdateSlice(), Example.random(r, DType.FLOAT32, REAL, 3, 4),
                        Example.random(r, DType.FLOAT32, REAL, 2, 2), index(2), index(-1)),
                new Example(new DynamicUpdateSlice(), Example.random(r, DType.FLOAT64, REAL, 4, 3),
                        Example.random(r, DType.FLOAT64, REAL, 2, 3), index(1), index(2)),
                new Example(new DynamicUpdateSlice(), Example.random(r, DType.INT32, REAL, 4),
                        Example.random(r, DType.INT32, REAL, 3), index(3)),
                new Example(new DynamicUpdateSlice(), Example.random(r, DType.BOOL, REAL, 2, 3),
                        Example.random(r, DType.BOOL, REAL, 1, 2), index(1), index(0)),
                new Example(new DynamicUpdateSlice(), Example.random(r, DType.FLOAT64, REAL, 2, 3),
                        Example.random(r, DType.FLOAT64, REAL, 0, 2), index(1), index(0)));
    }

    /** In range, negative, out of range, every dtype. */
    private static List<Example> gather() {
        Random r = new Random(71);
        return List.of(
                new Example(new Gather(0), Example.random(r, DType.FLOAT64, REAL, 5), DenseArray.ofInts(new int[] {4, 0, 2, 2, -1, 1}, 6)),
                new Example(new Gather(1), Example.random(r, DType.FLOAT32, REAL, 2, 4), DenseArray.ofInts(new int[] {3, 1, 0, 2, 2, -4}, 2, 3)),
                new Example(new Gather(-2), Example.random(r, DType.FLOAT64, REAL, 3, 2), DenseArray.ofInts(new int[] {0, 2, 1, 1}, 2, 2)),
                new Example(new Gather(0), Example.random(r, DType.FLOAT64, REAL, 4, 2), DenseArray.ofInts(new int[] {7, -9}, 1, 2)),
                new Example(new Gather(1), Example.random(r, DType.INT32, REAL, 2, 3), DenseArray.ofInts(new int[] {1, 2, 0, 0}, 2, 2)),
                new Example(new Gather(0), Example.random(r, DType.BOOL, REAL, 3), DenseArray.ofInts(new int[] {2, 0}, 2)),
                new Example(new Gather(1), Example.random(r, DType.FLOAT64, REAL, 2, 3), DenseArray.ofInts(new int[0], 2, 0)));
    }

    /** Repeated, negative and out-of-range indices. */
    private static List<Example> scatterAdd() {
        Random r = new Random(72);
        return List.of(
                new Example(new ScatterAdd(0), Example.random(r, DType.FLOAT64, REAL, 4),
                        DenseArray.ofInts(new int[] {1, 3, 1, -1, 0, 9}, 6), Example.random(r, DType.FLOAT64, REAL, 6)),
                new Example(new ScatterAdd(1), Example.random(r, DType.FLOAT32, REAL, 2, 3),
                        DenseArray.ofInts(new int[] {2, 2, 0, 1, -2, 1, 0, 0}, 2, 4), Example.random(r, DType.FLOAT32, REAL, 2, 4)),
                new Example(new ScatterAdd(-2), Example.random(r, DType.FLOAT64, REAL, 3, 2),
                        DenseArray.ofInts(new int[] {0, 2}, 1, 2), Example.random(r, DType.FLOAT64, REAL, 1, 2)),
                new Example(new ScatterAdd(0), Example.random(r, DType.INT32, REAL, 3),
                        DenseArray.ofInts(new int[] {2, 2, 0}, 3), Example.random(r, DType.INT32, REAL, 3)),
                new Example(new ScatterAdd(1), Example.random(r, DType.FLOAT64, REAL, 2, 3),
                        DenseArray.ofInts(new int[0], 2, 0), Example.random(r, DType.FLOAT64, REAL, 2, 0)));
    }
}
