package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import dev.solstice.core.CallPrimitive;
import dev.solstice.core.Interpreters;
import dev.solstice.core.Shapes;
import dev.solstice.core.Zero;
import dev.solstice.ir.Program;
import java.util.Arrays;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * A call of a function with a custom reverse-mode rule (JAX's custom_vjp_call). The function is staged as for
 * {@link CustomJvpCall}; evaluation runs the program. Differentiation runs {@code fwd} (on the operands;
 * the rule covers the explicit arguments) for the outputs and residuals and applies a {@link CustomVjpLinear} to the tangents that are not
 * symbolic zeros: reverse mode transposes it into a call of {@code bwd}; forward mode cannot evaluate it and
 * says so.
 *
 * @param program the staged function: captured values first, then the arguments
 * @param numCaptured how many leading inputs of {@code program} are captured values
 * @param fwd given every operand (captured values, then arguments), returns {outputs, residuals}
 * @param bwd given residuals and output cotangents, returns one cotangent per explicit argument
 */
public record CustomVjpCall(Program program, int numCaptured, Function<Array[], Array[][]> fwd,
        BiFunction<Array[], Array[], Array[]> bwd) implements CallPrimitive {

    @Override
    public String name() {
        return "custom_vjp_call";
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
        Array[] argTangents = StagedCalls.explicit(tangents, numCaptured);
        Array[][] r = fwd.apply(primals);
        if (r == null || r.length != 2 || r[0] == null || r[1] == null) {
            throw new IllegalArgumentException("customVjp: fwd must return the outputs and the residuals");
        }
        Array[] outs = r[0];
        Array[] residuals = r[1];
        Aval[] want = shapeRule(Shapes.avals(primals));
        if (!Arrays.equals(Shapes.avals(outs), want)) {
            throw new IllegalArgumentException("customVjp: fwd returned outputs " + Shapes.str(Shapes.avals(outs))
                    + " but the function gives " + Shapes.str(want));
        }
        // only the perturbed inputs' tangents are operands: a zero tangent would be made dense just to be carried
        int[] live = IntStream.range(0, argTangents.length).filter(i -> !Zero.isZero(argTangents[i])).toArray();
        Aval[] inAvals = Shapes.avals(args);
        Aval[] liveAvals = new Aval[live.length];
        Array[] operands = new Array[residuals.length + live.length];
        System.arraycopy(residuals, 0, operands, 0, residuals.length);
        for (int k = 0; k < live.length; k++) {
            liveAvals[k] = inAvals[live[k]];
            operands[residuals.length + k] = argTangents[live[k]];
        }
        BiFunction<Array[], Array[], Array[]> liveBwd = (res, ct) -> {
            Array[] all = CustomVjpLinear.checkedCotangents(bwd.apply(res, ct), inAvals);
            Array[] picked = new Array[live.length];
            for (int k = 0; k < live.length; k++) {
                picked[k] = all[live[k]];
            }
            return picked;
        };
        CustomVjpLinear lin = new CustomVjpLinear(liveBwd, residuals.length, liveAvals, Shapes.avals(outs));
        return new Array[][] {outs, Interpreters.bind(lin, operands)};
    }
}
