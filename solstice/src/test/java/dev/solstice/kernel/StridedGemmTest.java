package dev.solstice.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Gemm} on operands read in place with any layout ({@link Matrices}: offsets, transposed, sliced with
 * steps, reversed, broadcast over the batch), both tile kernels, against a naive loop written here: the fma
 * chain of the accumulation rule in the operands' precision (bitwise) and a float64 sum (within the sequential
 * rounding bound). Shapes include 1 x N and N x 1 products, the direct small-product path and the packed one
 * with tails.
 */
class StridedGemmTest {
    /** batch, m, k, n: the last two narrower than a vector (C stored a vector per row in place). */
    private static final int[][] SHAPES = {
        {1, 1, 1, 1}, {2, 1, 37, 50}, {2, 50, 37, 1}, {1, 7, 13, 17}, {3, 5, 33, 35}, {2, 130, 70, 67},
        {2, 40, 13, 10}, {1, 19, 6, 3},
    };

    /** How an operand of [batch, rows, cols] matrices is laid out in its storage. */
    enum Layout { ROW_MAJOR, TRANSPOSED, SLICED, STEPPED, REVERSED, BATCH_BROADCAST }

    /** An operand: its storage, values as doubles, and the layout. */
    private record Operand(Matrices matrices, double[] values) {
        double get(int t, int i, int j) {
            return values[matrices.offset() + t * matrices.batchStride() + i * matrices.rowStride()
                    + j * matrices.colStride()];
        }
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (GemmKernel kernel : List.of(Gemm.java(), Gemm.vector())) {
            for (int[] s : SHAPES) {
                for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                    for (Layout lx : Layout.values()) {
                        out.add(Arguments.of(kernel.getClass().getSimpleName(), kernel, dtype, s, lx,
                                Layout.values()[(lx.ordinal() + 1 + s[1]) % Layout.values().length]));
                    }
                }
            }
        }
        return out.stream();
    }

    /** Storage and strides for [batch, rows, cols] matrices in the given layout, filled with random values. */
    private static Operand operand(Random rng, DType dtype, Layout layout, int batch, int rows, int cols) {
        int size;
        int offset = 0;
        int bs;
        int rs;
        int cs;
        switch (layout) {
            case ROW_MAJOR -> { size = batch * rows * cols; bs = rows * cols; rs = cols; cs = 1; }
            case TRANSPOSED -> { size = batch * rows * cols; bs = rows * cols; rs = 1; cs = rows; }
            case SLICED -> {
                // rows 2.. and columns 3.. of [batch, rows + 3, cols + 5] matrices
                int ld = cols + 5;
                bs = (rows + 3) * ld;
                size = batch * bs + 1;
                offset = 2 * ld + 3;
                rs = ld;
                cs = 1;
            }
            case STEPPED -> {
                // every second column and every third row, transposed storage
                rs = 3;
                cs = 3 * rows + 1;
                bs = cs * cols;
                size = batch * bs;
            }
            case REVERSED -> {
                // rows and columns walked backwards from the last element of each matrix
                bs = rows * cols;
                rs = -cols;
                cs = -1;
                offset = rows * cols - 1;
                size = batch * bs;
            }
            default -> { size = rows * cols; bs = 0; rs = cols; cs = 1; }
        }
        double[] v = new double[Math.max(size, 1)];
        for (int i = 0; i < v.length; i++) {
            double d = rng.nextGaussian();
            v[i] = dtype == DType.FLOAT32 ? (float) d : d;
        }
        Object storage = DenseArray.allocate(dtype, v.length);
        for (int i = 0; i < v.length; i++) {
            if (dtype == DType.FLOAT32) {
                ((float[]) storage)[i] = (float) v[i];
            } else {
                ((double[]) storage)[i] = v[i];
            }
        }
        return new Operand(new Matrices(storage, offset, bs, rs, cs), v);
    }

    @ParameterizedTest(name = "{0} {2} {3} {4} x {5}")
    @MethodSource("cases")
    void stridedOperandsMatchTheNaiveLoop(String name, GemmKernel kernel, DType dtype, int[] s, Layout lx, Layout ly) {
        int batch = s[0];
        int m = s[1];
        int k = s[2];
        int n = s[3];
        Random rng = new Random(17L * m + 5L * k + n + lx.ordinal());
        Operand x = operand(rng, dtype, lx, batch, m, k);
        Operand y = operand(rng, dtype, ly, batch, k, n);
        DenseArray r = Gemm.batchedMatmul(kernel, x.matrices(), y.matrices(), batch, m, k, n, new Aval(dtype, batch, m, n));
        assertEquals(new Aval(dtype, batch, m, n), r.aval());
        for (int t = 0; t < batch; t++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double exact = 0;
                    double magnitude = 0;
                    float f = 0;
                    double d = 0;
                    for (int p = 0; p < k; p++) {
                        double a = x.get(t, i, p);
                        double b = y.get(t, p, j);
                        exact += a * b;
                        magnitude += Math.abs(a * b);
                        f = Math.fma((float) a, (float) b, f);
                        d = Math.fma(a, b, d);
                    }
                    int o = (t * m + i) * n + j;
                    double got = r.getDouble(o);
                    double chain = dtype == DType.FLOAT32 ? f : d;
                    String where = name + " " + dtype + " " + lx + " x " + ly + " element " + o;
                    assertEquals(Double.doubleToLongBits(chain), Double.doubleToLongBits(got),
                            () -> where + ": the fma chain gives " + chain + ", got " + got);
                    double u = dtype == DType.FLOAT32 ? 0x1p-24 : 0x1p-53;
                    double want = exact;
                    assertTrue(Math.abs(got - want) <= 2 * (k + 1) * u * magnitude + Double.MIN_NORMAL,
                            () -> where + ": " + got + " vs float64 " + want);
                }
            }
        }
    }
}
