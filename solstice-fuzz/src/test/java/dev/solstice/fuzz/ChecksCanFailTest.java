package dev.solstice.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.JvpResult;
import dev.solstice.core.DenseArray;
import java.net.URI;
import java.util.List;
import java.util.function.UnaryOperator;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The fuzzer's checks catch wrong derivatives and wrong compilation (functions made deliberately wrong through the
 * public API), the shrinker finds the one step that matters, and reproducers are Java that compiles.
 */
class ChecksCanFailTest {
    /** {@code tanh(sin(x))} on a float64 vector of three. */
    private static final FuzzProgram SIN_TANH = new FuzzProgram(DType.FLOAT64, new int[] {3}, List.of(
            new Node(Kind.SIN, new int[] {0}, new int[0][], new int[] {3}),
            new Node(Kind.TANH, new int[] {1}, new int[0][], new int[] {3})));

    @Test
    void aCorrectFunctionPasses() {
        assertEquals(ProgramChecks.Status.PASSED, ProgramChecks.check(SIN_TANH, 7, null).status());
    }

    @Test
    void aWrongJvpRuleFailsTheFiniteDifferenceCheck() {
        UnaryOperator<Array> wrong = Jax.customJvp(SIN_TANH::apply, (x, t) -> {
            JvpResult<Array> right = Jax.jvp(SIN_TANH::apply, x, t);
            return new JvpResult<>(right.primal(), Jnp.multiply(right.tangent(), 1.001));
        });
        ProgramChecks.Outcome o = ProgramChecks.check(SIN_TANH, wrong, 7, "jvp");
        assertEquals(ProgramChecks.Status.FAILED, o.status());
        assertTrue(o.message().contains("central difference"), o.message());
    }

    @Test
    void aWrongJvpRuleFailsTheJetCheck() {
        // jet runs a custom-JVP function itself (its Taylor rules, not the custom rule); nested jvp uses the rule
        UnaryOperator<Array> wrong = Jax.customJvp(SIN_TANH::apply, (x, t) -> {
            JvpResult<Array> right = Jax.jvp(SIN_TANH::apply, x, t);
            return new JvpResult<>(right.primal(), Jnp.multiply(right.tangent(), 1.001));
        });
        ProgramChecks.Outcome o = ProgramChecks.check(SIN_TANH, wrong, 7, "jet");
        assertEquals(ProgramChecks.Status.FAILED, o.status());
        assertTrue(o.message().contains("jet coefficient"), o.message());
    }

    @Test
    void aCompiledFunctionThatDiffersFromEagerFailsTheJitCheck() {
        // eager calls see concrete arrays; the jit trace sees tracers
        UnaryOperator<Array> wrong = x -> x instanceof DenseArray ? SIN_TANH.apply(x) : Jnp.multiply(SIN_TANH.apply(x), 1 + 1e-9);
        assertEquals(ProgramChecks.Status.FAILED, ProgramChecks.check(SIN_TANH, wrong, 7, "jit").status());
        // an exactly rounded program must match bitwise: one ulp is caught
        FuzzProgram exact = new FuzzProgram(DType.FLOAT64, new int[] {3}, List.of(
                new Node(Kind.SQUARE, new int[] {0}, new int[0][], new int[] {3}),
                new Node(Kind.ADD, new int[] {1, 0}, new int[0][], new int[] {3})));
        UnaryOperator<Array> ulp = x -> x instanceof DenseArray ? exact.apply(x) : Jnp.multiply(exact.apply(x), 1 + Math.ulp(1.0));
        ProgramChecks.Outcome o = ProgramChecks.check(exact, ulp, 7, "jit");
        assertEquals(ProgramChecks.Status.FAILED, o.status());
        assertTrue(o.message().contains("exactly rounded"), o.message());
        assertEquals(ProgramChecks.Status.PASSED, ProgramChecks.check(exact, 7, null).status());
    }

    @Test
    void aBatchedFunctionThatDiffersFromTheLoopFailsTheVmapCheck() {
        // per-example calls see concrete arrays; under vmap the function sees batch tracers
        UnaryOperator<Array> wrong = x -> x instanceof DenseArray ? SIN_TANH.apply(x) : Jnp.multiply(SIN_TANH.apply(x), 1 + 1e-9);
        ProgramChecks.Outcome o = ProgramChecks.check(SIN_TANH, wrong, 7, "vmap");
        assertEquals(ProgramChecks.Status.FAILED, o.status());
        assertTrue(o.message().contains("loop"), o.message());
    }

    @Test
    void aWrongReverseRuleFailsTheJacobianAndSecondOrderChecks() {
        UnaryOperator<Array> wrong = Jax.customVjp(SIN_TANH::apply,
                x -> new dev.solstice.CustomVjpFwd(SIN_TANH.apply(x), x),
                (res, ct) -> Jnp.multiply(Jax.vjp(SIN_TANH::apply, res.getFirst()).pullback().apply(ct), 1.001));
        assertEquals(ProgramChecks.Status.FAILED, ProgramChecks.check(SIN_TANH, wrong, 7, "jac").status());
        assertEquals(ProgramChecks.Status.FAILED, ProgramChecks.check(SIN_TANH, wrong, 7, "hvp").status());
    }

    @Test
    void theComparisonIsRelativeToTheScale() {
        assertNull(ProgramChecks.compare("a", Array.of(1e6, 1), "b", Array.of(1e6 + 1e-5, 1), 1e-10));
        assertTrue(ProgramChecks.compare("a", Array.of(1e6, 1), "b", Array.of(1e6, 1.001), 1e-10).contains("element 1"));
        assertTrue(ProgramChecks.compare("a", Array.of(1.0), "b", Array.of(Double.NaN), 1e-10) != null);
        assertTrue(ProgramChecks.compare("a", Array.of(1.0, 2), "b", Array.of(1.0), 1e-10).contains("but"));
    }

    @Test
    void theShrinkerKeepsOnlyTheStepThatFails() {
        FuzzProgram p = new FuzzProgram(DType.FLOAT64, new int[] {4}, List.of(
                new Node(Kind.SIN, new int[] {0}, new int[0][], new int[] {4}),
                new Node(Kind.SORT, new int[] {1}, new int[][] {{0}}, new int[] {4}),
                new Node(Kind.EXP, new int[] {2}, new int[0][], new int[] {4}),
                new Node(Kind.TANH, new int[] {3}, new int[0][], new int[] {4})));
        FuzzProgram shrunk = Shrinker.shrink(p, q -> q.nodes().stream().anyMatch(n -> n.kind() == Kind.SORT));
        assertEquals(List.of(Kind.SORT), shrunk.nodes().stream().map(Node::kind).toList());
        assertEquals(0, shrunk.nodes().getFirst().args()[0]);
    }

    @Test
    void reproducersOfEveryKindAndCheckCompile() {
        ProgramGenerator generator = new ProgramGenerator(3, 8, 12);
        java.util.EnumSet<Kind> seen = java.util.EnumSet.noneOf(Kind.class);
        List<String> checks = List.of("jit", "jac", "jvp", "hvp", "jet", "vmap");
        List<JavaFileObject> files = new java.util.ArrayList<>();
        for (int i = 0; i < 2000 && (seen.size() < Kind.values().length || files.size() < checks.size()); i++) {
            FuzzProgram program = generator.next();
            if (!program.nodes().stream().allMatch(n -> seen.contains(n.kind())) || files.size() < checks.size()) {
                program.nodes().forEach(n -> seen.add(n.kind()));
                double[] x = new double[ProgramGenerator.size(program.inputShape())];
                ProgramChecks.Inputs in = new ProgramChecks.Inputs(x, x, x, new double[][] {x, x}, false);
                String check = checks.get(files.size() % checks.size());
                String name = "Repro" + i;
                String source = Reproducer.source(name, program, new ProgramChecks.Outcome(ProgramChecks.Status.FAILED, check, "m", in));
                files.add(new SimpleJavaFileObject(URI.create("string:///" + name + ".java"), JavaFileObject.Kind.SOURCE) {
                    @Override
                    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                        return source;
                    }
                });
            }
        }
        assertEquals(java.util.EnumSet.allOf(Kind.class), seen, "the generator draws every kind");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        java.io.StringWriter errors = new java.io.StringWriter();
        boolean ok = javac.getTask(errors, null, null, List.of("-proc:none", "-d",
                System.getProperty("java.io.tmpdir") + "/solstice-fuzz-repro", "-cp", System.getProperty("java.class.path")),
                null, files).call();
        assertTrue(ok, errors.toString());
    }
}
