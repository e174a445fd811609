package dev.solstice.kernel.vector;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The direct (unpacked) loops of {@link GemmVector}: A read in place, one broadcast per element, B read in
 * place row by row, for a block whose width is a whole number of vectors (the caller pads the last columns).
 * Blocks of 4 rows take the columns two vectors at a time; when one vector is left (a narrow output such as
 * n = 10 costs one vector, not two) they take it 8 rows at a time while 8 are left, for twice the independent
 * fma chains. The rows left over, and matrix-vector products (m = 1), take the columns four vectors at a time,
 * so that a single row still has four independent fma chains. Rows are stored in ascending order (see
 * {@code GemmKernel.directF32}).
 *
 * <p>No masks: masked loads and stores made these loops several times slower once C2 had compiled them with
 * a profile that had seen their out-of-range paths (measured in a training step: 83 us for a 128x64x128
 * product that took 22 us in a fresh JVM), so the loops touch only whole vectors inside the arrays.
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
            boolean pair = cols - j >= 2 * FL;
            if (pair) {
                for (int i = 0; i < blocked; i += 4) {
                    f32Rows4x2(k, a, ao + i * ars, ars, acs, b, bo + j, ldb, c, co + i * ldc + j, ldc);
                }
            } else {
                int i = 0;
                for (; i + 8 <= blocked; i += 8) {
                    f32Rows8x1(k, a, ao + i * ars, ars, acs, b, bo + j, ldb, c, co + i * ldc + j, ldc);
                }
                for (; i < blocked; i += 4) {
                    f32Rows4x1(k, a, ao + i * ars, ars, acs, b, bo + j, ldb, c, co + i * ldc + j, ldc);
                }
            }
        }
        for (int i = blocked; i < rows; i++) {
            int j = 0;
            for (; j + 4 * FL <= cols; j += 4 * FL) {
                f32Row4(k, a, ao + i * ars, acs, b, bo + j, ldb, c, co + i * ldc + j);
            }
            for (; j < cols; j += FL) {
                f32Row1(k, a, ao + i * ars, acs, b, bo + j, ldb, c, co + i * ldc + j);
            }
        }
    }

    private static void f32Rows4x2(int k, float[] a, int ao, int ars, int acs, float[] b, int bo, int ldb,
            float[] c, int co, int ldc) {
        FloatVector c00 = FloatVector.zero(FS);
        FloatVector c01 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        for (int p = 0, x = ao, y = bo; p < k; p++, x += acs, y += ldb) {
            FloatVector b0 = FloatVector.fromArray(FS, b, y);
            FloatVector b1 = FloatVector.fromArray(FS, b, y + FL);
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
        c00.intoArray(c, co);
        c01.intoArray(c, co + FL);
        c10.intoArray(c, co + ldc);
        c11.intoArray(c, co + ldc + FL);
        c20.intoArray(c, co + 2 * ldc);
        c21.intoArray(c, co + 2 * ldc + FL);
        c30.intoArray(c, co + 3 * ldc);
        c31.intoArray(c, co + 3 * ldc + FL);
    }

    /** Eight rows of one vector: twice the independent fma chains of {@link #f32Rows4x1}, for a narrow C. */
    private static void f32Rows8x1(int k, float[] a, int ao, int ars, int acs, float[] b, int bo, int ldb,
            float[] c, int co, int ldc) {
        FloatVector c0 = FloatVector.zero(FS);
        FloatVector c1 = c0;
        FloatVector c2 = c0;
        FloatVector c3 = c0;
        FloatVector c4 = c0;
        FloatVector c5 = c0;
        FloatVector c6 = c0;
        FloatVector c7 = c0;
        int a4 = ao + 4 * ars;
        for (int p = 0, x = ao, z = a4, y = bo; p < k; p++, x += acs, z += acs, y += ldb) {
            FloatVector b0 = FloatVector.fromArray(FS, b, y);
            c0 = FloatVector.broadcast(FS, a[x]).fma(b0, c0);
            c1 = FloatVector.broadcast(FS, a[x + ars]).fma(b0, c1);
            c2 = FloatVector.broadcast(FS, a[x + 2 * ars]).fma(b0, c2);
            c3 = FloatVector.broadcast(FS, a[x + 3 * ars]).fma(b0, c3);
            c4 = FloatVector.broadcast(FS, a[z]).fma(b0, c4);
            c5 = FloatVector.broadcast(FS, a[z + ars]).fma(b0, c5);
            c6 = FloatVector.broadcast(FS, a[z + 2 * ars]).fma(b0, c6);
            c7 = FloatVector.broadcast(FS, a[z + 3 * ars]).fma(b0, c7);
        }
        c0.intoArray(c, co);
        c1.intoArray(c, co + ldc);
        c2.intoArray(c, co + 2 * ldc);
        c3.intoArray(c, co + 3 * ldc);
        c4.intoArray(c, co + 4 * ldc);
        c5.intoArray(c, co + 5 * ldc);
        c6.intoArray(c, co + 6 * ldc);
        c7.intoArray(c, co + 7 * ldc);
    }

    private static void f32Rows4x1(int k, float[] a, int ao, int ars, int acs, float[] b, int bo, int ldb,
            float[] c, int co, int ldc) {
        FloatVector c0 = FloatVector.zero(FS);
        FloatVector c1 = c0;
        FloatVector c2 = c0;
        FloatVector c3 = c0;
        for (int p = 0, x = ao, y = bo; p < k; p++, x += acs, y += ldb) {
            FloatVector b0 = FloatVector.fromArray(FS, b, y);
            c0 = FloatVector.broadcast(FS, a[x]).fma(b0, c0);
            c1 = FloatVector.broadcast(FS, a[x + ars]).fma(b0, c1);
            c2 = FloatVector.broadcast(FS, a[x + 2 * ars]).fma(b0, c2);
            c3 = FloatVector.broadcast(FS, a[x + 3 * ars]).fma(b0, c3);
        }
        c0.intoArray(c, co);
        c1.intoArray(c, co + ldc);
        c2.intoArray(c, co + 2 * ldc);
        c3.intoArray(c, co + 3 * ldc);
    }

    private static void f32Row4(int k, float[] a, int ao, int acs, float[] b, int bo, int ldb, float[] c, int co) {
        FloatVector c0 = FloatVector.zero(FS);
        FloatVector c1 = c0;
        FloatVector c2 = c0;
        FloatVector c3 = c0;
        for (int p = 0, x = ao, y = bo; p < k; p++, x += acs, y += ldb) {
            FloatVector ap = FloatVector.broadcast(FS, a[x]);
            c0 = ap.fma(FloatVector.fromArray(FS, b, y), c0);
            c1 = ap.fma(FloatVector.fromArray(FS, b, y + FL), c1);
            c2 = ap.fma(FloatVector.fromArray(FS, b, y + 2 * FL), c2);
            c3 = ap.fma(FloatVector.fromArray(FS, b, y + 3 * FL), c3);
        }
        c0.intoArray(c, co);
        c1.intoArray(c, co + FL);
        c2.intoArray(c, co + 2 * FL);
        c3.intoArray(c, co + 3 * FL);
    }

    private static void f32Row1(int k, float[] a, int ao, int acs, float[] b, int bo, int ldb, float[] c, int co) {
        FloatVector c0 = FloatVector.zero(FS);
        for (int p = 0, x = ao, y = bo; p < k; p++, x += acs, y += ldb) {
            c0 = FloatVector.broadcast(FS, a[x]).fma(FloatVector.fromArray(FS, b, y), c0);
        }
        c0.intoArray(c, co);
    }

    static void f64(int rows, int cols, int k, double[] a, int ao, int ars, int acs, double[] b, int bo, int ldb,
            double[] c, int co, int ldc) {
        int blocked = rows & ~3;
        for (int j = 0; j < cols; j += 2 * DL) {
            boolean pair = cols - j >= 2 * DL;
            if (pair) {
                for (int i = 0; i < blocked; i += 4) {
                    f64Rows4x2(k, a, ao + i * ars, ars, acs, b, bo + j, ldb, c, co + i * ldc + j, ldc);
                }
            } else {
                int i = 0;
                for (; i + 8 <= blocked; i += 8) {
                    f64Rows8x1(k, a, ao + i * ars, ars, acs, b, bo + j, ldb, c, co + i * ldc + j, ldc);
                }
                for (; i < blocked; i += 4) {
                    f64Rows4x1(k, a, ao + i * ars, ars, acs, b, bo + j, ldb, c, co + i * ldc + j, ldc);
                }
            }
        }
        for (int i = blocked; i < rows; i++) {
            int j = 0;
            for (; j + 4 * DL <= cols; j += 4 * DL) {
                f64Row4(k, a, ao + i * ars, acs, b, bo + j, ldb, c, co + i * ldc + j);
            }
            for (; j < cols; j += DL) {
                f64Row1(k, a, ao + i * ars, acs, b, bo + j, ldb, c, co + i * ldc + j);
            }
        }
    }

    private static void f64Rows4x2(int k, double[] a, int ao, int ars, int acs, double[] b, int bo, int ldb,
            double[] c, int co, int ldc) {
        DoubleVector c00 = DoubleVector.zero(DS);
        DoubleVector c01 = c00;
        DoubleVector c10 = c00;
        DoubleVector c11 = c00;
        DoubleVector c20 = c00;
        DoubleVector c21 = c00;
        DoubleVector c30 = c00;
        DoubleVector c31 = c00;
        for (int p = 0, x = ao, y = bo; p < k; p++, x += acs, y += ldb) {
            DoubleVector b0 = DoubleVector.fromArray(DS, b, y);
            DoubleVector b1 = DoubleVector.fromArray(DS, b, y + DL);
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
        c00.intoArray(c, co);
        c01.intoArray(c, co + DL);
        c10.intoArray(c, co + ldc);
        c11.intoArray(c, co + ldc + DL);
        c20.intoArray(c, co + 2 * ldc);
        c21.intoArray(c, co + 2 * ldc + DL);
        c30.intoArray(c, co + 3 * ldc);
        c31.intoArray(c, co + 3 * ldc + DL);
    }

    /** Eight rows of one vector: twice the independent fma chains of {@link #f64Rows4x1}, for a narrow C. */
    private static void f64Rows8x1(int k, double[] a, int ao, int ars, int acs, double[] b, int bo, int ldb,
            double[] c, int co, int ldc) {
        DoubleVector c0 = DoubleVector.zero(DS);
        DoubleVector c1 = c0;
        DoubleVector c2 = c0;
        DoubleVector c3 = c0;
        DoubleVector c4 = c0;
        DoubleVector c5 = c0;
        DoubleVector c6 = c0;
        DoubleVector c7 = c0;
        int a4 = ao + 4 * ars;
        for (int p = 0, x = ao, z = a4, y = bo; p < k; p++, x += acs, z += acs, y += ldb) {
            DoubleVector b0 = DoubleVector.fromArray(DS, b, y);
            c0 = DoubleVector.broadcast(DS, a[x]).fma(b0, c0);
            c1 = DoubleVector.broadcast(DS, a[x + ars]).fma(b0, c1);
            c2 = DoubleVector.broadcast(DS, a[x + 2 * ars]).fma(b0, c2);
            c3 = DoubleVector.broadcast(DS, a[x + 3 * ars]).fma(b0, c3);
            c4 = DoubleVector.broadcast(DS, a[z]).fma(b0, c4);
            c5 = DoubleVector.broadcast(DS, a[z + ars]).fma(b0, c5);
            c6 = DoubleVector.broadcast(DS, a[z + 2 * ars]).fma(b0, c6);
            c7 = DoubleVector.broadcast(DS, a[z + 3 * ars]).fma(b0, c7);
        }
        c0.intoArray(c, co);
        c1.intoArray(c, co + ldc);
        c2.intoArray(c, co + 2 * ldc);
        c3.intoArray(c, co + 3 * ldc);
        c4.intoArray(c, co + 4 * ldc);
        c5.intoArray(c, co + 5 * ldc);
        c6.intoArray(c, co + 6 * ldc);
        c7.intoArray(c, co + 7 * ldc);
    }

    private static void f64Rows4x1(int k, double[] a, int ao, int ars, int acs, double[] b, int bo, int ldb,
            double[] c, int co, int ldc) {
        DoubleVector c0 = DoubleVector.zero(DS);
        DoubleVector c1 = c0;
        DoubleVector c2 = c0;
        DoubleVector c3 = c0;
        for (int p = 0, x = ao, y = bo; p < k; p++, x += acs, y += ldb) {
            DoubleVector b0 = DoubleVector.fromArray(DS, b, y);
            c0 = DoubleVector.broadcast(DS, a[x]).fma(b0, c0);
            c1 = DoubleVector.broadcast(DS, a[x + ars]).fma(b0, c1);
            c2 = DoubleVector.broadcast(DS, a[x + 2 * ars]).fma(b0, c2);
            c3 = DoubleVector.broadcast(DS, a[x + 3 * ars]).fma(b0, c3);
        }
        c0.intoArray(c, co);
        c1.intoArray(c, co + ldc);
        c2.intoArray(c, co + 2 * ldc);
        c3.intoArray(c, co + 3 * ldc);
    }

    private static void f64Row4(int k, double[] a, int ao, int acs, double[] b, int bo, int ldb, double[] c, int co) {
        DoubleVector c0 = DoubleVector.zero(DS);
        DoubleVector c1 = c0;
        DoubleVector c2 = c0;
        DoubleVector c3 = c0;
        for (int p = 0, x = ao, y = bo; p < k; p++, x += acs, y += ldb) {
            DoubleVector ap = DoubleVector.broadcast(DS, a[x]);
            c0 = ap.fma(DoubleVector.fromArray(DS, b, y), c0);
            c1 = ap.fma(DoubleVector.fromArray(DS, b, y + DL), c1);
            c2 = ap.fma(DoubleVector.fromArray(DS, b, y + 2 * DL), c2);
            c3 = ap.fma(DoubleVector.fromArray(DS, b, y + 3 * DL), c3);
        }
        c0.intoArray(c, co);
        c1.intoArray(c, co + DL);
        c2.intoArray(c, co + 2 * DL);
        c3.intoArray(c, co + 3 * DL);
    }

    private static void f64Row1(int k, double[] a, int ao, int acs, double[] b, int bo, int ldb, double[] c, int co) {
        DoubleVector c0 = DoubleVector.zero(DS);
        for (int p = 0, x = ao, y = bo; p < k; p++, x += acs, y += ldb) {
            c0 = DoubleVector.broadcast(DS, a[x]).fma(DoubleVector.fromArray(DS, b, y), c0);
        }
        c0.intoArray(c, co);
    }
}
