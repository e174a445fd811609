package dev.solstice;

import static dev.solstice.tree.TreeOracles.vec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.testing.Numeric;
import java.io.File;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the types of the transformations promise: a transformed array function is a {@code UnaryOperator<Array>},
 * so it composes with the array overloads without adapters; and no assignment that could fail at run time with a
 * {@code ClassCastException} compiles (checked by compiling snippets against the library with javac).
 */
class TransformationTypesTest {

    private static final UnaryOperator<Array> F = x -> Jnp.sum(Jnp.sin(x).mul(Jnp.exp(x.mul(0.3))));
    private static final Array X = vec(0.3, -1.2, 2.0);

    @Test
    void transformedArrayFunctionsComposeWithoutAdapters() {
        Array h = Jax.hessian(F).apply(X);
        Numeric.assertClose(h, Jax.jacfwd(Jax.grad(F)).apply(X), 1e-15, 1e-15, "jacfwd(grad f)");
        Numeric.assertClose(h, Jax.jacrev(Jax.grad(F)).apply(X), 1e-15, 1e-15, "jacrev(grad f)");
        Numeric.assertClose(h, Jax.jacfwd(Jax.jacrev(F)).apply(X), 0, 0, "jacfwd(jacrev f) is the Hessian");
        Numeric.assertClose(h, Jax.hessian(Jax.jit(F)).apply(X), 1e-15, 1e-15, "hessian(jit f)");
        Numeric.assertClose(h, Jax.jacfwd(Jax.checkpoint(Jax.grad(F))).apply(X), 1e-15, 1e-15, "jacfwd(checkpoint(grad f))");
        Numeric.assertClose(h, Eqx.filterJacfwd(Eqx.filterGrad(F)).apply(X), 1e-15, 1e-15, "filterJacfwd(filterGrad f)");
        Numeric.assertClose(h, Eqx.filterHessian(F).apply(X), 0, 0, "filterHessian");
        // third derivatives: the Jacobian of the Hessian, against central differences of the Hessian
        Array third = Jax.jacfwd(Jax.hessian(F)).apply(X);
        assertEquals(List.of(3, 3, 3), List.of(third.shape()[0], third.shape()[1], third.shape()[2]));
        double eps = 1e-5;
        for (int k = 0; k < 3; k++) {
            double[] e = new double[3];
            e[k] = eps;
            Array up = Jax.hessian(F).apply(X.add(Array.of(e)));
            Array down = Jax.hessian(F).apply(X.sub(Array.of(e)));
            Array fd = up.sub(down).div(2 * eps);
            Numeric.assertClose(fd, third.get(Index.ellipsis(), Index.at(k)), 1e-7, 1e-8, "d3 along " + k);
        }
        // vmap of a transformed function is again an array function
        Array xs = Array.of(new double[] {0.1, 0.2, 0.3, -0.4, 0.5, 0.6}, 2, 3);
        Array perRow = Jax.vmap(Jax.grad(F)).apply(xs);
        Numeric.assertClose(Jax.grad(F).apply(xs.get(1)), perRow.get(1), 0, 0, "vmap(grad f)");
        assertEquals(0.0, Jax.hessian(Nn::relu).apply(Array.scalar(1.0)).item(), "the seed case");
        assertEquals(0.0, Eqx.filterHessian(Nn::relu).apply(Array.scalar(1.0f)).item());
    }

    // ---- what must not compile -------------------------------------------------------------------------------

    private static final String HEADER = """
            import dev.solstice.*;
            import java.util.function.*;
            class Snippet {
                record Clf(Array w, Array b) {}
                static Array loss(Clf c) { return Jnp.sum(Jnp.tanh(c.w()).add(c.b())); }
                static Array predict(Clf c) { return Jnp.tanh(c.w()); }
                void run(Clf c, Array x, Function<Array, Array> fn) {
            """;

    @Test
    void assignmentsThatCouldFailAtRunTimeDoNotCompile(@TempDir Path out) throws Exception {
        // the case and its relatives: each compiled to a ClassCastException (or did not compile for var)
        List<String> unsafe = List.of(
                "Function<Clf, Clf> H = Eqx.filterHessian(Snippet::loss);",
                "var H = Eqx.filterHessian(Snippet::loss); Clf h = H.apply(c);",
                "Function<Clf, Clf> H = Jax.hessian(Snippet::loss);",
                "Function<Clf, Clf> J = Jax.jacfwd(Snippet::predict);",
                "Function<Clf, Clf> J = Jax.jacrev(Snippet::predict);",
                "Function<Clf, Clf> J = Eqx.filterJacfwd(Snippet::predict);",
                "Function<Clf, Clf> J = Eqx.filterJacrev(Snippet::predict);",
                "Function<Array, Array> H = Jax.hessian(fn);",
                "Function<Array, Clf> J = Jax.jacfwd(fn);",
                "Clf j = Jax.jacfwd(Snippet::predict).apply(c).tree();");
        for (String body : unsafe) {
            List<String> errors = compile(out, body);
            assertTrue(!errors.isEmpty(), "compiled, but could throw a ClassCastException: " + body);
            assertTrue(errors.stream().anyMatch(e -> e.contains("incompatible types") || e.contains("cannot be converted")),
                    body + " failed for another reason: " + errors);
        }
    }

    @Test
    void theTypedFormsCompile(@TempDir Path out) throws Exception {
        // the control: the same snippets written with the typed results compile, so the failures above are the types'
        String body = """
                Function<Clf, Hessian<Clf>> H = Eqx.filterHessian(Snippet::loss);
                var H2 = Eqx.filterHessian(Snippet::loss); Hessian<Clf> h = H2.apply(c);
                Clf row = h.row("w"); Array block = h.block("w", "b"); Array dense = h.asMatrix();
                Clf j = Jax.jacfwd(Snippet::predict).apply(c).asInputTree();
                TreeJacobian<Clf> jr = Eqx.filterJacrev(Snippet::predict).apply(c);
                Object layout = jr.tree();
                Function<Array, Hessian<Array>> hf = Jax.hessian(fn);
                UnaryOperator<Array> g = Jax.jacfwd(Jax.grad((Array v) -> Jnp.sum(Jnp.sin(v))));
                Array h3 = Jax.jacfwd(Jax.hessian((Array v) -> Jnp.sum(Jnp.sin(v)))).apply(x);
                Pair<Array, Array> gg = Jax.grad((Array a, Array b2) -> Jnp.sum(a.mul(b2)), Argnums.of(0, 1)).apply(x, x);
                BiFunction<Array, Array, Array> v = Jax.vmap((Array a, Array b2) -> a.mul(b2), InAxes.of(null, 0), 0);
                """;
        List<String> errors = compile(out, body);
        assertTrue(errors.isEmpty(), "the typed forms must compile: " + errors);
    }

    @Test
    void theReadmeLinesCompile(@TempDir Path out) throws Exception {
        // the lines proposed for the README's taste section, verbatim between the braces
        String source = """
                import dev.solstice.*;
                import java.util.function.*;
                class Snippet {
                    record Affine(Array w, Array b, int width, String name) {}
                    void run(Affine model, Array x, Array w, Array params, Array xs, Array ys) {
                        Function<Affine, Array> loss = m -> Jnp.sum(Nn.relu(m.w().matmul(x).add(m.b())));
                        Hessian<Affine> H = Eqx.filterHessian(loss).apply(model);   // typed: no cast, no Struct
                        Array dwdb = H.block("w", "b");                              // d2 loss / dw db: w.shape + b.shape
                        Affine byW = H.row("w");                                     // the w row as an Affine
                        Array dense = H.asMatrix();                                  // [n, n] over the raveled w and b
                        UnaryOperator<Array> d2 = Jax.jacfwd(Jax.grad((Array v) -> Jnp.sum(Jnp.sin(v))));  // composes as is
                        Pair<Array, Array> g = Jax.grad((Array a, Array b) -> Jnp.sum(Jnp.tanh(a.matmul(b))), Argnums.of(0, 1)).apply(w, x);
                        Fn3<Array, Array, Array, Array> sq = (p, xi, yi) -> Jnp.sum(Jnp.square(p.matmul(xi).sub(yi)));
                        Array perExample = Jax.vmap(Jax.grad(sq, Argnums.of(0)), InAxes.of(null, 0, 0), 0).apply(params, xs, ys).first();
                    }
                }
                """;
        List<String> errors = compileSource(out, source);
        assertTrue(errors.isEmpty(), "the README lines must compile: " + errors);
    }

    /** Compiles the snippet body against the library's classes; the error messages (empty when it compiles). */
    private static List<String> compile(Path out, String body) throws URISyntaxException, java.io.IOException {
        return compileSource(out, HEADER + body + "\n    }\n}\n");
    }

    /** Compiles a source file named Snippet.java against the library's classes; the error messages. */
    private static List<String> compileSource(Path out, String source) throws URISyntaxException, java.io.IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///Snippet.java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        String classes = Path.of(Jax.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        Path dir = Files.createTempDirectory(out, "snippet");
        List<String> options = List.of("-classpath", classes + File.pathSeparator + System.getProperty("java.class.path"),
                "--add-modules", "jdk.incubator.vector", "-proc:none", "-d", dir.toString());
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            javac.getTask(null, files, diagnostics, options, null, List.of(file)).call();
        }
        List<String> errors = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.ERROR) {
                errors.add(d.getMessage(Locale.ROOT));
            }
        }
        return errors;
    }
}
