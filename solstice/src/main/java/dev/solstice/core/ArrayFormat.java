package dev.solstice.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Formats array contents as NumPy's {@code array_repr} lays them out (a port of NumPy's {@code _formatArray}):
 * nested brackets, one row per line for rank two and more with a blank line between blocks of higher axes,
 * elements right-aligned to a common width, rows wrapped at 75 characters, and above 1000 elements only the
 * first and last three items of every axis, with {@code ...} in between. Elements are Java's shortest
 * round-trip strings ({@code 1.0}, {@code 1.0E-5}, {@code true}) rather than NumPy's {@code 1.}.
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
            return element(a, 0);
        }
        if (av.size() == 0) {
            return "[]";
        }
        boolean summarise = av.size() > SUMMARISE_ABOVE;
        int width = 0;
        for (int offset : shownOffsets(av, summarise)) {
            width = Math.max(width, element(a, offset).length());
        }
        int[] strides = new int[av.rank()];
        int stride = 1;
        for (int i = av.rank() - 1; i >= 0; i--) {
            strides[i] = stride;
            stride *= av.dim(i);
        }
        Layout layout = new Layout(a, strides, summarise, width);
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
    private record Layout(DenseArray a, int[] strides, boolean summarise, int width) {

        String recurse(int axis, int offset, String hangingIndent, int currWidth) {
            int rank = strides.length;
            if (axis == rank) {
                String e = element(a, offset);
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

    private static String element(DenseArray a, int i) {
        return switch (a.aval().dtype()) {
            case FLOAT32 -> Float.toString(a.floats()[i]);
            case FLOAT64 -> Double.toString(a.doubles()[i]);
            case INT32 -> Integer.toString(a.ints()[i]);
            case BOOL -> Boolean.toString(a.bools()[i]);
        };
    }
}
