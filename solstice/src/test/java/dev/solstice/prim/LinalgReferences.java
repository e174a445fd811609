package dev.solstice.prim;

import dev.solstice.DType;
import dev.solstice.prim.Float64Reference.Impl;
import dev.solstice.prim.Float64Reference.Ref;
import java.util.function.BiConsumer;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.CholeskyDecomposition;
import org.hipparchus.linear.EigenDecompositionSymmetric;
import org.hipparchus.linear.RealVector;
import org.hipparchus.linear.LUDecomposition;
import org.hipparchus.linear.RealMatrix;

/**
 * Float64 references of the linear-algebra primitives, for {@link Float64Reference}, computed by Hipparchus
 * (an independent implementation): Cholesky from {@link CholeskyDecomposition} of the symmetric matrix of the
 * lower triangle; a triangular solve as a general solve ({@link LUDecomposition}) with the masked triangle;
 * LU from Hipparchus's partially pivoted {@link LUDecomposition} (square), its row swaps replayed to recover
 * LAPACK's pivot sequence from the permutation; eigh from {@link EigenDecompositionSymmetric}, sorted ascending,
 * each eigenvector's sign fixed as the kernel documents (largest-magnitude component positive; the values alone
 * when the primitive computes no vectors); svd from
 * {@link org.hipparchus.linear.SingularValueDecomposition} (reduced; full only for square matrices, where it is
 * the same), each left singular vector's largest component made positive with its right vector flipped alike;
 * qr from {@link org.hipparchus.linear.QRDecomposition}, whose Householder signs are LAPACK's except where no
 * rows lie below the diagonal (LAPACK's {@code larfg} leaves that column alone, Hipparchus negates it), so
 * there row {@code j} of R and column {@code j} of Q are negated; top_k by a stable sort of each row's
 * positions by descending value (NaN largest), keeping the first k.
 */
final class LinalgReferences {
    private LinalgReferences() {}

    /** Registers the references through {@code put}. */
    static void register(BiConsumer<String, Impl> put) {
        put.accept("cholesky", (p, in) -> new Ref[] {perMatrix(in[0], LinalgReferences::cholesky)});
        put.accept("triangular_solve", (p, in) -> new Ref[] {triangularSolve((TriangularSolve) p, in[0], in[1])});
        put.accept("lu", (p, in) -> lu(in[0]));
        put.accept("eigh", (p, in) -> eigh((Eigh) p, in[0]));
        put.accept("svd", (p, in) -> svd((Svd) p, in[0]));
        put.accept("qr", (p, in) -> qr((Qr) p, in[0]));
        put.accept("top_k", (p, in) -> topK((TopK) p, in[0]));
    }

    /** The matrix at {@code b} of a batch of {@code rows x cols} matrices. */
    static RealMatrix matrix(double[] v, int b, int rows, int cols) {
        double[][] m = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(v, b * rows * cols + i * cols, m[i], 0, cols);
        }
        return new Array2DRowRealMatrix(m, false);
    }

    private static void put(double[] out, int b, RealMatrix m) {
        int rows = m.getRowDimension();
        int cols = m.getColumnDimension();
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[b * rows * cols + i * cols + j] = m.getEntry(i, j);
            }
        }
    }

    private static int count(int[] shape) {
        int c = 1;
        for (int d = 0; d < shape.length - 2; d++) {
            c *= shape[d];
        }
        return c;
    }

    private static Ref perMatrix(Ref a, java.util.function.UnaryOperator<RealMatrix> f) {
        int r = a.rank();
        int rows = a.shape()[r - 2];
        int cols = a.shape()[r - 1];
        double[] out = new double[a.size()];
        for (int b = 0; b < count(a.shape()); b++) {
            put(out, b, f.apply(matrix(a.values(), b, rows, cols)));
        }
        return new Ref(a.dtype(), a.shape(), out);
    }

    /** The symmetric matrix of the lower triangle of {@code a}. */
    private static RealMatrix lowerSymmetric(RealMatrix a) {
        int n = a.getRowDimension();
        RealMatrix s = a.copy();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                s.setEntry(i, j, a.getEntry(j, i));
            }
        }
        return s;
    }

    private static RealMatrix cholesky(RealMatrix a) {
        return new CholeskyDecomposition(lowerSymmetric(a), 1e-12, 1e-12).getL();
    }

    /** The triangle {@code p} reads, with ones on the diagonal for a unit diagonal. */
    private static RealMatrix triangle(TriangularSolve p, RealMatrix a) {
        int n = a.getRowDimension();
        RealMatrix t = a.copy();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                boolean kept = p.lower() ? j <= i : j >= i;
                t.setEntry(i, j, i == j && p.unitDiagonal() ? 1 : kept ? a.getEntry(i, j) : 0);
            }
        }
        return p.transposeA() ? t.transpose() : t;
    }

    private static Ref triangularSolve(TriangularSolve p, Ref a, Ref b) {
        int r = b.rank();
        int m = a.shape()[r - 1];
        int rows = b.shape()[r - 2];
        int cols = b.shape()[r - 1];
        double[] out = new double[b.size()];
        for (int k = 0; k < count(b.shape()); k++) {
            RealMatrix op = triangle(p, matrix(a.values(), k, m, m));
            RealMatrix bm = matrix(b.values(), k, rows, cols);
            RealMatrix x = p.leftSide()
                    ? new LUDecomposition(op).getSolver().solve(bm)
                    : new LUDecomposition(op.transpose()).getSolver().solve(bm.transpose()).transpose();
            put(out, k, x);
        }
        return new Ref(b.dtype(), b.shape(), out);
    }

    private static Ref[] lu(Ref a) {
        int r = a.rank();
        int n = a.shape()[r - 1];
        int count = count(a.shape());
        int[] batchN = a.shape().clone();
        double[] packed = new double[a.size()];
        double[] pivots = new double[count * n];
        double[] permutation = new double[count * n];
        for (int b = 0; b < count; b++) {
            LUDecomposition d = new LUDecomposition(matrix(a.values(), b, n, n), 0);
            put(packed, b, d.getL().subtract(org.hipparchus.linear.MatrixUtils.createRealIdentityMatrix(n)).add(d.getU()));
            int[] perm = d.getPivot();
            int[] current = new int[n];
            for (int i = 0; i < n; i++) {
                current[i] = i;
                permutation[b * n + i] = perm[i];
            }
            for (int i = 0; i < n; i++) {
                int at = i;
                while (current[at] != perm[i]) {
                    at++;
                }
                pivots[b * n + i] = at;
                current[at] = current[i];
                current[i] = perm[i];
            }
        }
        int[] vecShape = java.util.Arrays.copyOf(batchN, r - 1);
        return new Ref[] {new Ref(a.dtype(), a.shape(), packed), new Ref(DType.INT32, vecShape, pivots),
            new Ref(DType.INT32, vecShape, permutation)};
    }

    private static Ref[] eigh(Eigh p, Ref a) {
        int r = a.rank();
        int n = a.shape()[r - 1];
        int count = count(a.shape());
        double[] vectors = new double[a.size()];
        double[] values = new double[count * n];
        for (int b = 0; b < count; b++) {
            EigenDecompositionSymmetric d = new EigenDecompositionSymmetric(lowerSymmetric(matrix(a.values(), b, n, n)));
            double[] w = d.getEigenvalues();
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            java.util.Arrays.sort(order, (x, y) -> Double.compare(w[x], w[y]));
            for (int c = 0; c < n; c++) {
                values[b * n + c] = w[order[c]];
                RealVector v = d.getEigenvector(order[c]);
                int big = 0;
                for (int k = 1; k < n; k++) {
                    if (Math.abs(v.getEntry(k)) > Math.abs(v.getEntry(big))) {
                        big = k;
                    }
                }
                double sign = v.getEntry(big) < 0 ? -1 : 1;
                for (int k = 0; k < n; k++) {
                    vectors[b * n * n + k * n + c] = sign * v.getEntry(k);
                }
            }
        }
        Ref valuesRef = new Ref(a.dtype(), java.util.Arrays.copyOf(a.shape(), r - 1), values);
        return p.computeV() ? new Ref[] {new Ref(a.dtype(), a.shape(), vectors), valuesRef} : new Ref[] {valuesRef};
    }

    private static Ref[] svd(Svd p, Ref a) {
        int r = a.rank();
        int m = a.shape()[r - 2];
        int n = a.shape()[r - 1];
        int k = Math.min(m, n);
        if (p.fullMatrices() && m != n) {
            throw new IllegalArgumentException("the svd reference has full matrices for square matrices only");
        }
        int count = count(a.shape());
        double[] s = new double[count * k];
        double[] u = new double[count * m * k];
        double[] vh = new double[count * k * n];
        for (int b = 0; b < count; b++) {
            org.hipparchus.linear.SingularValueDecomposition d =
                    new org.hipparchus.linear.SingularValueDecomposition(matrix(a.values(), b, m, n));
            double[] w = d.getSingularValues();
            RealMatrix um = d.getU();
            RealMatrix vm = d.getV();
            for (int j = 0; j < k; j++) {
                s[b * k + j] = w[j];
                int big = 0;
                for (int i = 1; i < m; i++) {
                    if (Math.abs(um.getEntry(i, j)) > Math.abs(um.getEntry(big, j))) {
                        big = i;
                    }
                }
                double sign = um.getEntry(big, j) < 0 ? -1 : 1;
                for (int i = 0; i < m; i++) {
                    u[b * m * k + i * k + j] = sign * um.getEntry(i, j);
                }
                for (int i = 0; i < n; i++) {
                    vh[b * k * n + j * n + i] = sign * vm.getEntry(i, j);
                }
            }
        }
        int[] batch = java.util.Arrays.copyOf(a.shape(), r - 2);
        Ref sRef = new Ref(a.dtype(), append(batch, k), s);
        if (!p.computeUv()) {
            return new Ref[] {sRef};
        }
        return new Ref[] {sRef, new Ref(a.dtype(), append(batch, m, k), u), new Ref(a.dtype(), append(batch, k, n), vh)};
    }

    private static int[] append(int[] batch, int... last) {
        int[] s = java.util.Arrays.copyOf(batch, batch.length + last.length);
        System.arraycopy(last, 0, s, batch.length, last.length);
        return s;
    }

    private static Ref[] qr(Qr p, Ref a) {
        int r = a.rank();
        int m = a.shape()[r - 2];
        int n = a.shape()[r - 1];
        int k = Math.min(m, n);
        int qCols = p.fullMatrices() ? m : k;
        int count = count(a.shape());
        double[] q = new double[count * m * qCols];
        double[] rr = new double[count * qCols * n];
        for (int b = 0; b < count; b++) {
            org.hipparchus.linear.QRDecomposition d = new org.hipparchus.linear.QRDecomposition(matrix(a.values(), b, m, n));
            RealMatrix qm = d.getQ();
            RealMatrix rm = d.getR();
            for (int c = 0; c < qCols; c++) {
                double sign = c == m - 1 && c < k ? -1 : 1;
                for (int i = 0; i < m; i++) {
                    q[b * m * qCols + i * qCols + c] = sign * qm.getEntry(i, c);
                }
                for (int j = 0; j < n; j++) {
                    rr[b * qCols * n + c * n + j] = sign * rm.getEntry(c, j);
                }
            }
        }
        int[] batch = java.util.Arrays.copyOf(a.shape(), r - 2);
        return new Ref[] {new Ref(a.dtype(), append(batch, m, qCols), q), new Ref(a.dtype(), append(batch, qCols, n), rr)};
    }

    private static Ref[] topK(TopK p, Ref x) {
        int r = x.rank();
        int n = x.shape()[r - 1];
        int k = p.k();
        int rows = n == 0 ? 0 : x.size() / n;
        double[] values = new double[rows * k];
        double[] indices = new double[rows * k];
        for (int row = 0; row < rows; row++) {
            int base = row * n;
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            double[] v = x.values();
            java.util.Arrays.sort(order, (a, b) -> {
                double va = v[base + a] == 0 ? 0.0 : v[base + a];
                double vb = v[base + b] == 0 ? 0.0 : v[base + b];
                return Double.compare(vb, va);            // Double.compare puts NaN above +inf; stable on ties
            });
            for (int j = 0; j < k; j++) {
                values[row * k + j] = v[base + order[j]];
                indices[row * k + j] = order[j];
            }
        }
        int[] shape = x.shape().clone();
        shape[r - 1] = k;
        return new Ref[] {new Ref(x.dtype(), shape, values), new Ref(DType.INT32, shape, indices)};
    }
}
