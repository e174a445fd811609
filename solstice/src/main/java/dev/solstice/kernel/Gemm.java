package dev.solstice.kernel;

import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;

/**
 * Packed, register-blocked, cache-blocked batched matrix multiply (GotoBLAS layout): C is cut into fixed
 * {@link #MC} x {@link #NC} blocks, one task each (run by {@link Parallel}); in a task the contracted
 * dimension is walked in {@link #KC}-deep slices, A and B slices are packed into tile-shaped strips, and a
 * {@link GemmKernel} updates {@code mr x nr} register tiles.
 *
 * <p>Accumulation rule (all dtypes, every path, every thread count): each output element is
 * {@code c = fma(a[i][p], b[p][j], c)} for {@code p} ascending from {@code c = 0}, in the operands' own
 * precision (float32 products accumulate in float32, one rounding per step). Because the order does not
 * depend on blocking, tiling, thread count or the kernel implementation, all of them give the same bits.
 *
 * <p>The Vector API kernel ({@code dev.solstice.kernel.vector.GemmVector}) is used when the
 * {@code jdk.incubator.vector} module is present; it is loaded reflectively, so a JVM without the module
 * never touches it. Otherwise the plain Java kernel is used.
 */
public final class Gemm {
    /** Rows of C per task. */
    static final int MC = 128;
    /** Columns of C per task. */
    static final int NC = 512;
    /** Depth of a packed slice of the contracted dimension. */
    static final int KC = 256;
    /** Below this many multiply-adds a product skips packing and runs the direct loop. */
    static final int SMALL = 4096;

    private static final GemmKernel SELECTED = select();

    private Gemm() {}

    /** The plain Java tile kernel. */
    static GemmKernel java() {
        return GemmJava.INSTANCE;
    }

    /** The Vector API tile kernel, or null when the module or class is unavailable. */
    static GemmKernel vector() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return null;
        }
        try {
            return (GemmKernel) Class.forName("dev.solstice.kernel.vector.GemmVector")
                    .getField("INSTANCE").get(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }

    private static GemmKernel select() {
        GemmKernel v = vector();
        return v != null ? v : java();
    }

    /** The tile kernel in use (for reports and benchmarks). */
    public static String implementation() {
        return SELECTED == GemmJava.INSTANCE ? "java" : "vector";
    }

    /**
     * {@code [batch, m, n]} = {@code x @ y} per batch element, where {@code x} is stored as [batch, m, k]
     * (or [batch, k, m] with {@code transX}) and {@code y} as [batch, k, n] (or [batch, n, k] with
     * {@code transY}), row-major; a transposed operand is read in place, never copied.
     */
    public static DenseArray batchedMatmul(DenseArray x, boolean transX, DenseArray y, boolean transY,
            int batch, int m, int k, int n, Aval out) {
        return batchedMatmul(SELECTED, x, transX, y, transY, batch, m, k, n, out);
    }

    /**
     * {@code [batch, m, n]} = {@code x @ y} per batch element, {@code x} being [batch, m, k] and {@code y}
     * [batch, k, n] matrices read in place with any strides.
     */
    public static DenseArray batchedMatmul(Matrices x, Matrices y, int batch, int m, int k, int n, Aval out) {
        return batchedMatmul(SELECTED, x, y, batch, m, k, n, out);
    }

    static DenseArray batchedMatmul(GemmKernel kernel, DenseArray x, boolean transX, DenseArray y, boolean transY,
            int batch, int m, int k, int n, Aval out) {
        return batchedMatmul(kernel, Matrices.of(x, transX, m, k), Matrices.of(y, transY, k, n), batch, m, k, n, out);
    }

    static DenseArray batchedMatmul(GemmKernel kernel, Matrices x, Matrices y, int batch, int m, int k, int n,
            Aval out) {
        Object r = DenseArray.allocate(out.dtype(), batch * m * n);
        Layout l = new Layout(batch, m, k, n, x, y);
        switch (out.dtype()) {
            case FLOAT64 -> f64(kernel, (double[]) x.storage(), (double[]) y.storage(), (double[]) r, l);
            case FLOAT32 -> f32(kernel, (float[]) x.storage(), (float[]) y.storage(), (float[]) r, l);
            case INT32 -> i32((int[]) x.storage(), (int[]) y.storage(), (int[]) r, l);
            case BOOL -> throw new IllegalArgumentException("batchedMatmul: bool is not supported");
        }
        return DenseArray.wrap(out, r);
    }

    /**
     * Where the operands' elements are: A(i, p) of batch t at {@code ao + t*abs + i*ars + p*acs}, B(p, j) at
     * {@code bo + t*bbs + p*brs + j*bcs}, C(i, j) at {@code t*m*n + i*n + j}.
     */
    record Layout(int batch, int m, int k, int n, int ao, int abs, int ars, int acs, int bo, int bbs, int brs,
            int bcs) {
        Layout(int batch, int m, int k, int n, Matrices a, Matrices b) {
            this(batch, m, k, n, a.offset(), a.batchStride(), a.rowStride(), a.colStride(), b.offset(),
                    b.batchStride(), b.rowStride(), b.colStride());
        }

        boolean small() {
            return (long) m * n * k < SMALL;
        }

        int mBlocks() {
            return (m + MC - 1) / MC;
        }

        int nBlocks() {
            return (n + NC - 1) / NC;
        }

        int tasks() {
            return batch * mBlocks() * nBlocks();
        }

        long flops() {
            return 2L * batch * m * n * k;
        }
    }

    private static int roundUp(int x, int to) {
        return (x + to - 1) / to * to;
    }

    static void f64(GemmKernel kernel, double[] a, double[] b, double[] c, Layout l) {
        if (l.m == 0 || l.n == 0 || l.k == 0) {
            return;
        }
        if (l.small()) {
            for (int t = 0; t < l.batch; t++) {
                int ao = l.ao + t * l.abs;
                int bo = l.bo + t * l.bbs;
                for (int i = 0; i < l.m; i++) {
                    for (int j = 0; j < l.n; j++) {
                        double acc = 0;
                        for (int p = 0; p < l.k; p++) {
                            acc = Math.fma(a[ao + i * l.ars + p * l.acs], b[bo + p * l.brs + j * l.bcs], acc);
                        }
                        c[(t * l.m + i) * l.n + j] = acc;
                    }
                }
            }
            return;
        }
        blocked(F64, kernel, kernel.nrF64(), a, b, c, l);
    }

    static void f32(GemmKernel kernel, float[] a, float[] b, float[] c, Layout l) {
        if (l.m == 0 || l.n == 0 || l.k == 0) {
            return;
        }
        if (l.small()) {
            for (int t = 0; t < l.batch; t++) {
                int ao = l.ao + t * l.abs;
                int bo = l.bo + t * l.bbs;
                for (int i = 0; i < l.m; i++) {
                    for (int j = 0; j < l.n; j++) {
                        float acc = 0;
                        for (int p = 0; p < l.k; p++) {
                            acc = Math.fma(a[ao + i * l.ars + p * l.acs], b[bo + p * l.brs + j * l.bcs], acc);
                        }
                        c[(t * l.m + i) * l.n + j] = acc;
                    }
                }
            }
            return;
        }
        blocked(F32, kernel, kernel.nrF32(), a, b, c, l);
    }

    /** What the blocked driver does differently for float32 and float64: buffers, packing, the tile kernel. */
    private interface Precision {
        Object buffer(int n);

        void packA(Object a, int base, int rs, int cs, int mc, int kc, int mr, Object ap, int depth);

        void packB(Object b, int base, int rs, int cs, int kc, int nc, int nr, Object bp, int depth);

        void tile(GemmKernel kernel, int kc, Object ap, int ao, Object bp, int bo, Object c, int co, int ldc);
    }

    private static final Precision F64 = new Precision() {
        @Override
        public Object buffer(int n) {
            return new double[n];
        }

        @Override
        public void packA(Object a, int base, int rs, int cs, int mc, int kc, int mr, Object ap, int depth) {
            Gemm.packA((double[]) a, base, rs, cs, mc, kc, mr, (double[]) ap, depth);
        }

        @Override
        public void packB(Object b, int base, int rs, int cs, int kc, int nc, int nr, Object bp, int depth) {
            Gemm.packB((double[]) b, base, rs, cs, kc, nc, nr, (double[]) bp, depth);
        }

        @Override
        public void tile(GemmKernel kernel, int kc, Object ap, int ao, Object bp, int bo, Object c, int co, int ldc) {
            kernel.f64(kc, (double[]) ap, ao, (double[]) bp, bo, (double[]) c, co, ldc);
        }
    };

    private static final Precision F32 = new Precision() {
        @Override
        public Object buffer(int n) {
            return new float[n];
        }

        @Override
        public void packA(Object a, int base, int rs, int cs, int mc, int kc, int mr, Object ap, int depth) {
            Gemm.packA((float[]) a, base, rs, cs, mc, kc, mr, (float[]) ap, depth);
        }

        @Override
        public void packB(Object b, int base, int rs, int cs, int kc, int nc, int nr, Object bp, int depth) {
            Gemm.packB((float[]) b, base, rs, cs, kc, nc, nr, (float[]) bp, depth);
        }

        @Override
        public void tile(GemmKernel kernel, int kc, Object ap, int ao, Object bp, int bo, Object c, int co, int ldc) {
            kernel.f32(kc, (float[]) ap, ao, (float[]) bp, bo, (float[]) c, co, ldc);
        }
    };

    /** The packed, blocked product for one precision: one task per C block, tiles of mr x nr. */
    private static void blocked(Precision f, GemmKernel kernel, int nr, Object a, Object b, Object c, Layout l) {
        int mr = kernel.mr();
        int perBatch = l.mBlocks() * l.nBlocks();
        Parallel.forEach(l.tasks(), l.flops(), task -> {
            int t = task / perBatch;
            int i0 = task % perBatch / l.nBlocks() * MC;
            int j0 = task % l.nBlocks() * NC;
            int mc = Math.min(MC, l.m - i0);
            int nc = Math.min(NC, l.n - j0);
            int depth = Math.min(KC, l.k);
            Object ap = f.buffer(roundUp(mc, mr) * depth);
            Object bp = f.buffer(roundUp(nc, nr) * depth);
            Object tile = f.buffer(mr * nr);
            for (int p0 = 0; p0 < l.k; p0 += KC) {
                int kc = Math.min(KC, l.k - p0);
                f.packA(a, l.ao + t * l.abs + i0 * l.ars + p0 * l.acs, l.ars, l.acs, mc, kc, mr, ap, depth);
                f.packB(b, l.bo + t * l.bbs + p0 * l.brs + j0 * l.bcs, l.brs, l.bcs, kc, nc, nr, bp, depth);
                for (int jr = 0; jr < nc; jr += nr) {
                    for (int ir = 0; ir < mc; ir += mr) {
                        int co = (t * l.m + i0 + ir) * l.n + j0 + jr;
                        int rows = Math.min(mr, mc - ir);
                        int cols = Math.min(nr, nc - jr);
                        if (rows == mr && cols == nr) {
                            f.tile(kernel, kc, ap, ir * depth, bp, jr * depth, c, co, l.n);
                        } else {
                            // an edge tile goes through a full-size scratch tile: same arithmetic, no overrun
                            for (int r = 0; r < rows; r++) {
                                System.arraycopy(c, co + r * l.n, tile, r * nr, cols);
                            }
                            f.tile(kernel, kc, ap, ir * depth, bp, jr * depth, tile, 0, nr);
                            for (int r = 0; r < rows; r++) {
                                System.arraycopy(tile, r * nr, c, co + r * l.n, cols);
                            }
                        }
                    }
                }
            }
        });
    }

    /*
     * Packing. A strip of A is kc columns of mr values at ap[ir*depth + p*mr + r]; a strip of B is kc rows of
     * nr values at bp[jr*depth + p*nr + q]. Strips sit depth = min(KC, k) apart whatever kc is, so the padding
     * of the last (partial) strip is never written and stays zero.
     */

    private static void packA(double[] a, int base, int rs, int cs, int mc, int kc, int mr, double[] ap, int depth) {
        if (rs == 1) {
            // A read transposed: walk each column of A, which is contiguous in memory
            for (int p = 0; p < kc; p++) {
                int src = base + p * cs;
                for (int i = 0; i < mc; i++) {
                    ap[i / mr * mr * depth + i % mr + p * mr] = a[src + i];
                }
            }
            return;
        }
        for (int i = 0; i < mc; i++) {
            int dst = i / mr * mr * depth + i % mr;
            int src = base + i * rs;
            for (int p = 0; p < kc; p++) {
                ap[dst + p * mr] = a[src + p * cs];
            }
        }
    }

    private static void packB(double[] b, int base, int rs, int cs, int kc, int nc, int nr, double[] bp, int depth) {
        for (int jr = 0; jr < nc; jr += nr) {
            int cols = Math.min(nr, nc - jr);
            if (cs == 1) {
                for (int p = 0; p < kc; p++) {
                    System.arraycopy(b, base + p * rs + jr, bp, jr * depth + p * nr, cols);
                }
            } else {
                // B read transposed: walk each column of B, which is contiguous in memory when rs == 1
                for (int q = 0; q < cols; q++) {
                    int src = base + (jr + q) * cs;
                    int dst = jr * depth + q;
                    for (int p = 0; p < kc; p++) {
                        bp[dst + p * nr] = b[src + p * rs];
                    }
                }
            }
        }
    }

    private static void packA(float[] a, int base, int rs, int cs, int mc, int kc, int mr, float[] ap, int depth) {
        if (rs == 1) {
            // A read transposed: walk each column of A, which is contiguous in memory
            for (int p = 0; p < kc; p++) {
                int src = base + p * cs;
                for (int i = 0; i < mc; i++) {
                    ap[i / mr * mr * depth + i % mr + p * mr] = a[src + i];
                }
            }
            return;
        }
        for (int i = 0; i < mc; i++) {
            int dst = i / mr * mr * depth + i % mr;
            int src = base + i * rs;
            for (int p = 0; p < kc; p++) {
                ap[dst + p * mr] = a[src + p * cs];
            }
        }
    }

    private static void packB(float[] b, int base, int rs, int cs, int kc, int nc, int nr, float[] bp, int depth) {
        for (int jr = 0; jr < nc; jr += nr) {
            int cols = Math.min(nr, nc - jr);
            if (cs == 1) {
                for (int p = 0; p < kc; p++) {
                    System.arraycopy(b, base + p * rs + jr, bp, jr * depth + p * nr, cols);
                }
            } else {
                // B read transposed: walk each column of B, which is contiguous in memory when rs == 1
                for (int q = 0; q < cols; q++) {
                    int src = base + (jr + q) * cs;
                    int dst = jr * depth + q;
                    for (int p = 0; p < kc; p++) {
                        bp[dst + p * nr] = b[src + p * rs];
                    }
                }
            }
        }
    }

    /** Integers: a direct loop (wrapping int arithmetic, so the order does not matter). */
    private static void i32(int[] a, int[] b, int[] c, Layout l) {
        for (int t = 0; t < l.batch; t++) {
            int ao = l.ao + t * l.abs;
            int bo = l.bo + t * l.bbs;
            for (int i = 0; i < l.m; i++) {
                for (int p = 0; p < l.k; p++) {
                    int aip = a[ao + i * l.ars + p * l.acs];
                    for (int j = 0; j < l.n; j++) {
                        c[(t * l.m + i) * l.n + j] += aip * b[bo + p * l.brs + j * l.bcs];
                    }
                }
            }
        }
    }
}
