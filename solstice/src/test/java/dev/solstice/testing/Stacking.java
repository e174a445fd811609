package dev.solstice.testing;

import static org.junit.jupiter.api.Assertions.fail;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.DenseArray;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Batches built and taken apart by index arithmetic on the flat data, for vmap tests: the oracle side never
 * uses the library's own slicing, transposing or stacking, which are what the batching rules are made of.
 */
public final class Stacking {
    private Stacking() {}

    /** The parts (one shape and dtype) stacked along a new axis {@code axis} (negative counts from the end). */
    public static Array stack(List<Array> parts, int axis) {
        if (parts.isEmpty()) {
            fail("stack of no arrays");
        }
        int[] shape = parts.getFirst().shape();
        int ax = axis < 0 ? axis + shape.length + 1 : axis;
        int n = parts.size();
        int outer = 1;
        for (int a = 0; a < ax; a++) {
            outer *= shape[a];
        }
        int inner = 1;
        for (int a = ax; a < shape.length; a++) {
            inner *= shape[a];
        }
        double[] r = new double[outer * n * inner];
        for (int b = 0; b < n; b++) {
            Array p = parts.get(b);
            if (!Arrays.equals(shape, p.shape()) || p.dtype() != parts.getFirst().dtype()) {
                fail("stack of different avals: " + parts.getFirst().aval().str() + " and " + p.aval().str());
            }
            double[] v = p.toDoubleArray();
            for (int o = 0; o < outer; o++) {
                System.arraycopy(v, o * inner, r, (o * n + b) * inner, inner);
            }
        }
        int[] out = new int[shape.length + 1];
        for (int a = 0, k = 0; a < out.length; a++) {
            out[a] = a == ax ? n : shape[k++];
        }
        return make(parts.getFirst().dtype(), r, out);
    }

    /** The slices of {@code x} along {@code axis} (negative counts from the end), each without that axis. */
    public static List<Array> unstack(Array x, int axis) {
        int[] shape = x.shape();
        int ax = axis < 0 ? axis + shape.length : axis;
        int n = shape[ax];
        int outer = 1;
        for (int a = 0; a < ax; a++) {
            outer *= shape[a];
        }
        int inner = 1;
        for (int a = ax + 1; a < shape.length; a++) {
            inner *= shape[a];
        }
        int[] rest = new int[shape.length - 1];
        for (int a = 0, k = 0; a < shape.length; a++) {
            if (a != ax) {
                rest[k++] = shape[a];
            }
        }
        double[] v = x.toDoubleArray();
        List<Array> out = new ArrayList<>();
        for (int b = 0; b < n; b++) {
            double[] r = new double[outer * inner];
            for (int o = 0; o < outer; o++) {
                System.arraycopy(v, (o * n + b) * inner, r, o * inner, inner);
            }
            out.add(make(x.dtype(), r, rest));
        }
        return out;
    }

    /** Slice {@code b} of {@code x} along {@code axis}. */
    public static Array slice(Array x, int axis, int b) {
        return unstack(x, axis).get(b);
    }

    /** A concrete array of a dtype from float64 values. */
    public static Array make(DType t, double[] v, int... shape) {
        return switch (t) {
            case FLOAT64 -> DenseArray.ofDoubles(v.clone(), shape);
            case FLOAT32 -> {
                float[] f = new float[v.length];
                for (int i = 0; i < v.length; i++) {
                    f[i] = (float) v[i];
                }
                yield DenseArray.ofFloats(f, shape);
            }
            case INT32 -> {
                int[] f = new int[v.length];
                for (int i = 0; i < v.length; i++) {
                    f[i] = (int) v[i];
                }
                yield DenseArray.ofInts(f, shape);
            }
            case BOOL -> {
                boolean[] f = new boolean[v.length];
                for (int i = 0; i < v.length; i++) {
                    f[i] = v[i] != 0;
                }
                yield DenseArray.ofBools(f, shape);
            }
            default -> dev.solstice.core.DenseArray.fromDoubles(new dev.solstice.core.Aval(t, shape), v);
        };
    }

    /** Exact equality of dtype, shape and values (0.0 equals -0.0; NaN equals NaN). */
    public static void assertSame(Array expected, Array actual, String what) {
        if (expected.dtype() != actual.dtype() || !Arrays.equals(expected.shape(), actual.shape())) {
            fail(what + ": expected " + expected.aval().str() + " but got " + actual.aval().str());
        }
        Numeric.assertExactly(expected.toDoubleArray(), actual.toDoubleArray(), what);
    }

    /** Closeness (see {@link Numeric#assertClose(Array, Array, double, double, String)}), also checking the dtype. */
    public static void assertClose(Array expected, Array actual, double tol, String what) {
        if (expected.dtype() != actual.dtype()) {
            fail(what + ": expected dtype " + expected.dtype() + " but got " + actual.dtype());
        }
        Numeric.assertClose(expected, actual, tol, tol, what);
    }
}
