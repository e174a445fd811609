package dev.solstice.kernel;

import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;

/**
 * Batched matrix multiply for float32 and float64, on one of two paths chosen per product by its shape:
 *
 * <ul>
 *   <li>the <b>packed</b> path (GotoBLAS layout), for large products: C is cut into fixed {@link #MC} x
 *       {@link #NC} blocks, one task each (run by {@link Parallel}); in a task the contracted dimension is
 *       walked in {@link #KC}-deep slices, A and B slices are packed into tile-shaped strips, and a
 *       {@link GemmKernel} updates {@code mr x nr} register tiles;
 *   <li>the <b>direct</b> path, for small products and few rows (where packing costs more than it saves: the
 *       layers of a small network, per-example matrix-vector products under vmap): operands are read in place
 *       and each block of rows is computed whole; columns past the last whole vector go through a
 *       one-vector scratch strip, and an output narrower than one vector (n = 10 logits) is stored a whole
 *       vector per row in place, rows ascending, each row's spill overwritten by the next rows.
 * </ul>
 *
 * <p>Accumulation rule (all dtypes, both paths, every thread count): each output element is
 * {@code c = fma(a[i][p], b[p][j], c)} for {@code p} ascending from {@code c = 0}, in the operands' own
 * precision (float32 products accumulate in float32, one rounding per step). Because the order does not
 * depend on the path, blocking, tiling, thread count or the kernel implementation, all of them give the same
 * bits.
 *
 * <p>Memory: an eager product allocates its output and O(1) more; packed strips and copies live in per-thread
 * {@link GemmScratch} buffers reused from call to call.
 *
 * <p>The Vector API kernel ({@code dev.solstice.kernel.vector.GemmVector}) is used when the
 * {@code jdk.incubator.vector} module is present, unless the system property {@code solstice.kernels} is
 * {@code java}; it is loaded reflectively, so a JVM without the module never touches it. Otherwise the plain
 * Java kernel is used.
 */
public final class Gemm {
    /** Rows of C per task. */
    static final int MC = 128;
    /** Columns of C per task on the packed path. */
    static final int NC = 512;
    /** Depth of a packed slice of the contracted dimension. */
    static final int KC = 256;
    /** Below this many rows a product takes the direct path whatever its size: packing B would not pay. */
    static final int DIRECT_ROWS = 16;
    /** Up to this many columns (and {@link #DIRECT_B_BYTES} of B) a product takes the direct path, any rows. */
    static final int DIRECT_COLUMNS = 256;
    /** Up to this many bytes of B (it is walked column panel by column panel, so it should stay cached). */
    static final long DIRECT_B_BYTES = 128 << 10;
    /** The most elements of a transposed B that the direct path copies row-major; larger ones are packed. */
    static final int DIRECT_COPY = 1 << 16;
    /** The deepest contraction on the direct path: bounds its padded copy of B's last columns (k x a vector). */
    static final int DIRECT_DEPTH = 1 << 12;

    /** Which path a product takes: chosen by shape, or forced (tests compare the two; then no scratch bound holds). */
    enum Path { AUTO, DIRECT, PACKED }

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
        GemmKernel v = "java".equals(System.getProperty(KernelSelection.PROPERTY)) ? null : vector();
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
        return batchedMatmul(SELECTED, Path.AUTO, x, transX, y, transY, batch, m, k, n, out);
    }

    /**
     * {@code [batch, m, n]} = {@code x @ y} per batch element, {@code x} being [batch, m, k] and {@code y}
     * [batch, k, n] matrices read in place with any strides.
     */
    public static DenseArray batchedMatmul(Matrices x, Matrices y, int batch, int m, int k, int n, Aval out) {
        return batchedMatmul(SELECTED, Path.AUTO, x, y, batch, m, k, n, out);
    }

    static DenseArray batchedMatmul(GemmKernel kernel, DenseArray x, boolean transX, DenseArray y, boolean transY,
            int batch, int m, int k, int n, Aval out) {
        return batchedMatmul(kernel, Path.AUTO, x, transX, y, transY, batch, m, k, n, out);
    }

    static DenseArray batchedMatmul(GemmKernel kernel, Path path, DenseArray x, boolean transX, DenseArray y,
            boolean transY, int batch, int m, int k, int n, Aval out) {
        return batchedMatmul(kernel, path, Matrices.of(x, transX, m, k), Matrices.of(y, transY, k, n), batch, m, k,
                n, out);
    }

    static DenseArray batchedMatmul(GemmKernel kernel, Matrices x, Matrices y, int batch, int m, int k, int n,
            Aval out) {
        return batchedMatmul(kernel, Path.AUTO, x, y, batch, m, k, n, out);
    }

    static DenseArray batchedMatmul(GemmKernel kernel, Path path, Matrices x, Matrices y, int batch, int m, int k,
            int n, Aval out) {
        Object r = DenseArray.allocate(out.dtype(), batch * m * n);
        Layout l = new Layout(batch, m, k, n, x, y, path);
        switch (out.dtype()) {
            case FLOAT64 -> f64(kernel, (double[]) x.storage(), (double[]) y.storage(), (double[]) r, l);
            case FLOAT32 -> f32(kernel, (float[]) x.storage(), (float[]) y.storage(), (float[]) r, l);
            case INT32 -> i32((int[]) x.storage(), (int[]) y.storage(), (int[]) r, l);
            case INT64 -> i64((long[]) x.storage(), (long[]) y.storage(), (long[]) r, l);
            default -> throw Unsupported.dtype("batchedMatmul", out.dtype());
        }
        return DenseArray.wrap(out, r);
    }

    /**
     * Where the operands' elements are: A(i, p) of batch t at {@code ao + t*abs + i*ars + p*acs}, B(p, j) at
     * {@code bo + t*bbs + p*brs + j*bcs} (any strides, zero and negative included), C(i, j) at
     * {@code t*m*n + i*n + j}; and the path asked for.
     */
    record Layout(int batch, int m, int k, int n, int ao, int abs, int ars, int acs, int bo, int bbs, int brs,
            int bcs, Path path) {
        Layout(int batch, int m, int k, int n, Matrices a, Matrices b, Path path) {
            this(batch, m, k, n, a.offset(), a.batchStride(), a.rowStride(), a.colStride(), b.offset(),
                    b.batchStride(), b.rowStride(), b.colStride(), path);
        }

        /** Row-major operands, or transposed ones read in place ([batch, k, m] and [batch, n, k]). */
        Layout(int batch, int m, int k, int n, boolean transA, boolean transB, Path path) {
            this(batch, m, k, n, 0, m * k, transA ? 1 : k, transA ? m : 1, 0, k * n, transB ? 1 : n,
                    transB ? k : 1, path);
        }

        /** Where A(i, p) of batch element t is (every driver goes through these three: a layout change is local). */
        int a(int t, int i, int p) {
            return ao + t * abs + i * ars + p * acs;
        }

        /** Where B(p, j) of batch element t is. */
        int b(int t, int p, int j) {
            return bo + t * bbs + p * brs + j * bcs;
        }

        /** Where C(i, j) of batch element t is. */
        int c(int t, int i, int j) {
            return (t * m + i) * n + j;
        }

        /** Whether B's rows are contiguous (a single column always is), so the direct path reads B in place. */
        boolean bRowMajor() {
            return bcs == 1 || n == 1;
        }

        /**
         * Whether the direct path is the faster one for this shape, given the element size (measured against
         * the packed path on the 2-vCPU Zen 4 VM, Vector API kernel): few rows (B would be packed for little
         * reuse: m = 8 is ~0.6-0.75x the packed time even at 512 x 512 x 512), or a narrow B that stays
         * cached (any m; 1000 x 64 x 64 ~0.5-0.7x), provided a transposed B is small enough to copy. Long rows
         * of B are walked with a large stride and lose (64 x 64 x 1000: ~2x the packed time).
         */
        boolean directPays(int elementBytes) {
            boolean copyFits = k <= DIRECT_DEPTH && (bRowMajor() || (long) k * n <= DIRECT_COPY);
            boolean narrowB = n <= DIRECT_COLUMNS && (long) k * n * elementBytes <= DIRECT_B_BYTES;
            return copyFits && (m < DIRECT_ROWS || narrowB);
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
        run(GemmPrecision.F64, kernel, a, b, c, l);
    }

    static void f32(GemmKernel kernel, float[] a, float[] b, float[] c, Layout l) {
        run(GemmPrecision.F32, kernel, a, b, c, l);
    }

    private static void run(GemmPrecision f, GemmKernel kernel, Object a, Object b, Object c, Layout l) {
        if (l.m == 0 || l.n == 0 || l.k == 0 || l.batch == 0) {
            return;
        }
        if (l.path == Path.DIRECT || l.path == Path.AUTO && l.directPays(f.bytes())) {
            direct(f, kernel, a, b, c, l);
        } else {
            blocked(f, kernel, a, b, c, l);
        }
    }

    /**
     * The direct path: no packing; one task per batch element and block of {@link #MC} rows, each computing
     * its rows whole. A transposed B is first copied row-major into the task's scratch (bounded by
     * {@link #DIRECT_COPY}).
     */
    private static void direct(GemmPrecision f, GemmKernel kernel, Object a, Object b, Object c, Layout l) {
        int blocks = l.mBlocks();
        Parallel.forEach(l.batch * blocks, l.flops(), task -> {
            int t = task / blocks;
            int i0 = task % blocks * MC;
            int rows = Math.min(MC, l.m - i0);
            int ao = l.a(t, i0, 0);
            int co = l.c(t, i0, 0);
            GemmScratch s = GemmScratch.acquire();
            try {
                if (l.n < f.directWidth(kernel)) {
                    directNarrow(f, kernel, s, rows, l, a, ao, b, l.b(t, 0, 0), c, co);
                } else if (l.bRowMajor()) {
                    directRows(f, kernel, s, rows, l, a, ao, b, l.b(t, 0, 0), l.brs, c, co);
                } else {
                    Object copy = f.buffer(s, GemmScratch.Role.PACKED_B, l.k * l.n);
                    f.packB(b, l.b(t, 0, 0), l.brs, l.bcs, l.k, l.n, l.n, copy);
                    directRows(f, kernel, s, rows, l, a, ao, copy, 0, l.n, c, co);
                }
            } finally {
                s.release();
            }
        });
    }

    /**
     * Rows of C from a row-major B: the columns that fill whole vectors in place, the rest through scratch,
     * padded to a whole vector (B's last columns copied in, C's copied out), so the kernel never reads or
     * writes past a row.
     */
    private static void directRows(GemmPrecision f, GemmKernel kernel, GemmScratch s, int rows, Layout l,
            Object a, int ao, Object b, int bo, int ldb, Object c, int co) {
        int width = f.directWidth(kernel);
        int main = l.n / width * width;
        if (main > 0) {
            f.direct(kernel, rows, main, l.k, a, ao, l.ars, l.acs, b, bo, ldb, c, co, l.n);
        }
        int tail = l.n - main;
        if (tail > 0) {
            Object bt = f.buffer(s, GemmScratch.Role.TAIL_B, l.k * width);
            Object ct = f.buffer(s, GemmScratch.Role.TILE, rows * width);
            f.packB(b, bo + main, ldb, 1, l.k, tail, width, bt);
            f.direct(kernel, rows, width, l.k, a, ao, l.ars, l.acs, bt, 0, width, ct, 0, width);
            for (int r = 0; r < rows; r++) {
                System.arraycopy(ct, r * width, c, co + r * l.n + main, tail);
            }
        }
    }

    /**
     * Rows of C narrower than one vector (n = 10 of a 16-float vector: a classifier's logits): each row is
     * computed as one whole vector and stored in place, in ascending row order, so that the lanes past its end,
     * which spill over the first columns of the next rows, are overwritten by those rows' own values. Only the
     * last rows, whose vector would spill past this block of C, go through a scratch tile. This saves padding
     * B and C through scratch (and, for a transposed B, the intermediate row-major copy): B is read in place
     * when every row of it can be read a whole vector wide inside its array, else packed once into [k, width].
     */
    private static void directNarrow(GemmPrecision f, GemmKernel kernel, GemmScratch s, int rows, Layout l,
            Object a, int ao, Object b, int bo, Object c, int co) {
        int width = f.directWidth(kernel);
        int last = bo + (l.k - 1) * l.brs;
        boolean inPlace = l.bRowMajor() && Math.min(bo, last) >= 0 && Math.max(bo, last) + width <= f.length(b);
        Object bn = b;
        int bno = bo;
        int ldb = l.brs;
        if (!inPlace) {
            bn = f.buffer(s, GemmScratch.Role.TAIL_B, l.k * width);
            f.packB(b, bo, l.brs, l.bcs, l.k, l.n, width, bn);
            bno = 0;
            ldb = width;
        }
        // row r's vector ends at r*n + width, inside the block (rows*n) for r <= rows - width/n
        int stored = Math.max(0, rows - (width - 1) / l.n);
        if (stored > 0) {
            f.direct(kernel, stored, width, l.k, a, ao, l.ars, l.acs, bn, bno, ldb, c, co, l.n);
        }
        int rest = rows - stored;
        if (rest > 0) {
            Object ct = f.buffer(s, GemmScratch.Role.TILE, rest * width);
            f.direct(kernel, rest, width, l.k, a, ao + stored * l.ars, l.ars, l.acs, bn, bno, ldb, ct, 0, width);
            for (int r = 0; r < rest; r++) {
                System.arraycopy(ct, r * width, c, co + (stored + r) * l.n, l.n);
            }
        }
    }

    /** The packed, blocked path: one task per C block, its slices packed into scratch, tiles of mr x nr. */
    private static void blocked(GemmPrecision f, GemmKernel kernel, Object a, Object b, Object c, Layout l) {
        int mr = kernel.mr();
        int nr = f.nr(kernel);
        int perBatch = l.mBlocks() * l.nBlocks();
        Parallel.forEach(l.tasks(), l.flops(), task -> {
            int t = task / perBatch;
            int i0 = task % perBatch / l.nBlocks() * MC;
            int j0 = task % l.nBlocks() * NC;
            int mc = Math.min(MC, l.m - i0);
            int nc = Math.min(NC, l.n - j0);
            int depth = Math.min(KC, l.k);
            GemmScratch s = GemmScratch.acquire();
            try {
                Object ap = f.buffer(s, GemmScratch.Role.PACKED_A, roundUp(mc, mr) * depth);
                Object bp = f.buffer(s, GemmScratch.Role.PACKED_B, roundUp(nc, nr) * depth);
                Object tile = f.buffer(s, GemmScratch.Role.TILE, mr * nr);
                for (int p0 = 0; p0 < l.k; p0 += KC) {
                    int kc = Math.min(KC, l.k - p0);
                    f.packA(a, l.a(t, i0, p0), l.ars, l.acs, mc, kc, mr, ap);
                    f.packB(b, l.b(t, p0, j0), l.brs, l.bcs, kc, nc, nr, bp);
                    for (int jr = 0; jr < nc; jr += nr) {
                        for (int ir = 0; ir < mc; ir += mr) {
                            int co = l.c(t, i0 + ir, j0 + jr);
                            int rows = Math.min(mr, mc - ir);
                            int cols = Math.min(nr, nc - jr);
                            if (rows == mr && cols == nr) {
                                f.tile(kernel, kc, ap, ir * kc, bp, jr * kc, c, co, l.n);
                            } else {
                                // an edge tile goes through a full-size scratch tile: same arithmetic, no overrun
                                for (int r = 0; r < rows; r++) {
                                    System.arraycopy(c, co + r * l.n, tile, r * nr, cols);
                                }
                                f.tile(kernel, kc, ap, ir * kc, bp, jr * kc, tile, 0, nr);
                                for (int r = 0; r < rows; r++) {
                                    System.arraycopy(tile, r * nr, c, co + r * l.n, cols);
                                }
                            }
                        }
                    }
                }
            } finally {
                s.release();
            }
        });
    }

    /** Integers: a direct loop (wrapping int arithmetic, so the order does not matter). */
    private static void i32(int[] a, int[] b, int[] c, Layout l) {
        for (int t = 0; t < l.batch; t++) {
            for (int i = 0; i < l.m; i++) {
                for (int p = 0; p < l.k; p++) {
                    int aip = a[l.a(t, i, p)];
                    for (int j = 0; j < l.n; j++) {
                        c[l.c(t, i, j)] += aip * b[l.b(t, p, j)];
                    }
                }
            }
        }
    }

    private static void i64(long[] a, long[] b, long[] c, Layout l) {
        for (int t = 0; t < l.batch; t++) {
            for (int i = 0; i < l.m; i++) {
                for (int p = 0; p < l.k; p++) {
                    long aip = a[l.a(t, i, p)];
                    for (int j = 0; j < l.n; j++) {
                        c[l.c(t, i, j)] += aip * b[l.b(t, p, j)];
                    }
                }
            }
        }
    }
}
