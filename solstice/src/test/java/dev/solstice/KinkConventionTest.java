package dev.solstice;

import static dev.solstice.AdOracles.assertNear;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kink table of {@code derivative-conventions.md} (JAX's conventions at non-smooth points), row by row:
 * f' through grad, valueAndGrad, jvp, vjp, linearize, jacfwd and jacrev, and f'' through grad(grad), hessian
 * and all four compositions of jacfwd and jacrev, in float64 and float32. Expected values are the table's
 * (closed forms), never Solstice's own output.
 */
class KinkConventionTest {

    /**
     * One row of the table.
     *
     * @param d2 null where the table gives no second derivative
     * @param exact whether the values are exact (structural) or rounded closed forms (compared to 1 ulp-ish)
     */
    record Kink(String name, UnaryOperator<Array> f, double x, double d1, Double d2, boolean exact) {
        @Override
        public String toString() {
            return name + " at " + x + ": f' = " + d1 + ", f'' = " + d2;
        }
    }

    static Kink exact(String name, UnaryOperator<Array> f, double x, double d1, Double d2) {
        return new Kink(name, f, x, d1, d2, true);
    }

    static Kink rounded(String name, UnaryOperator<Array> f, double x, double d1, Double d2) {
        return new Kink(name, f, x, d1, d2, false);
    }

    static final double SQRT_2_OVER_PI = 0.7978845608028654;

    static Stream<Kink> table() {
        List<Kink> t = new ArrayList<>();
        t.add(exact("relu", Nn::relu, 0, 0, 0.0));
        for (double x : new double[] {1, -1, 2.5, -3, 1e-300, -1e-300, 4.9e-324, 1e300}) {
            t.add(exact("relu", Nn::relu, x, x > 0 ? 1 : 0, 0.0));
        }
        t.add(exact("relu6", Nn::relu6, 0, 0, 0.0));
        t.add(exact("relu6", Nn::relu6, 6, 0, 0.0));
        t.add(exact("relu6", Nn::relu6, 3, 1, 0.0));
        t.add(exact("relu6", Nn::relu6, 7, 0, 0.0));
        t.add(exact("relu6", Nn::relu6, -1, 0, 0.0));
        t.add(exact("hardSigmoid", Nn::hardSigmoid, -3, 0, 0.0));
        t.add(exact("hardSigmoid", Nn::hardSigmoid, 3, 0, 0.0));
        t.add(rounded("hardSigmoid", Nn::hardSigmoid, 0, 1.0 / 6, 0.0));
        t.add(exact("leakyRelu", Nn::leakyRelu, 0, 1, 0.0));
        t.add(exact("hardTanh", Nn::hardTanh, -1, 1, 0.0));
        t.add(exact("hardTanh", Nn::hardTanh, 1, 1, 0.0));
        t.add(exact("hardTanh", Nn::hardTanh, 1.5, 0, 0.0));
        t.add(exact("elu", Nn::elu, 0, 1, 1.0));
        t.add(exact("elu(alpha=0.5)", x -> Nn.elu(x, 0.5), 0, 0.5, 0.5));
        t.add(exact("celu", Nn::celu, 0, 1, 0.25));
        t.add(exact("celu(alpha=2)", x -> Nn.celu(x, 2.0), 0, 1, 0.125));
        t.add(exact("celu(alpha=0.5)", x -> Nn.celu(x, 0.5), 0, 1, 0.5));
        t.add(exact("maximum(x, 0.5)", x -> Jnp.maximum(x, 0.5), 0.5, 0.5, 0.0));
        t.add(exact("maximum(0.5, x)", x -> Jnp.maximum(Lax.fullLike(x, 0.5), x), 0.5, 0.5, 0.0));
        t.add(exact("minimum(x, 0.5)", x -> Jnp.minimum(x, 0.5), 0.5, 0.5, 0.0));
        t.add(exact("minimum(0.5, x)", x -> Jnp.minimum(Lax.fullLike(x, 0.5), x), 0.5, 0.5, 0.0));
        t.add(exact("maximum(x, 0)", x -> Jnp.maximum(x, 0.0), 0, 0.5, 0.0));
        t.add(exact("Lax.max(x, 0)", x -> Lax.max(x, Jnp.zerosLike(x)), 0, 0.5, 0.0));
        t.add(exact("Lax.min(x, 0)", x -> Lax.min(x, Jnp.zerosLike(x)), 0, 0.5, 0.0));
        t.add(exact("clip(x, -1, 2)", x -> Jnp.clip(x, -1.0, 2.0), -1, 0.5, 0.0));
        t.add(exact("clip(x, -1, 2)", x -> Jnp.clip(x, -1.0, 2.0), 2, 0.5, 0.0));
        t.add(exact("clip(x, -1, 2)", x -> Jnp.clip(x, -1.0, 2.0), 0, 1, 0.0));
        t.add(exact("clip(x, -1, 2)", x -> Jnp.clip(x, -1.0, 2.0), 3, 0, 0.0));
        t.add(exact("Lax.clamp(-1, x, 2)", x -> Lax.clamp(Lax.fullLike(x, -1), x, Lax.fullLike(x, 2)), -1, 0, 0.0));
        t.add(exact("Lax.clamp(-1, x, 2)", x -> Lax.clamp(Lax.fullLike(x, -1), x, Lax.fullLike(x, 2)), 2, 0, 0.0));
        t.add(exact("Lax.clamp(-1, x, 2)", x -> Lax.clamp(Lax.fullLike(x, -1), x, Lax.fullLike(x, 2)), 0.5, 1, 0.0));
        t.add(exact("abs", Jnp::abs, 0, 1, 0.0));
        t.add(exact("abs", Jnp::abs, -0.0, 1, 0.0));
        t.add(exact("abs", Jnp::abs, -2, -1, 0.0));
        for (double x : new double[] {-1.5, -1, 0, 0.5, 1, 2.5, 3.7}) {
            t.add(exact("sign", Jnp::sign, x, 0, 0.0));
            t.add(exact("floor", Jnp::floor, x, 0, 0.0));
            t.add(exact("ceil", Jnp::ceil, x, 0, 0.0));
            t.add(exact("round", Jnp::round, x, 0, 0.0));
        }
        t.add(exact("sqrt", Jnp::sqrt, 0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY));
        t.add(exact("sqrt", Jnp::sqrt, 4, 0.25, -1.0 / 32));
        t.add(exact("x^0", x -> Jnp.power(x, 0), 0, 0, 0.0));
        t.add(exact("x^1", x -> Jnp.power(x, 1), 0, 1, 0.0));
        t.add(exact("x^2", x -> Jnp.power(x, 2), 0, 0, 2.0));
        t.add(exact("x^3", x -> Jnp.power(x, 3), 0, 0, 0.0));
        t.add(exact("square", Jnp::square, 0, 0, 2.0));
        t.add(exact("x^0.5 (pow)", x -> Jnp.power(x, 0.5), 0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY));
        t.add(exact("x^2.0 (pow)", x -> Jnp.power(x, 2.0), 0, 0, 2.0));
        t.add(exact("x^0.0 (pow)", x -> Jnp.power(x, 0.0), 0, Double.NaN, null));
        t.add(exact("where(x > 0, 2x, 3x)", x -> Jnp.where(Jnp.greater(x, 0.0), Jnp.multiply(x, 2.0), Jnp.multiply(x, 3.0)), 0, 3, 0.0));
        t.add(exact("where(x >= 0, x^2, -x)", x -> Jnp.where(Jnp.greaterEqual(x, 0.0), Jnp.square(x), Jnp.negative(x)), 0, 0, 2.0));
        t.add(exact("softplus", Nn::softplus, 0, 0.5, 0.25));
        t.add(exact("sigmoid", Nn::sigmoid, 0, 0.25, 0.0));
        t.add(rounded("gelu (tanh)", Nn::gelu, 0, 0.5, SQRT_2_OVER_PI));
        t.add(rounded("gelu (erf)", x -> Nn.gelu(x, false), 0, 0.5, SQRT_2_OVER_PI));
        t.add(exact("silu", Nn::silu, 0, 0.5, 0.5));
        t.add(exact("stopGradient", Lax::stopGradient, 0.7, 0, 0.0));
        t.add(exact("x * stopGradient(x)", x -> Jnp.multiply(x, Lax.stopGradient(x)), 3, 3, 0.0));
        t.add(exact("stopGradient(x^2) + x", x -> Jnp.add(Lax.stopGradient(Jnp.square(x)), x), 3, 1, 0.0));
        // far out on the flat or linear side: no overflow may leak into the derivative as inf or 0 * inf = NaN
        // (the "double where" in elu, the stable custom rule of softplus)
        for (double big : new double[] {1000, -1000}) {
            double pos = big > 0 ? 1 : 0;
            t.add(exact("elu", Nn::elu, big, pos, 0.0));
            t.add(exact("selu", Nn::selu, big, big > 0 ? SELU_SCALE : 0, 0.0));
            t.add(exact("celu", Nn::celu, big, pos, 0.0));
            t.add(exact("softplus", Nn::softplus, big, pos, 0.0));
            t.add(exact("logSigmoid", Nn::logSigmoid, big, 1 - pos, 0.0));
            t.add(exact("sigmoid", Nn::sigmoid, big, 0, 0.0));
            t.add(exact("silu", Nn::silu, big, pos, 0.0));
            t.add(exact("gelu (tanh)", Nn::gelu, big, pos, 0.0));
            t.add(exact("gelu (erf)", x -> Nn.gelu(x, false), big, pos, 0.0));
        }
        // infinite arguments: JAX's logaddexp rule reads +inf as 0, so softplus'(+inf) = 1 (not inf - inf = NaN)
        double inf = Double.POSITIVE_INFINITY;
        t.add(exact("softplus", Nn::softplus, inf, 1, 0.0));
        t.add(exact("softplus", Nn::softplus, -inf, 0, 0.0));
        t.add(exact("logSigmoid", Nn::logSigmoid, -inf, 1, 0.0));
        t.add(exact("logSigmoid", Nn::logSigmoid, inf, 0, 0.0));
        t.add(exact("sigmoid", Nn::sigmoid, inf, 0, 0.0));
        t.add(exact("relu", Nn::relu, inf, 1, 0.0));
        t.add(exact("relu", Nn::relu, -inf, 0, 0.0));
        return t.stream();
    }

    static final double SELU_SCALE = 1.0507009873554804934193349852946;

    /** Every first-derivative mode gives f', every second-derivative mode gives f'', in float64. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void float64(Kink k) {
        check(k, Array.scalar(k.x), 1e-15);
    }

    /** The same in float32 (values rounded to float32; results must be float32). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void float32(Kink k) {
        // rows at points float32 cannot hold (1e-300 underflows to 0) do not apply
        org.junit.jupiter.api.Assumptions.assumeTrue((double) (float) k.x == k.x, "not representable in float32");
        check(k, Array.scalar((float) k.x), 3e-7);
    }

    private static void check(Kink k, Array x, double rtol) {
        boolean f32 = x.dtype() == DType.FLOAT32;
        for (int order = 1; order <= 2; order++) {
            Double d = order == 1 ? Double.valueOf(k.d1) : k.d2;
            if (d == null) {
                continue;
            }
            double expected = f32 ? (double) (float) (double) d : d;
            for (Map.Entry<String, Function<Array, Array>> m : AdOracles.derivatives(k.f, order, true).entrySet()) {
                Array r = m.getValue().apply(x);
                String what = k + " " + x.dtype() + " order " + order + " by " + m.getKey();
                assertEquals(x.dtype(), r.dtype(), what + ": dtype");
                assertArrayEquals(new int[0], r.shape(), what + ": shape");
                assertNear(new double[] {expected}, r.toDoubleArray(), k.exact ? 0 : rtol, 0, what);
            }
        }
    }

    // ---- the seed case and relu everywhere -----------------------------------------------------------------

    @Test
    void seedCase() {
        assertEquals(0.0, Jax.hessian(Nn::relu).apply(Array.scalar(1.0)).item());
        assertEquals(0.0, Jax.hessian(Nn::relu).apply(Array.scalar(1.0f)).item());
        assertEquals(DType.FLOAT32, Jax.hessian(Nn::relu).apply(Array.scalar(1.0f)).dtype());
    }

    @Test
    void reluHessianIsZeroEverywhereInEveryMode() {
        for (DType t : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            for (double x = -3; x <= 3; x += 0.25) {
                Array a = Jnp.astype(Array.scalar(x), t);
                for (Map.Entry<String, Function<Array, Array>> m : AdOracles.derivatives(Nn::relu, 2, true).entrySet()) {
                    assertEquals(0.0, m.getValue().apply(a).item(), "relu'' at " + x + " " + t + " by " + m.getKey());
                }
                for (Map.Entry<String, Function<Array, Array>> m : AdOracles.derivatives(Nn::relu, 3, true).entrySet()) {
                    assertEquals(0.0, m.getValue().apply(a).item(), "relu''' at " + x + " " + t + " by " + m.getKey());
                }
            }
        }
        // on a vector: the Hessian of sum(relu(x)) and the second derivative tensor of relu are all zeros
        Array v = Array.of(-2.0, -0.5, 0.0, 0.5, 2.0);
        assertNear(new double[25], Jax.hessian((Array x) -> Jnp.sum(Nn.relu(x))).apply(v).toDoubleArray(), 0, 0, "hessian sum relu");
        for (Map.Entry<String, Function<Array, Array>> m : AdOracles.derivatives(Nn::relu, 2, false).entrySet()) {
            Array r = m.getValue().apply(v);
            assertArrayEquals(new int[] {5, 5, 5}, r.shape(), m.getKey());
            assertNear(new double[125], r.toDoubleArray(), 0, 0, "relu d^2 on a vector by " + m.getKey());
        }
        assertNear(new double[] {0, 0, 0, 1, 1}, Jax.grad((Array x) -> Jnp.sum(Nn.relu(x))).apply(v).toDoubleArray(), 0, 0, "grad sum relu");
    }

    // ---- rows with several arguments or vector inputs -----------------------------------------------------------

    /** maximum/minimum at a tie give 0.5 of the derivative to each argument, and a zero Hessian. */
    @Test
    void binaryTiesSplitEvenlyBetweenArguments() {
        Array p = Array.of(0.7, 0.7);
        for (String op : new String[] {"maximum", "minimum", "Lax.max", "Lax.min"}) {
            UnaryOperator<Array> f = v -> switch (op) {
                case "maximum" -> Jnp.maximum(v.get(0), v.get(1));
                case "minimum" -> Jnp.minimum(v.get(0), v.get(1));
                case "Lax.max" -> Lax.max(v.get(0), v.get(1));
                default -> Lax.min(v.get(0), v.get(1));
            };
            for (Map.Entry<String, Function<Array, Array>> m : AdOracles.derivatives(f, 1, false).entrySet()) {
                assertNear(new double[] {0.5, 0.5}, m.getValue().apply(p).toDoubleArray(), 0, 0, op + " by " + m.getKey());
            }
            assertNear(new double[] {0.5, 0.5}, Jax.grad(f).apply(p).toDoubleArray(), 0, 0, op + " grad");
            for (Map.Entry<String, Function<Array, Array>> m : AdOracles.derivatives(f, 2, false).entrySet()) {
                assertNear(new double[4], m.getValue().apply(p).toDoubleArray(), 0, 0, op + " d^2 by " + m.getKey());
            }
        }
        // elementwise over vectors: ties only where the elements are equal
        UnaryOperator<Array> g = v -> Jnp.sum(Jnp.maximum(v, Array.of(1.0, 2.0, 3.0)));
        assertNear(new double[] {1, 0.5, 0}, Jax.grad(g).apply(Array.of(1.5, 2.0, 2.5)).toDoubleArray(), 0, 0, "maximum vector ties");
    }

    /** Lax.clamp: strict comparisons, so at a tie neither x nor the bound gets any derivative. */
    @Test
    void clampDerivativesWithRespectToAllOperands() {
        UnaryOperator<Array> f = v -> Lax.clamp(v.get(0), v.get(1), v.get(2));
        double[][] cases = {
            {1, 1, 2, 0, 0, 0},
            {1, 2, 2, 0, 0, 0},
            {1, 0.5, 2, 1, 0, 0},
            {1, 1.5, 2, 0, 1, 0},
            {1, 3, 2, 0, 0, 1},
        };
        for (double[] c : cases) {
            Array p = Array.of(c[0], c[1], c[2]);
            double[] expected = {c[3], c[4], c[5]};
            for (Map.Entry<String, Function<Array, Array>> m : AdOracles.derivatives(f, 1, false).entrySet()) {
                assertNear(expected, m.getValue().apply(p).toDoubleArray(), 0, 0, "clamp at " + p + " by " + m.getKey());
            }
            UnaryOperator<Array> h = Jax.hessian(f);
            assertNear(new double[9], h.apply(p).toDoubleArray(), 0, 0, "clamp hessian at " + p);
        }
    }

    /** The norm sqrt(sum(x^2)) has a NaN gradient and Hessian at 0 (0 * inf), and x/|x| elsewhere. */
    @Test
    void normAtZeroIsNaN() {
        UnaryOperator<Array> norm = x -> Jnp.sqrt(Jnp.sum(Jnp.square(x)));
        Array zero = Array.of(0.0, 0.0, 0.0);
        for (Map.Entry<String, Function<Array, Array>> m : AdOracles.derivatives(norm, 1, false).entrySet()) {
            assertNear(new double[] {Double.NaN, Double.NaN, Double.NaN}, m.getValue().apply(zero).toDoubleArray(), 0, 0, "norm' by " + m.getKey());
        }
        double[] nan9 = new double[9];
        java.util.Arrays.fill(nan9, Double.NaN);
        for (Map.Entry<String, Function<Array, Array>> m : AdOracles.derivatives(norm, 2, false).entrySet()) {
            assertNear(nan9, m.getValue().apply(zero).toDoubleArray(), 0, 0, "norm'' by " + m.getKey());
        }
        assertNear(new double[] {0.6, 0, -0.8}, Jax.grad(norm).apply(Array.of(3.0, 0.0, -4.0)).toDoubleArray(), 1e-15, 0, "norm' at (3,0,-4)");
    }

    /**
     * x^y at x = 0: d/dx = y * 0^(y-1) (inf for y = 0.5, 0 for y = 2, NaN = 0 * inf for y = 0), d/dy = 0
     * (log of x read as log 1). Each partial by itself in every mode, and both at once by reverse mode. (Forward
     * mode over the packed vector [x, y] gives NaN for d/dy at y = 0.5, as JAX does: the dense zero tangent of
     * x meets the infinite d/dx, 0 * inf.)
     */
    @Test
    void realPowerAtZero() {
        double[][] cases = {
            {0.5, Double.POSITIVE_INFINITY, 0},
            {2.0, 0, 0},
            {1.0, 1, 0},
            {3.0, 0, 0},
            {0.0, Double.NaN, 0},
        };
        UnaryOperator<Array> f = v -> Jnp.power(v.get(0), v.get(1));
        for (double[] c : cases) {
            double y = c[0];
            for (Map.Entry<String, Function<Array, Array>> m : AdOracles.derivatives(x -> Jnp.power(x, Lax.fullLike(x, y)), 1, true).entrySet()) {
                assertNear(new double[] {c[1]}, m.getValue().apply(Array.scalar(0.0)).toDoubleArray(), 0, 0, "d/dx x^" + y + " at 0 by " + m.getKey());
            }
            for (Map.Entry<String, Function<Array, Array>> m : AdOracles.derivatives(e -> Jnp.power(Lax.fullLike(e, 0), e), 1, true).entrySet()) {
                assertNear(new double[] {c[2]}, m.getValue().apply(Array.scalar(y)).toDoubleArray(), 0, 0, "d/dy 0^y at y = " + y + " by " + m.getKey());
            }
            Array p = Array.of(0.0, y);
            UnaryOperator<Array> jr = Jax.jacrev(f);
            assertNear(new double[] {c[1], c[2]}, Jax.grad(f).apply(p).toDoubleArray(), 0, 0, "grad pow at (0, " + y + ")");
            assertNear(new double[] {c[1], c[2]}, jr.apply(p).toDoubleArray(), 0, 0, "jacrev pow at (0, " + y + ")");
        }
        // and away from zero both partials are the textbook ones
        double x = 1.7;
        double y = 2.3;
        assertNear(new double[] {y * Math.pow(x, y - 1), Math.log(x) * Math.pow(x, y)},
                Jax.grad(f).apply(Array.of(x, y)).toDoubleArray(), 1e-15, 0, "pow at (1.7, 2.3)");
    }

    /**
     * where: only the chosen branch's derivative flows and the condition is not differentiated; a NaN or inf
     * in the unselected branch's own chain still reaches the gradient as 0 * inf = NaN in reverse mode (the
     * JAX FAQ case), while forward mode selects the tangent after the chain and gets 0, as JAX does.
     */
    @Test
    void whereUnselectedBranch() {
        UnaryOperator<Array> safeLog = x -> Jnp.where(Jnp.greater(x, 0.0), Jnp.log(x), Jnp.zerosLike(x));
        Array zero = Array.scalar(0.0);
        assertEquals(0.0, safeLog.apply(zero).item());
        assertTrue(Double.isNaN(Jax.grad(safeLog).apply(zero).item()), "grad");
        UnaryOperator<Array> jr = Jax.jacrev(safeLog);
        assertTrue(Double.isNaN(jr.apply(zero).item()), "jacrev");
        assertTrue(Double.isNaN(Jax.vjp(safeLog, zero).pullback().apply(Array.scalar(1.0)).item()), "vjp");
        assertEquals(0.0, Jax.jvp(safeLog, zero, Array.scalar(1.0)).tangent().item(), "jvp");
        UnaryOperator<Array> jf = Jax.jacfwd(safeLog);
        assertEquals(0.0, jf.apply(zero).item(), "jacfwd");
        // the double-where trick avoids it in every mode
        UnaryOperator<Array> doubleWhere = x -> {
            Array pos = Jnp.greater(x, 0.0);
            return Jnp.where(pos, Jnp.log(Jnp.where(pos, x, Jnp.onesLike(x))), Jnp.zerosLike(x));
        };
        for (Map.Entry<String, Function<Array, Array>> m : AdOracles.derivatives(doubleWhere, 1, true).entrySet()) {
            assertEquals(0.0, m.getValue().apply(zero).item(), "double where by " + m.getKey());
        }
        // no derivative through the condition, even when it is a smooth function of x
        UnaryOperator<Array> f = x -> Jnp.where(Jnp.greater(Jnp.sin(x), 0.0), Jnp.multiply(x, 2.0), Jnp.multiply(x, 3.0));
        assertEquals(2.0, Jax.grad(f).apply(Array.scalar(1.0)).item());
        assertEquals(3.0, Jax.grad(f).apply(Array.scalar(-1.0)).item());
        // a vector where: per-element branch derivatives
        UnaryOperator<Array> g = x -> Jnp.sum(Jnp.where(Jnp.greater(x, 0.0), Jnp.square(x), Jnp.multiply(x, -1.0)));
        assertNear(new double[] {-1, -1, 2}, Jax.grad(g).apply(Array.of(-2.0, 0.0, 1.0)).toDoubleArray(), 0, 0, "vector where");
    }

    /** max/min reductions with a k-way tie give 1/k to each tied element; their Hessians are zero. */
    @Test
    void reductionTiesShareEqually() {
        Array x = Array.of(1.0, 3.0, 3.0, 2.0, 3.0);
        double third = 1.0 / 3;
        assertNear(new double[] {0, third, third, 0, third}, Jax.grad(Jnp::max).apply(x).toDoubleArray(), 0, 0, "max 3-way tie");
        assertNear(new double[] {1, 0, 0, 0, 0}, Jax.grad(Jnp::min).apply(x).toDoubleArray(), 0, 0, "min unique");
        Array y = Array.of(-1.0, 2.0, -1.0, 0.0);
        assertNear(new double[] {0.5, 0, 0.5, 0}, Jax.grad(Jnp::min).apply(y).toDoubleArray(), 0, 0, "min 2-way tie");
        for (Map.Entry<String, Function<Array, Array>> m : AdOracles.derivatives(Jnp::max, 1, false).entrySet()) {
            assertNear(new double[] {0, third, third, 0, third}, m.getValue().apply(x).toDoubleArray(), 0, 0, "max by " + m.getKey());
        }
        for (Map.Entry<String, Function<Array, Array>> m : AdOracles.derivatives(Jnp::max, 2, false).entrySet()) {
            assertNear(new double[25], m.getValue().apply(x).toDoubleArray(), 0, 0, "max'' by " + m.getKey());
        }
        Array all = Array.of(2.0, 2.0, 2.0, 2.0);
        assertNear(new double[] {0.25, 0.25, 0.25, 0.25}, Jax.grad(Jnp::max).apply(all).toDoubleArray(), 0, 0, "4-way tie");
        // along an axis: per-row ties
        Array m = Array.of(new double[] {1, 5, 5, 0, 0, 0, 7, 2, 3}, 3, 3);
        Array jac = Jax.jacrev((Array a) -> Jnp.max(a, 1)).apply(m);
        assertArrayEquals(new int[] {3, 3, 3}, jac.shape());
        double[] expected = new double[27];
        expected[0 * 9 + 1] = 0.5;
        expected[0 * 9 + 2] = 0.5;
        expected[9 + 3] = third;
        expected[9 + 4] = third;
        expected[9 + 5] = third;
        expected[18 + 6] = 1;
        assertNear(expected, jac.toDoubleArray(), 0, 0, "max over axis 1");
        assertNear(expected, Jax.jacfwd((Array a) -> Jnp.max(a, 1)).apply(m).toDoubleArray(), 0, 0, "max over axis 1 (jacfwd)");
    }

    /** argmax/argmin and comparisons carry no derivative: integer outputs have zero tangents. */
    @Test
    void argmaxAndComparisonsHaveZeroDerivative() {
        Array x = Array.of(0.3, 2.0, -1.0);
        JvpResult<Array> r = Jax.jvp(Jnp::argmax, x, Array.of(1.0, 1.0, 1.0));
        assertEquals(1, r.primal().toIntArray()[0]);
        assertEquals(0.0, r.tangent().toDoubleArray()[0], "argmax tangent");
        JvpResult<Array> q = Jax.jvp(Jnp::argmin, x, Array.of(1.0, 1.0, 1.0));
        assertEquals(2, q.primal().toIntArray()[0]);
        assertEquals(0.0, q.tangent().toDoubleArray()[0], "argmin tangent");
        JvpResult<Array> c = Jax.jvp(v -> Jnp.greater(v, 0.0), x, Array.of(1.0, 1.0, 1.0));
        assertEquals(DType.BOOL, c.primal().dtype());
        for (double t : c.tangent().toDoubleArray()) {
            assertEquals(0.0, t, "comparison tangent");
        }
        // using the index as a float: it is a constant
        UnaryOperator<Array> f = v -> Jnp.multiply(Jnp.sum(v), Jnp.astype(Jnp.argmax(v), DType.FLOAT64));
        assertNear(new double[] {1, 1, 1}, Jax.grad(f).apply(x).toDoubleArray(), 0, 0, "grad with argmax factor");
        UnaryOperator<Array> h = Jax.hessian(f);
        assertNear(new double[9], h.apply(x).toDoubleArray(), 0, 0, "hessian with argmax factor");
        UnaryOperator<Array> g = v -> Jnp.sum(Jnp.astype(Jnp.greater(v, 0.0), DType.FLOAT64));
        assertNear(new double[3], Jax.grad(g).apply(x).toDoubleArray(), 0, 0, "grad of a count");
    }

    /** grad(logsumexp) is softmax(x) (closed form), also for large and -inf entries; its Jacobian is softmax's. */
    @Test
    void logsumexpGradientIsSoftmax() {
        double[][] points = {{0.3, -1.2, 2.0}, {1000, 1000, 999}, {-1000, -1001, -1000}, {1.0, Double.NEGATIVE_INFINITY, 0.0}, {5, 5, 5}};
        for (double[] p : points) {
            double max = java.util.Arrays.stream(p).max().getAsDouble();
            double[] e = new double[p.length];
            double sum = 0;
            for (int i = 0; i < p.length; i++) {
                e[i] = Math.exp(p[i] - max);
                sum += e[i];
            }
            double[] softmax = new double[p.length];
            double[] jac = new double[p.length * p.length];
            for (int i = 0; i < p.length; i++) {
                softmax[i] = e[i] / sum;
            }
            for (int i = 0; i < p.length; i++) {
                for (int j = 0; j < p.length; j++) {
                    jac[i * p.length + j] = (i == j ? softmax[i] : 0) - softmax[i] * softmax[j];
                }
            }
            Array x = Array.of(p);
            for (Map.Entry<String, Function<Array, Array>> m : AdOracles.derivatives(Nn::logsumexp, 1, false).entrySet()) {
                assertNear(softmax, m.getValue().apply(x).toDoubleArray(), 1e-15, 1e-300, "grad logsumexp at "
                        + java.util.Arrays.toString(p) + " by " + m.getKey());
            }
            assertNear(softmax, Nn.softmax(x).toDoubleArray(), 1e-15, 1e-300, "softmax itself");
            assertNear(jac, Jax.hessian(Nn::logsumexp).apply(x).toDoubleArray(), 1e-14, 1e-16, "hessian logsumexp at " + java.util.Arrays.toString(p));
            assertNear(jac, Jax.jacrev(Nn::softmax).apply(x).toDoubleArray(), 1e-14, 1e-16, "jacobian softmax at " + java.util.Arrays.toString(p));
        }
    }
}
