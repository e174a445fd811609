package dev.solstice.kernel;

import java.util.Arrays;

/**
 * Packing for {@link Gemm}: copies of operand slices in the order the tile kernel reads them, written
 * sequentially (A strictly; B a row of a strip, or four values of it for a transposed B, at a time), whatever
 * the operand's layout. A transposed B is read four of its columns (rows in memory) at a time: reading a whole
 * strip's columns side by side measured ~0.55 ns an element on the Zen 4 VM (more for a wide strip, whose
 * rows at a power-of-two stride share cache sets), four at a time ~0.35. Element X(i, j) of an operand is at
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
        for (int jr = 0; jr < nc; jr += nr) {
            int cols = Math.min(nr, nc - jr);
            int strip = jr * kc;
            if (cs == 1) {
                for (int p = 0, src = base + jr; p < kc; p++, src += rs) {
                    System.arraycopy(b, src, bp, strip + p * nr, cols);
                }
            } else {
                // B read transposed: four columns (contiguous in memory) side by side, then any left one by one
                int q = 0;
                for (; q + 4 <= cols; q += 4) {
                    for (int p = 0, s = base + (jr + q) * cs, o = strip + q; p < kc; p++, s += rs, o += nr) {
                        bp[o] = b[s];
                        bp[o + 1] = b[s + cs];
                        bp[o + 2] = b[s + 2 * cs];
                        bp[o + 3] = b[s + 3 * cs];
                    }
                }
                for (; q < cols; q++) {
                    for (int p = 0, s = base + (jr + q) * cs, o = strip + q; p < kc; p++, s += rs, o += nr) {
                        bp[o] = b[s];
                    }
                }
            }
            for (int p = 0, o = strip; p < kc && cols < nr; p++, o += nr) {
                Arrays.fill(bp, o + cols, o + nr, 0f);
            }
        }
    }

    static void packB(double[] b, int base, int rs, int cs, int kc, int nc, int nr, double[] bp) {
        for (int jr = 0; jr < nc; jr += nr) {
            int cols = Math.min(nr, nc - jr);
            int strip = jr * kc;
            if (cs == 1) {
                for (int p = 0, src = base + jr; p < kc; p++, src += rs) {
                    System.arraycopy(b, src, bp, strip + p * nr, cols);
                }
            } else {
                // B read transposed: four columns (contiguous in memory) side by side, then any left one by one
                int q = 0;
                for (; q + 4 <= cols; q += 4) {
                    for (int p = 0, s = base + (jr + q) * cs, o = strip + q; p < kc; p++, s += rs, o += nr) {
                        bp[o] = b[s];
                        bp[o + 1] = b[s + cs];
                        bp[o + 2] = b[s + 2 * cs];
                        bp[o + 3] = b[s + 3 * cs];
                    }
                }
                for (; q < cols; q++) {
                    for (int p = 0, s = base + (jr + q) * cs, o = strip + q; p < kc; p++, s += rs, o += nr) {
                        bp[o] = b[s];
                    }
                }
            }
            for (int p = 0, o = strip; p < kc && cols < nr; p++, o += nr) {
                Arrays.fill(bp, o + cols, o + nr, 0d);
            }
        }
    }
}
