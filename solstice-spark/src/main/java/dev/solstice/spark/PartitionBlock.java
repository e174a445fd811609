package dev.solstice.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The examples of one partition as two row-major matrices, built once and cached, so that a step takes its
 * rows in O(rows) without touching the others. Rows of another width than the first are refused with the
 * partition and row named.
 *
 * @param partition the partition index
 * @param rows the number of examples
 * @param featureWidth features per example
 * @param targetWidth targets per example
 * @param features {@code rows x featureWidth}, row-major
 * @param targets {@code rows x targetWidth}, row-major
 */
record PartitionBlock(int partition, int rows, int featureWidth, int targetWidth, double[] features, double[] targets)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The block of one partition's examples; {@code featureWidth} is checked for every row when positive. */
    static PartitionBlock of(int partition, Iterator<Example> it, int featureWidth) {
        List<Example> rows = new ArrayList<>();
        while (it.hasNext()) {
            rows.add(it.next());
        }
        int fw = featureWidth > 0 ? featureWidth : rows.isEmpty() ? 0 : rows.getFirst().features().length;
        int tw = rows.isEmpty() ? 0 : rows.getFirst().targets().length;
        double[] f = new double[rows.size() * fw];
        double[] t = new double[rows.size() * tw];
        for (int r = 0; r < rows.size(); r++) {
            Example e = rows.get(r);
            if (e == null) {
                throw new IllegalArgumentException("partition " + partition + ", row " + r + ": a null example");
            }
            if (e.features().length != fw) {
                throw new IllegalArgumentException("partition " + partition + ", row " + r + ": " + e.features().length
                        + " features, expected " + fw + "; every example must have the model's input width");
            }
            if (e.targets().length != tw) {
                throw new IllegalArgumentException("partition " + partition + ", row " + r + ": " + e.targets().length
                        + " targets, expected " + tw + " (the width of the partition's first row)");
            }
            System.arraycopy(e.features(), 0, f, r * fw, fw);
            System.arraycopy(e.targets(), 0, t, r * tw, tw);
        }
        return new PartitionBlock(partition, rows.size(), fw, tw, f, t);
    }

    /** The rows {@code order[from..to)} as a new block (the order of a step's local mini-batch). */
    PartitionBlock select(int[] order, int from, int to) {
        int n = to - from;
        double[] f = new double[n * featureWidth];
        double[] t = new double[n * targetWidth];
        for (int i = 0; i < n; i++) {
            int r = order[from + i];
            System.arraycopy(features, r * featureWidth, f, i * featureWidth, featureWidth);
            System.arraycopy(targets, r * targetWidth, t, i * targetWidth, targetWidth);
        }
        return new PartitionBlock(partition, n, featureWidth, targetWidth, f, t);
    }
}
