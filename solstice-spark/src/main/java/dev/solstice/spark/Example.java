package dev.solstice.spark;

import java.io.Serializable;
import java.util.Arrays;

/**
 * One training or evaluation example as it travels through Spark: its features and its targets as plain
 * {@code double[]} (Java-serialisable, and exact for float32 data). A classification label is one target
 * holding the class index.
 *
 * @param features the input vector; every example of a data set has the same width
 * @param targets the target vector (a class index, regression targets, ...); one width per data set
 */
public record Example(double[] features, double[] targets) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Checks the arguments and copies nothing (Spark rows are not shared mutable state). */
    public Example {
        if (features == null || targets == null) {
            throw new IllegalArgumentException("Example: features and targets must not be null");
        }
    }

    /** An example with one target: a class index for classification. */
    public static Example labelled(double[] features, int label) {
        return new Example(features, new double[] {label});
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Example e && Arrays.equals(features, e.features) && Arrays.equals(targets, e.targets);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(features) + Arrays.hashCode(targets);
    }

    @Override
    public String toString() {
        return "Example(" + features.length + " features, targets " + Arrays.toString(targets) + ")";
    }
}
