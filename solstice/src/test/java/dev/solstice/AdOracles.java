package dev.solstice;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.hipparchus.analysis.differentiation.DSFactory;
import org.hipparchus.analysis.differentiation.DerivativeStructure;
import org.hipparchus.special.Erf;

/**
 * Shared machinery for the derivative tests: every composition of forward and reverse Jacobians to a given
 * order, and exact higher-order derivatives from Hipparchus's {@link DerivativeStructure} as the independent
 * oracle. Nothing here calls Solstice to compute an expected value.
 */
public final class AdOracles {
    private AdOracles() {}

    /** A function of Hipparchus derivative structures: the oracle twin of a Solstice function. */
    @FunctionalInterface
    interface DsFn {
        DerivativeStructure[] apply(DerivativeStructure[] x);
    }

    /** A scalar oracle twin. */
    @FunctionalInterface
    interface DsScalar {
        DerivativeStructure apply(DerivativeStructure x);

        default DsFn elementwise() {
            return xs -> {
                DerivativeStructure[] r = new DerivativeStructure[xs.length];
                for (int i = 0; i < xs.length; i++) {
                    r[i] = apply(xs[i]);
                }
                return r;
            };
        }
    }

    // ---- compositions of transformations ------------------------------------------------------------------

    /** jacfwd for 'f', jacrev for 'r'. */
    static UnaryOperator<Array> jac(char mode, UnaryOperator<Array> f) {
        return switch (mode) {
            case 'f' -> Jax.jacfwd(f);
            case 'r' -> Jax.jacrev(f);
            default -> throw new IllegalArgumentException("mode " + mode);
        };
    }

    /**
     * Every way this test suite computes the k-th derivative of {@code f}: the 2^k compositions of jacfwd and
     * jacrev (named outermost first, e.g. "fr" = jacfwd(jacrev(f))), and for k >= 2 the Hessian-based ones;
     * with {@code scalar} (scalar in and out) also the nested grads and the first-order jvp/vjp/linearize.
     */
    public static Map<String, Function<Array, Array>> derivatives(UnaryOperator<Array> f, int k, boolean scalar) {
        Map<String, Function<Array, Array>> m = new LinkedHashMap<>();
        for (int bits = 0; bits < (1 << k); bits++) {
            StringBuilder name = new StringBuilder();
            UnaryOperator<Array> g = f;
            for (int level = 0; level < k; level++) {
                char mode = ((bits >> level) & 1) == 0 ? 'f' : 'r';
                g = jac(mode, g);
                name.insert(0, mode);
            }
            m.put("jac[" + name + "]", g);
        }
        if (k == 1) {
            if (scalar) {
                m.put("grad", Jax.grad(f));
                m.put("valueAndGrad", x -> Jax.valueAndGrad(f).apply(x).grad());
            }
            if (scalar) {
                m.put("jvp(1)", x -> onesJvp(f, x));
                m.put("linearize(1)", x -> Jax.linearize(f, x).jvp().apply(ones(x)));
                m.put("vjp(1)", x -> Jax.vjp(f, x).pullback().apply(ones(x)));
            }
        }
        if (k == 2) {
            m.put("hessian", Jax.hessian(f));
            if (scalar) {
                m.put("grad(grad)", Jax.grad(Jax.grad(f)));
                m.put("jvp(grad)", x -> Jax.jvp(Jax.grad(f), x, ones(x)).tangent());
                m.put("grad(jvp)", Jax.grad(x -> onesJvp(f, x)));
            }
        }
        if (k == 3) {
            m.put("jacfwd(hessian)", Jax.jacfwd(Jax.hessian(f)));
            m.put("hessian(jacrev)", Jax.hessian(Jax.jacrev(f)));
            if (scalar) {
                m.put("grad(grad(grad))", Jax.grad(Jax.grad(Jax.grad(f))));
                m.put("jvp(jvp(grad))", x -> Jax.jvp(y -> Jax.jvp(Jax.grad(f), y, ones(y)).tangent(), x, ones(x)).tangent());
            }
        }
        if (k == 4 && scalar) {
            m.put("grad^4", Jax.grad(Jax.grad(Jax.grad(Jax.grad(f)))));
            m.put("hessian(hessian)", Jax.hessian(Jax.hessian(f)));
        }
        return m;
    }

    private static Array onesJvp(Function<Array, Array> f, Array x) {
        return Jax.jvp(f, x, ones(x)).tangent();
    }

    private static Array ones(Array x) {
        return Jnp.onesLike(x);
    }

    // ---- Hipparchus oracle ------------------------------------------------------------------------------

    /**
     * The k-th derivative tensor of {@code f} at {@code x} (a scalar or a vector of n values), row-major with
     * shape {@code [m] + [n]*k} (no leading axis for a scalar output and no input axes for a scalar input),
     * from Hipparchus.
     */
    static double[] oracle(DsFn f, double[] x, int k) {
        int n = x.length;
        DSFactory factory = new DSFactory(n, k);
        DerivativeStructure[] in = new DerivativeStructure[n];
        for (int i = 0; i < n; i++) {
            in[i] = factory.variable(i, x[i]);
        }
        DerivativeStructure[] out = f.apply(in);
        int cells = 1;
        for (int i = 0; i < k; i++) {
            cells *= n;
        }
        double[] r = new double[out.length * cells];
        int[] orders = new int[n];
        for (int o = 0; o < out.length; o++) {
            for (int c = 0; c < cells; c++) {
                Arrays.fill(orders, 0);
                int rest = c;
                for (int i = 0; i < k; i++) {
                    orders[rest % n]++;
                    rest /= n;
                }
                r[o * cells + c] = out[o].getPartialDerivative(orders);
            }
        }
        return r;
    }

    /** Scalar oracle: [f, f', ..., f^(k)] at x. */
    static double[] oracleScalar(DsScalar f, double x, int k) {
        DerivativeStructure d = f.apply(new DSFactory(1, k).variable(0, x));
        double[] r = new double[k + 1];
        for (int i = 0; i <= k; i++) {
            r[i] = d.getPartialDerivative(i);
        }
        return r;
    }

    /** erf of a derivative structure: erf' = 2/sqrt(pi) e^(-u^2), whose derivatives come from Hipparchus. */
    static DerivativeStructure erf(DerivativeStructure u) {
        int order = u.getOrder();
        double u0 = u.getValue();
        double[] f = new double[order + 1];
        f[0] = Erf.erf(u0);
        if (order > 0) {
            DerivativeStructure t = new DSFactory(1, order - 1).variable(0, u0);
            DerivativeStructure g = t.square().negate().exp().multiply(2 / Math.sqrt(Math.PI));
            for (int i = 1; i <= order; i++) {
                f[i] = g.getPartialDerivative(i - 1);
            }
        }
        return u.compose(f);
    }

    static DerivativeStructure logistic(DerivativeStructure x) {
        return x.negate().exp().add(1).reciprocal();
    }

    static DerivativeStructure softplus(DerivativeStructure x) {
        return x.exp().log1p();
    }

    static DerivativeStructure geluTanh(DerivativeStructure x) {
        DerivativeStructure inner = x.add(x.pow(3).multiply(0.044715)).multiply(Math.sqrt(2 / Math.PI));
        return x.multiply(inner.tanh().add(1)).multiply(0.5);
    }

    static DerivativeStructure geluErf(DerivativeStructure x) {
        return x.multiply(erf(x.multiply(1 / Math.sqrt(2))).add(1)).multiply(0.5);
    }

    static DerivativeStructure elu(DerivativeStructure x, double alpha) {
        return x.getValue() > 0 ? x : x.expm1().multiply(alpha);
    }

    static DerivativeStructure constant(DerivativeStructure x, double value) {
        return x.getFactory().constant(value);
    }

    // ---- comparisons ------------------------------------------------------------------------------------

    /** Relative comparison with a floor at {@code atol}; NaN must match NaN, infinities must be equal. */
    public static void assertNear(double[] expected, double[] actual, double rtol, double atol, String what) {
        if (expected.length != actual.length) {
            fail(what + ": expected " + expected.length + " values, got " + actual.length);
        }
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            boolean ok = Double.isNaN(e) ? Double.isNaN(a)
                    : Double.isInfinite(e) ? e == a
                    : Math.abs(a - e) <= atol + rtol * Math.abs(e);
            if (!ok) {
                fail(what + ": element " + i + " expected " + e + " but got " + a + "\n expected " + Arrays.toString(expected)
                        + "\n actual   " + Arrays.toString(actual));
            }
        }
    }
}
