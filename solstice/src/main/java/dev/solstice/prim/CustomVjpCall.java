package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import dev.solstice.core.CallPrimitive;
import dev.solstice.core.Interpreters;
import dev.solstice.core.Zero;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * A call of a function with a custom reverse-mode rule (JAX's custom_vjp_call). Evaluation runs the function.
 * Differentiation runs {@code fwd} for the outputs and residuals and applies a {@link CustomVjpLinear} to the
 * tangents that are not symbolic zeros: reverse mode transposes it into a call of {@code bwd}; forward mode cannot evaluate it and says so.
 *
 * @param fn the function, on and to flat arrays
 * @param fwd returns {outputs, residuals}
 * @param bwd given residuals and output cotangents, returns one cotangent per input
 */
public record CustomVjpCall(Function<Array[], Array[]> fn, Function<Array[], Array[][]> fwd,
        BiFunction<Array[], Array[], Array[]> bwd) implements CallPrimitive {

    @Override
    public String name() {
        return "custom_vjp_call";
    }

    @Override
    public Aval[] shapeRule(Aval[] in) {
        throw new UnsupportedOperationException(name() + " is inlined, never staged");
    }

    @Override
    public Array[] inline(Array[] args) {
        return fn.apply(args);
    }

    @Override
    public Object[] functions() {
        return new Object[] {fn, fwd, bwd};
    }

    @Override
    public Array[][] jvpWithPrimal(Array[] primals, Array[] tangents) {
        Array[][] r = fwd.apply(primals);
        if (r == null || r.length != 2 || r[0] == null || r[1] == null) {
            throw new IllegalArgumentException("customVjp: fwd must return the outputs and the residuals");
        }
        Array[] outs = r[0];
        Array[] residuals = r[1];
        // only the perturbed inputs' tangents are operands: a zero tangent would be made dense just to be carried
        int[] live = IntStream.range(0, tangents.length).filter(i -> !Zero.isZero(tangents[i])).toArray();
        Aval[] inAvals = CustomJvpCall.avals(primals);
        Aval[] liveAvals = new Aval[live.length];
        Array[] operands = new Array[residuals.length + live.length];
        System.arraycopy(residuals, 0, operands, 0, residuals.length);
        for (int k = 0; k < live.length; k++) {
            liveAvals[k] = inAvals[live[k]];
            operands[residuals.length + k] = tangents[live[k]];
        }
        BiFunction<Array[], Array[], Array[]> liveBwd = (res, ct) -> {
            Array[] all = CustomVjpLinear.checkedCotangents(bwd.apply(res, ct), inAvals);
            Array[] picked = new Array[live.length];
            for (int k = 0; k < live.length; k++) {
                picked[k] = all[live[k]];
            }
            return picked;
        };
        CustomVjpLinear lin = new CustomVjpLinear(liveBwd, residuals.length, liveAvals, CustomJvpCall.avals(outs));
        return new Array[][] {outs, Interpreters.bind(lin, operands)};
    }
}
