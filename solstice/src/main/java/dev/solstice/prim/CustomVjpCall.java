package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import dev.solstice.core.CallPrimitive;
import dev.solstice.core.Interpreters;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A call of a function with a custom reverse-mode rule (JAX's custom_vjp_call). Evaluation runs the function.
 * Differentiation runs {@code fwd} for the outputs and residuals and applies a {@link CustomVjpLinear} to the
 * tangents: reverse mode transposes it into a call of {@code bwd}; forward mode cannot evaluate it and says so.
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
        Array[] operands = new Array[residuals.length + tangents.length];
        System.arraycopy(residuals, 0, operands, 0, residuals.length);
        for (int i = 0; i < tangents.length; i++) {
            operands[residuals.length + i] = tangents[i] != null ? tangents[i] : Ops.zerosLike(primals[i]);
        }
        CustomVjpLinear lin = new CustomVjpLinear(bwd, residuals.length, CustomJvpCall.avals(primals), CustomJvpCall.avals(outs));
        return new Array[][] {outs, Interpreters.bind(lin, operands)};
    }
}
