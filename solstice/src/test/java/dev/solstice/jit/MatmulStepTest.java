package dev.solstice.jit;

import static dev.solstice.jit.ProgramBuilder.assertBitwiseEqual;
import static dev.solstice.jit.ProgramBuilder.eager;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import dev.solstice.ir.Program;
import dev.solstice.ir.Var;
import dev.solstice.prim.Concatenate;
import dev.solstice.prim.DotGeneral;
import dev.solstice.prim.Mul;
import dev.solstice.prim.ReduceSum;
import dev.solstice.prim.Reshape;
import dev.solstice.prim.Tanh;
import dev.solstice.prim.Transpose;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * dot_general results that never escape live in scratch arrays kept across runs ({@link MatmulStep}). The oracle
 * is the eager evaluation, bitwise, on two runs with different arguments (a scratch array not cleared between
 * runs would add the first run's product into the second's on the packed path), with the first run's outputs
 * checked again after the second (no output shares a scratch array).
 */
class MatmulStepTest {

    /** A product read through a transposed view, then a chain; the product itself stays inside the program. */
    @Test
    void anIntermediateProductLivesInScratch() {
        for (DType t : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            // [40, 64] x [64, 300]: n > 256 takes the packed path, which accumulates into its output
            for (int[] mkn : new int[][] {{40, 64, 300}, {256, 64, 10}, {5, 7, 3}}) {
                int m = mkn[0];
                int k = mkn[1];
                int n = mkn[2];
                ProgramBuilder b = new ProgramBuilder();
                Var x = b.input(t, k, m);
                Var w = b.input(t, k, n);
                Var xt = b.apply(new Transpose(new int[] {1, 0}), x); // a view, read in place
                Var p = b.apply(dot(new int[] {1}, new int[] {0}), xt, w);
                Var h = b.apply(new Tanh(), b.apply(new Mul(), p, p));
                // the chain's kernel writes over the product in place: the product's scratch array holds both
                Program prog = b.build(b.apply(new ReduceSum(new int[] {0}), h));
                Executable e = Compiler.compile(prog);
                assertTrue(e.describe().contains(" in scratch "), e.describe());
                checkTwoRuns(prog, e, t, new int[][] {{k, m}, {k, n}}, t + " " + m + "x" + k + "x" + n);
            }
        }
    }

    /** Batched products with several contracted axes, and an operand whose axis groups interleave (copied). */
    @Test
    void batchedAndInterleavedLayoutsMatchEager() {
        ProgramBuilder b = new ProgramBuilder();
        Var x = b.input(DType.FLOAT64, 3, 4, 5, 6); // batch 0, contract 1 and 3, free 2
        Var y = b.input(DType.FLOAT64, 3, 6, 4, 7); // batch 0, contract 2 and 1, free 3
        Var p = b.apply(new DotGeneral(new int[] {1, 3}, new int[] {2, 1}, new int[] {0}, new int[] {0}), x, y);
        // contracting axes 1 and 3 of x as one group is uneven in x's storage: the eager path copies x
        Var xs = b.apply(new Transpose(new int[] {0, 2, 1, 3}), x); // [3, 5, 4, 6]: even again, read in place
        Var q = b.apply(new DotGeneral(new int[] {2, 3}, new int[] {2, 1}, new int[] {0}, new int[] {0}), xs, y);
        Var s = b.apply(new Mul(), b.apply(new Tanh(), p), q);
        Program prog = b.build(b.apply(new ReduceSum(new int[] {1, 2}), s));
        Executable e = Compiler.compile(prog);
        assertTrue(e.describe().contains(" in scratch "), e.describe());
        checkTwoRuns(prog, e, DType.FLOAT64, new int[][] {{3, 4, 5, 6}, {3, 6, 4, 7}}, "batched");
    }

    /** A product that is an output, directly, through a view or through a concatenation, gets a new array. */
    @Test
    void escapingProductsStayFresh() {
        ProgramBuilder b = new ProgramBuilder();
        Var x = b.input(DType.FLOAT64, 6, 5);
        Var w = b.input(DType.FLOAT64, 5, 4);
        Var direct = b.apply(dot(new int[] {1}, new int[] {0}), x, w);
        Var viewed = b.apply(dot(new int[] {1}, new int[] {0}), x, b.apply(new Tanh(), w));
        Var reshaped = b.apply(new Reshape(new int[] {24}), b.apply(new Transpose(new int[] {1, 0}), viewed));
        Var joined = b.apply(new Concatenate(0), b.apply(new Reshape(new int[] {24}),
                b.apply(dot(new int[] {1}, new int[] {0}), b.apply(new Tanh(), x), w)), reshaped);
        Program prog = b.build(direct, reshaped, joined);
        Executable e = Compiler.compile(prog);
        // only the concatenated product, copied by concatenate, may live in scratch
        assertEquals(1, e.describe().split(" in scratch ", -1).length - 1, e.describe());
        checkTwoRuns(prog, e, DType.FLOAT64, new int[][] {{6, 5}, {5, 4}}, "escaping");
    }

    /** The sum of two products, read by a third, is a kernel of its own that writes over one product in place. */
    @Test
    void aSumOfProductsOverwritesOne() {
        ProgramBuilder b = new ProgramBuilder();
        Var x = b.input(DType.FLOAT64, 8, 6);
        Var w = b.input(DType.FLOAT64, 6, 5);
        Var p = b.apply(dot(new int[] {1}, new int[] {0}), x, w);
        Var q = b.apply(dot(new int[] {1}, new int[] {0}), b.apply(new Tanh(), x), w);
        Var s = b.apply(new dev.solstice.prim.Add(), p, q);
        Program prog = b.build(b.apply(dot(new int[] {0}, new int[] {0}), s, x));
        Executable e = Compiler.compile(prog);
        assertTrue(e.describe().contains("kernel [add]") && e.describe().contains(" reuses "), e.describe());
        checkTwoRuns(prog, e, DType.FLOAT64, new int[][] {{8, 6}, {6, 5}}, "sum of products");
    }

    /**
     * Idle arenas are held weakly: after collections (which may drop them) runs take new scratch arrays and still
     * match; the outputs of a run before the collection stay intact.
     */
    @Test
    void runsAcrossCollectionsMatchEager() {
        ProgramBuilder b = new ProgramBuilder();
        Var x = b.input(DType.FLOAT64, 12, 9);
        Var w = b.input(DType.FLOAT64, 9, 7);
        Var p = b.apply(dot(new int[] {1}, new int[] {0}), x, w);
        Program prog = b.build(b.apply(new ReduceSum(new int[] {0}), b.apply(new Tanh(), b.apply(new Mul(), p, p))));
        Executable e = Compiler.compile(prog);
        DenseArray[] first = args(DType.FLOAT64, new int[][] {{12, 9}, {9, 7}}, 3);
        DenseArray[] want = eager(prog, first);
        DenseArray[] before = e.run(first);
        for (int i = 0; i < 3; i++) {
            System.gc();
            DenseArray[] second = args(DType.FLOAT64, new int[][] {{12, 9}, {9, 7}}, 10 + i);
            assertBitwiseEqual(eager(prog, second)[0], e.run(second)[0], "after collection " + i);
        }
        assertBitwiseEqual(want[0], before[0], "the output of the run before the collections");
        assertBitwiseEqual(want[0], e.run(first)[0], "a run after the collections");
    }

    /** Integer products keep the eager step (no scratch), and still match. */
    @Test
    void integerProductsRunEagerly() {
        ProgramBuilder b = new ProgramBuilder();
        Var x = b.input(DType.INT32, 3, 4);
        Var w = b.input(DType.INT32, 4, 2);
        Var p = b.apply(dot(new int[] {1}, new int[] {0}), x, w);
        Program prog = b.build(b.apply(new ReduceSum(new int[] {0}), b.apply(new Mul(), p, p)));
        Executable e = Compiler.compile(prog);
        for (String line : e.describe().split("\n")) {
            assertFalse(line.contains("dot_general") && line.contains(" in scratch "), e.describe());
        }
        DenseArray xs = DenseArray.ofInts(new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 3, 4);
        DenseArray ws = DenseArray.ofInts(new int[] {1, -1, 2, 0, 0, 3, -2, 1}, 4, 2);
        assertBitwiseEqual(eager(prog, xs, ws)[0], e.run(new DenseArray[] {xs, ws})[0], "int32 product");
    }

    private static DotGeneral dot(int[] lhsContract, int[] rhsContract) {
        return new DotGeneral(lhsContract, rhsContract, new int[0], new int[0]);
    }

    private static void checkTwoRuns(Program prog, Executable e, DType t, int[][] shapes, String what) {
        DenseArray[] first = args(t, shapes, 1);
        DenseArray[] second = args(t, shapes, 2);
        DenseArray[] firstOut = e.run(first);
        DenseArray[] secondOut = e.run(second);
        DenseArray[] thirdOut = e.run(first);
        DenseArray[] wantFirst = eager(prog, first);
        DenseArray[] wantSecond = eager(prog, second);
        for (int i = 0; i < wantFirst.length; i++) {
            assertBitwiseEqual(wantFirst[i], firstOut[i], what + ": output " + i + " of run 1, after run 2\n"
                    + e.describe());
            assertBitwiseEqual(wantSecond[i], secondOut[i], what + ": output " + i + " of run 2\n" + e.describe());
            assertBitwiseEqual(wantFirst[i], thirdOut[i], what + ": output " + i + " of run 3\n" + e.describe());
        }
    }

    private static DenseArray[] args(DType t, int[][] shapes, long seed) {
        Random r = new Random(seed);
        DenseArray[] out = new DenseArray[shapes.length];
        for (int i = 0; i < shapes.length; i++) {
            int size = new Aval(t, shapes[i]).size();
            double[] v = new double[size];
            for (int j = 0; j < size; j++) {
                v[j] = r.nextGaussian();
            }
            DenseArray d = DenseArray.ofDoubles(v, shapes[i]);
            out[i] = t == DType.FLOAT64 ? d : (DenseArray) d.astype(t);
        }
        return out;
    }
}
