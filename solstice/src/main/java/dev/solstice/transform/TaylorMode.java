package dev.solstice.transform;

import dev.solstice.Array;
import dev.solstice.core.Interpreters;
import dev.solstice.prim.Ops;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Taylor-mode propagation (JAX's {@code jet}) behind {@code Jax.jet}. Series use the derivative convention at
 * this boundary (entry k is the k-th derivative term, not divided by k!), normalised Taylor coefficients inside.
 */
public final class TaylorMode {
    private TaylorMode() {}

    /**
     * A primitive without a Taylor-mode rule was met: thrown by {@link #jet} so that callers can tell it by type.
     * Every primitive with a JVP rule has a Taylor rule (derived from the JVP rule where there is no closed form),
     * so only a primitive without derivatives raises it.
     */
    public static final class NoRule extends UnsupportedOperationException {
        private static final long serialVersionUID = 1L;

        NoRule(String message) {
            super(message);
        }
    }

    /**
     * The primal output of {@code f} at {@code primal} and its series, given the input's series (derivative
     * convention); {@code [0]} is the output, {@code [k]} its k-th series entry.
     *
     * @throws IllegalArgumentException if the primal is not floating point or a series entry's aval differs from it
     * @throws NoRule if {@code f} uses a primitive without a Taylor rule
     */
    public static Array[] jet(String op, UnaryOperator<Array> f, Array primal, List<Array> series) {
        if (!primal.dtype().isFloating()) {
            throw new IllegalArgumentException(op + ": the primal must be floating point, got " + primal.aval().str()
                    + "; convert it (Jnp.asType) first");
        }
        int order = series.size();
        Array[] in = new Array[order + 1];
        in[0] = primal;
        double factorial = 1;
        for (int k = 1; k <= order; k++) {
            Array s = series.get(k - 1);
            if (s == null || !s.aval().equals(primal.aval())) {
                throw new IllegalArgumentException(op + ": series entry " + (k - 1) + " is "
                        + (s == null ? "null" : s.aval().str()) + " but the primal is " + primal.aval().str()
                        + "; every series entry must have the primal's shape and dtype");
            }
            factorial *= k;
            in[k] = JetRules.scale(s, 1 / factorial);
        }
        if (order == 0) {
            return new Array[] {f.apply(primal)};
        }
        Array[] result = normalisedJet(f, in);
        factorial = 1;
        for (int k = 1; k <= order; k++) {
            factorial *= k;
            result[k] = JetRules.scale(result[k], factorial);
        }
        return result;
    }

    /**
     * The jet in normalised Taylor coefficients ({@code in[k]} is the k-th derivative over k!, {@code in[0]} the
     * primal; at least order 1) under the current interpreter.
     */
    private static Array[] normalisedJet(UnaryOperator<Array> f, Array[] in) {
        int order = in.length - 1;
        JetInterpreter jet = new JetInterpreter(Interpreters.current(), order);
        Array out = Interpreters.runWith(jet, () -> f.apply(jet.lift(in)));
        Array[] c = jet.coeffsOf(out);
        Array[] result = new Array[order + 1];
        result[0] = jet.primalOf(out);
        for (int k = 1; k <= order; k++) {
            result[k] = c == null ? Ops.zerosLike(result[0]) : c[k];
        }
        return result;
    }
}
