package dev.solstice.jit;

import dev.solstice.ir.Program;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Shapes;
import dev.solstice.jit.passes.CommonSubexpressions;
import dev.solstice.jit.passes.ConstantFolding;
import dev.solstice.jit.passes.DeadCodeElimination;

/**
 * Compiles a staged {@link Program} into an {@link Executable}: dead code elimination, common subexpression
 * elimination, constant folding ({@link ConstantFolding}: equations of constants and of inputs fixed for the
 * compilation are evaluated once, here), fusion of elementwise chains and of the reductions they feed ({@link Fusion}), code generation of one hidden class per fused
 * group ({@link KernelGenerator}, kernels cached by structure) and buffer planning ({@link BufferPlan}).
 * Results equal {@code Program.evaluate} under the eval interpreter bitwise: every fused element is
 * computed by the same arithmetic as the eager kernel of its primitive, and everything else runs through
 * the eager kernels. Pure and thread-safe.
 */
public final class Compiler {
    /** Groups smaller than this run through the eager kernels, which are as fast for one operation (not select). */
    private static final int MIN_FUSED = 2;
    private static final DenseArray[] NO_FIXED_INPUTS = {};

    private Compiler() {}

    /**
     * Compiles {@code p}.
     *
     * @param p a program whose constants are concrete arrays
     * @return its executable
     * @throws IllegalArgumentException if a constant is not a concrete array
     */
    public static Executable compile(Program p) {
        return compile(p, NO_FIXED_INPUTS);
    }

    /**
     * Compiles {@code p} for runs whose first {@code fixedInputs.length} arguments are always these arrays (the
     * values a jitted function captured): equations computable from them and from constants are evaluated now.
     * The executable still takes every input; given other values for the fixed ones, its results would be wrong.
     *
     * @param p a program whose constants are concrete arrays
     * @param fixedInputs the values of the program's first inputs
     * @return its executable
     * @throws IllegalArgumentException if a constant is not a concrete array, or a fixed value does not match its
     *     input's aval
     */
    public static Executable compile(Program p, DenseArray[] fixedInputs) {
        for (int i = 0; i < fixedInputs.length; i++) {
            if (i >= p.inputs().size() || !fixedInputs[i].aval().equals(p.inputs().get(i).aval())) {
                throw new IllegalArgumentException("jit: fixed input " + i + " of "
                        + fixedInputs[i].aval().str() + " does not match the program's inputs "
                        + Shapes.str(p.inAvals()));
            }
        }
        return compile(p, MIN_FUSED, KernelCache.SHARED, VectorLoop.DEFAULT, fixedInputs);
    }

    /** Compiles with a given smallest fused group and kernel cache (tests fuse single operations too). */
    static Executable compile(Program p, int minFused, KernelCache cache) {
        return compile(p, minFused, cache, VectorLoop.DEFAULT);
    }

    /** Compiles as above; {@code vector}: whether kernels get Vector API loops where they can (tests both). */
    static Executable compile(Program p, int minFused, KernelCache cache, boolean vector) {
        return compile(p, minFused, cache, vector, NO_FIXED_INPUTS);
    }

    /**
     * Compiles as above with reductions fused into their producers' loops wherever the loop can keep the eager
     * order, whatever {@link Fusion#fuseReductions} and the measured policy of {@link Lowering} say; {@code sharedReductionMin}: from how many elements a group keeps a reduction whose operand it writes
     * anyway (tests pass 0 to fuse every reduction that can be).
     */
    static Executable compile(Program p, int minFused, KernelCache cache, boolean vector, int sharedReductionMin) {
        return compile(p, minFused, cache, vector, NO_FIXED_INPUTS, true, sharedReductionMin, false);
    }

    private static Executable compile(Program p, int minFused, KernelCache cache, boolean vector,
            DenseArray[] fixedInputs) {
        return compile(p, minFused, cache, vector, fixedInputs, Fusion.fuseReductions, Lowering.SHARED_REDUCTION_MIN,
                true);
    }

    private static Executable compile(Program p, int minFused, KernelCache cache, boolean vector,
            DenseArray[] fixedInputs, boolean reductions, int sharedReductionMin, boolean measuredOnly) {
        Program optimised = ConstantFolding.run(CommonSubexpressions.run(DeadCodeElimination.run(p)), fixedInputs);
        return Lowering.lower(optimised, Fusion.fuse(optimised, minFused, reductions), cache, vector,
                sharedReductionMin, measuredOnly);
    }
}
