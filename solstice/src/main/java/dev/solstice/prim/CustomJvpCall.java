package dev.solstice.prim;

import dev.solstice.core.Batched;

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

    /**
     * Batching keeps the custom rule: the call is rebuilt with the function and the rule both vectorised
     * (every operand batched on axis 0), so derivatives taken outside the vmap still use the rule.
     */
    @Override
    public Batched batch(Array[] vals, int[] dims, int axisSize) {
        Array[] front = BatchRules.allToFront(vals, dims, axisSize);
        CustomJvpCall batched = new CustomJvpCall(BatchRules.vectorised(fn, axisSize), (p, t) -> {
            int n = p.length;
            int[] outs = new int[1];
            Array[] both = BatchRules.vectorised(in -> {
                Array[][] r = rule.apply(java.util.Arrays.copyOfRange(in, 0, n), java.util.Arrays.copyOfRange(in, n, 2 * n));
                outs[0] = r[0].length;
                return BatchRules.concat(r[0], r[1]);
            }, axisSize).apply(BatchRules.concat(p, t));
            return new Array[][] {java.util.Arrays.copyOfRange(both, 0, outs[0]), java.util.Arrays.copyOfRange(both, outs[0], both.length)};
        });
        Array[] out = dev.solstice.core.Interpreters.bind(batched, front);
        return new Batched(out, new int[out.length]);
    }
}
