package dev.solstice.jit;

import static dev.solstice.jit.CompilerTest.floats;
import static dev.solstice.jit.ProgramBuilder.assertBitwiseEqual;
import static dev.solstice.jit.ProgramBuilder.eager;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Primitive;
import dev.solstice.ir.Program;
import dev.solstice.ir.Var;
import dev.solstice.prim.Exp;
import dev.solstice.prim.Mul;
import dev.solstice.prim.ReduceSum;
import dev.solstice.prim.Rev;
import dev.solstice.prim.Tanh;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Kernel intermediates that never escape live in scratch arrays kept across runs: runs on many threads at
 * once and nested runs of the same executable never see each other's intermediates, and no output shares a
 * scratch array (results of one run stay intact after the next). The oracle is the eager evaluation.
 */
class ScratchBufferTest {
    private static final int N = 37;

    /** Copies its operand; while {@link #nest} is set, first runs {@link #inner} on other arguments (once deep). */
    private static final class Nested implements Primitive {
        final ThreadLocal<Boolean> nest = ThreadLocal.withInitial(() -> false);
        volatile Executable inner;
        final List<DenseArray[]> innerResults = new ArrayList<>();

        @Override
        public String name() {
            return "nested_run";
        }

        @Override
        public Aval[] shapeRule(Aval[] in) {
            return new Aval[] {in[0]};
        }

        @Override
        public DenseArray[] eval(DenseArray[] in, Aval[] outAvals) {
            if (nest.get()) {
                nest.set(false);
                innerResults.add(inner.run(new DenseArray[] {floats(90, N), floats(91, N)}));
            }
            return new DenseArray[] {DenseArray.wrap(outAvals[0], in[0].floats().clone())};
        }
    }

    /** sum(tanh(a * x) * nested(tanh(a * x))), with tanh(a * x) and the product in scratch arrays. */
    private static Program program(Nested nested) {
        ProgramBuilder b = new ProgramBuilder();
        Var x = b.input(DType.FLOAT32, N);
        Var a = b.input(DType.FLOAT32, N);
        Var t = b.apply(new Tanh(), b.apply(new Mul(), a, x));
        Var u = b.apply(new Mul(), t, b.apply(nested, t));
        return b.build(b.apply(new ReduceSum(new int[] {0}), u), b.apply(new Exp(), u));
    }

    @Test
    void intermediatesLiveInScratchAndOutputsStayFresh() {
        Program p = program(new Nested());
        Executable e = Compiler.compile(p, 1, KernelCache.SHARED);
        assertTrue(e.scratchBufferCount() >= 1, e.describe());
        DenseArray[] first = {floats(1, N), floats(2, N)};
        DenseArray[] firstOut = e.run(first);
        DenseArray[] secondOut = e.run(new DenseArray[] {floats(3, N), floats(4, N)});
        DenseArray[] want = eager(p, first);
        for (int k = 0; k < want.length; k++) {
            assertBitwiseEqual(want[k], firstOut[k], "output " + k + " of the first run, after the second");
            assertTrue(firstOut[k].storage() != secondOut[k].storage(), "output " + k + " shared between runs");
        }
    }

    /** A view of an intermediate that escapes keeps that intermediate out of scratch. */
    @Test
    void anEscapingViewKeepsItsStorageFresh() {
        ProgramBuilder b = new ProgramBuilder();
        Var x = b.input(DType.FLOAT32, N);
        Var t = b.apply(new Tanh(), b.apply(new Mul(), x, x));
        Program p = b.build(b.apply(new Rev(new int[] {0}), t), b.apply(new ReduceSum(new int[] {0}), t));
        Executable e = Compiler.compile(p, 1, KernelCache.SHARED);
        assertEquals(0, e.scratchBufferCount(), e.describe());
        DenseArray[] firstOut = e.run(new DenseArray[] {floats(5, N)});
        e.run(new DenseArray[] {floats(6, N)});
        assertBitwiseEqual(eager(p, floats(5, N))[0], firstOut[0], "the reversed intermediate");
    }

    @Test
    void eightThreadsAtOnceGetTheirOwnScratch() throws Exception {
        Program p = program(new Nested());
        Executable e = Compiler.compile(p, 1, KernelCache.SHARED);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                final int thread = t;
                results.add(pool.submit(() -> {
                    DenseArray[] args = {floats(100 + thread, N), floats(200 + thread, N)};
                    DenseArray[] want = eager(p, args);
                    for (int i = 0; i < 300; i++) {
                        DenseArray[] got = e.run(args);
                        for (int k = 0; k < want.length; k++) {
                            String diff = JitTesting.difference(want[k], got[k]);
                            if (diff != null) {
                                return "thread " + thread + " run " + i + " output " + k + ": " + diff;
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<String> f : results) {
                assertEquals(null, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** A run nested inside a step of the same executable takes another arena: the outer intermediates survive. */
    @Test
    void aNestedRunOfTheSameExecutableKeepsTheOuterIntermediates() {
        Nested nested = new Nested();
        Program p = program(nested);
        Executable e = Compiler.compile(p, 1, KernelCache.SHARED);
        nested.inner = e;
        DenseArray[] args = {floats(7, N), floats(8, N)};
        DenseArray[] want = eager(p, args);
        e.run(args); // one run first, so the arena the nested run could wrongly share already exists
        nested.nest.set(true);
        DenseArray[] got = e.run(args);
        assertEquals(1, nested.innerResults.size());
        for (int k = 0; k < want.length; k++) {
            assertBitwiseEqual(want[k], got[k], "outer output " + k);
            assertBitwiseEqual(eager(p, floats(90, N), floats(91, N))[k], nested.innerResults.get(0)[k],
                    "nested output " + k);
        }
    }
}
