package dev.solstice.kernel;

import dev.solstice.DType;
import java.util.List;

/**
 * The dtypes the kernels have typed loops for. The other dtypes reach them widened (float16 and bfloat16 as
 * float32, int8 and uint8 as int32, uint32 as int64; see {@code core.NarrowTypes}), and int64 runs through
 * {@code LongLoops}: they are tested in {@code dev.solstice.dtypes}.
 */
public final class KernelDTypes {
    private KernelDTypes() {}

    /** float32, float64, int32 and bool. */
    public static final List<DType> ALL = List.of(DType.FLOAT32, DType.FLOAT64, DType.INT32, DType.BOOL);
}
