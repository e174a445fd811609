package dev.solstice.kernel.vector;

import dev.solstice.kernel.Kernels;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Column sums of a row-major block (a reduction over leading or middle axes) in the accumulation policy of
 * {@code Kernels}, bitwise equal to the plain loops: a strip of adjacent columns, one double vector wide, is
 * summed down the rows into {@value Kernels#SUM_LANES} vector registers (row {@code j} of each full block of
 * 16 rows into register {@code j}, so each lane keeps its column's partial sums), which are combined
 * pairwise, then the remaining rows are added in order. Columns left over after the last full strip take the
 * scalar path.
 */
final class VectorColumnSums {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /** float32 elements are loaded half a double vector wide and widened to one double vector. */
    private static final VectorSpecies<Float> F = VectorSpecies.of(float.class,
            VectorShape.forBitSize(D.vectorBitSize() / 2));
    private static final int BLOCK = Kernels.SUM_LANES;

    private VectorColumnSums() {}

    /** Columns per strip; the caller sums the last {@code w % STRIP} columns with the plain loops. */
    static final int STRIP = D.length();

    /**
     * Sums the first {@code w - w % STRIP} of {@code w} columns whose row {@code j} starts at
     * {@code a[in + j * stride]}, into {@code r[at ..]}.
     */
    static void sums(double[] a, int in, int rows, int stride, int w, double[] r, int at) {
        int full = rows - rows % BLOCK;
        for (int c = 0; c + STRIP <= w; c += STRIP) {
            DoubleVector p0 = DoubleVector.zero(D), p1 = p0, p2 = p0, p3 = p0, p4 = p0, p5 = p0, p6 = p0, p7 = p0;
            DoubleVector p8 = p0, p9 = p0, p10 = p0, p11 = p0, p12 = p0, p13 = p0, p14 = p0, p15 = p0;
            int i = in + c;
            for (int b = 0; b < full; b += BLOCK) {
                p0 = p0.add(load(a, i)); p1 = p1.add(load(a, i += stride));
                p2 = p2.add(load(a, i += stride)); p3 = p3.add(load(a, i += stride));
                p4 = p4.add(load(a, i += stride)); p5 = p5.add(load(a, i += stride));
                p6 = p6.add(load(a, i += stride)); p7 = p7.add(load(a, i += stride));
                p8 = p8.add(load(a, i += stride)); p9 = p9.add(load(a, i += stride));
                p10 = p10.add(load(a, i += stride)); p11 = p11.add(load(a, i += stride));
                p12 = p12.add(load(a, i += stride)); p13 = p13.add(load(a, i += stride));
                p14 = p14.add(load(a, i += stride)); p15 = p15.add(load(a, i += stride));
                i += stride;
            }
            DoubleVector s = combine(p0, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15);
            for (int row = full; row < rows; row++, i += stride) {
                s = s.add(load(a, i));
            }
            s.intoArray(r, at + c);
        }
    }

    /** As {@link #sums(double[], int, int, int, int, double[], int)}, float32 widened; each sum rounded to float32 once. */
    static void sums(float[] a, int in, int rows, int stride, int w, float[] r, int at) {
        int full = rows - rows % BLOCK;
        for (int c = 0; c + STRIP <= w; c += STRIP) {
            DoubleVector p0 = DoubleVector.zero(D), p1 = p0, p2 = p0, p3 = p0, p4 = p0, p5 = p0, p6 = p0, p7 = p0;
            DoubleVector p8 = p0, p9 = p0, p10 = p0, p11 = p0, p12 = p0, p13 = p0, p14 = p0, p15 = p0;
            int i = in + c;
            for (int b = 0; b < full; b += BLOCK) {
                p0 = p0.add(load(a, i)); p1 = p1.add(load(a, i += stride));
                p2 = p2.add(load(a, i += stride)); p3 = p3.add(load(a, i += stride));
                p4 = p4.add(load(a, i += stride)); p5 = p5.add(load(a, i += stride));
                p6 = p6.add(load(a, i += stride)); p7 = p7.add(load(a, i += stride));
                p8 = p8.add(load(a, i += stride)); p9 = p9.add(load(a, i += stride));
                p10 = p10.add(load(a, i += stride)); p11 = p11.add(load(a, i += stride));
                p12 = p12.add(load(a, i += stride)); p13 = p13.add(load(a, i += stride));
                p14 = p14.add(load(a, i += stride)); p15 = p15.add(load(a, i += stride));
                i += stride;
            }
            DoubleVector s = combine(p0, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15);
            for (int row = full; row < rows; row++, i += stride) {
                s = s.add(load(a, i));
            }
            s.convertShape(VectorOperators.D2F, F, 0).reinterpretAsFloats().intoArray(r, at + c);
        }
    }

    private static DoubleVector load(double[] a, int i) {
        return DoubleVector.fromArray(D, a, i);
    }

    private static DoubleVector load(float[] a, int i) {
        return (DoubleVector) FloatVector.fromArray(F, a, i).convertShape(VectorOperators.F2D, D, 0);
    }

    /** The policy's pairwise combination, lane by lane: {@code p[j] += p[j + h]} for h = 8, 4, 2, 1. */
    private static DoubleVector combine(DoubleVector p0, DoubleVector p1, DoubleVector p2, DoubleVector p3,
            DoubleVector p4, DoubleVector p5, DoubleVector p6, DoubleVector p7, DoubleVector p8, DoubleVector p9,
            DoubleVector p10, DoubleVector p11, DoubleVector p12, DoubleVector p13, DoubleVector p14,
            DoubleVector p15) {
        DoubleVector q0 = p0.add(p8), q1 = p1.add(p9), q2 = p2.add(p10), q3 = p3.add(p11);
        DoubleVector q4 = p4.add(p12), q5 = p5.add(p13), q6 = p6.add(p14), q7 = p7.add(p15);
        DoubleVector r0 = q0.add(q4), r1 = q1.add(q5), r2 = q2.add(q6), r3 = q3.add(q7);
        return r0.add(r2).add(r1.add(r3));
    }
}
