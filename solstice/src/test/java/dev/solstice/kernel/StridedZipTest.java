package dev.solstice.kernel;

import static dev.solstice.kernel.KernelSuiteTest.NO_FLOAT_FALLBACK2;
import static dev.solstice.kernel.KernelSuiteTest.NO_INT_FALLBACK2;
import static dev.solstice.kernel.KernelSuiteTest.assertBits;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import dev.solstice.prim.Ops;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntBinaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Binary kernels and select on strided operands (views), both implementations: scalar, row and column broadcasts, a
 * transposed, a sliced (offset and steps) and a reversed operand, on either side and both at once, for odd
 * sizes (vector tails, rows longer than {@link StridedZip}'s block). The oracle is the float64 operation on
 * elements that the test locates itself in the source data (float32: rounded once), compared bitwise; the
 * scalar fallbacks throw, so a passing case ran the operation's own loop.
 */
class StridedZipTest {
    /** rows x cols: single element, tails of every vector width, a row longer than the block. */
    private static final int[][] SHAPES = {{1, 1}, {3, 5}, {4, 17}, {2, 1003}, {5, 16}, {2, 2 * StridedRows.BLOCK + 5}};

    /** An operand of shape [rows, cols] built as a view, and where its element (i, j) lies in its source. */
    private record Operand(String name, DenseArray array, double[] source, IntBinaryOperator at) {
        double get(int i, int j) {
            return source[at.applyAsInt(i, j)];
        }
    }

    static Stream<Kernels> kernels() {
        return KernelSuiteTest.kernels();
    }

    /** Every layout of a [rows, cols] operand, from fresh data of the given seed. */
    private static List<Operand> layouts(DType t, int rows, int cols, long seed) {
        List<Operand> out = new ArrayList<>();
        double[] plain = values(t, rows * cols, seed);
        out.add(new Operand("contiguous", array(t, plain, rows, cols), plain, (i, j) -> i * cols + j));
        double[] one = values(t, 1, seed + 1);
        out.add(new Operand("scalar broadcast", (DenseArray) Ops.broadcastInDim(array(t, one), new int[] {rows, cols},
                new int[0]), one, (i, j) -> 0));
        double[] row = values(t, cols, seed + 2);
        out.add(new Operand("row broadcast", (DenseArray) Ops.broadcastInDim(array(t, row, cols), new int[] {rows, cols},
                new int[] {1}), row, (i, j) -> j));
        double[] col = values(t, rows, seed + 3);
        out.add(new Operand("column broadcast", (DenseArray) Ops.broadcastInDim(array(t, col, rows, 1),
                new int[] {rows, cols}, new int[] {0, 1}), col, (i, j) -> i));
        double[] tr = values(t, rows * cols, seed + 4);
        out.add(new Operand("transposed", (DenseArray) Ops.transpose(array(t, tr, cols, rows), 1, 0), tr,
                (i, j) -> j * rows + i));
        // rows 1, 3, 5, ... and columns 2, 4, 6, ... of a [2 rows + 1, 2 cols + 2] array: an offset and two steps
        int wide = 2 * cols + 2;
        double[] big = values(t, (2 * rows + 1) * wide, seed + 5);
        out.add(new Operand("sliced", (DenseArray) Ops.slice(array(t, big, 2 * rows + 1, wide), new int[] {1, 2},
                new int[] {2 * rows + 1, wide}, new int[] {2, 2}), big, (i, j) -> (1 + 2 * i) * wide + 2 + 2 * j));
        double[] rv = values(t, rows * cols, seed + 6);
        out.add(new Operand("reversed", (DenseArray) Ops.rev(array(t, rv, rows, cols), 0, 1), rv,
                (i, j) -> (rows - 1 - i) * cols + (cols - 1 - j)));
        return out;
    }

    private static double[] values(DType t, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            double d = r.nextDouble(-4, 4) * Math.pow(10, r.nextInt(-2, 3));
            v[i] = switch (t) {
                case FLOAT32 -> (float) d;
                case INT32 -> Math.rint(d) + 0.0; // no -0.0, which int storage cannot hold
                case BOOL -> d > 0 ? 1 : 0;
                default -> i % 9 == 4 ? KernelSuiteTest.SPECIAL[(int) (seed + i) % KernelSuiteTest.SPECIAL.length] : d;
            };
        }
        return v;
    }

    private static DenseArray array(DType t, double[] v, int... shape) {
        return DenseArray.wrap(new Aval(t, shape), KernelSuiteTest.convertTo(t, v));
    }

    private static double oracle(DType t, BinaryOp op, double x, double y) {
        if (t == DType.BOOL) {
            boolean a = x != 0;
            boolean b = y != 0;
            return (op == BinaryOp.AND ? a && b : op == BinaryOp.OR ? a || b : a != b) ? 1 : 0;
        }
        if (t == DType.INT32) {
            return KernelSuiteTest.intOracle(op, (int) x, (int) y);
        }
        double want = KernelSuiteTest.binaryOracle(op, x, y);
        return t == DType.FLOAT32 && !op.isComparison() ? (float) want : want;
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void viewsOnEitherSideEqualTheFloat64OracleBitwise(Kernels k) {
        for (DType t : KernelDTypes.ALL) {
            for (BinaryOp op : BinaryOp.values()) {
                if (!op.hasLoop(t)) {
                    continue;
                }
                DType out = op.isComparison() ? DType.BOOL : t;
                for (int[] shape : SHAPES) {
                    int rows = shape[0];
                    int cols = shape[1];
                    List<Operand> lefts = layouts(t, rows, cols, 11L * rows + cols);
                    List<Operand> rights = layouts(t, rows, cols, 13L * rows + cols + 100);
                    for (int li = 0; li < lefts.size(); li++) {
                        for (int ri = 0; ri < rights.size(); ri++) {
                            // every pair on small shapes; on long ones each layout against a contiguous operand
                            // on either side
                            if (rows * cols > 300 && li != 0 && ri != 0) {
                                continue;
                            }
                            Operand x = lefts.get(li);
                            Operand y = rights.get(ri);
                            DenseArray z = k.zip(x.array(), y.array(), out, op, NO_FLOAT_FALLBACK2, NO_INT_FALLBACK2);
                            assertEquals(new Aval(out, rows, cols), z.aval());
                            assertTrue(z.isContiguous());
                            for (int i = 0; i < rows; i++) {
                                for (int j = 0; j < cols; j++) {
                                    double want = oracle(t, op, x.get(i, j), y.get(i, j));
                                    double got = z.getDouble(i * cols + j);
                                    if (Double.doubleToLongBits(want) != Double.doubleToLongBits(got)) {
                                        assertBits(want, got, k.getClass().getSimpleName() + " " + op + " " + t
                                                + " " + rows + "x" + cols + " " + x.name() + " with " + y.name()
                                                + " at (" + i + ", " + j + ")");
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void selectOfViewsTakesEachElementFromTheChosenOperand(Kernels k) {
        for (DType t : KernelDTypes.ALL) {
            for (int[] shape : SHAPES) {
                int rows = shape[0];
                int cols = shape[1];
                List<Operand> preds = layouts(DType.BOOL, rows, cols, 7L * rows + cols);
                List<Operand> onTrue = layouts(t, rows, cols, 3L * rows + cols + 50);
                List<Operand> onFalse = layouts(t, rows, cols, 5L * rows + cols + 70);
                for (int i = 0; i < preds.size(); i++) {
                    // each layout as the predicate, the true and the false operand, against the others rotated
                    Operand p = preds.get(i);
                    Operand a = onTrue.get((i + 1) % onTrue.size());
                    Operand b = onFalse.get((i + 3) % onFalse.size());
                    for (Operand[] c : new Operand[][] {{p, a, b}, {preds.get(0), b, a}}) {
                        DenseArray z = k.select(c[0].array(), c[1].array(), c[2].array());
                        assertEquals(new Aval(t, rows, cols), z.aval());
                        for (int r = 0; r < rows; r++) {
                            for (int j = 0; j < cols; j++) {
                                double want = (c[0].get(r, j) != 0 ? c[1] : c[2]).get(r, j);
                                double got = z.getDouble(r * cols + j);
                                if (Double.doubleToLongBits(want) != Double.doubleToLongBits(got)) {
                                    assertBits(want, got, k.getClass().getSimpleName() + " select " + t + " " + rows
                                            + "x" + cols + " " + c[0].name() + ", " + c[1].name() + ", "
                                            + c[2].name() + " at (" + r + ", " + j + ")");
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void theLayoutsAreViewsNotCopies() {
        for (Operand o : layouts(DType.FLOAT32, 4, 17, 1)) {
            if (!o.name().equals("contiguous")) {
                assertFalse(o.array().isContiguous(), o.name() + " should be a view, so the strided loops run");
            }
        }
    }
}
