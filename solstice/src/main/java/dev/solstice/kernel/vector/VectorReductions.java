package dev.solstice.kernel.vector;

import dev.solstice.kernel.Kernels;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector reductions of one contiguous group. Sums follow the accumulation policy of {@code Kernels} exactly
 * (bitwise equal to {@code Sums}): the {@value Kernels#SUM_LANES} partial sums are four 256-bit double
 * vectors whatever the preferred width (float32 elements widened from 128-bit loads), combined in the
 * policy's pairwise order; the tail is added in order. max and min use {@code SPECIES_PREFERRED}: they follow
 * {@code Math.max}/{@code Math.min} lane by lane, which is associative, so their order is free.
 */
final class VectorReductions {
    private static final VectorSpecies<Double> D4 = DoubleVector.SPECIES_256;
    private static final VectorSpecies<Float> F4 = FloatVector.SPECIES_128;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** Half a preferred vector of float32, widened to one preferred vector of float64. */
    private static final VectorSpecies<Float> FH = VectorSpecies.of(float.class,
            VectorShape.forBitSize(D.vectorBitSize() / 2));
    private static final int BLOCK = Kernels.SUM_LANES;

    /** Whether the JIT has 256-bit vectors (else the plain loops are used: emulated vectors would be slow). */
    static final boolean AVAILABLE = D.vectorBitSize() >= 256;
    /** The scratch length {@link #reduce} needs. */
    static final int SCRATCH = Math.max(BLOCK, Math.max(D.length(), F.length()));

    private VectorReductions() {}

    /** Reduces {@code a[from .. from+n)}; {@code scratch} has {@link #SCRATCH} doubles. */
    static double reduce(double[] a, int from, int n, Kernels.Reduction kind, double[] scratch) {
        if (kind != Kernels.Reduction.SUM) {
            return extreme(a, from, n, kind == Kernels.Reduction.MAX, scratch);
        }
        int full = n - n % BLOCK;
        DoubleVector p0 = DoubleVector.zero(D4);
        DoubleVector p1 = p0;
        DoubleVector p2 = p0;
        DoubleVector p3 = p0;
        for (int b = from; b < from + full; b += BLOCK) {
            p0 = p0.add(DoubleVector.fromArray(D4, a, b));
            p1 = p1.add(DoubleVector.fromArray(D4, a, b + 4));
            p2 = p2.add(DoubleVector.fromArray(D4, a, b + 8));
            p3 = p3.add(DoubleVector.fromArray(D4, a, b + 12));
        }
        double s = combine(p0, p1, p2, p3, scratch);
        for (int i = from + full; i < from + n; i++) {
            s += a[i];
        }
        return s;
    }

    /** Reduces {@code a[from .. from+n)} (sums in double); {@code scratch} has {@link #SCRATCH} doubles. */
    static double reduce(float[] a, int from, int n, Kernels.Reduction kind, double[] scratch) {
        if (kind != Kernels.Reduction.SUM) {
            return extreme(a, from, n, kind == Kernels.Reduction.MAX, scratch);
        }
        int full = n - n % BLOCK;
        DoubleVector p0 = DoubleVector.zero(D4);
        DoubleVector p1 = p0;
        DoubleVector p2 = p0;
        DoubleVector p3 = p0;
        for (int b = from; b < from + full; b += BLOCK) {
            p0 = p0.add(widen(a, b));
            p1 = p1.add(widen(a, b + 4));
            p2 = p2.add(widen(a, b + 8));
            p3 = p3.add(widen(a, b + 12));
        }
        double s = combine(p0, p1, p2, p3, scratch);
        for (int i = from + full; i < from + n; i++) {
            s += a[i];
        }
        return s;
    }

    private static DoubleVector widen(float[] a, int i) {
        return (DoubleVector) FloatVector.fromArray(F4, a, i).convertShape(VectorOperators.F2D, D4, 0);
    }

    /** The policy's pairwise combination of partial sums 0-3, 4-7, 8-11, 12-15 held in p0..p3. */
    private static double combine(DoubleVector p0, DoubleVector p1, DoubleVector p2, DoubleVector p3,
            double[] scratch) {
        p0.add(p2).add(p1.add(p3)).intoArray(scratch, 0);
        return (scratch[0] + scratch[2]) + (scratch[1] + scratch[3]);
    }

    private static double extreme(double[] a, int from, int n, boolean max, double[] scratch) {
        double init = max ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        DoubleVector acc = DoubleVector.broadcast(D, init);
        int i = from;
        for (int bound = from + D.loopBound(n); i < bound; i += D.length()) {
            DoubleVector v = DoubleVector.fromArray(D, a, i);
            acc = max ? acc.max(v) : acc.min(v);
        }
        acc.intoArray(scratch, 0);
        double r = init;
        for (int j = 0; j < D.length(); j++) {
            r = max ? Math.max(r, scratch[j]) : Math.min(r, scratch[j]);
        }
        for (; i < from + n; i++) {
            r = max ? Math.max(r, a[i]) : Math.min(r, a[i]);
        }
        return r;
    }

    private static double extreme(float[] a, int from, int n, boolean max, double[] scratch) {
        float init = max ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
        FloatVector acc = FloatVector.broadcast(F, init);
        int i = from;
        for (int bound = from + F.loopBound(n); i < bound; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, a, i);
            acc = max ? acc.max(v) : acc.min(v);
        }
        float r = max ? acc.reduceLanes(VectorOperators.MAX) : acc.reduceLanes(VectorOperators.MIN);
        for (; i < from + n; i++) {
            r = max ? Math.max(r, a[i]) : Math.min(r, a[i]);
        }
        return r;
    }

    /**
     * {@code p[dst + c] += a[src + c]} for {@code c < w}, {@code a} float32 (widened from half-width loads) or
     * float64: one row of the column sums of a reduction over leading axes; the columns past the last whole
     * vector one by one.
     */
    static void addRow(Object a, int src, double[] p, int dst, int w) {
        int c = 0;
        if (a instanceof float[] f) {
            for (int bound = D.loopBound(w); c < bound; c += D.length()) {
                DoubleVector.fromArray(D, p, dst + c).add(widenPreferred(f, src + c)).intoArray(p, dst + c);
            }
            for (; c < w; c++) {
                p[dst + c] += f[src + c];
            }
        } else {
            double[] d = (double[]) a;
            for (int bound = D.loopBound(w); c < bound; c += D.length()) {
                DoubleVector.fromArray(D, p, dst + c).add(DoubleVector.fromArray(D, d, src + c)).intoArray(p, dst + c);
            }
            for (; c < w; c++) {
                p[dst + c] += d[src + c];
            }
        }
    }

    private static DoubleVector widenPreferred(float[] a, int i) {
        return (DoubleVector) FloatVector.fromArray(FH, a, i).convertShape(VectorOperators.F2D, D, 0);
    }
}
