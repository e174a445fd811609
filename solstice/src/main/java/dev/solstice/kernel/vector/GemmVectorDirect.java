package dev.solstice.kernel.vector;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The direct (unpacked) loops of {@link GemmVector}: A read in place, one broadcast per element, B read in
 * place row by row. Blocks of 4 rows take the columns two vectors at a time (one vector when at most one is
 * left, so a narrow output such as n = 10 is not padded to two); the rows left over, and matrix-vector
 * products (m = 1), take them four vectors at a time, so a single row still has four independent fma chains.
 * The last vectors of a row are masked: no tail loop, no padding.
 */
final class GemmVectorDirect {
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    private static final int FL = FS.length();
    private static final int DL = DS.length();

    private GemmVectorDirect() {}

    static void f32(int rows, int cols, int k, float[] a, int ao, int ars, int acs, float[] b, int bo, int ldb,
            float[] c, int co, int ldc) {
        int blocked = rows & ~3;
        for (int j = 0; j < cols; j += 2 * FL) {
            for (int i = 0; i < blocked; i += 4) {
                if (cols - j <= FL) {
                    f32Rows4x1(k, a, ao + i * ars, ars, acs, b, bo + j, ldb, c, co + i * ldc + j, ldc, j, cols);
                } else {
                    f32Rows4x2(k, a, ao + i * ars, ars, acs, b, bo + j, ldb, c, co + i * ldc + j, ldc, j, cols);
                }
            }
        }
        for (int i = blocked; i < rows; i++) {
            for (int j = 0; j < cols; j += 4 * FL) {
                f32Row(k, a, ao + i * ars, acs, b, bo + j, ldb, c, co + i * ldc + j, j, cols);
            }
        }
    }

    private static void f32Rows4x2(int k, float[] a, int ao, int ars, int acs, float[] b, int bo, int ldb,
            float[] c, int co, int ldc, int j, int cols) {
        VectorMask<Float> m0 = FS.indexInRange(j, cols);
        VectorMask<Float> m1 = FS.indexInRange(j + FL, cols);
        FloatVector c00 = FloatVector.zero(FS);
        FloatVector c01 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        for (int p = 0, x = ao, y = bo; p < k; p++, x += acs, y += ldb) {
            FloatVector b0 = FloatVector.fromArray(FS, b, y, m0);
            FloatVector b1 = FloatVector.fromArray(FS, b, y + FL, m1);
            FloatVector a0 = FloatVector.broadcast(FS, a[x]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(FS, a[x + ars]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(FS, a[x + 2 * ars]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(FS, a[x + 3 * ars]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
        }
        c00.intoArray(c, co, m0);
        c01.intoArray(c, co + FL, m1);
        c10.intoArray(c, co + ldc, m0);
        c11.intoArray(c, co + ldc + FL, m1);
        c20.intoArray(c, co + 2 * ldc, m0);
        c21.intoArray(c, co + 2 * ldc + FL, m1);
        c30.intoArray(c, co + 3 * ldc, m0);
        c31.intoArray(c, co + 3 * ldc + FL, m1);
    }

    private static void f32Rows4x1(int k, float[] a, int ao, int ars, int acs, float[] b, int bo, int ldb,
            float[] c, int co, int ldc, int j, int cols) {
        VectorMask<Float> m0 = FS.indexInRange(j, cols);
        FloatVector c0 = FloatVector.zero(FS);
        FloatVector c1 = c0;
        FloatVector c2 = c0;
        FloatVector c3 = c0;
        for (int p = 0, x = ao, y = bo; p < k; p++, x += acs, y += ldb) {
            FloatVector b0 = FloatVector.fromArray(FS, b, y, m0);
            c0 = FloatVector.broadcast(FS, a[x]).fma(b0, c0);
            c1 = FloatVector.broadcast(FS, a[x + ars]).fma(b0, c1);
            c2 = FloatVector.broadcast(FS, a[x + 2 * ars]).fma(b0, c2);
            c3 = FloatVector.broadcast(FS, a[x + 3 * ars]).fma(b0, c3);
        }
        c0.intoArray(c, co, m0);
        c1.intoArray(c, co + ldc, m0);
        c2.intoArray(c, co + 2 * ldc, m0);
        c3.intoArray(c, co + 3 * ldc, m0);
    }

    /** One row, columns {@code j .. j + 4*FL} of {@code cols} (b and c already offset to column j). */
    private static void f32Row(int k, float[] a, int ao, int acs, float[] b, int bo, int ldb, float[] c, int co,
            int j, int cols) {
        VectorMask<Float> m0 = FS.indexInRange(j, cols);
        VectorMask<Float> m1 = FS.indexInRange(j + FL, cols);
        VectorMask<Float> m2 = FS.indexInRange(j + 2 * FL, cols);
        VectorMask<Float> m3 = FS.indexInRange(j + 3 * FL, cols);
        FloatVector c0 = FloatVector.zero(FS);
        FloatVector c1 = c0;
        FloatVector c2 = c0;
        FloatVector c3 = c0;
        for (int p = 0, x = ao, y = bo; p < k; p++, x += acs, y += ldb) {
            FloatVector ap = FloatVector.broadcast(FS, a[x]);
            c0 = ap.fma(FloatVector.fromArray(FS, b, y, m0), c0);
            c1 = ap.fma(FloatVector.fromArray(FS, b, y + FL, m1), c1);
            c2 = ap.fma(FloatVector.fromArray(FS, b, y + 2 * FL, m2), c2);
            c3 = ap.fma(FloatVector.fromArray(FS, b, y + 3 * FL, m3), c3);
        }
        c0.intoArray(c, co, m0);
        c1.intoArray(c, co + FL, m1);
        c2.intoArray(c, co + 2 * FL, m2);
        c3.intoArray(c, co + 3 * FL, m3);
    }

    static void f64(int rows, int cols, int k, double[] a, int ao, int ars, int acs, double[] b, int bo, int ldb,
            double[] c, int co, int ldc) {
        int blocked = rows & ~3;
        for (int j = 0; j < cols; j += 2 * DL) {
            for (int i = 0; i < blocked; i += 4) {
                if (cols - j <= DL) {
                    f64Rows4x1(k, a, ao + i * ars, ars, acs, b, bo + j, ldb, c, co + i * ldc + j, ldc, j, cols);
                } else {
                    f64Rows4x2(k, a, ao + i * ars, ars, acs, b, bo + j, ldb, c, co + i * ldc + j, ldc, j, cols);
                }
            }
        }
        for (int i = blocked; i < rows; i++) {
            for (int j = 0; j < cols; j += 4 * DL) {
                f64Row(k, a, ao + i * ars, acs, b, bo + j, ldb, c, co + i * ldc + j, j, cols);
            }
        }
    }

    private static void f64Rows4x2(int k, double[] a, int ao, int ars, int acs, double[] b, int bo, int ldb,
            double[] c, int co, int ldc, int j, int cols) {
        VectorMask<Double> m0 = DS.indexInRange(j, cols);
        VectorMask<Double> m1 = DS.indexInRange(j + DL, cols);
        DoubleVector c00 = DoubleVector.zero(DS);
        DoubleVector c01 = c00;
        DoubleVector c10 = c00;
        DoubleVector c11 = c00;
        DoubleVector c20 = c00;
        DoubleVector c21 = c00;
        DoubleVector c30 = c00;
        DoubleVector c31 = c00;
        for (int p = 0, x = ao, y = bo; p < k; p++, x += acs, y += ldb) {
            DoubleVector b0 = DoubleVector.fromArray(DS, b, y, m0);
            DoubleVector b1 = DoubleVector.fromArray(DS, b, y + DL, m1);
            DoubleVector a0 = DoubleVector.broadcast(DS, a[x]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            DoubleVector a1 = DoubleVector.broadcast(DS, a[x + ars]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            DoubleVector a2 = DoubleVector.broadcast(DS, a[x + 2 * ars]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            DoubleVector a3 = DoubleVector.broadcast(DS, a[x + 3 * ars]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
        }
        c00.intoArray(c, co, m0);
        c01.intoArray(c, co + DL, m1);
        c10.intoArray(c, co + ldc, m0);
        c11.intoArray(c, co + ldc + DL, m1);
        c20.intoArray(c, co + 2 * ldc, m0);
        c21.intoArray(c, co + 2 * ldc + DL, m1);
        c30.intoArray(c, co + 3 * ldc, m0);
        c31.intoArray(c, co + 3 * ldc + DL, m1);
    }

    private static void f64Rows4x1(int k, double[] a, int ao, int ars, int acs, double[] b, int bo, int ldb,
            double[] c, int co, int ldc, int j, int cols) {
        VectorMask<Double> m0 = DS.indexInRange(j, cols);
        DoubleVector c0 = DoubleVector.zero(DS);
        DoubleVector c1 = c0;
        DoubleVector c2 = c0;
        DoubleVector c3 = c0;
        for (int p = 0, x = ao, y = bo; p < k; p++, x += acs, y += ldb) {
            DoubleVector b0 = DoubleVector.fromArray(DS, b, y, m0);
            c0 = DoubleVector.broadcast(DS, a[x]).fma(b0, c0);
            c1 = DoubleVector.broadcast(DS, a[x + ars]).fma(b0, c1);
            c2 = DoubleVector.broadcast(DS, a[x + 2 * ars]).fma(b0, c2);
            c3 = DoubleVector.broadcast(DS, a[x + 3 * ars]).fma(b0, c3);
        }
        c0.intoArray(c, co, m0);
        c1.intoArray(c, co + ldc, m0);
        c2.intoArray(c, co + 2 * ldc, m0);
        c3.intoArray(c, co + 3 * ldc, m0);
    }

    private static void f64Row(int k, double[] a, int ao, int acs, double[] b, int bo, int ldb, double[] c, int co,
            int j, int cols) {
        VectorMask<Double> m0 = DS.indexInRange(j, cols);
        VectorMask<Double> m1 = DS.indexInRange(j + DL, cols);
        VectorMask<Double> m2 = DS.indexInRange(j + 2 * DL, cols);
        VectorMask<Double> m3 = DS.indexInRange(j + 3 * DL, cols);
        DoubleVector c0 = DoubleVector.zero(DS);
        DoubleVector c1 = c0;
        DoubleVector c2 = c0;
        DoubleVector c3 = c0;
        for (int p = 0, x = ao, y = bo; p < k; p++, x += acs, y += ldb) {
            DoubleVector ap = DoubleVector.broadcast(DS, a[x]);
            c0 = ap.fma(DoubleVector.fromArray(DS, b, y, m0), c0);
            c1 = ap.fma(DoubleVector.fromArray(DS, b, y + DL, m1), c1);
            c2 = ap.fma(DoubleVector.fromArray(DS, b, y + 2 * DL, m2), c2);
            c3 = ap.fma(DoubleVector.fromArray(DS, b, y + 3 * DL, m3), c3);
        }
        c0.intoArray(c, co, m0);
        c1.intoArray(c, co + DL, m1);
        c2.intoArray(c, co + 2 * DL, m2);
        c3.intoArray(c, co + 3 * DL, m3);
    }
}
