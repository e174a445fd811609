package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import dev.solstice.core.CallPrimitive;
import dev.solstice.core.Shapes;
import dev.solstice.core.Zero;
import dev.solstice.ir.Program;
import java.util.function.BiFunction;

/**
 * A call of a function with a custom JVP rule (JAX's custom_jvp_call). The function is staged: {@code program}
 * takes the values it captured, then its arguments, and the call is bound on those operands. Evaluation and
 * every transformation without a reason to look inside run the program; forward mode calls the rule on the
 * explicit arguments instead (it also gets the captured values' primals, for a rule that refers to them), with the parent interpreter installed, so the rule is itself differentiated by
 * any enclosing transformation: Hessians of functions with custom rules work. Under vmap the batch
 * interpreter rebuilds the call with the program and the rule vectorised.
 *
 * @param program the staged function: captured values first, then the arguments
 * @param numCaptured how many leading inputs of {@code program} are captured values
 * @param rule given every operand's primal (captured values, then arguments: the values they have where the
 *     rule runs, for a rule that refers to them) and the arguments' tangents (zeros instantiated), returns
 *     {primal outputs, tangent outputs}
 */
public record CustomJvpCall(Program program, int numCaptured, BiFunction<Array[], Array[], Array[][]> rule)
        implements CallPrimitive {

    @Override
    public String name() {
        return "custom_jvp_call";
    }

    @Override
    public Aval[] shapeRule(Aval[] in) {
        return StagedCalls.shapeRule(name(), program, in);
    }

    @Override
    public Array[] inline(Array[] operands) {
        return program.evaluate(operands);
    }

    @Override
    public Array[][] jvpWithPrimal(Array[] primals, Array[] tangents) {
        Array[] args = StagedCalls.explicit(primals, numCaptured);
        // the user's rule sees real arrays
        Array[][] result = rule.apply(primals, Zero.instantiateAll(StagedCalls.explicit(tangents, numCaptured)));
        if (result == null || result.length != 2 || result[0] == null || result[1] == null
                || result[0].length != result[1].length || result[0].length != program.outputs().size()) {
            throw new IllegalArgumentException("customJvp: the JVP rule must return the primal outputs ("
                    + program.outputs().size() + ") and one tangent per output");
        }
        for (int i = 0; i < result[0].length; i++) {
            Aval want = program.outputs().get(i).aval();
            Aval p = result[0][i].aval();
            Aval tan = result[1][i].aval();
            if (!p.equals(want) || !tan.equals(want)) {
                throw new IllegalArgumentException("customJvp: the JVP rule returned a primal of " + p.str()
                        + " and a tangent of " + tan.str() + " for output " + i + ", which the function gives as "
                        + want.str() + "; both must have its shape and dtype (inputs: "
                        + Shapes.str(Shapes.avals(args)) + ")");
            }
        }
        return result;
    }
}
