package dev.solstice.kernel.vector;

import dev.solstice.kernel.PanelLoops;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API versions of {@link PanelLoops}: the dot product in vector lanes, and the symmetric product
 * four rows at a time, so that each vector of {@code p} and of {@code u} is loaded once for four rows of the
 * triangle, each row feeding its dot product and its multiply-add in one pass. Deterministic: the same call
 * gives the same bits, interpreted or compiled. Loaded reflectively by
 * {@code PanelLoops} only when the {@code jdk.incubator.vector} module is present.
 */
public final class PanelLoopsVector extends PanelLoops {
    /** The single instance (read reflectively). */
    public static final PanelLoopsVector INSTANCE = new PanelLoopsVector();

    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    private static final int DL = DS.length();

    private PanelLoopsVector() {}

    /**
     * The lanes' sum in lane order: {@code reduceLanes(ADD)} leaves the order open, and the interpreter's and
     * the compiled code's orders differ, which would make the same call round differently over a run.
     */
    private static double sum(DoubleVector v) {
        double s = v.lane(0);
        for (int k = 1; k < DL; k++) {
            s += v.lane(k);
        }
        return s;
    }

    @Override
    public double dot(double[] x, int xo, double[] y, int yo, int len) {
        DoubleVector a0 = DoubleVector.zero(DS);
        DoubleVector a1 = DoubleVector.zero(DS);
        int k = 0;
        for (; k + 2 * DL <= len; k += 2 * DL) {
            a0 = DoubleVector.fromArray(DS, x, xo + k).fma(DoubleVector.fromArray(DS, y, yo + k), a0);
            a1 = DoubleVector.fromArray(DS, x, xo + k + DL).fma(DoubleVector.fromArray(DS, y, yo + k + DL), a1);
        }
        double s = sum(a0.add(a1));
        for (; k < len; k++) {
            s = Math.fma(x[xo + k], y[yo + k], s);
        }
        return s;
    }

    @Override
    public void lowerSymmetricProduct(double[] q, int n, int i, double[] u, double[] p) {
        java.util.Arrays.fill(p, 0, i, 0.0);
        int j = 0;
        for (; j + 3 < i; j += 4) {
            int r0 = j * n;
            int r1 = r0 + n;
            int r2 = r1 + n;
            int r3 = r2 + n;
            double u0 = u[j];
            double u1 = u[j + 1];
            double u2 = u[j + 2];
            double u3 = u[j + 3];
            DoubleVector b0 = DoubleVector.broadcast(DS, u0);
            DoubleVector b1 = DoubleVector.broadcast(DS, u1);
            DoubleVector b2 = DoubleVector.broadcast(DS, u2);
            DoubleVector b3 = DoubleVector.broadcast(DS, u3);
            DoubleVector a0 = DoubleVector.zero(DS);
            DoubleVector a1 = DoubleVector.zero(DS);
            DoubleVector a2 = DoubleVector.zero(DS);
            DoubleVector a3 = DoubleVector.zero(DS);
            int c = 0;
            for (; c + DL <= j; c += DL) {
                DoubleVector uv = DoubleVector.fromArray(DS, u, c);
                DoubleVector pv = DoubleVector.fromArray(DS, p, c);
                DoubleVector q0 = DoubleVector.fromArray(DS, q, r0 + c);
                DoubleVector q1 = DoubleVector.fromArray(DS, q, r1 + c);
                DoubleVector q2 = DoubleVector.fromArray(DS, q, r2 + c);
                DoubleVector q3 = DoubleVector.fromArray(DS, q, r3 + c);
                a0 = q0.fma(uv, a0);
                a1 = q1.fma(uv, a1);
                a2 = q2.fma(uv, a2);
                a3 = q3.fma(uv, a3);
                pv = q0.fma(b0, pv);
                pv = q1.fma(b1, pv);
                pv = q2.fma(b2, pv);
                pv = q3.fma(b3, pv);
                pv.intoArray(p, c);
            }
            double s0 = sum(a0);
            double s1 = sum(a1);
            double s2 = sum(a2);
            double s3 = sum(a3);
            for (; c < j; c++) {
                double uc = u[c];
                double x0 = q[r0 + c];
                double x1 = q[r1 + c];
                double x2 = q[r2 + c];
                double x3 = q[r3 + c];
                s0 += x0 * uc;
                s1 += x1 * uc;
                s2 += x2 * uc;
                s3 += x3 * uc;
                p[c] += (x0 * u0 + x1 * u1) + (x2 * u2 + x3 * u3);
            }
            // the 4 x 4 diagonal block: its lower triangle, mirrored for the part above the diagonal
            double x10 = q[r1 + j];
            double x20 = q[r2 + j];
            double x21 = q[r2 + j + 1];
            double x30 = q[r3 + j];
            double x31 = q[r3 + j + 1];
            double x32 = q[r3 + j + 2];
            s0 += q[r0 + j] * u0 + (x10 * u1 + x20 * u2 + x30 * u3);
            s1 += x10 * u0 + q[r1 + j + 1] * u1 + (x21 * u2 + x31 * u3);
            s2 += x20 * u0 + x21 * u1 + q[r2 + j + 2] * u2 + x32 * u3;
            s3 += x30 * u0 + x31 * u1 + x32 * u2 + q[r3 + j + 3] * u3;
            p[j] = s0;
            p[j + 1] = s1;
            p[j + 2] = s2;
            p[j + 3] = s3;
        }
        for (; j < i; j++) {
            int rj = j * n;
            double uj = u[j];
            double s = q[rj + j] * uj;
            DoubleVector bj = DoubleVector.broadcast(DS, uj);
            DoubleVector acc = DoubleVector.zero(DS);
            int c = 0;
            for (; c + DL <= j; c += DL) {
                DoubleVector qv = DoubleVector.fromArray(DS, q, rj + c);
                acc = qv.fma(DoubleVector.fromArray(DS, u, c), acc);
                qv.fma(bj, DoubleVector.fromArray(DS, p, c)).intoArray(p, c);
            }
            s += sum(acc);
            for (; c < j; c++) {
                s += q[rj + c] * u[c];
                p[c] += uj * q[rj + c];
            }
            p[j] = s;
        }
    }

    @Override
    public void rowProducts(double[] z, int zo, int rows, int stride, double[] u, int len, double[] out) {
        int s = 0;
        for (; s + 3 < rows; s += 4) {
            int z0 = zo + s * stride;
            int z1 = z0 + stride;
            int z2 = z1 + stride;
            int z3 = z2 + stride;
            DoubleVector a0 = DoubleVector.zero(DS);
            DoubleVector a1 = DoubleVector.zero(DS);
            DoubleVector a2 = DoubleVector.zero(DS);
            DoubleVector a3 = DoubleVector.zero(DS);
            int c = 0;
            for (; c + DL <= len; c += DL) {
                DoubleVector uv = DoubleVector.fromArray(DS, u, c);
                a0 = DoubleVector.fromArray(DS, z, z0 + c).fma(uv, a0);
                a1 = DoubleVector.fromArray(DS, z, z1 + c).fma(uv, a1);
                a2 = DoubleVector.fromArray(DS, z, z2 + c).fma(uv, a2);
                a3 = DoubleVector.fromArray(DS, z, z3 + c).fma(uv, a3);
            }
            double s0 = sum(a0);
            double s1 = sum(a1);
            double s2 = sum(a2);
            double s3 = sum(a3);
            for (; c < len; c++) {
                double uc = u[c];
                s0 += z[z0 + c] * uc;
                s1 += z[z1 + c] * uc;
                s2 += z[z2 + c] * uc;
                s3 += z[z3 + c] * uc;
            }
            out[s] = s0;
            out[s + 1] = s1;
            out[s + 2] = s2;
            out[s + 3] = s3;
        }
        for (; s < rows; s++) {
            out[s] = dot(z, zo + s * stride, u, 0, len);
        }
    }

    @Override
    public void subtractCombination(double[] z, int zo, int rows, int stride, double[] coef, double[] x, int xo,
            int len) {
        int s = 0;
        for (; s + 3 < rows; s += 4) {
            int z0 = zo + s * stride;
            int z1 = z0 + stride;
            int z2 = z1 + stride;
            int z3 = z2 + stride;
            double f0 = coef[s];
            double f1 = coef[s + 1];
            double f2 = coef[s + 2];
            double f3 = coef[s + 3];
            DoubleVector b0 = DoubleVector.broadcast(DS, -f0);
            DoubleVector b1 = DoubleVector.broadcast(DS, -f1);
            DoubleVector b2 = DoubleVector.broadcast(DS, -f2);
            DoubleVector b3 = DoubleVector.broadcast(DS, -f3);
            int c = 0;
            for (; c + DL <= len; c += DL) {
                DoubleVector xv = DoubleVector.fromArray(DS, x, xo + c);
                xv = DoubleVector.fromArray(DS, z, z0 + c).fma(b0, xv);
                xv = DoubleVector.fromArray(DS, z, z1 + c).fma(b1, xv);
                xv = DoubleVector.fromArray(DS, z, z2 + c).fma(b2, xv);
                xv = DoubleVector.fromArray(DS, z, z3 + c).fma(b3, xv);
                xv.intoArray(x, xo + c);
            }
            for (; c < len; c++) {
                x[xo + c] -= (f0 * z[z0 + c] + f1 * z[z1 + c]) + (f2 * z[z2 + c] + f3 * z[z3 + c]);
            }
        }
        for (; s < rows; s++) {
            double f = coef[s];
            DoubleVector b = DoubleVector.broadcast(DS, -f);
            int zs = zo + s * stride;
            int c = 0;
            for (; c + DL <= len; c += DL) {
                DoubleVector.fromArray(DS, z, zs + c).fma(b, DoubleVector.fromArray(DS, x, xo + c)).intoArray(x, xo + c);
            }
            for (; c < len; c++) {
                x[xo + c] -= f * z[zs + c];
            }
        }
    }
}
