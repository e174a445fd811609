package dev.solstice.prim;

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

/**
 * Examples of the primitives that move, copy or retype elements without arithmetic: broadcast, reshape,
 * transpose, squeeze, expand_dims, slice, pad, concatenate, rev, iota and convert_element_type.
 */
final class ShapeExamples {

    private ShapeExamples() {}

    /** The family's registry entries. */
    static Map<Class<? extends Primitive>, Supplier<List<Example>>> all() {
        return Map.ofEntries(
                entry(BroadcastInDim.class, ShapeExamples::broadcastInDim),
                entry(Reshape.class, ShapeExamples::reshape),
                entry(Transpose.class, ShapeExamples::transpose),
                entry(Squeeze.class, ShapeExamples::squeeze),
                entry(ExpandDims.class, ShapeExamples::expandDims),
                entry(Slice.class, ShapeExamples::slice),
                entry(Pad.class, ShapeExamples::pad),
                entry(Concatenate.class, ShapeExamples::concatenate),
                entry(Rev.class, ShapeExamples::rev),
                entry(Iota.class, ShapeExamples::iota),
                entry(ConvertElementType.class, ShapeExamples::convertElementType));
    }

    private static List<Example> broadcastInDim() {
        Random r = new Random(12);
        return List.of(
                new Example(new BroadcastInDim(new int[] {2, 3}, new int[] {1}), Example.random(r, DType.FLOAT64, REAL, 3)),
                new Example(new BroadcastInDim(new int[] {4, 2, 3}, new int[] {1, 2}), Example.random(r, DType.FLOAT32, REAL, 1, 3)),
                new Example(new BroadcastInDim(new int[] {2, 2}, new int[] {}), Example.random(r, DType.FLOAT64, REAL)),
                new Example(new BroadcastInDim(new int[] {3, 2}, new int[] {0}), Example.random(r, DType.INT32, REAL, 3)),
                new Example(new BroadcastInDim(new int[] {2, 2}, new int[] {0, 1}), Example.random(r, DType.BOOL, REAL, 2, 1)),
                new Example(new BroadcastInDim(new int[] {1, 3, 1}, new int[] {0, 2}), Example.random(r, DType.FLOAT64, REAL, 1, 1)),
                new Example(new BroadcastInDim(new int[] {2, 0}, new int[] {1}), Example.random(r, DType.FLOAT64, REAL, 0)));
    }

    private static List<Example> reshape() {
        Random r = new Random(13);
        return List.of(
                new Example(new Reshape(new int[] {3, 2}), Example.random(r, DType.FLOAT64, REAL, 2, 3)),
                new Example(new Reshape(new int[] {6}), Example.random(r, DType.FLOAT32, REAL, 2, 3)),
                new Example(new Reshape(new int[] {1, 1}), Example.random(r, DType.FLOAT64, REAL)),
                new Example(new Reshape(new int[] {2, 2}), Example.random(r, DType.INT32, REAL, 4)),
                new Example(new Reshape(new int[] {3, 1, 2}), Example.random(r, DType.BOOL, REAL, 2, 3)),
                new Example(new Reshape(new int[] {3, 0}), Example.random(r, DType.FLOAT64, REAL, 0, 3)));
    }

    private static List<Example> transpose() {
        Random r = new Random(14);
        return List.of(
                new Example(new Transpose(new int[] {1, 0}), Example.random(r, DType.FLOAT64, REAL, 2, 3)),
                new Example(new Transpose(new int[] {2, 0, 1}), Example.random(r, DType.FLOAT32, REAL, 2, 3, 4)),
                new Example(new Transpose(new int[] {1, 0}), Example.random(r, DType.INT32, REAL, 3, 2)),
                new Example(new Transpose(new int[] {}), Example.random(r, DType.FLOAT64, REAL)),
                new Example(new Transpose(new int[] {0, 2, 1}), Example.random(r, DType.BOOL, REAL, 2, 1, 3)));
    }

    private static List<Example> squeeze() {
        Random r = new Random(15);
        return List.of(
                new Example(new Squeeze(new int[] {0}), Example.random(r, DType.FLOAT64, REAL, 1, 3)),
                new Example(new Squeeze(new int[] {-1, 1}), Example.random(r, DType.FLOAT32, REAL, 2, 1, 1)),
                new Example(new Squeeze(new int[] {0}), Example.random(r, DType.INT32, REAL, 1)),
                new Example(new Squeeze(new int[] {1}), Example.random(r, DType.BOOL, REAL, 3, 1)));
    }

    private static List<Example> expandDims() {
        Random r = new Random(16);
        return List.of(
                new Example(new ExpandDims(new int[] {0}), Example.random(r, DType.FLOAT64, REAL, 3)),
                new Example(new ExpandDims(new int[] {1, -1}), Example.random(r, DType.FLOAT32, REAL, 2, 3)),
                new Example(new ExpandDims(new int[] {0}), Example.random(r, DType.BOOL, REAL)),
                new Example(new ExpandDims(new int[] {2}), Example.random(r, DType.INT32, REAL, 2, 2)));
    }

    private static List<Example> slice() {
        Random r = new Random(17);
        return List.of(
                new Example(new Slice(new int[] {0, 1}, new int[] {2, 3}, new int[] {1, 1}), Example.random(r, DType.FLOAT64, REAL, 2, 3)),
                new Example(new Slice(new int[] {1}, new int[] {7}, new int[] {2}), Example.random(r, DType.FLOAT32, REAL, 8)),
                new Example(new Slice(new int[] {1, 0}, new int[] {4, 3}, new int[] {2, 3}), Example.random(r, DType.FLOAT64, REAL, 5, 3)),
                new Example(new Slice(new int[] {1}, new int[] {3}, new int[] {1}), Example.random(r, DType.INT32, REAL, 4)),
                new Example(new Slice(new int[] {0, 2}, new int[] {2, 2}, new int[] {1, 1}), Example.random(r, DType.FLOAT64, REAL, 3, 4)),
                new Example(new Slice(new int[] {0, 1}, new int[] {3, 2}, new int[] {2, 1}), Example.random(r, DType.BOOL, REAL, 3, 2)),
                new Example(new Slice(new int[] {1, 0}, new int[] {1, 3}, new int[] {1, 2}), Example.random(r, DType.FLOAT64, REAL, 2, 3)));
    }

    private static List<Example> pad() {
        Random r = new Random(18);
        return List.of(
                new Example(new Pad(new int[] {1, 0}, new int[] {0, 2}, new int[] {0, 1}),
                        Example.random(r, DType.FLOAT64, REAL, 2, 3), Example.random(r, DType.FLOAT64, REAL)),
                new Example(new Pad(new int[] {2}, new int[] {1}, new int[] {0}),
                        Example.random(r, DType.FLOAT32, REAL, 3), Example.random(r, DType.FLOAT32, REAL)),
                new Example(new Pad(new int[] {1}, new int[] {1}, new int[] {2}),
                        Example.random(r, DType.INT32, REAL, 3), Example.random(r, DType.INT32, REAL)),
                new Example(new Pad(new int[] {0, 1}, new int[] {1, 0}, new int[] {1, 0}),
                        Example.random(r, DType.BOOL, REAL, 2, 2), Example.random(r, DType.BOOL, REAL)),
                new Example(new Pad(new int[] {1, 0}, new int[] {2, 1}, new int[] {1, 3}),
                        Example.random(r, DType.FLOAT64, REAL, 0, 2), Example.random(r, DType.FLOAT64, REAL)),
                new Example(new Pad(new int[] {0}, new int[] {0}, new int[] {0}),
                        Example.random(r, DType.FLOAT64, REAL, 3), Example.random(r, DType.FLOAT64, REAL)),
                // negative (cropping) edge padding, from JAX's lax_test.py testPad / testPadAgainstNumpy and
                // lax_autodiff_test.py testPadGrad configurations
                new Example(new Pad(new int[] {-1}, new int[] {2}, new int[] {0}),
                        Example.random(r, DType.FLOAT64, REAL, 2), Example.random(r, DType.FLOAT64, REAL)),
                new Example(new Pad(new int[] {-1, 1}, new int[] {-2, 2}, new int[] {1, 2}),
                        Example.random(r, DType.FLOAT64, REAL, 4, 2), Example.random(r, DType.FLOAT64, REAL)),
                new Example(new Pad(new int[] {-1}, new int[] {-2}, new int[] {2}),
                        Example.random(r, DType.FLOAT32, REAL, 5), Example.random(r, DType.FLOAT32, REAL)),
                new Example(new Pad(new int[] {-2, -1}, new int[] {0, 0}, new int[] {1, 2}),
                        Example.random(r, DType.FLOAT64, REAL, 2, 3), Example.random(r, DType.FLOAT64, REAL)),
                new Example(new Pad(new int[] {0, -2}, new int[] {0, -3}, new int[] {0, 1}),
                        Example.random(r, DType.FLOAT64, REAL, 2, 3), Example.random(r, DType.FLOAT64, REAL)),
                new Example(new Pad(new int[] {-1, 0}, new int[] {-2, 1}, new int[] {0, 0}),
                        Example.random(r, DType.INT32, REAL, 4, 2), Example.random(r, DType.INT32, REAL)));
    }

    private static List<Example> concatenate() {
        Random r = new Random(19);
        return List.of(
                new Example(new Concatenate(0), Example.random(r, DType.FLOAT64, REAL, 2, 3),
                        Example.random(r, DType.FLOAT64, REAL, 1, 3)),
                new Example(new Concatenate(1), Example.random(r, DType.FLOAT32, REAL, 2, 1),
                        Example.random(r, DType.FLOAT32, REAL, 2, 2), Example.random(r, DType.FLOAT32, REAL, 2, 3)),
                new Example(new Concatenate(0), Example.random(r, DType.INT32, REAL, 2),
                        Example.random(r, DType.INT32, REAL, 3)),
                new Example(new Concatenate(1), Example.random(r, DType.BOOL, REAL, 2, 2),
                        Example.random(r, DType.BOOL, REAL, 2, 1)),
                new Example(new Concatenate(1), Example.random(r, DType.FLOAT64, REAL, 2, 0),
                        Example.random(r, DType.FLOAT64, REAL, 2, 3)),
                new Example(new Concatenate(0), Example.random(r, DType.FLOAT64, REAL, 2)));
    }

    private static List<Example> rev() {
        Random r = new Random(31);
        return List.of(
                new Example(new Rev(new int[] {1}), Example.random(r, DType.FLOAT64, REAL, 2, 3)),
                new Example(new Rev(new int[] {0, 2}), Example.random(r, DType.FLOAT32, REAL, 2, 3, 4)),
                new Example(new Rev(new int[] {-1}), Example.random(r, DType.INT32, REAL, 3, 2)),
                new Example(new Rev(new int[] {}), Example.random(r, DType.FLOAT64, REAL)),
                new Example(new Rev(new int[] {0}), Example.random(r, DType.BOOL, REAL, 4)),
                new Example(new Rev(new int[] {0, 1}), Example.random(r, DType.FLOAT64, REAL, 0, 3)));
    }

    private static List<Example> iota() {
        return List.of(new Example(new Iota(DType.INT32, new int[] {3, 4}, 1)),
                new Example(new Iota(DType.INT32, new int[] {3, 4}, 0)),
                new Example(new Iota(DType.INT32, new int[] {2, 3, 4}, 1)),
                new Example(new Iota(DType.FLOAT32, new int[] {5}, 0)),
                new Example(new Iota(DType.FLOAT64, new int[] {2, 3}, 0)));
    }

    /** Every pair of dtypes, then NaN, an infinity and out-of-range values to int32 and bool. */
    private static List<Example> convertElementType() {
        List<Example> out = new ArrayList<>();
        Random r = new Random(11);
        for (DType from : PrimitiveContractTest.EXAMPLE_DTYPES) {
            for (DType to : PrimitiveContractTest.EXAMPLE_DTYPES) {
                out.add(new Example(new ConvertElementType(to), Example.random(r, from, REAL, 2, 3)));
            }
        }
        double[] special = {Double.NaN, 1e10, -1e10, -2.7, 2.7, -0.0, 0.5, Double.NEGATIVE_INFINITY};
        for (DType to : new DType[] {DType.INT32, DType.BOOL}) {
            out.add(new Example(new ConvertElementType(to), DenseArray.ofDoubles(special.clone(), special.length)));
        }
        return out;
    }
}
