package dev.solstice.core;

import dev.solstice.DType;

/** Formats array contents as nested brackets, NumPy-style, eliding the middle of long axes. */
final class ArrayFormat {
    private static final int EDGE = 3;          // items shown at each end of a long axis
    private static final int SUMMARISE_ABOVE = 1000;

    private ArrayFormat() {}

    static String values(DenseArray a) {
        StringBuilder b = new StringBuilder();
        append(b, a, 0, 0, a.aval().size() > SUMMARISE_ABOVE);
        return b.toString();
    }

    private static void append(StringBuilder b, DenseArray a, int axis, int offset, boolean summarise) {
        Aval av = a.aval();
        if (axis == av.rank()) {
            b.append(element(a, offset));
            return;
        }
        int n = av.dim(axis);
        int stride = 1;
        for (int i = axis + 1; i < av.rank(); i++) {
            stride *= av.dim(i);
        }
        b.append('[');
        for (int i = 0; i < n; i++) {
            if (summarise && n > 2 * EDGE && i == EDGE) {
                b.append("..., ");
                i = n - EDGE - 1;
                continue;
            }
            append(b, a, axis + 1, offset + i * stride, summarise);
            if (i < n - 1) {
                b.append(", ");
            }
        }
        b.append(']');
    }

    private static String element(DenseArray a, int i) {
        DType t = a.aval().dtype();
        return switch (t) {
            case FLOAT32 -> Float.toString(a.floats()[i]);
            case FLOAT64 -> Double.toString(a.doubles()[i]);
            case INT32 -> Integer.toString(a.ints()[i]);
            case BOOL -> Boolean.toString(a.bools()[i]);
        };
    }
}
