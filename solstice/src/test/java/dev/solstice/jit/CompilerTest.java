package dev.solstice.jit;

import static dev.solstice.jit.ProgramBuilder.assertBitwiseEqual;
import static dev.solstice.jit.ProgramBuilder.eager;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Zero;
import dev.solstice.ir.Const;
import dev.solstice.ir.Program;
import dev.solstice.ir.Var;
import dev.solstice.jit.passes.CommonSubexpressions;
import dev.solstice.jit.passes.DeadCodeElimination;
import dev.solstice.prim.Add;
import dev.solstice.prim.BroadcastInDim;
import dev.solstice.prim.Exp;
import dev.solstice.prim.Mul;
import dev.solstice.prim.Neg;
import dev.solstice.prim.ReduceSum;
import dev.solstice.prim.Rev;
import dev.solstice.prim.Sub;
import dev.solstice.prim.Tanh;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompilerTest {
    private static final int N = 1000;

    /** tanh(a*x+c)*c over float32: one kernel, equal to eager bitwise and to a float64 reference to float32 rounding. */
    @Test
    void fusesAChainIntoOneKernelMatchingEagerAndAFloat64Reference() {
        ProgramBuilder b = new ProgramBuilder();
        Var x = b.input(DType.FLOAT32, N);
        Var a = b.input(DType.FLOAT32, N);
        Var c = b.input(DType.FLOAT32, N);
        Var y = b.apply(new Mul(), b.apply(new Tanh(), b.apply(new Add(), b.apply(new Mul(), a, x), c)), c);
        Program p = b.build(y);
        Executable e = Compiler.compile(p);
        assertEquals(1, e.kernelCount(), e.describe());
        DenseArray[] args = {floats(1, N), floats(2, N), floats(3, N)};
        DenseArray out = e.run(args)[0];
        assertBitwiseEqual(eager(p, args)[0], out, "tanh(a*x+c)*c");
        for (int i = 0; i < N; i++) {
            double xi = args[0].floats()[i];
            double ai = args[1].floats()[i];
            double ci = args[2].floats()[i];
            double reference = Math.tanh(ai * xi + ci) * ci;
            assertEquals(reference, out.floats()[i], 1e-5 * (1 + Math.abs(reference)), "element " + i);
        }
    }

    /** A bias broadcast along rows fuses as a strided read: one kernel for x * w + bias. */
    @Test
    void fusesABroadcastInputAsAStridedRead() {
        ProgramBuilder b = new ProgramBuilder();
        Var x = b.input(DType.FLOAT64, 7, 5);
        Var w = b.input(DType.FLOAT64, 7, 5);
        Var bias = b.input(DType.FLOAT64, 5);
        Var y = b.apply(new Add(), b.apply(new Mul(), x, w),
                b.apply(new BroadcastInDim(new int[] {7, 5}, new int[] {1}), bias));
        Program p = b.build(y);
        Executable e = Compiler.compile(p);
        assertEquals(1, e.kernelCount(), e.describe());
        DenseArray[] args = {doubles(4, 7, 5), doubles(5, 7, 5), doubles(6, 5)};
        DenseArray out = e.run(args)[0];
        for (int i = 0; i < 35; i++) {
            assertEquals(args[0].doubles()[i] * args[1].doubles()[i] + args[2].doubles()[i % 5], out.doubles()[i]);
        }
    }

    /** A value used outside its group is one more output of the same kernel, not recomputed. */
    @Test
    void valuesUsedOutsideTheGroupAreExtraOutputs() {
        ProgramBuilder b = new ProgramBuilder();
        Var x = b.input(DType.FLOAT64, N);
        Var t = b.apply(new Exp(), x);
        Var u = b.apply(new Neg(), b.apply(new Mul(), t, x));
        Program p = b.build(u, t);
        Executable e = Compiler.compile(p);
        assertEquals(1, e.kernelCount(), e.describe());
        DenseArray[] args = {doubles(7, N)};
        DenseArray[] expected = eager(p, args);
        DenseArray[] actual = e.run(args);
        assertBitwiseEqual(expected[0], actual[0], "u");
        assertBitwiseEqual(expected[1], actual[1], "t");
    }

    @Test
    void deadEquationsAreRemovedAndRepeatedOnesShared() {
        ProgramBuilder b = new ProgramBuilder();
        Var x = b.input(DType.FLOAT64, N);
        b.apply(new Tanh(), x); // dead
        Var e1 = b.apply(new Exp(), x);
        Var e2 = b.apply(new Exp(), x); // the same as e1
        Var y = b.apply(new Sub(), e1, e2);
        Program p = b.build(y);
        Program optimised = CommonSubexpressions.run(DeadCodeElimination.run(p));
        assertEquals(2, optimised.eqns().size(), optimised.toString());
        assertSame(optimised.eqns().get(1).inputs()[0], optimised.eqns().get(1).inputs()[1], optimised.toString());
        DenseArray[] args = {doubles(8, N)};
        assertBitwiseEqual(eager(p, args)[0], Compiler.compile(p).run(args)[0], "exp(x) - exp(x)");
    }

    /**
     * Buffer reuse never overwrites a value read later: {@code a2} dies in the second kernel (its buffer is
     * reused), {@code a} is read again after it through a reversed view, so its storage must survive.
     */
    @Test
    void bufferReuseDoesNotCorruptValuesReadLater() {
        ProgramBuilder b = new ProgramBuilder();
        Var x = b.input(DType.FLOAT64, N);
        Var a = b.apply(new Mul(), x, x);
        Var a2 = b.apply(new Add(), a, a);
        Var s = b.apply(new ReduceSum(new int[] {0}), a2);
        Var r = b.apply(new Rev(new int[] {0}), a); // a view of a's storage
        Var b2 = b.apply(new Neg(), b.apply(new Exp(), a2));
        Var c = b.apply(new Sub(), a, b2);
        Var q = b.apply(new ReduceSum(new int[] {0}), r);
        Program p = b.build(c, b2, s, q);
        Executable e = Compiler.compile(p);
        assertTrue(e.describe().contains("reuses"), "expected a2's buffer to be reused:\n" + e.describe());
        DenseArray[] args = {doubles(9, N)};
        DenseArray[] expected = eager(p, args);
        DenseArray[] actual = e.run(args);
        for (int i = 0; i < expected.length; i++) {
            assertBitwiseEqual(expected[i], actual[i], "output " + i + "\n" + e.describe());
        }
    }

    /** The same executable on 8 threads at once gives the single-threaded results. */
    @Test
    void runsFromManyThreadsGiveIdenticalResults() throws Exception {
        ProgramBuilder b = new ProgramBuilder();
        Var x = b.input(DType.FLOAT32, 20_000);
        Var y = b.apply(new Tanh(), b.apply(new Add(), b.apply(new Mul(), x, x), x));
        Var s = b.apply(new ReduceSum(new int[] {0}), y);
        Var z = b.apply(new Sub(), y, b.apply(new BroadcastInDim(new int[] {20_000}, new int[0]), s));
        Program p = b.build(z, s);
        Executable e = Compiler.compile(p);
        DenseArray[] args = {floats(10, 20_000)};
        DenseArray[] expected = e.run(args);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<DenseArray[]>> runs = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                runs.add(pool.submit(() -> e.run(args)));
            }
            for (Future<DenseArray[]> f : runs) {
                DenseArray[] got = f.get();
                assertBitwiseEqual(expected[0], got[0], "z");
                assertBitwiseEqual(expected[1], got[1], "s");
            }
        } finally {
            pool.shutdown();
        }
        assertBitwiseEqual(eager(p, args)[0], expected[0], "z against eager");
    }

    /** Constants, an input passed straight through and a symbolic-zero output. */
    @Test
    void constantsPassThroughAndZeroOutputs() {
        ProgramBuilder b = new ProgramBuilder();
        Var x = b.input(DType.FLOAT64, 3);
        Const k = new Const(DenseArray.ofDoubles(new double[] {1, 2, 3}, 3));
        Var y = b.apply(new Mul(), b.apply(new Add(), x, k), k);
        Program p = b.build(y, x, new Const(Zero.of(new Aval(DType.FLOAT64, 3))), k);
        DenseArray[] out = Compiler.compile(p).run(new DenseArray[] {DenseArray.ofDoubles(new double[] {1, 1, 1}, 3)});
        assertEquals(List.of(2.0, 6.0, 12.0), List.of(out[0].doubles()[0], out[0].doubles()[1], out[0].doubles()[2]));
        assertEquals(1.0, out[1].doubles()[2]);
        assertEquals(0.0, out[2].doubles()[1]);
        assertEquals(3.0, out[3].doubles()[2]);
    }

    @Test
    void wrongArgumentsAreRejectedWithTheAvals() {
        ProgramBuilder b = new ProgramBuilder();
        Var x = b.input(DType.FLOAT64, 3);
        Executable e = Compiler.compile(b.build(b.apply(new Exp(), x)));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> e.run(new DenseArray[] {DenseArray.ofFloats(new float[3], 3)}));
        assertTrue(error.getMessage().contains("float64[3]") && error.getMessage().contains("float32[3]"),
                error.getMessage());
    }

    /** A chain longer than one kernel may hold is cut into several kernels, still equal to eager. */
    @Test
    void longChainsAreSplitAcrossKernels() {
        ProgramBuilder b = new ProgramBuilder();
        Var x = b.input(DType.FLOAT64, 33);
        Var v = x;
        for (int i = 0; i < 3 * Fusion.MAX_MEMBERS; i++) {
            v = i % 3 == 0 ? b.apply(new Tanh(), v) : b.apply(i % 3 == 1 ? new Add() : new Mul(), v, x);
        }
        Program p = b.build(v);
        Executable e = Compiler.compile(p);
        assertTrue(e.kernelCount() >= 3, e.describe());
        DenseArray[] args = {doubles(11, 33)};
        assertBitwiseEqual(eager(p, args)[0], e.run(args)[0], "long chain");
    }

    /** Kernels are keyed by structure, not size: one generated class serves every length. */
    @Test
    void kernelsAreSharedAcrossSizes() {
        KernelCache cache = new KernelCache(8);
        List<Class<?>> classes = new ArrayList<>();
        for (int n : new int[] {5, 1000}) {
            ProgramBuilder b = new ProgramBuilder();
            Var x = b.input(DType.FLOAT32, n);
            Program p = b.build(b.apply(new Neg(), b.apply(new Exp(), b.apply(new Mul(), x, x))));
            classes.add(Compiler.compile(p, 2, cache).kernels().getFirst().getClass());
        }
        assertSame(classes.get(0), classes.get(1));
        assertEquals(1, cache.size());
    }

    static DenseArray floats(long seed, int n) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return DenseArray.ofFloats(v, n);
    }

    static DenseArray doubles(long seed, int... shape) {
        Random r = new Random(seed);
        double[] v = new double[new Aval(DType.FLOAT64, shape).size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextGaussian();
        }
        return DenseArray.ofDoubles(v, shape);
    }
}
