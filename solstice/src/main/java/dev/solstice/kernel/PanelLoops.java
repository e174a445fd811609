package dev.solstice.kernel;

/**
 * The matrix-vector inner loops of the blocked factorizations' panels ({@link EighKernel}'s Householder
 * reduction, {@link CholeskyKernel}, {@link LuKernel}) and the rotations of {@link EighKernel}'s QL iteration,
 * one implementation per instruction set: this plain Java
 * one and a Vector API one ({@code dev.solstice.kernel.vector.PanelLoopsVector}), chosen as {@link Gemm}
 * chooses its kernel. The two may round differently (the sums are grouped differently); each is deterministic,
 * and both {@link EighKernel} entry points use the same one.
 */
public class PanelLoops {
    /** The plain Java loops (subclassed by the Vector API ones). */
    protected PanelLoops() {}

    private static final PanelLoops SELECTED = select();

    private static PanelLoops select() {
        if (!"java".equals(System.getProperty(KernelSelection.PROPERTY))
                && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            try {
                return (PanelLoops) Class.forName("dev.solstice.kernel.vector.PanelLoopsVector")
                        .getField("INSTANCE").get(null);
            } catch (ReflectiveOperationException | LinkageError e) {
                // the plain loops below
            }
        }
        return new PanelLoops();
    }

    /** The loops in use. */
    static PanelLoops get() {
        return SELECTED;
    }

    /** {@code sum x[xo + k] y[yo + k]} over {@code k < len}. */
    public double dot(double[] x, int xo, double[] y, int yo, int len) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int k = 0;
        for (; k + 3 < len; k += 4) {
            s0 += x[xo + k] * y[yo + k];
            s1 += x[xo + k + 1] * y[yo + k + 1];
            s2 += x[xo + k + 2] * y[yo + k + 2];
            s3 += x[xo + k + 3] * y[yo + k + 3];
        }
        for (; k < len; k++) {
            s0 += x[xo + k] * y[yo + k];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * {@code p = A u} over the leading {@code i x i} block of the symmetric matrix held in the lower triangle
     * (diagonal included) of the row-major {@code q} with rows of length {@code n}: from each row {@code j} a
     * dot product (its part left of the diagonal and the diagonal) and a multiply-add into the columns left of
     * {@code j} (the upper triangle's part, by symmetry), so the triangle is read once.
     */
    public void lowerSymmetricProduct(double[] q, int n, int i, double[] u, double[] p) {
        java.util.Arrays.fill(p, 0, i, 0.0);
        for (int j = 0; j < i; j++) {
            int rj = j * n;
            double uj = u[j];
            p[j] += q[rj + j] * uj + dot(q, rj, u, 0, j);
            for (int c = 0; c < j; c++) {
                p[c] += uj * q[rj + c];
            }
        }
    }

    /**
     * {@code out[s] = sum_c z[zo + s*stride + c] u[c]} over {@code c < len}, for the {@code rows} rows
     * {@code s} of {@code z}.
     */
    public void rowProducts(double[] z, int zo, int rows, int stride, double[] u, int len, double[] out) {
        for (int s = 0; s < rows; s++) {
            out[s] = dot(z, zo + s * stride, u, 0, len);
        }
    }

    /**
     * {@code x[xo + c] -= sum_s coef[s] z[zo + s*stride + c]} over {@code s < rows}, for {@code c < len}.
     */
    public void subtractCombination(double[] z, int zo, int rows, int stride, double[] coef, double[] x, int xo,
            int len) {
        for (int s = 0; s < rows; s++) {
            double f = coef[s];
            int zs = zo + s * stride;
            for (int c = 0; c < len; c++) {
                x[xo + c] -= f * z[zs + c];
            }
        }
    }

    /**
     * Applies one QL sweep's rotations ({@link EighKernel}) to the first {@code n} elements of the {@code rows}:
     * rotation {@code i} (for {@code i} from {@code m - 1} down to {@code l}, cosine {@code cosines[i]}, sine
     * {@code sines[i]}) sets row {@code i + 1} to {@code s x + c y} and row {@code i} to {@code c x - s y}, where
     * {@code x} is row {@code i} and {@code y} row {@code i + 1}. Four consecutive rotations go in one
     * pass over the columns, the shared rows kept in registers, so each row is loaded and stored once per four
     * rotations instead of once per rotation; every element sees the same operations in the same order.
     */
    public void rotateRows(double[][] rows, int n, int l, int m, double[] cosines, double[] sines) {
        int i = m - 1;
        for (; i - 3 >= l; i -= 4) {
            double c0 = cosines[i];
            double s0 = sines[i];
            double c1 = cosines[i - 1];
            double s1 = sines[i - 1];
            double c2 = cosines[i - 2];
            double s2 = sines[i - 2];
            double c3 = cosines[i - 3];
            double s3 = sines[i - 3];
            double[] q4 = rows[i + 1];
            double[] q3 = rows[i];
            double[] q2 = rows[i - 1];
            double[] q1 = rows[i - 2];
            double[] q0 = rows[i - 3];
            for (int k = 0; k < n; k++) {
                double t = q4[k];
                double x = q3[k];
                q4[k] = s0 * x + c0 * t;
                t = c0 * x - s0 * t;
                x = q2[k];
                q3[k] = s1 * x + c1 * t;
                t = c1 * x - s1 * t;
                x = q1[k];
                q2[k] = s2 * x + c2 * t;
                t = c2 * x - s2 * t;
                x = q0[k];
                q1[k] = s3 * x + c3 * t;
                q0[k] = c3 * x - s3 * t;
            }
        }
        for (; i >= l; i--) {
            double c = cosines[i];
            double s = sines[i];
            double[] qi = rows[i];
            double[] qn = rows[i + 1];
            for (int k = 0; k < n; k++) {
                double t = qn[k];
                qn[k] = s * qi[k] + c * t;
                qi[k] = c * qi[k] - s * t;
            }
        }
    }


    /**
     * {@link #rotateRows} on the rows that the {@code rows} represent, {@code scales[i]} times {@code rows[i]}:
     * an implementation may leave the rows scaled (updating {@code scales}) to save multiplies. This one makes
     * the rows it touches plain (scale 1) and rotates them.
     */
    public void rotateScaledRows(double[][] rows, double[] scales, int n, int l, int m, double[] cosines,
            double[] sines) {
        for (int r = l; r <= m; r++) {
            normalize(rows, scales, r, n);
        }
        rotateRows(rows, n, l, m, cosines, sines);
    }

    /** Row {@code r} multiplied by its scale, which becomes 1. */
    protected static void normalize(double[][] rows, double[] scales, int r, int n) {
        double f = scales[r];
        if (f != 1) {
            double[] row = rows[r];
            for (int k = 0; k < n; k++) {
                row[k] *= f;
            }
            scales[r] = 1;
        }
    }
}
