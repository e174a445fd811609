package dev.solstice.kernel.vector;

import dev.solstice.kernel.GemmKernel;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API inner loops for {@code dev.solstice.kernel.Gemm}. The register tile of the packed path is 4 rows
 * x 2 vectors of the preferred species held in registers across the packed slice, one broadcast of A and one
 * FMA per vector per step; the direct path's loops are in {@link GemmVectorDirect}. The tile is the direct
 * path's 4 x 2 block with the packed strides as constants: calling the strided block with them instead measured
 * 5-9% slower for float64 512 x 512 x 512. Loaded reflectively by {@code Gemm} only when the
 * {@code jdk.incubator.vector} module is present.
 */
public final class GemmVector implements GemmKernel {
    /** The single instance (read reflectively). */
    public static final GemmVector INSTANCE = new GemmVector();

    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    private static final int FL = FS.length();
    private static final int DL = DS.length();
    private static final int MR = 4;

    private GemmVector() {}

    @Override
    public int mr() {
        return MR;
    }

    @Override
    public int nrF32() {
        return 2 * FL;
    }

    @Override
    public int nrF64() {
        return 2 * DL;
    }

    @Override
    public void f32(int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int co, int ldc) {
        FloatVector c00 = FloatVector.fromArray(FS, c, co);
        FloatVector c01 = FloatVector.fromArray(FS, c, co + FL);
        FloatVector c10 = FloatVector.fromArray(FS, c, co + ldc);
        FloatVector c11 = FloatVector.fromArray(FS, c, co + ldc + FL);
        FloatVector c20 = FloatVector.fromArray(FS, c, co + 2 * ldc);
        FloatVector c21 = FloatVector.fromArray(FS, c, co + 2 * ldc + FL);
        FloatVector c30 = FloatVector.fromArray(FS, c, co + 3 * ldc);
        FloatVector c31 = FloatVector.fromArray(FS, c, co + 3 * ldc + FL);
        int a = ao;
        int b = bo;
        for (int p = 0; p < kc; p++, a += MR, b += 2 * FL) {
            FloatVector b0 = FloatVector.fromArray(FS, bp, b);
            FloatVector b1 = FloatVector.fromArray(FS, bp, b + FL);
            FloatVector a0 = FloatVector.broadcast(FS, ap[a]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(FS, ap[a + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(FS, ap[a + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(FS, ap[a + 3]);
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

    @Override
    public void f64(int kc, double[] ap, int ao, double[] bp, int bo, double[] c, int co, int ldc) {
        DoubleVector c00 = DoubleVector.fromArray(DS, c, co);
        DoubleVector c01 = DoubleVector.fromArray(DS, c, co + DL);
        DoubleVector c10 = DoubleVector.fromArray(DS, c, co + ldc);
        DoubleVector c11 = DoubleVector.fromArray(DS, c, co + ldc + DL);
        DoubleVector c20 = DoubleVector.fromArray(DS, c, co + 2 * ldc);
        DoubleVector c21 = DoubleVector.fromArray(DS, c, co + 2 * ldc + DL);
        DoubleVector c30 = DoubleVector.fromArray(DS, c, co + 3 * ldc);
        DoubleVector c31 = DoubleVector.fromArray(DS, c, co + 3 * ldc + DL);
        int a = ao;
        int b = bo;
        for (int p = 0; p < kc; p++, a += MR, b += 2 * DL) {
            DoubleVector b0 = DoubleVector.fromArray(DS, bp, b);
            DoubleVector b1 = DoubleVector.fromArray(DS, bp, b + DL);
            DoubleVector a0 = DoubleVector.broadcast(DS, ap[a]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            DoubleVector a1 = DoubleVector.broadcast(DS, ap[a + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            DoubleVector a2 = DoubleVector.broadcast(DS, ap[a + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            DoubleVector a3 = DoubleVector.broadcast(DS, ap[a + 3]);
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

    @Override
    public int directWidthF32() {
        return FL;
    }

    @Override
    public int directWidthF64() {
        return DL;
    }

    @Override
    public void directF32(int rows, int cols, int k, float[] a, int ao, int ars, int acs, float[] b, int bo, int ldb,
            float[] c, int co, int ldc) {
        GemmVectorDirect.f32(rows, cols, k, a, ao, ars, acs, b, bo, ldb, c, co, ldc);
    }

    @Override
    public void directF64(int rows, int cols, int k, double[] a, int ao, int ars, int acs, double[] b, int bo,
            int ldb, double[] c, int co, int ldc) {
        GemmVectorDirect.f64(rows, cols, k, a, ao, ars, acs, b, bo, ldb, c, co, ldc);
    }
}
