package dev.solstice.kernel.vector;

import dev.solstice.kernel.PanelLoops;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API versions of {@link PanelLoops}: the dot product in vector lanes, and the symmetric product
 * four rows at a time, so that each vector of {@code p} and of {@code u} is loaded once for four rows of the
 * triangle, each row feeding its dot product and its multiply-add in one pass; the QL rotations eight per pass
 * with fmas, and scaled (two fmas per element and rotation). Deterministic: the same call
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

    /**
     * Eight consecutive rotations per pass over the columns (then four, then one), the row passed down the chain
     * kept in a register, so each row is loaded and stored once per eight rotations; each rotation is two
     * multiplies and two fused multiply-adds per element. The scalar tail computes the same fmas, so every
     * element gets the same bits whatever its column.
     */
    @Override
    public void rotateRows(double[][] rows, int n, int l, int m, double[] cosines, double[] sines) {
        int i = m - 1;
        for (; i - 7 >= l; i -= 8) {
            rotateEight(rows, n, i, cosines, sines);
        }
        for (; i - 3 >= l; i -= 4) {
            rotateFour(rows, n, i, cosines, sines);
        }
        for (; i >= l; i--) {
            double c = cosines[i];
            double s = sines[i];
            DoubleVector cv = DoubleVector.broadcast(DS, c);
            DoubleVector sv = DoubleVector.broadcast(DS, s);
            DoubleVector nsv = DoubleVector.broadcast(DS, -s);
            double[] qi = rows[i];
            double[] qn = rows[i + 1];
            int k = 0;
            for (; k + DL <= n; k += DL) {
                DoubleVector t = DoubleVector.fromArray(DS, qn, k);
                DoubleVector x = DoubleVector.fromArray(DS, qi, k);
                x.fma(sv, t.mul(cv)).intoArray(qn, k);
                x.fma(cv, t.mul(nsv)).intoArray(qi, k);
            }
            for (; k < n; k++) {
                double t = qn[k];
                double x = qi[k];
                qn[k] = Math.fma(x, s, t * c);
                qi[k] = Math.fma(x, c, t * -s);
            }
        }
    }

    /** Rotations {@code i} down to {@code i - 3} of {@link #rotateRows} in one pass. */
    private static void rotateFour(double[][] rows, int n, int i, double[] cosines, double[] sines) {
        double[] r4 = rows[i + 1];
        double[] r3 = rows[i];
        double[] r2 = rows[i - 1];
        double[] r1 = rows[i - 2];
        double[] r0 = rows[i - 3];
        double c0 = cosines[i];
        double c1 = cosines[i - 1];
        double c2 = cosines[i - 2];
        double c3 = cosines[i - 3];
        double s0 = sines[i];
        double s1 = sines[i - 1];
        double s2 = sines[i - 2];
        double s3 = sines[i - 3];
        DoubleVector vc0 = DoubleVector.broadcast(DS, c0);
        DoubleVector vc1 = DoubleVector.broadcast(DS, c1);
        DoubleVector vc2 = DoubleVector.broadcast(DS, c2);
        DoubleVector vc3 = DoubleVector.broadcast(DS, c3);
        DoubleVector vs0 = DoubleVector.broadcast(DS, s0);
        DoubleVector vs1 = DoubleVector.broadcast(DS, s1);
        DoubleVector vs2 = DoubleVector.broadcast(DS, s2);
        DoubleVector vs3 = DoubleVector.broadcast(DS, s3);
        DoubleVector vn0 = DoubleVector.broadcast(DS, -s0);
        DoubleVector vn1 = DoubleVector.broadcast(DS, -s1);
        DoubleVector vn2 = DoubleVector.broadcast(DS, -s2);
        DoubleVector vn3 = DoubleVector.broadcast(DS, -s3);
        int k = 0;
        for (; k + DL <= n; k += DL) {
            DoubleVector t = DoubleVector.fromArray(DS, r4, k);
            DoubleVector x = DoubleVector.fromArray(DS, r3, k);
            x.fma(vs0, t.mul(vc0)).intoArray(r4, k);
            t = x.fma(vc0, t.mul(vn0));
            x = DoubleVector.fromArray(DS, r2, k);
            x.fma(vs1, t.mul(vc1)).intoArray(r3, k);
            t = x.fma(vc1, t.mul(vn1));
            x = DoubleVector.fromArray(DS, r1, k);
            x.fma(vs2, t.mul(vc2)).intoArray(r2, k);
            t = x.fma(vc2, t.mul(vn2));
            x = DoubleVector.fromArray(DS, r0, k);
            x.fma(vs3, t.mul(vc3)).intoArray(r1, k);
            x.fma(vc3, t.mul(vn3)).intoArray(r0, k);
        }
        for (; k < n; k++) {
            double t = r4[k];
            double x = r3[k];
            r4[k] = Math.fma(x, s0, t * c0);
            t = Math.fma(x, c0, t * -s0);
            x = r2[k];
            r3[k] = Math.fma(x, s1, t * c1);
            t = Math.fma(x, c1, t * -s1);
            x = r1[k];
            r2[k] = Math.fma(x, s2, t * c2);
            t = Math.fma(x, c2, t * -s2);
            x = r0[k];
            r1[k] = Math.fma(x, s3, t * c3);
            r0[k] = Math.fma(x, c3, t * -s3);
        }
    }

    /** Rotations {@code i} down to {@code i - 7} of {@link #rotateRows} in one pass. */
    private static void rotateEight(double[][] rows, int n, int i, double[] cosines, double[] sines) {
        double[] r8 = rows[i + 1];
        double[] r7 = rows[i];
        double[] r6 = rows[i - 1];
        double[] r5 = rows[i - 2];
        double[] r4 = rows[i - 3];
        double[] r3 = rows[i - 4];
        double[] r2 = rows[i - 5];
        double[] r1 = rows[i - 6];
        double[] r0 = rows[i - 7];
        double[] c = new double[8];
        double[] s = new double[8];
        for (int j = 0; j < 8; j++) {
            c[j] = cosines[i - j];
            s[j] = sines[i - j];
        }
        DoubleVector vc0 = DoubleVector.broadcast(DS, c[0]);
        DoubleVector vc1 = DoubleVector.broadcast(DS, c[1]);
        DoubleVector vc2 = DoubleVector.broadcast(DS, c[2]);
        DoubleVector vc3 = DoubleVector.broadcast(DS, c[3]);
        DoubleVector vc4 = DoubleVector.broadcast(DS, c[4]);
        DoubleVector vc5 = DoubleVector.broadcast(DS, c[5]);
        DoubleVector vc6 = DoubleVector.broadcast(DS, c[6]);
        DoubleVector vc7 = DoubleVector.broadcast(DS, c[7]);
        DoubleVector vs0 = DoubleVector.broadcast(DS, s[0]);
        DoubleVector vs1 = DoubleVector.broadcast(DS, s[1]);
        DoubleVector vs2 = DoubleVector.broadcast(DS, s[2]);
        DoubleVector vs3 = DoubleVector.broadcast(DS, s[3]);
        DoubleVector vs4 = DoubleVector.broadcast(DS, s[4]);
        DoubleVector vs5 = DoubleVector.broadcast(DS, s[5]);
        DoubleVector vs6 = DoubleVector.broadcast(DS, s[6]);
        DoubleVector vs7 = DoubleVector.broadcast(DS, s[7]);
        int k = 0;
        for (; k + DL <= n; k += DL) {
            DoubleVector t = DoubleVector.fromArray(DS, r8, k);
            DoubleVector x = DoubleVector.fromArray(DS, r7, k);
            x.fma(vs0, t.mul(vc0)).intoArray(r8, k);
            t = x.fma(vc0, t.mul(vs0).neg());
            x = DoubleVector.fromArray(DS, r6, k);
            x.fma(vs1, t.mul(vc1)).intoArray(r7, k);
            t = x.fma(vc1, t.mul(vs1).neg());
            x = DoubleVector.fromArray(DS, r5, k);
            x.fma(vs2, t.mul(vc2)).intoArray(r6, k);
            t = x.fma(vc2, t.mul(vs2).neg());
            x = DoubleVector.fromArray(DS, r4, k);
            x.fma(vs3, t.mul(vc3)).intoArray(r5, k);
            t = x.fma(vc3, t.mul(vs3).neg());
            x = DoubleVector.fromArray(DS, r3, k);
            x.fma(vs4, t.mul(vc4)).intoArray(r4, k);
            t = x.fma(vc4, t.mul(vs4).neg());
            x = DoubleVector.fromArray(DS, r2, k);
            x.fma(vs5, t.mul(vc5)).intoArray(r3, k);
            t = x.fma(vc5, t.mul(vs5).neg());
            x = DoubleVector.fromArray(DS, r1, k);
            x.fma(vs6, t.mul(vc6)).intoArray(r2, k);
            t = x.fma(vc6, t.mul(vs6).neg());
            x = DoubleVector.fromArray(DS, r0, k);
            x.fma(vs7, t.mul(vc7)).intoArray(r1, k);
            x.fma(vc7, t.mul(vs7).neg()).intoArray(r0, k);
        }
        double[][] chain = {r7, r6, r5, r4, r3, r2, r1, r0};
        for (; k < n; k++) {
            double t = r8[k];
            double[] up = r8;
            for (int j = 0; j < 8; j++) {
                double x = chain[j][k];
                up[k] = Math.fma(x, s[j], t * c[j]);
                t = Math.fma(x, c[j], -(t * s[j]));
                up = chain[j];
            }
            r0[k] = t;
        }
    }

    /** Below this cosine a rotation goes the plain way (the scaled one divides by it). */
    private static final double SMALL_COSINE = 0x1p-16;

    /**
     * Scales below this are multiplied out after a sweep (two rotations shrink a scale by at most 2^-32, so the
     * scales and their products stay normal).
     */
    private static final double SMALL_SCALE = 0x1p-200;

    /**
     * Scaled ("fast") Givens rotations: with row {@code i} standing for {@code σ_i y_i}, rotation {@code i}
     * (cosine c, sine s) is {@code y_{i+1} += (s σ_i / (c σ_{i+1})) y_i}, {@code y_i -= (s σ_{i+1} / (c σ_i))
     * y_{i+1}} (both from the old rows) with {@code σ_{i+1} *= c}, {@code σ_i *= c}: two fmas per element
     * instead of two multiplies and two fmas, each term's rounding relative to the terms of the plain rotation,
     * so as accurate. Eight rotations per pass as {@link #rotateRows}. A group with a cosine below
     * {@link #SMALL_COSINE} takes plain rotations (its rows multiplied out first), and scales below
     * {@link #SMALL_SCALE} are multiplied out after each sweep, so nothing overflows or underflows.
     */
    @Override
    public void rotateScaledRows(double[][] rows, double[] scales, int n, int l, int m, double[] cosines,
            double[] sines) {
        double[] alpha = new double[8];
        double[] beta = new double[8];
        int i = m - 1;
        for (; i - 7 >= l; i -= 8) {
            boolean small = false;
            for (int r = i - 7; r <= i; r++) {
                small |= !(Math.abs(cosines[r]) >= SMALL_COSINE);
            }
            if (small) {
                for (int r = i - 7; r <= i + 1; r++) {
                    normalize(rows, scales, r, n);
                }
                rotateEight(rows, n, i, cosines, sines);
            } else {
                coefficients(scales, i, 8, cosines, sines, alpha, beta);
                scaledEight(rows, n, i, alpha, beta);
            }
        }
        for (; i >= l; i--) {
            if (!(Math.abs(cosines[i]) >= SMALL_COSINE)) {
                normalize(rows, scales, i, n);
                normalize(rows, scales, i + 1, n);
                rotateRows(rows, n, i, i + 1, cosines, sines);
                continue;
            }
            coefficients(scales, i, 1, cosines, sines, alpha, beta);
            DoubleVector av = DoubleVector.broadcast(DS, alpha[0]);
            DoubleVector bv = DoubleVector.broadcast(DS, beta[0]);
            double[] lo = rows[i];
            double[] hi = rows[i + 1];
            int k = 0;
            for (; k + DL <= n; k += DL) {
                DoubleVector t = DoubleVector.fromArray(DS, hi, k);
                DoubleVector x = DoubleVector.fromArray(DS, lo, k);
                x.fma(av, t).intoArray(hi, k);
                t.fma(bv, x).intoArray(lo, k);
            }
            for (; k < n; k++) {
                double t = hi[k];
                double x = lo[k];
                hi[k] = Math.fma(x, alpha[0], t);
                lo[k] = Math.fma(t, beta[0], x);
            }
        }
        for (int r = l; r <= m; r++) {
            if (Math.abs(scales[r]) < SMALL_SCALE) {
                normalize(rows, scales, r, n);
            }
        }
    }

    /**
     * The scaled rotations' multipliers for rotations {@code i} down to {@code i - count + 1}, in order, and
     * the rows' new scales.
     */
    private static void coefficients(double[] scales, int i, int count, double[] cosines, double[] sines,
            double[] alpha, double[] beta) {
        double hi = scales[i + 1];
        for (int j = 0; j < count; j++) {
            int r = i - j;
            double lo = scales[r];
            double c = cosines[r];
            double s = sines[r];
            // one division: s / (c σ_hi σ_lo) stays normal, the scales being at least SMALL_SCALE
            double q = s / (c * hi * lo);
            alpha[j] = q * lo * lo;
            beta[j] = -(q * hi) * hi;
            scales[r + 1] = c * hi;
            hi = c * lo;
        }
        scales[i - count + 1] = hi;
    }

    /** Scaled rotations {@code i} down to {@code i - 7} in one pass, with the multipliers in order. */
    private static void scaledEight(double[][] rows, int n, int i, double[] alpha, double[] beta) {
        double[] r8 = rows[i + 1];
        double[] r7 = rows[i];
        double[] r6 = rows[i - 1];
        double[] r5 = rows[i - 2];
        double[] r4 = rows[i - 3];
        double[] r3 = rows[i - 4];
        double[] r2 = rows[i - 5];
        double[] r1 = rows[i - 6];
        double[] r0 = rows[i - 7];
        DoubleVector a0 = DoubleVector.broadcast(DS, alpha[0]);
        DoubleVector a1 = DoubleVector.broadcast(DS, alpha[1]);
        DoubleVector a2 = DoubleVector.broadcast(DS, alpha[2]);
        DoubleVector a3 = DoubleVector.broadcast(DS, alpha[3]);
        DoubleVector a4 = DoubleVector.broadcast(DS, alpha[4]);
        DoubleVector a5 = DoubleVector.broadcast(DS, alpha[5]);
        DoubleVector a6 = DoubleVector.broadcast(DS, alpha[6]);
        DoubleVector a7 = DoubleVector.broadcast(DS, alpha[7]);
        DoubleVector b0 = DoubleVector.broadcast(DS, beta[0]);
        DoubleVector b1 = DoubleVector.broadcast(DS, beta[1]);
        DoubleVector b2 = DoubleVector.broadcast(DS, beta[2]);
        DoubleVector b3 = DoubleVector.broadcast(DS, beta[3]);
        DoubleVector b4 = DoubleVector.broadcast(DS, beta[4]);
        DoubleVector b5 = DoubleVector.broadcast(DS, beta[5]);
        DoubleVector b6 = DoubleVector.broadcast(DS, beta[6]);
        DoubleVector b7 = DoubleVector.broadcast(DS, beta[7]);
        int k = 0;
        for (; k + DL <= n; k += DL) {
            DoubleVector t = DoubleVector.fromArray(DS, r8, k);
            DoubleVector x = DoubleVector.fromArray(DS, r7, k);
            x.fma(a0, t).intoArray(r8, k);
            t = t.fma(b0, x);
            x = DoubleVector.fromArray(DS, r6, k);
            x.fma(a1, t).intoArray(r7, k);
            t = t.fma(b1, x);
            x = DoubleVector.fromArray(DS, r5, k);
            x.fma(a2, t).intoArray(r6, k);
            t = t.fma(b2, x);
            x = DoubleVector.fromArray(DS, r4, k);
            x.fma(a3, t).intoArray(r5, k);
            t = t.fma(b3, x);
            x = DoubleVector.fromArray(DS, r3, k);
            x.fma(a4, t).intoArray(r4, k);
            t = t.fma(b4, x);
            x = DoubleVector.fromArray(DS, r2, k);
            x.fma(a5, t).intoArray(r3, k);
            t = t.fma(b5, x);
            x = DoubleVector.fromArray(DS, r1, k);
            x.fma(a6, t).intoArray(r2, k);
            t = t.fma(b6, x);
            x = DoubleVector.fromArray(DS, r0, k);
            x.fma(a7, t).intoArray(r1, k);
            t.fma(b7, x).intoArray(r0, k);
        }
        double[][] chain = {r7, r6, r5, r4, r3, r2, r1, r0};
        for (; k < n; k++) {
            double t = r8[k];
            double[] up = r8;
            for (int j = 0; j < 8; j++) {
                double x = chain[j][k];
                up[k] = Math.fma(x, alpha[j], t);
                t = Math.fma(t, beta[j], x);
                up = chain[j];
            }
            r0[k] = t;
        }
    }
}
