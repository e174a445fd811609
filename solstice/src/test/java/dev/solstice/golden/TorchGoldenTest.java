package dev.solstice.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.solstice.Array;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.Nn;
import dev.solstice.testing.Numeric;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden derivatives from an independent implementation: Jacobians, Hessians and third derivatives that
 * PyTorch 1.13 (functorch) computed in float64, read from {@code solstice/src/test/resources/golden/torch_golden.txt}
 * (written by {@code tools/golden/make_torch_golden.py}; this test needs no Python). Every entry names a
 * function; {@link #FUNCTIONS} holds its Solstice twin under the same name, and every derivative is checked
 * in every composition of {@code jacfwd}, {@code jacrev}, {@code grad} and {@code hessian} that computes it.
 *
 * <p>The points include kinks only where PyTorch's convention is JAX's; the script's docstring lists the
 * kinks left out and why.
 */
class TorchGoldenTest {

    private static final String RESOURCE = "/golden/torch_golden.txt";
    private static final double RTOL = 1e-10;
    private static final double ATOL = 1e-12;

    /** One line of the golden file. */
    record Entry(int line, String name, String kind, int[] inShape, int[] resultShape, double[] input, double[] expected) {
        String label() {
            return name + " " + kind + " (line " + line + ")";
        }
    }

    // ---- the fixed weights: the same literals as in make_torch_golden.py ----------------------------------

    private static final Array C4 = Array.of(1.0, -2.0, 0.5, 3.0);
    private static final Array W34 = Array.of(new double[] {
        0.5, -1.0, 0.25, 2.0,
        1.5, 0.75, -0.5, -1.25,
        -0.3, 0.9, 1.1, 0.4}, 3, 4);
    private static final Array A44 = Array.of(new double[] {
        2.0, -1.0, 0.5, 0.0,
        0.3, 1.5, -0.7, 1.2,
        -0.4, 0.8, 3.0, -1.1,
        1.0, 0.0, 0.6, 0.9}, 4, 4);
    private static final Array MLP_W1 = W34;
    private static final Array MLP_B1 = Array.of(0.1, -0.2, 0.3);
    private static final Array MLP_W2 = Array.of(new double[] {1.0, -0.5, 0.8, -1.2, 0.4, 0.6}, 2, 3);
    private static final Array MLP_B2 = Array.of(0.05, -0.1);
    private static final Array MLP_T = Array.of(0.5, -0.25);
    private static final Array MLP_X = Array.of(0.4, -0.7, 1.2, 0.3);
    private static final Array MM_A = Array.of(new double[] {1.0, 2.0, -0.5, 0.3, 0.7, -1.1}, 3, 2);
    private static final Array MM_B = Array.of(new double[] {0.2, -0.4, 1.0, 0.5, 0.6, -0.3, -0.8, 0.1, 0.4}, 3, 3);
    private static final Array MM_C = Array.of(new double[] {1.0, -1.0, 0.5, 2.0, -0.3, 0.7}, 3, 2);

    // ---- the Solstice twins of the script's functions -------------------------------------------------------

    static final Map<String, UnaryOperator<Array>> FUNCTIONS = functions();

    private static Array mlp(Array x, Array w1) {
        return MLP_W2.matmul(Jnp.tanh(w1.matmul(x).add(MLP_B1))).add(MLP_B2);
    }

    private static Array mlpLoss(Array x, Array w1) {
        Array r = mlp(x, w1).sub(MLP_T);
        return Jnp.sum(r.mul(r)).mul(0.5);
    }

    private static Array whereBranches(Array x) {
        return Jnp.where(Jnp.greater(x, 0.0), x.mul(x).mul(Jnp.sin(x)), Jnp.exp(x).sub(1.0));
    }

    private static Map<String, UnaryOperator<Array>> functions() {
        Map<String, UnaryOperator<Array>> m = new LinkedHashMap<>();
        // Elementwise: "<name>" is the map itself (Jacobians), "sum_<name>" its sum (Hessians, third derivatives).
        Map<String, UnaryOperator<Array>> e = new LinkedHashMap<>();
        e.put("sin", Jnp::sin);
        e.put("cos", Jnp::cos);
        e.put("tan", Jnp::tan);
        e.put("tanh", Jnp::tanh);
        e.put("exp", Jnp::exp);
        e.put("log", Jnp::log);
        e.put("log1p", Jnp::log1p);
        e.put("expm1", Jnp::expm1);
        e.put("sqrt", Jnp::sqrt);
        e.put("rsqrt", Jnp::rsqrt);
        e.put("erf", Jnp::erf);
        e.put("sigmoid", Nn::sigmoid);
        e.put("abs", Jnp::abs);
        e.put("square", Jnp::square);
        e.put("cube", x -> Jnp.power(x, 3));
        e.put("reciprocal", Jnp::reciprocal);
        e.put("pow_2_5", x -> Jnp.power(x, 2.5));
        e.put("rational", x -> x.div(x.mul(x).add(1.0)));
        e.put("relu", Nn::relu);
        e.put("relu6", Nn::relu6);
        e.put("leaky_relu", Nn::leakyRelu);
        e.put("elu", Nn::elu);
        e.put("elu_0_7", x -> Nn.elu(x, 0.7));
        e.put("celu", Nn::celu);
        e.put("celu_1_5", x -> Nn.celu(x, 1.5));
        e.put("selu", Nn::selu);
        e.put("gelu_tanh", x -> Nn.gelu(x, true));
        e.put("gelu_exact", x -> Nn.gelu(x, false));
        e.put("silu", Nn::silu);
        e.put("softplus", Nn::softplus);
        e.put("log_sigmoid", Nn::logSigmoid);
        e.put("hardtanh", Nn::hardTanh);
        e.put("hardsigmoid", Nn::hardSigmoid);
        e.put("clip", x -> Jnp.clip(x, -1.0, 2.0));
        e.put("where_branches", TorchGoldenTest::whereBranches);
        e.forEach((name, g) -> {
            m.put(name, g::apply);
            m.put("sum_" + name, x -> Jnp.sum(g.apply(x)));
        });

        m.put("softmax", x -> Nn.softmax(x));
        m.put("softmax_dot", x -> Jnp.sum(Nn.softmax(x).mul(C4)));
        m.put("softmax_axis0", x -> Nn.softmax(x, 0));
        m.put("log_softmax", x -> Nn.logSoftmax(x));
        m.put("log_softmax_dot", x -> Jnp.sum(Nn.logSoftmax(x).mul(C4)));
        m.put("logsumexp", x -> Nn.logsumexp(x));
        m.put("logsumexp_2d", x -> Nn.logsumexp(x));
        m.put("logsumexp_axis1", x -> Nn.logsumexp(x, new int[] {1}, false));
        m.put("sin_Wx", x -> Jnp.sin(W34.matmul(x)));
        m.put("sum_sin_Wx", x -> Jnp.sum(Jnp.sin(W34.matmul(x))));
        m.put("quad_form", x -> x.matmul(A44.matmul(x)));
        m.put("sum_x_sin_x", x -> Jnp.sum(Jnp.sin(x).mul(x)));
        m.put("mlp", x -> mlp(x, MLP_W1));
        m.put("mlp_loss_x", x -> mlpLoss(x, MLP_W1));
        m.put("mlp_loss_w1", w -> mlpLoss(MLP_X, w));
        m.put("matmul_abc", x -> MM_A.matmul(x).matmul(MM_B));
        m.put("matmul_chain", x -> Jnp.tanh(x.matmul(MM_B)).matmul(MM_C));
        m.put("matmul_chain_loss", x -> Jnp.sum(Jnp.square(Jnp.tanh(x.matmul(MM_B)).matmul(MM_C))));
        m.put("gram_trace", x -> {
            Array g = x.matmul(x.transpose());
            return Jnp.sum(g.matmul(g).mul(Jnp.eye(x.shape()[0]))); // trace(x x^T x x^T)
        });
        m.put("batched_matmul", x -> Jnp.tanh(x.matmul(MM_C)));
        m.put("prod", x -> Jnp.prod(x));
        m.put("prod_one_zero", x -> Jnp.prod(x));
        m.put("prod_axis1", x -> Jnp.prod(x, 1));
        m.put("var", x -> Jnp.var(x));
        m.put("var_axis1", x -> Jnp.var(x, new int[] {1}, 0, false));
        m.put("std", x -> Jnp.sqrt(Jnp.var(x)));
        m.put("mean_exp", x -> Jnp.mean(Jnp.exp(x)));
        m.put("mean_axis0", x -> Jnp.mean(x, 0));
        m.put("norm", x -> Jnp.sqrt(Jnp.sum(x.mul(x))));
        m.put("amax_axis1", x -> Jnp.max(x, 1));
        m.put("amax_axis1_ties", x -> Jnp.max(x, 1));
        m.put("amin_axis0", x -> Jnp.min(x, 0));
        m.put("amin_axis0_ties", x -> Jnp.min(x, 0));
        m.put("sum_sq_amax_axis1", x -> Jnp.sum(Jnp.square(Jnp.max(x, 1))));
        m.put("max_all", x -> Jnp.power(Jnp.max(x), 3));
        m.put("maximum_rows", x -> Jnp.maximum(x.get(0), x.get(1)));
        m.put("minimum_rows", x -> Jnp.minimum(x.get(0), x.get(1)));
        m.put("sum_sq_maximum_rows", x -> Jnp.sum(Jnp.square(Jnp.maximum(x.get(0), x.get(1)))));
        m.put("pow_rows", x -> Jnp.power(x.get(0), x.get(1)));
        m.put("sum_pow_rows", x -> Jnp.sum(Jnp.power(x.get(0), x.get(1))));
        m.put("sum_cube_clip", x -> Jnp.sum(Jnp.power(Jnp.clip(x, -1.0, 2.0), 3)));
        m.put("where_mix", x -> Jnp.sum(Jnp.where(Jnp.greater(x, 0.4), Jnp.log1p(x.mul(x)), Jnp.cos(x).mul(x))));
        m.put("tanh_sq", x -> Jnp.square(Jnp.tanh(x)));
        m.put("gelu_tanh_scalar", x -> Nn.gelu(x));
        m.put("softplus_scalar", x -> Nn.softplus(x));
        m.put("silu_scalar", x -> Nn.silu(x));
        m.put("relu_scalar", x -> Nn.relu(x));
        return m;
    }

    // ---- reading the golden file ------------------------------------------------------------------------------

    static List<Entry> entries() {
        InputStream in = TorchGoldenTest.class.getResourceAsStream(RESOURCE);
        assertNotNull(in, RESOURCE + " is not on the test classpath");
        List<Entry> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                out.add(parse(n, line));
            }
        } catch (IOException e) {
            throw new AssertionError("cannot read " + RESOURCE, e);
        }
        return out;
    }

    /** {@code <name> <kind> <input-shape> <result-shape> : <input values> : <result values>}. */
    static Entry parse(int line, String text) {
        String[] parts = text.split(" : ", -1);
        if (parts.length != 3) {
            fail(RESOURCE + " line " + line + ": expected 'header : input : result', got " + text);
        }
        String[] head = parts[0].trim().split(" ");
        if (head.length != 4) {
            fail(RESOURCE + " line " + line + ": expected '<name> <kind> <input-shape> <result-shape>', got " + parts[0]);
        }
        int[] inShape = shape(head[2]);
        int[] resultShape = shape(head[3]);
        double[] input = values(parts[1]);
        double[] expected = values(parts[2]);
        assertEquals(size(inShape), input.length, RESOURCE + " line " + line + ": input size");
        assertEquals(size(resultShape), expected.length, RESOURCE + " line " + line + ": result size");
        return new Entry(line, head[0], head[1], inShape, resultShape, input, expected);
    }

    private static int[] shape(String s) {
        return s.equals("scalar") ? new int[0] : Arrays.stream(s.split(",")).mapToInt(Integer::parseInt).toArray();
    }

    private static double[] values(String s) {
        String t = s.trim();
        return t.isEmpty() ? new double[0] : Arrays.stream(t.split(" ")).mapToDouble(Double::parseDouble).toArray();
    }

    private static int size(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    // ---- the compositions checked per kind -----------------------------------------------------------------------

    /**
     * The compositions that compute an entry's derivative, each a list of transformations, outermost first.
     * {@code grad} appears only where the function it is applied to is scalar-valued.
     */
    static List<List<String>> compositions(Entry e) {
        boolean scalarIn = e.inShape().length == 0;
        List<List<String>> c = new ArrayList<>();
        switch (e.kind()) {
            case "jacobian" -> {
                c.add(List.of("jacfwd"));
                c.add(List.of("jacrev"));
                if (e.resultShape().length == e.inShape().length) { // scalar output: the Jacobian is the gradient
                    c.add(List.of("grad"));
                }
            }
            case "hessian" -> {
                c.add(List.of("hessian"));
                for (String outer : List.of("jacfwd", "jacrev")) {
                    for (String inner : List.of("jacfwd", "jacrev", "grad")) {
                        c.add(List.of(outer, inner));
                    }
                }
                if (scalarIn) {
                    c.add(List.of("grad", "grad"));
                }
            }
            case "third" -> {
                for (String a : List.of("jacfwd", "jacrev")) {
                    for (String b : List.of("jacfwd", "jacrev")) {
                        for (String d : List.of("jacfwd", "jacrev")) {
                            c.add(List.of(a, b, d));
                        }
                    }
                    c.add(List.of(a, "hessian"));
                    c.add(List.of(a, "jacrev", "grad"));
                }
                if (scalarIn) {
                    c.add(List.of("grad", "grad", "grad"));
                }
            }
            default -> fail(e.label() + ": unknown kind " + e.kind());
        }
        return c;
    }

    static UnaryOperator<Array> compose(List<String> ops, UnaryOperator<Array> f) {
        UnaryOperator<Array> g = f;
        for (int i = ops.size() - 1; i >= 0; i--) {
            g = switch (ops.get(i)) {
                case "jacfwd" -> Jax.jacfwd(g);
                case "jacrev" -> Jax.jacrev(g);
                case "grad" -> Jax.grad(g);
                case "hessian" -> Jax.hessian(g);
                default -> throw new IllegalArgumentException(ops.get(i));
            };
        }
        return g;
    }

    // ---- the tests ---------------------------------------------------------------------------------------------

    @Test
    void everyEntryHasATwinAndEveryTwinHasAnEntry() {
        List<Entry> entries = entries();
        Set<String> inFile = entries.stream().map(Entry::name).collect(Collectors.toCollection(TreeSet::new));
        Set<String> noTwin = new TreeSet<>(inFile);
        noTwin.removeAll(FUNCTIONS.keySet());
        Set<String> noEntry = new TreeSet<>(FUNCTIONS.keySet());
        noEntry.removeAll(inFile);
        assertTrue(noTwin.isEmpty(), "golden entries without a Solstice function in FUNCTIONS: " + noTwin);
        assertTrue(noEntry.isEmpty(), "functions in FUNCTIONS without a golden entry: " + noEntry);
        assertTrue(entries.size() >= 100, "expected the full golden file, got " + entries.size() + " entries");
        assertTrue(entries.stream().map(Entry::kind).collect(Collectors.toSet())
                .containsAll(List.of("jacobian", "hessian", "third")), "every kind is present");
    }

    @TestFactory
    Stream<DynamicTest> derivativesMatchPyTorch() {
        return entries().stream().flatMap(e -> compositions(e).stream().map(ops -> {
            String how = String.join("∘", ops);
            return DynamicTest.dynamicTest(e.label() + " by " + how, () -> {
                UnaryOperator<Array> f = FUNCTIONS.get(e.name());
                assertNotNull(f, e.label() + ": no Solstice twin in FUNCTIONS");
                Array x = Array.of(e.input(), e.inShape());
                Array actual = compose(ops, f).apply(x);
                Numeric.assertClose(Array.of(e.expected(), e.resultShape()), actual, RTOL, ATOL,
                        e.label() + " at " + Arrays.toString(e.input()) + " by " + how);
            });
        }));
    }
}
