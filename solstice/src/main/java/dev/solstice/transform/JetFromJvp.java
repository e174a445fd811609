package dev.solstice.transform;

import dev.solstice.Array;
import dev.solstice.core.Interpreters;
import dev.solstice.core.Primitive;
import dev.solstice.core.Zero;
import dev.solstice.prim.Ops;
import java.util.Arrays;

/**
 * The Taylor rule of every primitive with a JVP rule and no rule of its own in {@link JetRules}: factorisations
 * (cholesky, lu, eigh, svd, qr), cumlogsumexp, atan2, the special functions, ... Along a path {@code x(t)} the
 * outputs {@code y(t) = f(x(t))} satisfy {@code y'(t) = jvp_f(x(t), y(t), x'(t))}, and the right-hand side's
 * coefficient {@code m} needs {@code y} only to order {@code m}. So the coefficients follow one order at a time:
 * {@code y[m+1] = g[m] / (m + 1)}, {@code g[m]} the last coefficient of an order-{@code m} jet of the JVP rule at
 * the known series of {@code x}, {@code y} and {@code x'}. Since JVP rules are written with primitives that have
 * Taylor rules, this is exact for every output at once (integer outputs have none), as the JVP rule is.
 *
 * <p>The cost is one jet of the JVP rule per order, {@code O(order^3)} products where a closed-form recurrence
 * takes {@code O(order^2)} (cholesky has one in {@link JetRules}, measured several times faster); a JVP rule that
 * binds its own primitive again on varying operands would make it exponential, which is why triangular_solve has
 * a rule of its own.
 */
final class JetFromJvp {
    private JetFromJvp() {}

    /** Per primitive class: whether it states a JVP rule, rather than inheriting Primitive's refusal. */
    private static final ClassValue<Boolean> HAS_JVP = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            try {
                return type.getMethod("jvp", Array[].class, Array[].class, Array[].class).getDeclaringClass()
                        != Primitive.class;
            } catch (NoSuchMethodException e) {
                throw new AssertionError("Primitive.jvp is public", e);
            }
        }
    };

    /** Whether {@code p} has a JVP rule (otherwise it has no derivative to expand). */
    static boolean applies(Primitive p) {
        return HAS_JVP.get(p.getClass());
    }

    /** The rule ({@link JetRules.Rule}); integer outputs get their primal alone. */
    static Array[][] rule(Primitive p, Array[] primals, Array[][] c, int order) {
        Array[] outs = Interpreters.bind(p, primals);
        Array[][] y = new Array[outs.length][order + 1];
        for (int i = 0; i < outs.length; i++) {
            y[i][0] = outs[i];
        }
        for (int m = 0; m < order; m++) {
            Array[] g = tangentCoefficient(p, primals, c, y, m);
            for (int i = 0; i < outs.length; i++) {
                if (outs[i].dtype().isFloating()) {
                    y[i][m + 1] = JetRules.scale(g[i], 1.0 / (m + 1));
                }
            }
        }
        return y;
    }

    /** Coefficient {@code m} of {@code t -> jvp_p(x(t), y(t), x'(t))}, the series truncated to order {@code m}. */
    private static Array[] tangentCoefficient(Primitive p, Array[] primals, Array[][] c, Array[][] y, int m) {
        Array[] tangents = new Array[primals.length];
        if (m == 0) {
            Array[] outs = new Array[y.length];
            for (int i = 0; i < y.length; i++) {
                outs[i] = y[i][0];
            }
            for (int i = 0; i < primals.length; i++) {
                tangents[i] = varies(primals[i], c[i]) ? c[i][1] : Zero.like(primals[i]);
            }
            return Zero.instantiateAll(p.jvp(primals, outs, tangents));
        }
        JetInterpreter jet = new JetInterpreter(Interpreters.current(), m);
        Array[] xs = new Array[primals.length];
        for (int i = 0; i < primals.length; i++) {
            if (varies(primals[i], c[i])) {
                xs[i] = jet.lift(Arrays.copyOf(c[i], m + 1));
                tangents[i] = jet.lift(derivative(c[i], m));
            } else {
                xs[i] = primals[i];
                tangents[i] = Zero.like(primals[i]);
            }
        }
        Array[] ys = new Array[y.length];
        for (int i = 0; i < y.length; i++) {
            ys[i] = jet.lift(Arrays.copyOf(y[i], m + 1)); // an integer output stays its plain primal
        }
        Array[] g = Interpreters.runWith(jet, () -> p.jvp(xs, ys, tangents));
        Array[] last = new Array[g.length];
        for (int i = 0; i < g.length; i++) {
            Array[] series = jet.coeffsOf(g[i]);
            last[i] = series == null ? Ops.zerosLike(y[i][0]) : Zero.instantiate(series[m]); // null: constant in t
        }
        return last;
    }

    private static boolean varies(Array primal, Array[] series) {
        return series != null && primal.dtype().isFloating();
    }

    /** The normalised series of {@code x'} to order {@code m}: {@code (j + 1) x[j+1]}. */
    private static Array[] derivative(Array[] x, int m) {
        Array[] d = new Array[m + 1];
        for (int j = 0; j <= m; j++) {
            d[j] = JetRules.scale(x[j + 1], j + 1);
        }
        return d;
    }
}
