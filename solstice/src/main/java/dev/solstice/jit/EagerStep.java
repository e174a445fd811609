package dev.solstice.jit;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import dev.solstice.core.CallPrimitive;
import dev.solstice.core.DenseArray;
import dev.solstice.core.EvalInterpreter;
import dev.solstice.core.Interpreters;
import dev.solstice.core.Primitive;
import java.util.Arrays;

/**
 * An equation that is not fused: its primitive evaluated by the normal kernels (a call primitive bound, which
 * inlines it under the eval interpreter). Its results may be views sharing their operands' storage.
 *
 * @param primitive the primitive
 * @param inputSlots the operands' slots
 * @param outputSlots the results' slots
 * @param outAvals the results' avals, as staged
 */
record EagerStep(Primitive primitive, int[] inputSlots, int[] outputSlots, Aval[] outAvals) implements Step {
    @Override
    public void run(DenseArray[] slots, Object[] arena) {
        DenseArray[] in = new DenseArray[inputSlots.length];
        for (int i = 0; i < in.length; i++) {
            in[i] = slots[inputSlots[i]];
        }
        DenseArray[] out = primitive instanceof CallPrimitive ? bound(in)
                : EvalInterpreter.evalWithAvals(primitive, in, outAvals);
        for (int i = 0; i < out.length; i++) {
            slots[outputSlots[i]] = out[i];
        }
    }

    private DenseArray[] bound(DenseArray[] in) {
        Array[] out = Interpreters.bind(primitive, (Array[]) in);
        DenseArray[] dense = new DenseArray[out.length];
        for (int i = 0; i < out.length; i++) {
            if (!(out[i] instanceof DenseArray d)) {
                throw new IllegalStateException("jit: " + primitive.name() + " gave " + out[i].aval().str()
                        + " that is not a concrete array; run compiled programs under the eval interpreter");
            }
            dense[i] = d;
        }
        return dense;
    }

    @Override
    public String describe() {
        return "eval " + primitive.name() + " " + Arrays.toString(inputSlots) + " -> " + Arrays.toString(outputSlots);
    }
}
