package dev.solstice.kernel;

import java.util.Arrays;

/**
 * Packing for {@link Gemm}: copies of operand slices in the order the tile kernel reads them, written strictly
 * sequentially (streaming writes, whatever the operand's layout). Element X(i, j) of an operand is at
 * {@code x[base + i*rs + j*cs]}, so one routine serves plain and transposed operands.
 *
 * <p>A strip of A is {@code kc} columns of {@code mr} values, column after column: strip {@code ir} (a
 * multiple of {@code mr}) at {@code ap[ir*kc + p*mr + r]}. A strip of B is {@code kc} rows of {@code nr}
 * values, row after row: strip {@code jr} at {@code bp[jr*kc + p*nr + q]}. Rows or columns past the edge of
 * the operand are written as zeros (the buffers are reused, so nothing is zero unless written). With
 * {@code nr = nc} packing B gives its plain row-major copy, which the direct path uses for a transposed B.
 */
final class GemmPacking {
    private GemmPacking() {}

    static void packA(float[] a, int base, int rs, int cs, int mc, int kc, int mr, float[] ap) {
        int o = 0;
        for (int ir = 0; ir < mc; ir += mr) {
            int rows = Math.min(mr, mc - ir);
            for (int p = 0, src = base + ir * rs; p < kc; p++, src += cs, o += mr) {
                for (int r = 0; r < rows; r++) {
                    ap[o + r] = a[src + r * rs];
                }
                Arrays.fill(ap, o + rows, o + mr, 0f);
            }
        }
    }

    static void packA(double[] a, int base, int rs, int cs, int mc, int kc, int mr, double[] ap) {
        int o = 0;
        for (int ir = 0; ir < mc; ir += mr) {
            int rows = Math.min(mr, mc - ir);
            for (int p = 0, src = base + ir * rs; p < kc; p++, src += cs, o += mr) {
                for (int r = 0; r < rows; r++) {
                    ap[o + r] = a[src + r * rs];
                }
                Arrays.fill(ap, o + rows, o + mr, 0d);
            }
        }
    }

    static void packB(float[] b, int base, int rs, int cs, int kc, int nc, int nr, float[] bp) {
        int o = 0;
        for (int jr = 0; jr < nc; jr += nr) {
            int cols = Math.min(nr, nc - jr);
            for (int p = 0, src = base + jr * cs; p < kc; p++, src += rs, o += nr) {
                if (cs == 1) {
                    System.arraycopy(b, src, bp, o, cols);
                } else {
                    for (int q = 0; q < cols; q++) {
                        bp[o + q] = b[src + q * cs];
                    }
                }
                Arrays.fill(bp, o + cols, o + nr, 0f);
            }
        }
    }

    static void packB(double[] b, int base, int rs, int cs, int kc, int nc, int nr, double[] bp) {
        int o = 0;
        for (int jr = 0; jr < nc; jr += nr) {
            int cols = Math.min(nr, nc - jr);
            for (int p = 0, src = base + jr * cs; p < kc; p++, src += rs, o += nr) {
                if (cs == 1) {
                    System.arraycopy(b, src, bp, o, cols);
                } else {
                    for (int q = 0; q < cols; q++) {
                        bp[o + q] = b[src + q * cs];
                    }
                }
                Arrays.fill(bp, o + cols, o + nr, 0d);
            }
        }
    }
}
