package dev.solstice.jit;

import dev.solstice.ir.Program;
import dev.solstice.jit.passes.CommonSubexpressions;
import dev.solstice.jit.passes.DeadCodeElimination;

/**
 * Compiles a staged {@link Program} into an {@link Executable}: dead code elimination, common subexpression
 * elimination, fusion of elementwise chains ({@link Fusion}), code generation of one hidden class per fused
 * group ({@link KernelGenerator}, kernels cached by structure) and buffer planning ({@link BufferPlan}).
 * Results equal {@code Program.evaluate} under the eval interpreter bitwise: every fused element is
 * computed by the same arithmetic as the eager kernel of its primitive, and everything else runs through
 * the eager kernels. Pure and thread-safe.
 */
public final class Compiler {
    /** Groups smaller than this run through the eager kernels, which are as fast for one operation (not select). */
    private static final int MIN_FUSED = 2;

    private Compiler() {}

    /**
     * Compiles {@code p}.
     *
     * @param p a program whose constants are concrete arrays
     * @return its executable
     * @throws IllegalArgumentException if a constant is not a concrete array
     */
    public static Executable compile(Program p) {
        return compile(p, MIN_FUSED, KernelCache.SHARED);
    }

    /** Compiles with a given smallest fused group and kernel cache (tests fuse single operations too). */
    static Executable compile(Program p, int minFused, KernelCache cache) {
        return compile(p, minFused, cache, VectorLoop.DEFAULT);
    }

    /** Compiles as above; {@code vector}: whether kernels get Vector API loops where they can (tests both). */
    static Executable compile(Program p, int minFused, KernelCache cache, boolean vector) {
        Program optimised = CommonSubexpressions.run(DeadCodeElimination.run(p));
        return Lowering.lower(optimised, Fusion.fuse(optimised, minFused), cache, vector);
    }
}
