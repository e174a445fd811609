package dev.solstice;

import static dev.solstice.AdOracles.assertNear;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.solstice.AdOracles.DsFn;
import dev.solstice.AdOracles.DsScalar;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.hipparchus.analysis.differentiation.DerivativeStructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Derivatives up to order 4 of smooth compositions, in float64, against Hipparchus's exact
 * {@link DerivativeStructure} arithmetic, through every composition of jacfwd/jacrev and the nested grads.
 */
class HipparchusOracleTest {

    static final double RTOL = 1e-12;
    static final double ATOL = 1e-12;

    record Case(String name, UnaryOperator<Array> f, DsScalar oracle, double... points) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("tanh(x)^2", x -> Jnp.square(Jnp.tanh(x)), x -> x.tanh().square(), -1.1, 0, 0.5, 1.7),
                new Case("sin(x) * exp(x)", x -> Jnp.multiply(Jnp.sin(x), Jnp.exp(x)), x -> x.sin().multiply(x.exp()), -1.1, 0, 0.5, 2.3),
                new Case("log1p(x^2)", x -> Jnp.log1p(Jnp.square(x)), x -> x.square().log1p(), -1.1, 0, 0.5, 2.3),
                new Case("erf", Jnp::erf, AdOracles::erf, -1.1, 0, 0.5, 1.7),
                new Case("erf(sin x) / (1 + x^2)", x -> Jnp.divide(Jnp.erf(Jnp.sin(x)), Jnp.add(Jnp.square(x), 1.0)),
                        x -> AdOracles.erf(x.sin()).divide(x.square().add(1)), -0.9, 0.4, 1.3),
                new Case("logistic", Nn::sigmoid, AdOracles::logistic, -2.2, 0, 0.5, 1.7),
                new Case("sqrt", Jnp::sqrt, DerivativeStructure::sqrt, 0.05, 0.5, 1.7, 9),
                new Case("rsqrt(1 + x^2)", x -> Jnp.rsqrt(Jnp.add(Jnp.square(x), 1.0)), x -> x.square().add(1).sqrt().reciprocal(), -0.9, 0, 0.4),
                new Case("gelu (tanh)", Nn::gelu, AdOracles::geluTanh, -2.2, -0.4, 0, 0.7, 1.7),
                new Case("gelu (erf)", x -> Nn.gelu(x, false), AdOracles::geluErf, -2.2, -0.4, 0, 0.7, 1.7),
                new Case("softplus", Nn::softplus, AdOracles::softplus, -2.2, -0.4, 0, 0.7, 1.7),
                new Case("logSigmoid", Nn::logSigmoid, x -> AdOracles.softplus(x.negate()).negate(), -2.2, 0, 0.7),
                new Case("silu", Nn::silu, x -> x.multiply(AdOracles.logistic(x)), -2.2, -0.4, 0, 0.7, 1.7),
                new Case("elu (smooth points)", Nn::elu, x -> AdOracles.elu(x, 1), -2.2, -0.4, 0.7, 1.7),
                new Case("celu 1.5 (smooth points)", x -> Nn.celu(x, 1.5), x -> x.getValue() > 0 ? x : x.divide(1.5).expm1().multiply(1.5), -2.2, -0.4, 0.7),
                new Case("selu (smooth points)", Nn::selu, x -> AdOracles.elu(x, ModeAgreementTest.SELU_ALPHA).multiply(ModeAgreementTest.SELU_SCALE), -2.2, 0.7),
                new Case("tan(x) * cos(2x)", x -> Jnp.multiply(Jnp.tan(x), Jnp.cos(Jnp.multiply(x, 2.0))), x -> x.tan().multiply(x.multiply(2).cos()), -0.9, 0.3, 1.2),
                new Case("exp(-x^2) / (x + 3)", x -> Jnp.divide(Jnp.exp(Jnp.negative(Jnp.square(x))), Jnp.add(x, 3.0)),
                        x -> x.square().negate().exp().divide(x.add(3)), -1.2, 0, 0.8),
                new Case("x^3 - 2x", x -> Jnp.subtract(Jnp.power(x, 3), Jnp.multiply(x, 2.0)), x -> x.pow(3).subtract(x.multiply(2)), -1.2, 0, 0.8),
                new Case("pow(x, 3.7)", x -> Jnp.power(x, 3.7), x -> x.pow(3.7), 0.3, 1, 2.2),
                new Case("pow(2.3, x)", x -> Jnp.power(Array.scalar(2.3), x), x -> DerivativeStructure.pow(2.3, x), -1.2, 0, 0.8),
                new Case("log(expm1(x))", x -> Jnp.log(Jnp.expm1(x)), x -> x.expm1().log(), 0.3, 1, 2.2),
                new Case("x / (1 + |x|)", x -> Jnp.divide(x, Jnp.add(Jnp.abs(x), 1.0)), x -> x.divide(x.abs().add(1)), -1.2, 0.8),
                new Case("logsumexp([x, 2x, -x])", x -> Nn.logsumexp(Jnp.stack(java.util.List.of(x, Jnp.multiply(x, 2.0), Jnp.negative(x)), 0)),
                        x -> x.exp().add(x.multiply(2).exp()).add(x.negate().exp()).log(), -0.7, 0, 0.4));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void derivativesToOrderFourMatchHipparchus(Case c) {
        for (double x : c.points) {
            double[] expected = AdOracles.oracleScalar(c.oracle, x, 4);
            assertNear(new double[] {expected[0]}, c.f.apply(Array.scalar(x)).toDoubleArray(), RTOL, ATOL, c.name + " value at " + x);
            for (int k = 1; k <= 4; k++) {
                for (Map.Entry<String, Function<Array, Array>> m : AdOracles.derivatives(c.f, k, true).entrySet()) {
                    // the 16 fourth-order jacobian compositions are covered at the first point only, to keep time down
                    if (k == 4 && m.getKey().startsWith("jac") && x != c.points[0] && !m.getKey().equals("jac[ffff]")
                            && !m.getKey().equals("jac[rrrr]") && !m.getKey().equals("jac[frfr]")) {
                        continue;
                    }
                    Array r = m.getValue().apply(Array.scalar(x));
                    assertEquals(DType.FLOAT64, r.dtype(), c.name + " by " + m.getKey());
                    assertNear(new double[] {expected[k]}, r.toDoubleArray(), RTOL, ATOL,
                            c.name + " d^" + k + " at " + x + " by " + m.getKey());
                }
            }
        }
    }

    /** x^y as a function of both arguments: the full derivative tensors to order 4 ([2]*k). */
    @Test
    void powInBothArgumentsToOrderFour() {
        UnaryOperator<Array> f = v -> Jnp.power(v.get(0), v.get(1));
        DsFn oracle = v -> new DerivativeStructure[] {v[0].pow(v[1])};
        for (double[] p : new double[][] {{1.3, 2.7}, {0.6, -1.4}, {2.0, 0.5}, {0.8, 3.0}}) {
            for (int k = 1; k <= 4; k++) {
                double[] expected = AdOracles.oracle(oracle, p, k);
                for (Map.Entry<String, Function<Array, Array>> m : AdOracles.derivatives(f, k, false).entrySet()) {
                    Array r = m.getValue().apply(Array.of(p));
                    int[] shape = new int[k];
                    Arrays.fill(shape, 2);
                    org.junit.jupiter.api.Assertions.assertArrayEquals(shape, r.shape(), "pow d^" + k + " by " + m.getKey());
                    assertNear(expected, r.toDoubleArray(), RTOL, ATOL, "pow d^" + k + " at " + Arrays.toString(p) + " by " + m.getKey());
                }
            }
        }
    }

    /** Two-argument compositions: x * sin(y) + exp(x y), Hessian and third derivatives. */
    @Test
    void mixedPartialsOfATwoArgumentFunction() {
        UnaryOperator<Array> f = v -> Jnp.add(Jnp.multiply(v.get(0), Jnp.sin(v.get(1))), Jnp.exp(Jnp.multiply(v.get(0), v.get(1))));
        DsFn oracle = v -> new DerivativeStructure[] {v[0].multiply(v[1].sin()).add(v[0].multiply(v[1]).exp())};
        double[] p = {0.4, -0.9};
        for (int k = 1; k <= 3; k++) {
            double[] expected = AdOracles.oracle(oracle, p, k);
            for (Map.Entry<String, Function<Array, Array>> m : AdOracles.derivatives(f, k, false).entrySet()) {
                assertNear(expected, m.getValue().apply(Array.of(p)).toDoubleArray(), RTOL, ATOL, "d^" + k + " by " + m.getKey());
            }
        }
    }

    /** The published reference values, which Hipparchus and PyTorch agree on. */
    @Test
    void referenceValues() {
        UnaryOperator<Array> tanh2 = x -> Jnp.square(Jnp.tanh(x));
        double d3 = -3.9522195637245825;
        assertEquals(d3, AdOracles.oracleScalar(x -> x.tanh().square(), 0.5, 3)[3], 1e-14, "Hipparchus itself");
        for (Map.Entry<String, Function<Array, Array>> m : AdOracles.derivatives(tanh2, 3, true).entrySet()) {
            assertEquals(d3, m.getValue().apply(Array.scalar(0.5)).item(), 1e-13, "d^3 tanh^2 at 0.5 by " + m.getKey());
        }
        checkReference("gelu (tanh)", Nn::gelu, AdOracles::geluTanh, 0.976357218656104, 0.4708629268446337);
        checkReference("softplus", Nn::softplus, AdOracles::softplus, 0.6681877721681662, 0.22171287329310904);
        checkReference("silu", Nn::silu, x -> x.multiply(AdOracles.logistic(x)), 0.8233867834733425, 0.3912205946779789);
    }

    private static void checkReference(String name, UnaryOperator<Array> f, DsScalar oracle, double d1, double d2) {
        double[] h = AdOracles.oracleScalar(oracle, 0.7, 2);
        assertEquals(d1, h[1], 1e-14, name + " f' Hipparchus");
        assertEquals(d2, h[2], 1e-14, name + " f'' Hipparchus");
        for (int k = 1; k <= 2; k++) {
            double expected = k == 1 ? d1 : d2;
            for (Map.Entry<String, Function<Array, Array>> m : AdOracles.derivatives(f, k, true).entrySet()) {
                assertEquals(expected, m.getValue().apply(Array.scalar(0.7)).item(), 1e-14, name + " d^" + k + " at 0.7 by " + m.getKey());
            }
        }
    }

    /** float32 inputs give float32 derivatives that agree with the float64 oracle to float32 precision. */
    @Test
    void float32DerivativesAreFloat32AndClose() {
        UnaryOperator<Array> f = x -> Jnp.multiply(Jnp.sin(x), Jnp.exp(x));
        double[] expected = AdOracles.oracleScalar(x -> x.sin().multiply(x.exp()), 0.5, 3);
        Array x = Array.scalar(0.5f);
        for (int k = 1; k <= 3; k++) {
            for (Map.Entry<String, Function<Array, Array>> m : AdOracles.derivatives(f, k, true).entrySet()) {
                Array r = m.getValue().apply(x);
                assertEquals(DType.FLOAT32, r.dtype(), "dtype by " + m.getKey());
                assertEquals(expected[k], r.item(), 2e-6 * Math.max(1, Math.abs(expected[k])), "float32 d^" + k + " by " + m.getKey());
            }
        }
    }
}
