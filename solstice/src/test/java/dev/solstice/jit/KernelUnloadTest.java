package dev.solstice.jit;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.DType;
import dev.solstice.core.Primitive;
import dev.solstice.ir.Var;
import dev.solstice.prim.Add;
import dev.solstice.prim.Cos;
import dev.solstice.prim.Exp;
import dev.solstice.prim.Mul;
import dev.solstice.prim.Neg;
import dev.solstice.prim.Sin;
import dev.solstice.prim.Sub;
import dev.solstice.prim.Tanh;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Generated kernels are hidden classes that unload: once evicted from a bounded cache and dropped by every
 * executable, a kernel's class becomes unreachable and the collector clears a weak reference to it.
 */
class KernelUnloadTest {
    private static final List<Primitive> OPS = List.of(new Add(), new Mul(), new Sub(), new Exp(), new Sin(),
            new Cos(), new Tanh(), new Neg());

    @Test
    void evictedKernelsAreOnlyWeaklyReachable() throws InterruptedException {
        KernelCache cache = new KernelCache(4);
        Executable first = Compiler.compile(chain(0), 2, cache);
        WeakReference<Class<?>> firstClass = new WeakReference<>(first.kernels().getFirst().getClass());
        List<Executable> later = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            later.add(Compiler.compile(chain(i), 2, cache)); // 40 distinct op sequences evict the first kernel
        }
        assertTrue(cache.size() <= 4);
        collect(firstClass, 3);
        assertNotNull(firstClass.get(), "a kernel still held by an executable must stay loaded");
        first = null;
        later.clear();
        collect(firstClass, 50);
        assertNull(firstClass.get(), "an evicted kernel nobody runs should unload");
    }

    /** A chain of binary and unary steps spelling {@code i} in base 8: a distinct kernel per {@code i}. */
    private static dev.solstice.ir.Program chain(int i) {
        ProgramBuilder b = new ProgramBuilder();
        Var x = b.input(DType.FLOAT64, 4);
        Var v = b.apply(new Add(), x, x);
        for (int digits = i + 8; digits > 0; digits /= 8) {
            Primitive p = OPS.get(digits % 8);
            v = p instanceof dev.solstice.prim.ElementwiseBinary ? b.apply(p, v, x) : b.apply(p, v);
        }
        return b.build(v);
    }

    private static void collect(WeakReference<?> ref, int attempts) throws InterruptedException {
        for (int i = 0; i < attempts && ref.get() != null; i++) {
            System.gc();
            Thread.sleep(20);
        }
    }
}
