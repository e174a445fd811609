package dev.solstice;

import static dev.solstice.AdOracles.assertNear;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.solstice.AdOracles.DsFn;
import dev.solstice.AdOracles.DsScalar;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.hipparchus.analysis.differentiation.DerivativeStructure;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every way of taking a derivative agrees, to order 3, for every elementwise primitive and every {@link Nn}
 * function: the 2^k compositions of jacfwd and jacrev, hessian, nested grads, jvp, vjp and linearize. At
 * smooth points all of them must match Hipparchus's exact derivatives (relative 1e-12); at kinks all of them
 * must give exactly JAX's conventional values (derivative-conventions.md), including exact structural zeros.
 */
class ModeAgreementTest {

    static final double RTOL = 1e-12;
    static final double ATOL = 1e-13;

    /**
     * One scalar function under test.
     *
     * @param name for messages
     * @param f the Solstice function
     * @param oracle its Hipparchus twin, valid at the smooth points
     * @param smooth points where f is smooth (checked against the oracle)
     * @param kinks points where the convention decides; {@code kinkValues[i]} = {f', f'', f'''} at {@code kinks[i]}
     * @param kinkValues the exact expected derivatives at the kinks
     */
    record Case(String name, UnaryOperator<Array> f, DsScalar oracle, double[] smooth, double[] kinks, double[][] kinkValues) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case smooth(String name, UnaryOperator<Array> f, DsScalar oracle, double... points) {
        return new Case(name, f, oracle, points, new double[0], new double[0][]);
    }

    static Case kinked(String name, UnaryOperator<Array> f, DsScalar oracle, double[] points, double[] kinks, double[]... values) {
        return new Case(name, f, oracle, points, kinks, values);
    }

    static double[] at(double... xs) {
        return xs;
    }

    static double[] d(double d1, double d2, double d3) {
        return new double[] {d1, d2, d3};
    }

    static Array s(double v) {
        return Array.scalar(v);
    }

    static final double SELU_ALPHA = 1.6732632423543772848170429916717;
    static final double SELU_SCALE = 1.0507009873554804934193349852946;

    static Stream<Case> cases() {
        List<Case> c = new ArrayList<>();
        // ---- elementwise primitives through Jnp / Lax
        c.add(smooth("neg", Jnp::negative, DerivativeStructure::negate, -1.3, 0, 0.7));
        c.add(smooth("exp", Jnp::exp, DerivativeStructure::exp, -1.3, 0, 0.7, 2.1));
        c.add(smooth("log", Jnp::log, DerivativeStructure::log, 0.2, 1, 3.5));
        c.add(smooth("log1p", Jnp::log1p, DerivativeStructure::log1p, -0.6, 0, 0.7, 4));
        c.add(smooth("expm1", Jnp::expm1, DerivativeStructure::expm1, -1.3, 0, 0.7));
        c.add(smooth("sin", Jnp::sin, DerivativeStructure::sin, -2.2, 0, 0.7, 3));
        c.add(smooth("cos", Jnp::cos, DerivativeStructure::cos, -2.2, 0, 0.7, 3));
        c.add(smooth("tan", Jnp::tan, DerivativeStructure::tan, -1.1, 0, 0.7));
        c.add(smooth("tanh", Jnp::tanh, DerivativeStructure::tanh, -1.3, 0, 0.5, 2.2));
        c.add(smooth("logistic", Lax::logistic, AdOracles::logistic, -2.5, 0, 0.7, 3));
        c.add(smooth("sqrt", Jnp::sqrt, DerivativeStructure::sqrt, 0.04, 0.7, 9));
        c.add(smooth("rsqrt", Jnp::rsqrt, x -> x.sqrt().reciprocal(), 0.04, 0.7, 9));
        c.add(kinked("abs", Jnp::abs, DerivativeStructure::abs, at(-1.3, 0.7), at(0), d(1, 0, 0)));
        c.add(kinked("sign", Jnp::sign, x -> AdOracles.constant(x, Math.signum(x.getValue())), at(-1.3, 0.7), at(0), d(0, 0, 0)));
        c.add(kinked("floor", Jnp::floor, x -> AdOracles.constant(x, Math.floor(x.getValue())), at(-1.3, 0.7), at(0, 2), d(0, 0, 0), d(0, 0, 0)));
        c.add(kinked("ceil", Jnp::ceil, x -> AdOracles.constant(x, Math.ceil(x.getValue())), at(-1.3, 0.7), at(0, -2), d(0, 0, 0), d(0, 0, 0)));
        c.add(kinked("round", Jnp::round, x -> AdOracles.constant(x, Math.rint(x.getValue())), at(-1.3, 0.7), at(0.5, 2.5), d(0, 0, 0), d(0, 0, 0)));
        c.add(smooth("erf", Jnp::erf, AdOracles::erf, -1.4, 0, 0.3, 2));
        for (int n = 0; n <= 3; n++) {
            int k = n;
            c.add(smooth("integer_pow " + n, x -> Jnp.power(x, k), x -> x.pow(k), -1.3, 0, 0.7, 2));
            c.add(smooth("Lax.integerPow " + n, x -> Lax.integerPow(x, k), x -> x.pow(k), -1.3, 0, 0.7));
        }
        c.add(smooth("integer_pow -2", x -> Jnp.power(x, -2), x -> x.pow(-2), -1.3, 0.7, 2));
        c.add(smooth("pow(x, 2.5)", x -> Jnp.power(x, 2.5), x -> x.pow(2.5), 0.3, 1, 2));
        c.add(smooth("pow(x, 0.5)", x -> Jnp.power(x, 0.5), x -> x.pow(0.5), 0.3, 1, 2));
        c.add(smooth("pow(x, -1.5)", x -> Jnp.power(x, -1.5), x -> x.pow(-1.5), 0.3, 1, 2));
        c.add(smooth("pow(1.7, x)", x -> Jnp.power(s(1.7), x), x -> DerivativeStructure.pow(1.7, x), -1.3, 0, 0.7));
        c.add(smooth("pow(0.6, x)", x -> Jnp.power(s(0.6), x), x -> DerivativeStructure.pow(0.6, x), -1.3, 0, 0.7));
        c.add(kinked("maximum(x, 0.3)", x -> Jnp.maximum(x, 0.3), x -> x.getValue() > 0.3 ? x : AdOracles.constant(x, 0.3),
                at(-1, 0.29, 0.31, 2), at(0.3), d(0.5, 0, 0)));
        c.add(kinked("maximum(0.3, x)", x -> Jnp.maximum(s(0.3), x), x -> x.getValue() > 0.3 ? x : AdOracles.constant(x, 0.3),
                at(-1, 2), at(0.3), d(0.5, 0, 0)));
        c.add(kinked("minimum(x, 0.3)", x -> Jnp.minimum(x, 0.3), x -> x.getValue() < 0.3 ? x : AdOracles.constant(x, 0.3),
                at(-1, 0.29, 0.31, 2), at(0.3), d(0.5, 0, 0)));
        c.add(kinked("minimum(0.3, x)", x -> Jnp.minimum(s(0.3), x), x -> x.getValue() < 0.3 ? x : AdOracles.constant(x, 0.3),
                at(-1, 2), at(0.3), d(0.5, 0, 0)));
        // ties between two moving operands: 0.5 of each operand's derivative, at every order
        c.add(kinked("maximum(x^2, x)", x -> Jnp.maximum(Jnp.square(x), x), x -> x.getValue() > 1 || x.getValue() < 0 ? x.square() : x,
                at(-0.5, 0.5, 1.5), at(0, 1), d(0.5, 1, 0), d(1.5, 1, 0)));
        c.add(kinked("minimum(x^2, x)", x -> Jnp.minimum(Jnp.square(x), x), x -> x.getValue() > 1 || x.getValue() < 0 ? x : x.square(),
                at(-0.5, 0.5, 1.5), at(0, 1), d(0.5, 1, 0), d(1.5, 1, 0)));
        c.add(kinked("maximum(x, -x)", x -> Jnp.maximum(x, Jnp.negative(x)), DerivativeStructure::abs, at(-0.5, 0.5), at(0), d(0, 0, 0)));
        c.add(kinked("where(x > 0, sin x, x^2 + x)", x -> Jnp.where(Jnp.greater(x, 0.0), Jnp.sin(x), Jnp.add(Jnp.square(x), x)),
                x -> x.getValue() > 0 ? x.sin() : x.square().add(x), at(-0.8, 0.6), at(0), d(1, 2, 0)));
        c.add(kinked("select(x > 0, exp x, cos x)", x -> Lax.select(Lax.gt(x, Lax.zerosLike(x)), Jnp.exp(x), Jnp.cos(x)),
                x -> x.getValue() > 0 ? x.exp() : x.cos(), at(-0.8, 0.6), at(0), d(0, -1, 0)));
        c.add(kinked("clip(x, -1, 2)", x -> Jnp.clip(x, -1.0, 2.0), x -> x.getValue() < -1 ? AdOracles.constant(x, -1)
                : x.getValue() > 2 ? AdOracles.constant(x, 2) : x, at(-3, 0.5, 3), at(-1, 2), d(0.5, 0, 0), d(0.5, 0, 0)));
        c.add(kinked("Lax.clamp(-1, x, 2)", x -> Lax.clamp(s(-1), x, s(2)), x -> x.getValue() < -1 ? AdOracles.constant(x, -1)
                : x.getValue() > 2 ? AdOracles.constant(x, 2) : x, at(-3, 0.5, 3), at(-1, 2), d(0, 0, 0), d(0, 0, 0)));
        // ---- Nn
        c.add(kinked("relu", Nn::relu, x -> x.getValue() > 0 ? x : AdOracles.constant(x, 0), at(-1.5, 0.7, 3), at(0), d(0, 0, 0)));
        c.add(kinked("relu6", Nn::relu6, x -> x.getValue() > 6 ? AdOracles.constant(x, 6) : x.getValue() > 0 ? x : AdOracles.constant(x, 0),
                at(-1.5, 0.7, 5.9, 6.1, 9), at(0, 6), d(0, 0, 0), d(0, 0, 0)));
        c.add(kinked("leakyRelu", Nn::leakyRelu, x -> x.getValue() >= 0 ? x : x.multiply(0.01), at(-1.5, 0.7), at(0), d(1, 0, 0)));
        c.add(kinked("leakyRelu 0.2", x -> Nn.leakyRelu(x, 0.2), x -> x.getValue() >= 0 ? x : x.multiply(0.2), at(-1.5, 0.7), at(0), d(1, 0, 0)));
        c.add(kinked("elu", Nn::elu, x -> AdOracles.elu(x, 1), at(-1.5, -0.1, 0.7), at(0), d(1, 1, 1)));
        c.add(kinked("elu 1.3", x -> Nn.elu(x, 1.3), x -> AdOracles.elu(x, 1.3), at(-1.5, 0.7), at(0), d(1.3, 1.3, 1.3)));
        c.add(kinked("celu", Nn::celu, x -> x.getValue() > 0 ? x : x.expm1(), at(-1.5, 0.7), at(0), d(1, 0.25, 0.125)));
        c.add(kinked("celu 2", x -> Nn.celu(x, 2.0), x -> x.getValue() > 0 ? x : x.divide(2).expm1().multiply(2), at(-1.5, 0.7), at(0),
                d(1, 0.125, 0.03125)));
        double sa = SELU_SCALE * SELU_ALPHA;
        c.add(kinked("selu", Nn::selu, x -> AdOracles.elu(x, SELU_ALPHA).multiply(SELU_SCALE), at(-1.5, 0.7), at(0), d(sa, sa, sa)));
        c.add(smooth("gelu (tanh)", Nn::gelu, AdOracles::geluTanh, -2, -0.3, 0, 0.7, 2.5));
        c.add(smooth("gelu (erf)", x -> Nn.gelu(x, false), AdOracles::geluErf, -2, -0.3, 0, 0.7, 2.5));
        c.add(smooth("sigmoid", Nn::sigmoid, AdOracles::logistic, -2.5, 0, 0.7, 3));
        c.add(smooth("logSigmoid", Nn::logSigmoid, x -> AdOracles.softplus(x.negate()).negate(), -2.5, 0, 0.7, 3));
        c.add(smooth("silu", Nn::silu, x -> x.multiply(AdOracles.logistic(x)), -2.5, 0, 0.7, 3));
        c.add(smooth("softplus", Nn::softplus, AdOracles::softplus, -2.5, 0, 0.7, 3));
        c.add(kinked("hardTanh", Nn::hardTanh, x -> Math.abs(x.getValue()) > 1 ? AdOracles.constant(x, Math.signum(x.getValue())) : x,
                at(-2, 0.3, 2), at(-1, 1), d(1, 0, 0), d(1, 0, 0)));
        c.add(kinked("hardSigmoid", Nn::hardSigmoid, x -> x.getValue() >= 3 ? AdOracles.constant(x, 1)
                : x.getValue() <= -3 ? AdOracles.constant(x, 0) : x.add(3).divide(6), at(-4, 0.3, 4), at(-3, 3), d(0, 0, 0), d(0, 0, 0)));
        return c.stream();
    }

    /** The k-th derivative of a scalar function by every mode, all equal to Hipparchus at smooth points. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void smoothPointsAgreeWithHipparchusInEveryMode(Case c) {
        for (double x : c.smooth) {
            for (int k = 1; k <= 3; k++) {
                double expected = AdOracles.oracleScalar(c.oracle, x, k)[k];
                for (Map.Entry<String, Function<Array, Array>> m : AdOracles.derivatives(c.f, k, true).entrySet()) {
                    Array r = m.getValue().apply(s(x));
                    String what = c.name + " d^" + k + " at " + x + " by " + m.getKey();
                    assertArrayEquals(new int[0], r.shape(), what + ": shape");
                    assertNear(new double[] {expected}, r.toDoubleArray(), RTOL, ATOL, what);
                }
            }
        }
    }

    /** At kinks every mode gives exactly the conventional f', f'' and f'''. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void kinksAreExactInEveryMode(Case c) {
        for (int i = 0; i < c.kinks.length; i++) {
            double x = c.kinks[i];
            for (int k = 1; k <= 3; k++) {
                double expected = c.kinkValues[i][k - 1];
                for (Map.Entry<String, Function<Array, Array>> m : AdOracles.derivatives(c.f, k, true).entrySet()) {
                    Array r = m.getValue().apply(s(x));
                    String what = c.name + " d^" + k + " at kink " + x + " by " + m.getKey();
                    // exact, except that a product of rounded constants (selu) may differ in the last bit
                    assertNear(new double[] {expected}, r.toDoubleArray(), 2e-16, 0, what);
                }
            }
        }
    }

    /**
     * The same functions on a vector of all their points at once: every composition of second order gives a
     * [n, n, n] tensor that is zero off the diagonal (structurally: exactly) and matches the scalar values on it.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void elementwiseOnVectorsIsDiagonal(Case c) {
        int n = c.smooth.length + c.kinks.length;
        double[] x = new double[n];
        double[][] expectedByOrder = new double[3][n];
        for (int i = 0; i < c.smooth.length; i++) {
            x[i] = c.smooth[i];
            double[] o = AdOracles.oracleScalar(c.oracle, x[i], 2);
            expectedByOrder[1][i] = o[1];
            expectedByOrder[2][i] = o[2];
        }
        for (int i = 0; i < c.kinks.length; i++) {
            x[c.smooth.length + i] = c.kinks[i];
            expectedByOrder[1][c.smooth.length + i] = c.kinkValues[i][0];
            expectedByOrder[2][c.smooth.length + i] = c.kinkValues[i][1];
        }
        for (int k = 1; k <= 2; k++) {
            double[] expected = new double[k == 1 ? n * n : n * n * n];
            for (int i = 0; i < n; i++) {
                expected[k == 1 ? i * n + i : (i * n + i) * n + i] = expectedByOrder[k][i];
            }
            for (Map.Entry<String, Function<Array, Array>> m : AdOracles.derivatives(c.f, k, false).entrySet()) {
                Array r = m.getValue().apply(Array.of(x));
                String what = c.name + " d^" + k + " on " + java.util.Arrays.toString(x) + " by " + m.getKey();
                assertArrayEquals(k == 1 ? new int[] {n, n} : new int[] {n, n, n}, r.shape(), what + ": shape");
                double[] got = r.toDoubleArray();
                for (int j = 0; j < got.length; j++) {
                    int i = j % n;
                    boolean diagonal = k == 1 ? j == i * n + i : j == (i * n + i) * n + i;
                    if (!diagonal || i >= c.smooth.length) {
                        // off the diagonal and at kinks: exact
                        assertNear(new double[] {expected[j]}, new double[] {got[j]}, 2e-16, 0, what + " element " + j);
                    }
                }
                assertNear(expected, got, RTOL, ATOL, what);
            }
        }
    }

    // ---- vector functions ----------------------------------------------------------------------------------

    record VCase(String name, UnaryOperator<Array> f, DsFn oracle) {
        @Override
        public String toString() {
            return name;
        }
    }

    static DerivativeStructure[] softmaxDs(DerivativeStructure[] x) {
        DerivativeStructure sum = x[0].getFactory().constant(0);
        for (DerivativeStructure v : x) {
            sum = sum.add(v.exp());
        }
        DerivativeStructure[] r = new DerivativeStructure[x.length];
        for (int i = 0; i < x.length; i++) {
            r[i] = x[i].exp().divide(sum);
        }
        return r;
    }

    static DerivativeStructure logsumexpDs(DerivativeStructure[] x) {
        DerivativeStructure sum = x[0].getFactory().constant(0);
        for (DerivativeStructure v : x) {
            sum = sum.add(v.exp());
        }
        return sum.log();
    }

    static Stream<VCase> vectorCases() {
        return Stream.of(
                new VCase("softmax", Nn::softmax, ModeAgreementTest::softmaxDs),
                new VCase("logSoftmax", Nn::logSoftmax, x -> {
                    DerivativeStructure l = logsumexpDs(x);
                    DerivativeStructure[] r = new DerivativeStructure[x.length];
                    for (int i = 0; i < x.length; i++) {
                        r[i] = x[i].subtract(l);
                    }
                    return r;
                }),
                new VCase("logsumexp", Nn::logsumexp, x -> new DerivativeStructure[] {logsumexpDs(x)}),
                new VCase("sum(x * sin x)", x -> Jnp.sum(Jnp.multiply(x, Jnp.sin(x))), x -> {
                    DerivativeStructure sum = x[0].getFactory().constant(0);
                    for (DerivativeStructure v : x) {
                        sum = sum.add(v.multiply(v.sin()));
                    }
                    return new DerivativeStructure[] {sum};
                }));
    }

    /** Softmax, logSoftmax and logsumexp on small vectors, with and without ties in the maximum: orders 1 to 3. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("vectorCases")
    void vectorFunctionsAgreeWithHipparchusInEveryMode(VCase c) {
        double[][] points = {{0.3, -1.2, 2.0}, {0.5, 0.5, -1.0}, {1.0, 1.0, 1.0}};
        for (double[] x : points) {
            for (int k = 1; k <= 3; k++) {
                double[] expected = AdOracles.oracle(c.oracle, x, k);
                for (Map.Entry<String, Function<Array, Array>> m : AdOracles.derivatives(c.f, k, false).entrySet()) {
                    Array r = m.getValue().apply(Array.of(x));
                    String what = c.name + " d^" + k + " at " + java.util.Arrays.toString(x) + " by " + m.getKey();
                    assertNear(expected, r.toDoubleArray(), RTOL, ATOL, what);
                }
            }
        }
    }
}
