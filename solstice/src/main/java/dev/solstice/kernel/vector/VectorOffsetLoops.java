package dev.solstice.kernel.vector;

import dev.solstice.DType;
import dev.solstice.kernel.BinaryOp;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API binary loops: {@code o[oo + i] = a[ao + i] op b[bo + i]} with offsets, serving both the rows
 * of views ({@code StridedZip}) and the contiguous ranges of {@link VectorKernels#zip}; the operations of
 * {@link VectorLoops#hasBinary}, with its lane operations, so every element equals the scalar result bit for
 * bit. A full-vector main loop, then the tail element by element (masked loads fall into non-intrinsified
 * paths once C2 has profiled them).
 */
final class VectorOffsetLoops {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;

    private VectorOffsetLoops() {}

    /** A {@code StridedZip.RowLoop} for the codes with {@code VectorLoops.hasBinary(op, in)}. */
    static void binary(BinaryOp op, DType in, Object a, int ao, Object b, int bo, Object o, int oo, int n) {
        boolean compare = op.isComparison();
        switch (in) {
            case FLOAT64 -> {
                if (compare) {
                    compare(op, (double[]) a, ao, (double[]) b, bo, (boolean[]) o, oo, n);
                } else {
                    doubles(op, (double[]) a, ao, (double[]) b, bo, (double[]) o, oo, n);
                }
            }
            case FLOAT32 -> {
                if (compare) {
                    compare(op, (float[]) a, ao, (float[]) b, bo, (boolean[]) o, oo, n);
                } else {
                    floats(op, (float[]) a, ao, (float[]) b, bo, (float[]) o, oo, n);
                }
            }
            default -> {
                if (compare) {
                    compare(op, (int[]) a, ao, (int[]) b, bo, (boolean[]) o, oo, n);
                } else {
                    ints(op, (int[]) a, ao, (int[]) b, bo, (int[]) o, oo, n);
                }
            }
        }
    }

    private static void doubles(BinaryOp op, double[] a, int ao, double[] b, int bo, double[] o, int oo, int n) {
        int i = 0;
        for (int bound = D.loopBound(n); i < bound; i += D.length()) {
            VectorLoops.apply(op, DoubleVector.fromArray(D, a, ao + i), DoubleVector.fromArray(D, b, bo + i))
                    .intoArray(o, oo + i);
        }
        for (; i < n; i++) { // a scalar tail: masked loads fall into slow paths once C2 has profiled them
            o[oo + i] = op.apply(a[ao + i], b[bo + i]);
        }
    }

    private static void floats(BinaryOp op, float[] a, int ao, float[] b, int bo, float[] o, int oo, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            VectorLoops.apply(op, FloatVector.fromArray(F, a, ao + i), FloatVector.fromArray(F, b, bo + i))
                    .intoArray(o, oo + i);
        }
        for (; i < n; i++) { // a scalar tail: masked loads fall into slow paths once C2 has profiled them
            o[oo + i] = (float) op.apply(a[ao + i], b[bo + i]);
        }
    }

    private static void ints(BinaryOp op, int[] a, int ao, int[] b, int bo, int[] o, int oo, int n) {
        int i = 0;
        for (int bound = I.loopBound(n); i < bound; i += I.length()) {
            VectorLoops.apply(op, IntVector.fromArray(I, a, ao + i), IntVector.fromArray(I, b, bo + i))
                    .intoArray(o, oo + i);
        }
        for (; i < n; i++) { // a scalar tail: masked loads fall into slow paths once C2 has profiled them
            o[oo + i] = op.applyInt(a[ao + i], b[bo + i]);
        }
    }

    private static void compare(BinaryOp op, double[] a, int ao, double[] b, int bo, boolean[] o, int oo, int n) {
        int i = 0;
        for (int bound = D.loopBound(n); i < bound; i += D.length()) {
            VectorLoops.test(op, DoubleVector.fromArray(D, a, ao + i), DoubleVector.fromArray(D, b, bo + i))
                    .intoArray(o, oo + i);
        }
        for (; i < n; i++) {
            o[oo + i] = op.test(a[ao + i], b[bo + i]);
        }
    }

    private static void compare(BinaryOp op, float[] a, int ao, float[] b, int bo, boolean[] o, int oo, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            VectorLoops.test(op, FloatVector.fromArray(F, a, ao + i), FloatVector.fromArray(F, b, bo + i))
                    .intoArray(o, oo + i);
        }
        for (; i < n; i++) {
            o[oo + i] = op.test(a[ao + i], b[bo + i]);
        }
    }

    private static void compare(BinaryOp op, int[] a, int ao, int[] b, int bo, boolean[] o, int oo, int n) {
        int i = 0;
        for (int bound = I.loopBound(n); i < bound; i += I.length()) {
            VectorLoops.test(op, IntVector.fromArray(I, a, ao + i), IntVector.fromArray(I, b, bo + i))
                    .intoArray(o, oo + i);
        }
        for (; i < n; i++) {
            o[oo + i] = op.test(a[ao + i], b[bo + i]);
        }
    }
}
