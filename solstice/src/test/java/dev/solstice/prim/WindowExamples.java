package dev.solstice.prim;

import static dev.solstice.prim.Example.Domain.REAL;
import static dev.solstice.prim.Examples.entry;

import dev.solstice.DType;
import dev.solstice.core.Primitive;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/** Examples of the windowed primitives: conv_general_dilated, reduce_window_sum and reduce_window_max. */
final class WindowExamples {

    private WindowExamples() {}

    /** The family's registry entries. */
    static Map<Class<? extends Primitive>, Supplier<List<Example>>> all() {
        return Map.ofEntries(
                entry(ConvGeneralDilated.class, WindowExamples::convGeneralDilated),
                entry(ReduceWindowSum.class, () -> reduceWindow(ReduceWindowSum::new, 51)),
                entry(ReduceWindowMax.class, () -> reduceWindow(ReduceWindowMax::new, 52)));
    }

    /** 1, 2 and 3 spatial axes, every parameter exercised. */
    private static List<Example> convGeneralDilated() {
        Random r = new Random(41);
        DType f64 = DType.FLOAT64;
        DType f32 = DType.FLOAT32;
        return List.of(
                // 1d, stride 1, no padding
                new Example(ConvGeneralDilated.of(new int[] {1}, new int[] {0}, new int[] {0}),
                        Example.random(r, f64, REAL, 2, 2, 5), Example.random(r, f64, REAL, 3, 2, 2)),
                // 2d, stride 2, asymmetric padding
                new Example(ConvGeneralDilated.of(new int[] {2, 1}, new int[] {1, 0}, new int[] {0, 1}),
                        Example.random(r, f64, REAL, 1, 2, 5, 4), Example.random(r, f64, REAL, 2, 2, 3, 2)),
                // 2d float32, "SAME"-style padding
                new Example(ConvGeneralDilated.of(new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}),
                        Example.random(r, f32, REAL, 2, 1, 3, 3), Example.random(r, f32, REAL, 2, 1, 3, 3)),
                // 2d, kernel dilation and input dilation (a transposed convolution), stride 2
                new Example(new ConvGeneralDilated(new int[] {2, 1}, new int[] {1, 2}, new int[] {2, 0},
                                new int[] {2, 1}, new int[] {1, 2}, 1),
                        Example.random(r, f64, REAL, 1, 2, 3, 4), Example.random(r, f64, REAL, 2, 2, 2, 2)),
                // 1d, two feature groups, stride 2 that leaves a remainder
                new Example(new ConvGeneralDilated(new int[] {2}, new int[] {0}, new int[] {1}, new int[] {1},
                                new int[] {1}, 2),
                        Example.random(r, f64, REAL, 2, 4, 6), Example.random(r, f64, REAL, 4, 2, 3)),
                // 2d depthwise (groups = channels), float32
                new Example(new ConvGeneralDilated(new int[] {1, 1}, new int[] {0, 1}, new int[] {1, 0}, new int[] {1, 1},
                                new int[] {1, 1}, 3),
                        Example.random(r, f32, REAL, 1, 3, 3, 3), Example.random(r, f32, REAL, 3, 1, 2, 2)),
                // 3d, mixed strides and padding
                new Example(new ConvGeneralDilated(new int[] {1, 2, 1}, new int[] {0, 1, 1}, new int[] {1, 0, 0},
                                new int[] {1, 1, 1}, new int[] {1, 1, 2}, 1),
                        Example.random(r, f64, REAL, 1, 2, 3, 3, 4), Example.random(r, f64, REAL, 2, 2, 2, 2, 2)),
                // padding wider than the kernel, and negative padding (cropping)
                new Example(ConvGeneralDilated.of(new int[] {1}, new int[] {3}, new int[] {-1}),
                        Example.random(r, f64, REAL, 1, 1, 5), Example.random(r, f64, REAL, 1, 1, 2)),
                // int32
                new Example(ConvGeneralDilated.of(new int[] {1, 1}, new int[] {0, 0}, new int[] {0, 0}),
                        Example.random(r, DType.INT32, REAL, 1, 2, 3, 3), Example.random(r, DType.INT32, REAL, 2, 2, 2, 2)),
                // empty batch
                new Example(ConvGeneralDilated.of(new int[] {1}, new int[] {0}, new int[] {0}),
                        Example.random(r, f64, REAL, 0, 2, 4), Example.random(r, f64, REAL, 1, 2, 2)));
    }

    /** Examples shared by the windowed reductions: 1, 2 (NCHW pooling) and 3 axes, strides, padding, dtypes. */
    private static List<Example> reduceWindow(Make make, long seed) {
        Random r = new Random(seed);
        return List.of(
                new Example(make.of(new int[] {2}, new int[] {1}, new int[] {0}, new int[] {0}),
                        Example.random(r, DType.FLOAT64, REAL, 5)),
                new Example(make.of(new int[] {1, 1, 2, 2}, new int[] {1, 1, 2, 2}, new int[] {0, 0, 0, 0}, new int[] {0, 0, 1, 0}),
                        Example.random(r, DType.FLOAT64, REAL, 2, 2, 4, 3)),
                new Example(make.of(new int[] {1, 3, 3}, new int[] {1, 1, 2}, new int[] {0, 1, 1}, new int[] {0, 1, 1}),
                        Example.random(r, DType.FLOAT32, REAL, 2, 4, 5)),
                new Example(make.of(new int[] {2, 2, 2}, new int[] {1, 2, 1}, new int[] {1, 0, 0}, new int[] {0, 1, 0}),
                        Example.random(r, DType.FLOAT64, REAL, 3, 3, 2)),
                new Example(make.of(new int[] {3}, new int[] {2}, new int[] {2}, new int[] {2}),
                        Example.random(r, DType.FLOAT64, REAL, 4)),
                new Example(make.of(new int[] {2, 2}, new int[] {1, 1}, new int[] {0, 0}, new int[] {0, 0}),
                        Example.random(r, DType.INT32, REAL, 3, 3)),
                new Example(make.of(new int[] {1, 2}, new int[] {1, 1}, new int[] {0, 0}, new int[] {0, 0}),
                        Example.random(r, DType.FLOAT64, REAL, 0, 3)));
    }

    /** A constructor of a windowed reduction. */
    @FunctionalInterface
    private interface Make {
        WindowReducer of(int[] windowDimensions, int[] windowStrides, int[] paddingLo, int[] paddingHi);
    }
}
