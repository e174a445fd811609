package dev.solstice.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.DType;
import dev.solstice.core.DenseArray;
import dev.solstice.ir.Program;
import dev.solstice.ir.Var;
import dev.solstice.prim.BroadcastInDim;
import dev.solstice.prim.Div;
import dev.solstice.prim.Exp;
import dev.solstice.prim.Log;
import dev.solstice.prim.Mul;
import dev.solstice.prim.Neg;
import dev.solstice.prim.ReduceMax;
import dev.solstice.prim.ReduceSum;
import dev.solstice.prim.Reshape;
import dev.solstice.prim.StopGradient;
import dev.solstice.prim.Sub;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Reductions fused into the loops of the groups that produce their operands: the plan of softmax cross-entropy
 * (as a jitted loss stages it) runs its row max and row sums inside kernels and materialises no exp or product
 * that only a reduction reads; results equal eager bitwise (the oracle: the eager kernels' documented order).
 */
class ReductionFusionTest {
    private static final int ROWS = 128;
    private static final int CLASSES = 10;

    /** The forward pass of log-softmax cross-entropy over [128, 10] float32 logits, as staged by a jitted loss. */
    private static Program softmaxCrossEntropy() {
        ProgramBuilder b = new ProgramBuilder();
        Var logits = b.input(DType.FLOAT32, ROWS, CLASSES);
        Var oneHot = b.input(DType.FLOAT32, ROWS, CLASSES);
        Var count = b.input(DType.FLOAT32);
        int[] both = {0, 1};
        Var max = b.apply(new ReduceMax(new int[] {1}), b.apply(new StopGradient(), logits));
        Var maxBack = b.apply(new BroadcastInDim(new int[] {ROWS, CLASSES}, both),
                b.apply(new Reshape(new int[] {ROWS, 1}), max));
        Var shifted = b.apply(new Sub(), logits, maxBack);
        Var sumExp = b.apply(new ReduceSum(new int[] {1}), b.apply(new Exp(), shifted));
        Var logSum = b.apply(new Log(), b.apply(new Reshape(new int[] {ROWS, 1}), sumExp));
        Var logSoftmax = b.apply(new Sub(), shifted,
                b.apply(new BroadcastInDim(new int[] {ROWS, CLASSES}, both), logSum));
        Var perExample = b.apply(new ReduceSum(new int[] {1}), b.apply(new Mul(), oneHot, logSoftmax));
        Var total = b.apply(new ReduceSum(new int[] {0}), perExample);
        Var loss = b.apply(new Neg(), b.apply(new Div(), total, count));
        return b.build(loss, sumExp);
    }

    private static DenseArray[] arguments() {
        Random r = new Random(11);
        float[] logits = new float[ROWS * CLASSES];
        float[] oneHot = new float[ROWS * CLASSES];
        for (int i = 0; i < ROWS; i++) {
            for (int j = 0; j < CLASSES; j++) {
                logits[i * CLASSES + j] = (float) (3 * r.nextGaussian());
            }
            oneHot[i * CLASSES + (i * 7) % CLASSES] = 1f;
        }
        return new DenseArray[] {DenseArray.ofFloats(logits, ROWS, CLASSES), DenseArray.ofFloats(oneHot, ROWS, CLASSES),
            DenseArray.ofFloats(new float[] {ROWS})};
    }

    @Test
    void softmaxCrossEntropyReductionsRunInsideKernels() {
        Program p = softmaxCrossEntropy();
        for (boolean vector : new boolean[] {false, true}) {
            Executable e = Compiler.compile(p, 2, KernelCache.SHARED, vector, Lowering.SHARED_REDUCTION_MIN);
            String plan = e.describe();
            assertEquals(List.of(), lines(plan, "eval reduce_max"), plan);
            // only the sum of the per-example sums, a [128] value no kernel produces, stays eager
            assertEquals(1, lines(plan, "eval reduce_sum").size(), plan);
            List<String> exp = lines(plan, " exp reduce_sum]");
            assertEquals(1, exp.size(), plan);
            // it writes the shifted logits (read by the next group) and the row sums, not exp: only the sum reads it
            assertEquals(2, outputs(exp.getFirst()), "exp is only read by the row sum: not materialised\n" + plan);
            List<String> product = lines(plan, " mul reduce_sum]");
            assertEquals(1, product.size(), plan);
            assertEquals(1, outputs(product.getFirst()), "the product is only read by the row sum\n" + plan);
            assertBitwiseEager(p, e);
        }
    }

    /** With reduction fusion switched off ({@link Fusion#fuseReductions}) every reduction is an eager step. */
    @Test
    void withoutReductionFusionReductionsStayEager() {
        Program p = softmaxCrossEntropy();
        Executable e = Lowering.lower(p, Fusion.fuse(p, 2, false), KernelCache.SHARED, false);
        assertEquals(1, lines(e.describe(), "eval reduce_max").size(), e.describe());
        assertEquals(3, lines(e.describe(), "eval reduce_sum").size(), e.describe());
        assertBitwiseEager(p, e);
    }

    /**
     * The production policy keeps a reduction in the loop only where that measured faster: a float32 sum along the
     * run in a vector kernel with 16-lane vectors (partial sums in registers); a scalar loop (exp has no vector
     * form) leaves it to the eager kernel.
     */
    @Test
    void productionFusesOnlyVectorFloatRowSums() {
        for (boolean vectorOp : new boolean[] {true, false}) {
            ProgramBuilder b = new ProgramBuilder();
            Var x = b.input(DType.FLOAT32, 1000);
            Var y = b.input(DType.FLOAT32, 1000);
            Var v = vectorOp ? b.apply(new Mul(), b.apply(new Sub(), x, y), y) : b.apply(new Mul(), b.apply(new Exp(), x), y);
            Program p = b.build(b.apply(new ReduceSum(new int[] {0}), v));
            Executable e = Compiler.compile(p, 2, KernelCache.SHARED, true);
            boolean expected = vectorOp
                    && VectorLoop.sumsInRegisters(new KernelSpec.Reduce(dev.solstice.kernel.Kernels.Reduction.SUM,
                            DType.FLOAT32, 0, true));
            assertEquals(expected, lines(e.describe(), "eval reduce_sum").isEmpty(), e.describe());
            Random r = new Random(5);
            double[] xs = new double[1000];
            double[] ys = new double[1000];
            for (int i = 0; i < 1000; i++) {
                xs[i] = r.nextGaussian();
                ys[i] = r.nextGaussian() * 100;
            }
            DenseArray[] args = {floats(xs, new int[] {1000}), floats(ys, new int[] {1000})};
            ProgramBuilder.assertBitwiseEqual(ProgramBuilder.eager(p, args)[0], e.run(args)[0], "sum");
        }
    }

    /**
     * Axis patterns: columns (leading axes, as a bias gradient), all axes of a long run (the 16 partial sums and
     * a tail), size-1 axes (element for element), and a middle axis, which the loop cannot order as the eager
     * kernel does: it stays an eager step after the kernel, reading the kernel's output.
     */
    @Test
    void axisPatternsFuseOrStayEagerAndMatchBitwise() {
        record Pattern(int[] shape, int[] axes, boolean fuses) {}
        List<Pattern> patterns = List.of(new Pattern(new int[] {128, 10}, new int[] {0}, true),
                new Pattern(new int[] {37, 16, 3}, new int[] {0, 1}, true),
                new Pattern(new int[] {1000}, new int[] {0}, true),
                new Pattern(new int[] {13, 7, 5}, new int[] {0, 1, 2}, true),
                new Pattern(new int[] {9, 1, 5}, new int[] {1}, true),
                new Pattern(new int[] {4, 33, 6}, new int[] {1}, false),
                new Pattern(new int[] {4, 33, 6}, new int[] {0, 2}, false));
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (Pattern pattern : patterns) {
                ProgramBuilder b = new ProgramBuilder();
                Var x = b.input(t, pattern.shape());
                Var y = b.input(t, pattern.shape());
                // sub and mul have vector forms: the vector variant adds whole vectors into the partial sums
                Var s = b.apply(new ReduceSum(pattern.axes()), b.apply(new Mul(), b.apply(new Sub(), x, y), y));
                Program p = b.build(s);
                Random r = new Random(3);
                int n = Arrays.stream(pattern.shape()).reduce(1, (u, v) -> u * v);
                double[] xs = new double[n];
                double[] ys = new double[n];
                for (int i = 0; i < n; i++) {
                    xs[i] = r.nextGaussian();
                    ys[i] = r.nextGaussian() * 1e3;
                }
                DenseArray[] args = t == DType.FLOAT64
                        ? new DenseArray[] {DenseArray.ofDoubles(xs, pattern.shape()), DenseArray.ofDoubles(ys, pattern.shape())}
                        : new DenseArray[] {floats(xs, pattern.shape()), floats(ys, pattern.shape())};
                for (boolean vector : new boolean[] {false, true}) {
                    Executable e = Compiler.compile(p, 2, KernelCache.SHARED, vector, Lowering.SHARED_REDUCTION_MIN);
                    String what = t + Arrays.toString(pattern.shape()) + " over " + Arrays.toString(pattern.axes());
                    assertEquals(pattern.fuses(), lines(e.describe(), "eval reduce_sum").isEmpty(),
                            what + "\n" + e.describe());
                    assertEquals(vector ? 1 : 0, e.vectorKernelCount(), what + "\n" + e.describe());
                    DenseArray expected = ProgramBuilder.eager(p, args)[0];
                    ProgramBuilder.assertBitwiseEqual(expected, e.run(args)[0], what);
                }
            }
        }
    }

    private static DenseArray floats(double[] d, int[] shape) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return DenseArray.ofFloats(f, shape);
    }

    private static void assertBitwiseEager(Program p, Executable e) {
        DenseArray[] args = arguments();
        DenseArray[] expected = ProgramBuilder.eager(p, args);
        DenseArray[] actual = e.run(args);
        for (int k = 0; k < expected.length; k++) {
            ProgramBuilder.assertBitwiseEqual(expected[k], actual[k], "output " + k);
        }
        assertTrue(expected[0].getDouble(0) > 0, "a cross-entropy is positive");
    }

    private static List<String> lines(String plan, String part) {
        return Arrays.stream(plan.split("\n")).filter(l -> l.contains(part)).toList();
    }

    /** The number of slots a step line writes ("... -> [a, b] ..."). */
    private static int outputs(String line) {
        String after = line.substring(line.indexOf("-> [") + 4);
        return after.substring(0, after.indexOf(']')).split(",").length;
    }
}
