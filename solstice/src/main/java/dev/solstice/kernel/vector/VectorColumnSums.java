package dev.solstice.kernel.vector;

import dev.solstice.kernel.Kernels;
import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Column sums of a row-major block (a reduction over leading or middle axes) in the accumulation policy of
 * {@code Kernels}, bitwise equal to the plain loops: the rows are read in order, contiguously, row {@code j}
 * of each full block of {@value Kernels#SUM_LANES} rows added into row {@code j} of a scratch block of partial
 * sums (one per column; {@code 16 x w} doubles, in the L1 cache), whose rows are then combined pairwise; the
 * remaining rows are then added in order. Columns left over after the last whole vector take the plain loops.
 */
final class VectorColumnSums {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /** float32 elements are loaded half a double vector wide and widened to one double vector. */
    private static final VectorSpecies<Float> F = VectorSpecies.of(float.class,
            VectorShape.forBitSize(D.vectorBitSize() / 2));
    private static final int BLOCK = Kernels.SUM_LANES;

    /** Columns per vector; the caller sums the last {@code w % STRIP} columns with the plain loops. */
    static final int STRIP = D.length();

    private VectorColumnSums() {}

    /**
     * Sums {@code w} columns ({@code w} a multiple of {@link #STRIP}) whose row {@code j} starts at
     * {@code a[in + j * stride]}, into {@code r[at .. at+w)}; {@code p} is scratch of {@code 16 * w} doubles.
     */
    static void sums(double[] a, int in, int rows, int stride, int w, double[] r, int at, double[] p) {
        int full = rows - rows % BLOCK;
        Arrays.fill(p, 0, full > 0 ? BLOCK * w : w, 0.0);
        for (int row = 0; row < rows; row++) {
            int src = in + row * stride;
            int dst = row < full ? row % BLOCK * w : 0;
            if (row == full) {
                combine(p, w, full);
            }
            for (int c = 0; c < w; c += STRIP) {
                load(p, dst + c).add(load(a, src + c)).intoArray(p, dst + c);
            }
        }
        if (rows == full) {
            combine(p, w, full);
        }
        System.arraycopy(p, 0, r, at, w);
    }

    /** As {@link #sums(double[], int, int, int, int, double[], int, double[])}, float32 widened; each sum rounded to float32 once. */
    static void sums(float[] a, int in, int rows, int stride, int w, float[] r, int at, double[] p) {
        int full = rows - rows % BLOCK;
        Arrays.fill(p, 0, full > 0 ? BLOCK * w : w, 0.0);
        for (int row = 0; row < rows; row++) {
            int src = in + row * stride;
            int dst = row < full ? row % BLOCK * w : 0;
            if (row == full) {
                combine(p, w, full);
            }
            for (int c = 0; c < w; c += STRIP) {
                load(p, dst + c).add(load(a, src + c)).intoArray(p, dst + c);
            }
        }
        if (rows == full) {
            combine(p, w, full);
        }
        for (int c = 0; c < w; c += STRIP) {
            ((FloatVector) load(p, c).convertShape(VectorOperators.D2F, F, 0)).intoArray(r, at + c);
        }
    }

    private static DoubleVector load(double[] a, int i) {
        return DoubleVector.fromArray(D, a, i);
    }

    private static DoubleVector load(float[] a, int i) {
        return (DoubleVector) FloatVector.fromArray(F, a, i).convertShape(VectorOperators.F2D, D, 0);
    }

    /** The policy's pairwise combination of each column's partial sums ({@code p[j] += p[j + h]}, h = 8, 4, 2, 1). */
    private static void combine(double[] p, int w, int full) {
        if (full == 0) {
            return;
        }
        for (int h = BLOCK / 2; h >= 1; h /= 2) {
            for (int j = 0; j < h; j++) {
                for (int c = 0; c < w; c += STRIP) {
                    load(p, j * w + c).add(load(p, (j + h) * w + c)).intoArray(p, j * w + c);
                }
            }
        }
    }
}
