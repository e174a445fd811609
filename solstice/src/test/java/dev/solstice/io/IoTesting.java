package dev.solstice.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Shared helpers: arrays of every dtype and rank with awkward values, bit-exact comparison, fake leaves. */
final class IoTesting {
    private IoTesting() {}

    static final int[][] SHAPES = {{}, {0}, {1}, {5}, {2, 3}, {3, 0}, {2, 3, 4}, {1, 2, 1, 3}, {2, 1, 2, 1, 2}};

    /** An array of the dtype and shape whose elements differ from each other and include edge values. */
    static Array sample(DType dtype, int... shape) {
        int n = new Aval(dtype, shape).size();
        Object data = DenseArray.allocate(dtype, n);
        float[] fEdge = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0.0f, Float.MIN_VALUE,
            Float.MAX_VALUE, 0.1f};
        double[] dEdge = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, Double.MIN_VALUE,
            Double.MAX_VALUE, 0.1};
        int[] iEdge = {Integer.MIN_VALUE, Integer.MAX_VALUE, -1, 0};
        // float16 and bfloat16 bits: a quiet NaN, inf, -inf, -0, the smallest subnormal, the largest finite,
        // 0.1, a negative NaN with a payload
        int[] hEdge = {0x7E00, 0x7C00, 0xFC00, 0x8000, 0x0001, 0x7BFF, 0x2E66, 0xFE01};
        int[] bEdge = {0x7FC0, 0x7F80, 0xFF80, 0x8000, 0x0001, 0x7F7F, 0x3DCD, 0xFFC1};
        long[] lEdge = {Long.MIN_VALUE, Long.MAX_VALUE, -1, 0, 1L << 62};
        for (int i = 0; i < n; i++) {
            switch (dtype) {
                case FLOAT32 -> ((float[]) data)[i] = i < fEdge.length ? fEdge[i] : (float) (i * 1.25 - 3.1);
                case FLOAT64 -> ((double[]) data)[i] = i < dEdge.length ? dEdge[i] : i * Math.PI - 7;
                case INT32, UINT32 -> ((int[]) data)[i] = i < iEdge.length ? iEdge[i] : i * 1_000_003 - 17;
                case INT64 -> ((long[]) data)[i] = i < lEdge.length ? lEdge[i] : i * 1_000_000_007L * 1_000_003 - 17;
                case FLOAT16 -> ((short[]) data)[i] = (short) (i < hEdge.length ? hEdge[i] : i * 1237 + 17);
                case BFLOAT16 -> ((short[]) data)[i] = (short) (i < bEdge.length ? bEdge[i] : i * 977 + 5);
                case INT8 -> ((byte[]) data)[i] = (byte) (i < 4 ? new int[] {-128, 127, -1, 0}[i] : i * 37 - 5);
                case UINT8 -> ((byte[]) data)[i] = (byte) (i < 4 ? new int[] {255, 0, 128, 127}[i] : i * 53);
                case BOOL -> ((boolean[]) data)[i] = (i * 7) % 3 == 1;
            }
        }
        return DenseArray.wrap(new Aval(dtype, shape), data);
    }

    /** Every dtype at every shape of {@link #SHAPES}, named {@code <dtype>_<rank>_<i>}. */
    static Map<String, Array> everyDtypeAndRank() {
        return everyDtypeAndRank(List.of(DType.values()));
    }

    /** The dtypes .npy holds: all but bfloat16, which NumPy lacks. */
    static List<DType> npyDtypes() {
        return Stream.of(DType.values()).filter(t -> t != DType.BFLOAT16).toList();
    }

    /** Each of the dtypes at every shape of {@link #SHAPES}, named {@code <dtype>_<rank>_<i>}. */
    static Map<String, Array> everyDtypeAndRank(List<DType> dtypes) {
        Map<String, Array> m = new LinkedHashMap<>();
        for (DType dt : dtypes) {
            for (int i = 0; i < SHAPES.length; i++) {
                m.put(dt.jaxName() + "_" + SHAPES[i].length + "_" + i, sample(dt, SHAPES[i]));
            }
        }
        return m;
    }

    /** Same dtype, shape and bits (NaN payloads and signed zeros included). */
    static void assertSameArray(Array expected, Array actual, String what) {
        assertNotNull(actual, what + ": missing");
        assertInstanceOf(DenseArray.class, actual, what);
        assertEquals(expected.aval(), actual.aval(), what + ": dtype/shape");
        DenseArray e = expected.concrete();
        DenseArray a = actual.concrete();
        switch (e.dtype()) {
            case FLOAT16, BFLOAT16 -> assertArrayEquals((short[]) e.data(), (short[]) a.data(), what);
            case INT8, UINT8 -> assertArrayEquals((byte[]) e.data(), (byte[]) a.data(), what);
            case UINT32 -> assertArrayEquals((int[]) e.data(), (int[]) a.data(), what);
            case INT64 -> assertArrayEquals(e.longs(), a.longs(), what);
            case FLOAT32 -> {
                float[] x = e.floats();
                float[] y = a.floats();
                for (int i = 0; i < x.length; i++) {
                    assertEquals(Float.floatToRawIntBits(x[i]), Float.floatToRawIntBits(y[i]), what + " element " + i);
                }
            }
            case FLOAT64 -> {
                double[] x = e.doubles();
                double[] y = a.doubles();
                for (int i = 0; i < x.length; i++) {
                    assertEquals(Double.doubleToRawLongBits(x[i]), Double.doubleToRawLongBits(y[i]), what + " element " + i);
                }
            }
            case INT32 -> assertArrayEquals(e.ints(), a.ints(), what);
            case BOOL -> assertArrayEquals(e.bools(), a.bools(), what);
        }
    }

    static void assertSameArrays(Map<String, Array> expected, Map<String, ? extends Array> actual) {
        assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(actual.keySet()), "names, in order");
        for (String k : expected.keySet()) {
            assertSameArray(expected.get(k), actual.get(k), k);
        }
    }

    /** The names in a directory, to show that no temporary file was left behind. */
    static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** An array that knows its dtype and shape but has no value (as a staged tracer): writing it must fail. */
    static Array abstractArray(DType dtype, int... shape) {
        Aval aval = new Aval(dtype, shape);
        return new Array() {
            @Override
            public Aval aval() {
                return aval;
            }

            @Override
            public double item() {
                throw new IllegalStateException("abstract");
            }

            @Override
            public DenseArray concrete() {
                throw new IllegalStateException("an abstract value has no concrete array");
            }

            @Override
            public String toString() {
                return "Abstract(" + aval + ")";
            }
        };
    }
}
