package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import dev.solstice.core.CallPrimitive;
import dev.solstice.core.Shapes;
import dev.solstice.core.Zero;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A call of a function with a custom JVP rule (JAX's custom_jvp_call). Evaluation, staging and every
 * transformation without a reason to look inside run the function itself; forward mode calls the rule
 * instead, with the parent interpreter installed, so the rule is itself differentiated by any enclosing
 * transformation: Hessians of functions with custom rules work.
 * Under vmap the batch interpreter rebuilds the call with the function and the rule vectorised.
 *
 * @param fn the function, on and to flat arrays
 * @param rule given primals and tangents (zeros instantiated), returns {primal outputs, tangent outputs}
 */
public record CustomJvpCall(Function<Array[], Array[]> fn, BiFunction<Array[], Array[], Array[][]> rule)
        implements CallPrimitive {

    @Override
    public String name() {
        return "custom_jvp_call";
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
        return new Object[] {fn, rule};
    }

    @Override
    public Array[][] jvpWithPrimal(Array[] primals, Array[] tangents) {
        Array[][] result = rule.apply(primals, Zero.instantiateAll(tangents)); // the user's rule sees real arrays
        if (result == null || result.length != 2 || result[0] == null || result[1] == null
                || result[0].length != result[1].length) {
            throw new IllegalArgumentException("customJvp: the JVP rule must return the primal outputs and one tangent per output");
        }
        for (int i = 0; i < result[0].length; i++) {
            Aval p = result[0][i].aval();
            Aval tan = result[1][i].aval();
            if (!p.equals(tan)) {
                throw new IllegalArgumentException("customJvp: the JVP rule returned a tangent of " + tan.str()
                        + " for output " + i + " of " + p.str() + "; a tangent must have its primal's shape and dtype"
                        + " (inputs: " + Shapes.str(avals(primals)) + ")");
            }
        }
        return result;
    }

    static Aval[] avals(Array[] xs) {
        Aval[] a = new Aval[xs.length];
        for (int i = 0; i < xs.length; i++) {
            a[i] = xs[i].aval();
        }
        return a;
    }
}
