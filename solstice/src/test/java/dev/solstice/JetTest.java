package dev.solstice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Interpreters;
import dev.solstice.core.Primitive;
import dev.solstice.transform.TaylorMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.hipparchus.analysis.differentiation.DSFactory;
import org.hipparchus.analysis.differentiation.DerivativeStructure;
import org.junit.jupiter.api.Test;

/**
 * Jax.jet against independent oracles: nested jvp of {@code t -> f(x(t))} along a random polynomial path (every
 * primitive with a Taylor rule, to order 6, float64), Hipparchus DerivativeStructure for scalar compositions, and
 * the closed form of sin.
 */
class JetTest {
    private static final int ORDER = 6;
    private static final Random RANDOM = new Random(17);

    /** A float64 array of {@code shape} with entries of magnitude in [0.5, 1.5], signed when asked. */
    private static Array random(boolean signed, int... shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = (0.5 + RANDOM.nextDouble()) * (signed && RANDOM.nextBoolean() ? -1 : 1);
        }
        return Jnp.reshape(Array.of(v), shape);
    }

    /** Jet of {@code f} at {@code x0} along a random path of order 6 equals nested jvp, order by order. */
    private static void checkAgainstNestedJvp(String name, UnaryOperator<Array> f, Array x0, double rtol) {
        List<Array> series = new ArrayList<>();
        for (int k = 0; k < ORDER; k++) {
            series.add(JetOracles.gaussian(RANDOM, 0.3, x0.shape()));
        }
        JetOracles.assertJetMatchesNestedJvp(name, f, x0, series, rtol);
    }

    @Test
    void sinOfTheUnitPathIsTheClosedForm() {
        double x = 0.7;
        Array z = Array.scalar(0.0);
        Jet jet = Jax.jet(Jnp::sin, Array.scalar(x), List.of(Array.scalar(1.0), z, z));
        assertEquals(Math.sin(x), jet.primal().item(), 0);
        assertEquals(Math.cos(x), jet.series().get(0).item(), 1e-16);
        assertEquals(-Math.sin(x), jet.series().get(1).item(), 1e-16);
        assertEquals(-Math.cos(x), jet.series().get(2).item(), 2e-16);
    }

    @Test
    void everyLinearAndPiecewiseLinearRuleMatchesNestedJvp() {
        Array c = random(true, 2, 3);
        Array m = random(true, 3, 4);
        Array kernel = random(true, 1, 1, 2, 2);
        Map<String, UnaryOperator<Array>> smooth = Map.ofEntries(
                Map.entry("add", x -> Lax.add(x, Lax.rev(x, 1))),
                Map.entry("sub", x -> Lax.sub(c, x)),
                Map.entry("neg", Lax::neg),
                Map.entry("reshape", x -> Lax.reshape(x, 3, 2)),
                Map.entry("transpose", x -> Lax.transpose(x, 1, 0)),
                Map.entry("broadcast_in_dim", x -> Lax.broadcastInDim(x, new int[] {4, 2, 3}, new int[] {1, 2})),
                Map.entry("squeeze/expand_dims", x -> Lax.squeeze(Lax.expandDims(x, 1), 1)),
                Map.entry("slice", x -> Lax.slice(x, new int[] {0, 1}, new int[] {2, 3}, new int[] {1, 1})),
                Map.entry("pad", x -> Lax.pad(x, Array.scalar(0.5), new int[] {1, 0}, new int[] {0, 2}, new int[] {0, 1})),
                Map.entry("concatenate", x -> Lax.concatenate(0, x, c, x)),
                Map.entry("rev", x -> Lax.rev(x, 0, 1)),
                Map.entry("reduce_sum", x -> Lax.reduceSum(x, 1)),
                Map.entry("cumsum", x -> Lax.cumsum(x, 1, false)),
                Map.entry("dynamic_slice", x -> Lax.dynamicSlice(x, new int[] {1, 1}, new int[] {1, 2})),
                Map.entry("gather", x -> Lax.takeAlongAxis(x, Array.of(2, 0, 1, 1, 1, 0).reshape(2, 3), 1)),
                Map.entry("dot_general (constant side)", x -> Jnp.matmul(x, m)),
                Map.entry("mul (constant side)", x -> Lax.mul(c, x)),
                Map.entry("div (constant denominator)", x -> Lax.div(x, c)),
                Map.entry("convert_element_type", x -> Lax.convert(Lax.convert(x, DType.FLOAT32), DType.FLOAT64)),
                Map.entry("abs", Lax::abs),
                Map.entry("sign", x -> Lax.mul(Lax.sign(x), x)),
                Map.entry("max", x -> Lax.max(x, Lax.neg(Lax.rev(x, 1)))),
                Map.entry("min", x -> Lax.min(x, c)),
                Map.entry("relu", Nn::relu),
                Map.entry("select", x -> Lax.select(Lax.gt(x, c), x, Lax.mul(x, x))),
                Map.entry("reduce_max", x -> Lax.reduceMax(x, 1)),
                Map.entry("reduce_min", x -> Lax.reduceMin(x, 0)),
                Map.entry("stop_gradient", x -> Lax.mul(Lax.stopGradient(x), x)),
                Map.entry("dynamic_update_slice", x -> Lax.dynamicUpdateSlice(c, Lax.slice(x, new int[] {0, 0},
                        new int[] {1, 2}, new int[] {1, 1}), new int[] {1, 1})),
                Map.entry("scatter_add", x -> Lax.scatterAdd(x, Array.of(2, 2, 0, 1).reshape(2, 2),
                        Lax.slice(x, new int[] {0, 0}, new int[] {2, 2}, new int[] {1, 1}), 1)),
                Map.entry("reduce_window_sum", x -> Lax.reduceWindowSum(x, new int[] {2, 2}, new int[] {1, 1}, "VALID")),
                Map.entry("reduce_window_max", x -> Lax.reduceWindowMax(x, new int[] {1, 2}, new int[] {1, 1}, "SAME")),
                Map.entry("floor/ceil/round", x -> Lax.mul(x, Lax.add(Lax.floor(x), Lax.add(Lax.ceil(x), Lax.round(x))))),
                Map.entry("conv (constant kernel)",
                        x -> Lax.conv(Lax.reshape(x, 1, 1, 2, 3), kernel, new int[] {1, 1}, "SAME")),
                Map.entry("conv (both varying)", x -> Lax.conv(Lax.reshape(x, 1, 1, 2, 3),
                        Lax.reshape(Lax.slice(x, new int[] {0, 0}, new int[] {2, 2}, new int[] {1, 1}), 1, 1, 2, 2),
                        new int[] {1, 1}, "VALID")));
        smooth.forEach((name, f) -> checkAgainstNestedJvp(name, f, random(true, 2, 3),
                name.equals("convert_element_type") ? 1e-6 : 1e-12));
    }

    @Test
    void everyNonlinearRuleMatchesNestedJvp() {
        Array c = random(false, 2, 3);
        Map<String, UnaryOperator<Array>> rules = Map.ofEntries(
                Map.entry("mul", x -> Lax.mul(x, Lax.rev(x, 1))),
                Map.entry("dot_general", x -> Jnp.matmul(x, Lax.transpose(Lax.exp(x), 1, 0))),
                Map.entry("div", x -> Lax.div(Lax.sin(x), Lax.add(x, c))),
                Map.entry("div (constant numerator)", x -> Lax.div(c, x)),
                Map.entry("exp", Lax::exp),
                Map.entry("log", Lax::log),
                Map.entry("log1p", Lax::log1p),
                Map.entry("expm1", Lax::expm1),
                Map.entry("sin", Lax::sin),
                Map.entry("cos", Lax::cos),
                Map.entry("tan", x -> Lax.tan(x.mul(Array.scalar(0.8)))),
                Map.entry("tanh", Lax::tanh),
                Map.entry("logistic", Lax::logistic),
                Map.entry("sqrt", Lax::sqrt),
                Map.entry("rsqrt", Lax::rsqrt),
                Map.entry("integer_pow 3", x -> Lax.integerPow(x, 3)),
                Map.entry("integer_pow -2", x -> Lax.integerPow(x, -2)),
                Map.entry("integer_pow 0", x -> Lax.integerPow(x, 0)),
                Map.entry("pow (constant exponent)", x -> Lax.pow(x, c.add(Array.scalar(0.3)))),
                Map.entry("pow (varying exponent)", x -> Lax.pow(c, x)),
                Map.entry("pow (both)", x -> Lax.pow(x, Lax.rev(x, 0))),
                Map.entry("erf", Lax::erf),
                // composed from the polygamma values at the primal (JetRules.fromDerivatives)
                Map.entry("lgamma", Lax::lgamma), Map.entry("digamma", Lax::digamma),
                Map.entry("polygamma(2)", x -> Lax.polygamma(2, x)));
        rules.forEach((name, f) -> checkAgainstNestedJvp(name, f, random(false, 2, 3), 1e-10));
    }

    @Test
    void elementwiseFunctionsWithoutARuleOfTheirOwnMatchNestedJvp() {
        // derived from their JVP rules (JetFromJvp)
        Map<String, UnaryOperator<Array>> rules = Map.of(
                "cosh", Lax::cosh, "sinh", Lax::sinh, "atan", Lax::atan, "asinh", Lax::asinh,
                "erfc", Lax::erfc, "acos", x -> Lax.acos(x.mul(Array.scalar(0.5))));
        rules.forEach((name, f) -> checkAgainstNestedJvp(name, f, random(false, 2, 3), 1e-10));
    }

    @Test
    void integerPowIsExactAtZero() {
        // the repeated-squaring rule needs no division by the primal
        Array z = Array.scalar(0.0);
        Jet jet = Jax.jet(x -> Lax.integerPow(x, 3), z, List.of(Array.scalar(1.0), z, z, z));
        assertEquals(0.0, jet.series().get(0).item(), 0);
        assertEquals(0.0, jet.series().get(1).item(), 0);
        assertEquals(6.0, jet.series().get(2).item(), 0);
        assertEquals(0.0, jet.series().get(3).item(), 0);
    }

    @Test
    void scalarCompositionsMatchHipparchus() {
        DSFactory factory = new DSFactory(1, ORDER);
        double x0 = 0.8;
        DerivativeStructure x = factory.variable(0, x0);
        List<Array> unit = new ArrayList<>(List.of(Array.scalar(1.0)));
        for (int k = 1; k < ORDER; k++) {
            unit.add(Array.scalar(0.0));
        }
        Map<UnaryOperator<Array>, DerivativeStructure> cases = Map.of(
                t -> Lax.mul(Lax.sin(Lax.exp(t)), Lax.tanh(t)), x.exp().sin().multiply(x.tanh()),
                t -> Lax.div(Lax.log1p(Lax.mul(t, t)), Lax.sqrt(t)), x.multiply(x).log1p().divide(x.sqrt()),
                t -> Lax.sub(Lax.mul(Lax.tan(t), Lax.expm1(t)), Lax.integerPow(t, -2)),
                x.tan().multiply(x.expm1()).subtract(x.pow(-2)),
                t -> Lax.mul(Lax.pow(t, Array.scalar(2.5)), Lax.cos(Lax.logistic(t))),
                x.pow(2.5).multiply(x.negate().exp().add(1).reciprocal().cos()));
        cases.forEach((f, ds) -> {
            Jet jet = Jax.jet(f, Array.scalar(x0), unit);
            assertEquals(ds.getValue(), jet.primal().item(), 1e-14);
            for (int k = 1; k <= ORDER; k++) {
                double expected = ds.getPartialDerivative(k);
                assertEquals(expected, jet.series().get(k - 1).item(), 1e-11 * Math.max(1, Math.abs(expected)),
                        "order " + k);
            }
        });
    }

    @Test
    void threeLayerTanhNetworkMatchesNestedJvp() {
        UnaryOperator<Array> net = tanhNetwork(RANDOM, 3, 8);
        checkAgainstNestedJvp("tanh network", net, random(true, 3), 1e-11);
    }

    /** {@code x -> W3 tanh(W2 tanh(W1 x + b1) + b2) + b3}, a scalar output, weights drawn from {@code random}. */
    static UnaryOperator<Array> tanhNetwork(Random random, int in, int width) {
        Array w1 = normal(random, width, in);
        Array b1 = normal(random, width);
        Array w2 = normal(random, width, width);
        Array b2 = normal(random, width);
        Array w3 = normal(random, 1, width);
        return x -> {
            Array h = Jnp.tanh(Jnp.matmul(w1, x).add(b1));
            h = Jnp.tanh(Jnp.matmul(w2, h).add(b2));
            return Jnp.sum(Jnp.matmul(w3, h));
        };
    }

    private static Array normal(Random random, int... shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextGaussian() / Math.sqrt(shape[shape.length - 1]);
        }
        return Jnp.reshape(Array.of(v), shape);
    }

    @Test
    void composesWithGradAndVmap() {
        // d/dx of the second series entry of sin along [1, 0] is d/dx (-sin x) = -cos x
        double x = 0.4;
        UnaryOperator<Array> second = p -> Jax.jet(Jnp::sin, p, List.of(Array.scalar(1.0), Array.scalar(0.0)))
                .series().get(1);
        assertEquals(-Math.cos(x), Jax.grad(second).apply(Array.scalar(x)).item(), 1e-15);
        double[] batched = Jax.vmap(second).apply(Array.of(0.1, 0.2)).toDoubleArray();
        assertEquals(-Math.sin(0.1), batched[0], 1e-16);
        assertEquals(-Math.sin(0.2), batched[1], 1e-16);
        // vmap over directions: the second derivative of a network along each row, as one jet per row
        UnaryOperator<Array> net = tanhNetwork(new Random(3), 3, 5);
        Array x0 = random(true, 3);
        Array directions = random(true, 4, 3);
        double[] along = Jax.vmap((Array v) -> Jax.jet(net, x0, List.of(v, Jnp.zerosLike(v))).series().get(1))
                .apply(directions).toDoubleArray();
        for (int i = 0; i < 4; i++) {
            Array v = directions.get(i);
            double expected = Jax.jvp((Array p) -> Jax.jvp(net, p, v).tangent(), x0, v).tangent().item();
            assertEquals(expected, along[i], 1e-13);
        }
    }

    @Test
    void float32StaysFloat32() {
        Jet jet = Jax.jet(Jnp::tanh, Array.scalar(0.5f), List.of(Array.scalar(1.0f), Array.scalar(0.0f)));
        assertEquals(DType.FLOAT32, jet.series().get(1).dtype());
        double t = Math.tanh(0.5);
        assertEquals(-2 * t * (1 - t * t), jet.series().get(1).item(), 1e-6);
    }

    @Test
    void composesWithJit() {
        // a jitted function inside jet, and jet inside jit: both give sin's closed-form series
        double x = 0.3;
        List<Array> unit = List.of(Array.scalar(1.0), Array.scalar(0.0), Array.scalar(0.0));
        Jet inner = Jax.jet(Jax.jit((Array p) -> Jnp.sin(p)), Array.scalar(x), unit);
        assertEquals(-Math.cos(x), inner.series().get(2).item(), 1e-15);
        Array outer = Jax.jit((Array p) -> Jax.jet(Jnp::sin, p, unit).series().get(1)).apply(Array.scalar(x));
        assertEquals(-Math.sin(x), outer.item(), 1e-15);
    }

    /** The identity, with no JVP rule: no derivative to build a Taylor rule from. */
    private record Underivable() implements Primitive {
        @Override
        public Aval[] shapeRule(Aval[] in) {
            return in.clone();
        }

        @Override
        public DenseArray[] eval(DenseArray[] in, Aval[] outAvals) {
            return in.clone();
        }
    }

    @Test
    void aPrimitiveWithoutARuleIsAClearError() {
        var e = assertThrows(TaylorMode.NoRule.class, () -> Jax.jet(x -> Interpreters.bind1(new Underivable(), x),
                Array.of(0.5, 2.0), List.of(Array.of(1.0, 1.0))));
        assertTrue(e.getMessage().contains("underivable") && e.getMessage().contains("JVP"), e.getMessage());
        var bad = assertThrows(IllegalArgumentException.class,
                () -> Jax.jet(Lax::sin, Array.scalar(0.5), List.of(Array.of(1.0, 2.0))));
        assertTrue(bad.getMessage().contains("jet"), bad.getMessage());
    }
}
