package dev.solstice.core;

import dev.solstice.DType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Formats array contents as NumPy's {@code array_repr} lays them out (a port of NumPy's {@code _formatArray}):
 * nested brackets, one row per line for rank two and more with a blank line between blocks of higher axes,
 * elements right-aligned to a common width, rows wrapped at 75 characters, and above 1000 elements only the
 * first and last three items of every axis, with {@code ...} in between. Floats follow NumPy's rules
 * ({@link FloatFormat}: at most 8 digits after the point, points aligned, scientific notation for wide
 * ranges) but keep one zero after the point, {@code 1.0}; ints and bools print as Java does ({@code true}).
 */
final class ArrayFormat {
    private static final int EDGE = 3;              // items shown at each end of a long axis (edgeitems)
    private static final int SUMMARISE_ABOVE = 1000; // NumPy's threshold
    private static final int LINE_WIDTH = 75;        // NumPy's linewidth
    private static final String SEPARATOR = ", ";
    private static final String SUMMARY = "...";

    private ArrayFormat() {}

    /**
     * The array's values as NumPy prints them after {@code prefix}: continuation lines are indented by the
     * prefix's length, and lines (with {@code suffixLength} characters after the last bracket) fit the width.
     */
    static String values(DenseArray a, int prefixLength, int suffixLength) {
        Aval av = a.aval();
        if (av.rank() == 0) {
            return cells(a, List.of(0)).get(0);
        }
        if (av.size() == 0) {
            return "[]";
        }
        boolean summarise = av.size() > SUMMARISE_ABOVE;
        Map<Integer, String> cells = cells(a, shownOffsets(av, summarise));
        int width = 0;
        for (String cell : cells.values()) {
            width = Math.max(width, cell.length());
        }
        int[] strides = new int[av.rank()];
        int stride = 1;
        for (int i = av.rank() - 1; i >= 0; i--) {
            strides[i] = stride;
            stride *= av.dim(i);
        }
        Layout layout = new Layout(a, cells, strides, summarise, width);
        // the hanging indent stands for the prefix and the first "[", as in NumPy's _array2string
        return layout.recurse(0, 0, " ".repeat(prefixLength + 1), LINE_WIDTH - suffixLength);
    }

    /** The offsets of the elements that are printed (all, or the edges of every axis when summarising). */
    private static List<Integer> shownOffsets(Aval av, boolean summarise) {
        List<Integer> offsets = new ArrayList<>(List.of(0));
        for (int axis = 0; axis < av.rank(); axis++) {
            int n = av.dim(axis);
            List<Integer> next = new ArrayList<>();
            for (int base : offsets) {
                for (int i = 0; i < n; i++) {
                    if (summarise && n > 2 * EDGE && i >= EDGE && i < n - EDGE) {
                        continue;
                    }
                    next.add(base * n + i);
                }
            }
            offsets = next;
        }
        return offsets;
    }

    /** NumPy's recursive layout over the axes of one array. */
    private record Layout(DenseArray a, Map<Integer, String> cells, int[] strides, boolean summarise, int width) {

        String recurse(int axis, int offset, String hangingIndent, int currWidth) {
            int rank = strides.length;
            if (axis == rank) {
                String e = cells.get(offset);
                return " ".repeat(width - e.length()) + e;
            }
            int axesLeft = rank - axis;
            String nextIndent = hangingIndent + " ";
            int nextWidth = currWidth - 1;   // the closing bracket
            int n = a.aval().dim(axis);
            boolean showSummary = summarise && 2 * EDGE < n;
            int leading = showSummary ? EDGE : 0;
            int trailing = showSummary ? EDGE : n;
            StringBuilder s = new StringBuilder();
            if (axesLeft == 1) {
                int elemWidth = currWidth - SEPARATOR.stripTrailing().length();
                StringBuilder line = new StringBuilder(hangingIndent);
                for (int i = 0; i < leading; i++) {
                    extend(s, line, recurse(axis + 1, offset + i * strides[axis], nextIndent, nextWidth), elemWidth,
                            hangingIndent);
                    line.append(SEPARATOR);
                }
                if (showSummary) {
                    extend(s, line, SUMMARY, elemWidth, hangingIndent);
                    line.append(SEPARATOR);
                }
                for (int i = trailing; i > 1; i--) {
                    extend(s, line, recurse(axis + 1, offset + (n - i) * strides[axis], nextIndent, nextWidth),
                            elemWidth, hangingIndent);
                    line.append(SEPARATOR);
                }
                extend(s, line, recurse(axis + 1, offset + (n - 1) * strides[axis], nextIndent, nextWidth), currWidth,
                        hangingIndent);
                s.append(line);
            } else {
                String lineSep = SEPARATOR.stripTrailing() + "\n".repeat(axesLeft - 1);
                for (int i = 0; i < leading; i++) {
                    s.append(hangingIndent).append(recurse(axis + 1, offset + i * strides[axis], nextIndent, nextWidth))
                            .append(lineSep);
                }
                if (showSummary) {
                    s.append(hangingIndent).append(SUMMARY).append(lineSep);
                }
                for (int i = trailing; i > 1; i--) {
                    s.append(hangingIndent)
                            .append(recurse(axis + 1, offset + (n - i) * strides[axis], nextIndent, nextWidth))
                            .append(lineSep);
                }
                s.append(hangingIndent).append(recurse(axis + 1, offset + (n - 1) * strides[axis], nextIndent, nextWidth));
            }
            return "[" + s.substring(hangingIndent.length()) + "]";
        }

        /** Appends {@code word} to the current line, first moving to a new line when it would not fit. */
        private static void extend(StringBuilder s, StringBuilder line, String word, int lineWidth, String nextLinePrefix) {
            boolean wrap = line.length() + word.length() > lineWidth && line.length() > nextLinePrefix.length();
            if (wrap) {
                s.append(line.toString().stripTrailing()).append('\n');
                line.setLength(0);
                line.append(nextLinePrefix);
            }
            line.append(word);
        }
    }

    /** The printed form of each shown element: floats in NumPy's common layout, others as Java prints them. */
    private static Map<Integer, String> cells(DenseArray a, List<Integer> offsets) {
        Map<Integer, String> cells = new HashMap<>();
        DType t = a.aval().dtype();
        if (!t.isFloating()) {
            for (int i : offsets) {
                cells.put(i, switch (t) {
                    case BOOL -> Boolean.toString(a.bools()[i]);
                    case INT64 -> Long.toString(a.longs()[i]);
                    default -> Long.toString((long) a.getDouble(i));
                });
            }
            return cells;
        }
        List<Double> values = new ArrayList<>();
        List<String> shortest = new ArrayList<>();
        for (int i : offsets) {
            // the shortest string that identifies the value in its own type (0.1f is 0.1, not 0.10000000149)
            double v = a.getDouble(i);
            values.add(v);
            shortest.add(switch (t) {
                case FLOAT32 -> Float.toString((float) v);
                case FLOAT64 -> Double.toString(v);
                default -> shortestNarrow(v, t);
            });
        }
        FloatFormat format = FloatFormat.of(values, shortest);
        for (int k = 0; k < offsets.size(); k++) {
            cells.put(offsets.get(k), format.format(values.get(k), shortest.get(k)));
        }
        return cells;
    }

    /** The shortest decimal string (as Java prints a double) that rounds to the same float16/bfloat16 value. */
    private static String shortestNarrow(double v, DType t) {
        if (Double.isNaN(v) || Double.isInfinite(v) || v == 0) {
            return Double.toString(v);
        }
        short bits = t == DType.FLOAT16 ? NarrowTypes.doubleToHalf(v) : NarrowTypes.doubleToBf16(v);
        for (int digits = 1; digits < 17; digits++) {
            double candidate = new java.math.BigDecimal(v).round(new java.math.MathContext(digits)).doubleValue();
            short back = t == DType.FLOAT16 ? NarrowTypes.doubleToHalf(candidate) : NarrowTypes.doubleToBf16(candidate);
            if (back == bits) {
                return Double.toString(candidate);
            }
        }
        return Double.toString(v);
    }
}
