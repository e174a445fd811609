package dev.solstice.spark;

import java.io.Serializable;
import java.util.Comparator;
import java.util.List;

/**
 * One partition's contribution: a summed vector (a gradient, Hessian-vector products, or nothing), a summed
 * scalar (the loss or a metric) and its number of examples. The driver adds contributions in partition order
 * ({@link #addInOrder}), so a result does not depend on which task finished first: runs are bitwise
 * reproducible.
 *
 * @param partition the partition index
 * @param vector the summed vector
 * @param scalar the summed scalar
 * @param count the partition's examples that contributed
 */
record PartitionSum(int partition, double[] vector, double scalar, long count) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The sum of {@code parts} added one after another in partition order, into new arrays. */
    static PartitionSum addInOrder(List<PartitionSum> parts, int vectorLength) {
        List<PartitionSum> sorted = parts.stream().sorted(Comparator.comparingInt(PartitionSum::partition)).toList();
        double[] v = new double[vectorLength];
        double s = 0;
        long n = 0;
        for (PartitionSum p : sorted) {
            if (p.vector().length == vectorLength) {
                for (int i = 0; i < vectorLength; i++) {
                    v[i] += p.vector()[i];
                }
            } else if (p.count() > 0) {
                throw new IllegalStateException("partition " + p.partition() + " returned " + p.vector().length
                        + " values, expected " + vectorLength);
            }
            s += p.scalar();
            n += p.count();
        }
        return new PartitionSum(-1, v, s, n);
    }
}
