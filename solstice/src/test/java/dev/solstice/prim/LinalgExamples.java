package dev.solstice.prim;

import static dev.solstice.prim.Examples.entry;

import dev.solstice.DType;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Primitive;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Examples of the linear-algebra primitives: well-conditioned matrices (diagonals pushed away from zero,
 * positive-definite ones for Cholesky) so that central differences are accurate; the triangles a primitive
 * does not read hold random values, which the references ignore as well. LU examples are square here
 * (their reference is Hipparchus's, which is square only); rectangular LU is tested in {@code LinalgPrimitivesTest}.
 */
final class LinalgExamples {
    private LinalgExamples() {}

    /** The family's registry entries. */
    static Map<Class<? extends Primitive>, Supplier<List<Example>>> all() {
        return Map.ofEntries(
                entry(Cholesky.class, LinalgExamples::cholesky),
                entry(TriangularSolve.class, LinalgExamples::triangularSolve),
                entry(Lu.class, LinalgExamples::lu),
                entry(Eigh.class, LinalgExamples::eigh),
                entry(Svd.class, LinalgExamples::svd),
                entry(Qr.class, LinalgExamples::qr),
                entry(TopK.class, LinalgExamples::topK));
    }

    /** Random matrices {@code [..., n, n]} with {@code shift} added on each diagonal. */
    static DenseArray matrices(Random r, DType t, double shift, int... shape) {
        int n = shape[shape.length - 1];
        double[] v = new double[dev.solstice.core.Shapes.size(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextDouble() * 2 - 1 + ((i % (n * n)) % (n + 1) == 0 ? shift : 0);
        }
        return cast(DenseArray.ofDoubles(v, shape), t);
    }

    /** Symmetric positive-definite matrices {@code M Mᵀ + n I} in the lower triangle, noise above. */
    static DenseArray positiveDefinite(Random r, DType t, int... shape) {
        int n = shape[shape.length - 1];
        double[] m = matrices(r, DType.FLOAT64, 0, shape).toDoubleArray();
        double[] v = new double[m.length];
        for (int b = 0; b < m.length / (n * n); b++) {
            int o = b * n * n;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double s = i == j ? n : 0;
                    for (int k = 0; k < n; k++) {
                        s += m[o + i * n + k] * m[o + j * n + k];
                    }
                    v[o + i * n + j] = j <= i ? s : r.nextDouble() * 4 - 2;
                }
            }
        }
        return cast(DenseArray.ofDoubles(v, shape), t);
    }

    static DenseArray cast(DenseArray d, DType t) {
        if (t == DType.FLOAT64) {
            return d;
        }
        double[] v = d.toDoubleArray();
        float[] f = new float[v.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) v[i];
        }
        return DenseArray.ofFloats(f, d.shape());
    }

    private static List<Example> cholesky() {
        Random r = new Random(141);
        return List.of(
                new Example(new Cholesky(), positiveDefinite(r, DType.FLOAT64, 3, 3)),
                new Example(new Cholesky(), positiveDefinite(r, DType.FLOAT32, 4, 4)),
                new Example(new Cholesky(), positiveDefinite(r, DType.FLOAT64, 2, 3, 3)),
                new Example(new Cholesky(), positiveDefinite(r, DType.FLOAT64, 1, 1)));
    }

    /** Every combination of the side, triangle and transpose flags, with and without a unit diagonal. */
    private static List<Example> triangularSolve() {
        Random r = new Random(142);
        List<Example> out = new ArrayList<>();
        for (int f = 0; f < 8; f++) {
            boolean left = (f & 1) != 0;
            boolean lower = (f & 2) != 0;
            boolean trans = (f & 4) != 0;
            out.add(new Example(new TriangularSolve(left, lower, trans, false), matrices(r, DType.FLOAT64, 3, 3, 3),
                    matrices(r, DType.FLOAT64, 0, left ? new int[] {3, 2} : new int[] {2, 3})));
        }
        out.add(new Example(new TriangularSolve(true, true, false, true), matrices(r, DType.FLOAT64, 3, 3, 3),
                matrices(r, DType.FLOAT64, 0, 3, 4)));
        out.add(new Example(new TriangularSolve(false, false, true, true), matrices(r, DType.FLOAT64, 3, 2, 2),
                matrices(r, DType.FLOAT64, 0, 3, 2)));
        out.add(new Example(new TriangularSolve(true, false, false, false), matrices(r, DType.FLOAT32, 3, 3, 3),
                matrices(r, DType.FLOAT32, 0, 3, 3)));
        out.add(new Example(new TriangularSolve(false, true, false, false), matrices(r, DType.FLOAT64, 3, 2, 3, 3),
                matrices(r, DType.FLOAT64, 0, 2, 1, 3)));
        return out;
    }

    private static List<Example> lu() {
        Random r = new Random(143);
        return List.of(
                new Example(new Lu(), matrices(r, DType.FLOAT64, 0, 4, 4)),
                new Example(new Lu(), matrices(r, DType.FLOAT32, 0, 3, 3)),
                new Example(new Lu(), matrices(r, DType.FLOAT64, 0, 2, 3, 3)),
                new Example(new Lu(), matrices(r, DType.FLOAT64, 1, 1, 1)));
    }

    /**
     * Symmetric matrices (in the lower triangle; noise above) with eigenvalues well apart: random ones plus a spread
     * diagonal; vectors and values, then values only.
     */
    private static List<Example> eigh() {
        Random r = new Random(144);
        return List.of(
                new Example(new Eigh(), spread(r, DType.FLOAT64, 3, 3)),
                new Example(new Eigh(), spread(r, DType.FLOAT32, 4, 4)),
                new Example(new Eigh(), spread(r, DType.FLOAT64, 2, 3, 3)),
                new Example(new Eigh(), spread(r, DType.FLOAT64, 1, 1)),
                new Example(new Eigh(false), spread(r, DType.FLOAT64, 4, 4)),
                new Example(new Eigh(false), spread(r, DType.FLOAT32, 3, 3)),
                new Example(new Eigh(false), spread(r, DType.FLOAT64, 2, 3, 3)));
    }

    private static DenseArray spread(Random r, DType t, int... shape) {
        int n = shape[shape.length - 1];
        double[] v = matrices(r, DType.FLOAT64, 0, shape).toDoubleArray();
        for (int i = 0; i < v.length; i++) {
            int row = (i % (n * n)) / n;
            int col = i % n;
            v[i] = 0.3 * v[i] + (row == col ? 1.5 * row : 0);
        }
        return cast(DenseArray.ofDoubles(v, shape), t);
    }

    /**
     * Matrices with singular values well apart (a spread diagonal plus small noise): reduced tall and wide,
     * values only, full for square ones (the only full matrices with a derivative), float32 and a batch.
     */
    private static List<Example> svd() {
        Random r = new Random(145);
        return List.of(
                new Example(new Svd(false, true), apart(r, DType.FLOAT64, 4, 3)),
                new Example(new Svd(false, true), apart(r, DType.FLOAT64, 2, 4)),
                new Example(new Svd(true, true), apart(r, DType.FLOAT64, 3, 3)),
                new Example(new Svd(false, true), apart(r, DType.FLOAT32, 3, 3)),
                new Example(new Svd(false, false), apart(r, DType.FLOAT64, 3, 5)),
                new Example(new Svd(false, true), apart(r, DType.FLOAT64, 2, 3, 2)),
                new Example(new Svd(true, false), apart(r, DType.FLOAT64, 1, 1)));
    }

    /** Tall and square matrices (the shapes with a derivative), reduced and complete, float32, a batch. */
    private static List<Example> qr() {
        Random r = new Random(146);
        return List.of(
                new Example(new Qr(false), apart(r, DType.FLOAT64, 4, 3)),
                new Example(new Qr(true), apart(r, DType.FLOAT64, 3, 3)),
                new Example(new Qr(false), apart(r, DType.FLOAT32, 3, 3)),
                new Example(new Qr(false), apart(r, DType.FLOAT64, 2, 3, 2)),
                new Example(new Qr(true), apart(r, DType.FLOAT64, 1, 1)));
    }

    /**
     * top_k (kept with this family's files, so that the sort family's stay untouched): rows of distinct random
     * values (central differences need no ties), k of 0, 1, some and all, float32, int32 with ties.
     */
    private static List<Example> topK() {
        Random r = new Random(147);
        DenseArray ints = DenseArray.wrap(new dev.solstice.core.Aval(DType.INT32, 2, 5), new int[] {3, 1, 3, 0, 2, 7, 7, 7, 1, 9});
        return List.of(
                new Example(new TopK(2), matrices(r, DType.FLOAT64, 0, 3, 5)),
                new Example(new TopK(5), matrices(r, DType.FLOAT64, 0, 2, 5)),
                new Example(new TopK(1), matrices(r, DType.FLOAT32, 0, 4, 4)),
                new Example(new TopK(0), matrices(r, DType.FLOAT64, 0, 2, 3)),
                new Example(new TopK(3), matrices(r, DType.FLOAT64, 0, 2, 2, 6)),
                new Example(new TopK(3), ints));
    }

    /** Matrices {@code [..., m, n]}: noise of 0.3 plus 1, 2.2, 3.4, ... on the main diagonal. */
    static DenseArray apart(Random r, DType t, int... shape) {
        int m = shape[shape.length - 2];
        int n = shape[shape.length - 1];
        double[] v = new double[dev.solstice.core.Shapes.size(shape)];
        for (int i = 0; i < v.length; i++) {
            int row = (i % (m * n)) / n;
            int col = i % n;
            v[i] = 0.3 * (r.nextDouble() * 2 - 1) + (row == col ? 1 + 1.2 * row : 0);
        }
        return cast(DenseArray.ofDoubles(v, shape), t);
    }
}
