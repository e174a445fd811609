package dev.solstice.readme;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Runs every {@code ```java} block of the README's "A taste" section in JShell, as {@code bin/jshell} would
 * (same startup imports), after a prelude that defines the free variables the snippets assume. Every snippet
 * must compile and run; where a line's comment states a value ({@code // 0.0}, {@code // float64[3,3]}, or
 * the whole printed string; the forms are {@link SnippetShell}'s), the snippet's value must be it.
 */
class ReadmeSnippetsTest {
    /** The variables the README's snippets use without defining them (x before errorIf: non-negative). */
    private static final String PRELUDE = """
            Array x = Array.of(0.5, 1.0, 2.0);
            Array w = Array.of(new double[] {0.1, -0.2, 0.3, 0.4, -0.5, 0.6}, 2, 3);
            UnaryOperator<Array> lossOfOneExample = v -> Jnp.sum(Jnp.square(Jnp.tanh(v)));
            Array xs = Prng.normal(Prng.key(1), new int[] {5, 64}, DType.FLOAT32);
            Array ys = Prng.normal(Prng.key(2), new int[] {5}, DType.FLOAT32);
            Array params = Jnp.zeros(DType.FLOAT32, 64);
            Fn3<Array, Array, Array, Array> sq = (p, xi, yi) -> Jnp.square(Jnp.sum(p.mul(xi)).sub(yi));
            Array seq = Prng.normal(Prng.key(3), new int[] {7, 16}, DType.FLOAT32);
            record Step(Array w, double lr) {}
            record Out(Array loss, Array w) {}
            Function<Step, Out> update = s -> new Out(Jnp.sum(Jnp.square(s.w())), s.w().mul(1 - s.lr()));
            Function<List<Object>, Array> scaleBy = a -> ((Array) a.get(0)).mul((Double) a.get(1));
            UnaryOperator<Array> g = v -> Jnp.sum(Jnp.tanh(v));
            Array t = Array.scalar(1.0);
            Array h0 = Jnp.zeros(DType.FLOAT32, 64);
            Array init = Array.scalar(1.0);
            Array one = Array.scalar(1.0);
            """;
    @Test
    void everyJavaSnippetOfATasteRunsInJShell() throws IOException {
        Path root = SnippetShell.repositoryRoot();
        String readme = Files.readString(root.resolve("README.md"));
        int start = readme.indexOf("\n## A taste");
        assertTrue(start >= 0, "README has a section 'A taste'");
        int end = readme.indexOf("\n## ", start + 1);
        String section = readme.substring(0, end < 0 ? readme.length() : end);
        Matcher m = Pattern.compile("(?s)```java\\n(.*?)```").matcher(section);
        Path saved = Path.of("model.safetensors").toAbsolutePath();   // one snippet writes this, relative to the cwd
        boolean existed = Files.exists(saved);
        int blocks = 0;
        try (SnippetShell shell = SnippetShell.open(root)) {
            shell.run(PRELUDE, "the prelude", 1);
            for (int from = start; m.find(from); from = m.end()) {
                int firstLine = (int) section.substring(0, m.start(1)).chars().filter(c -> c == '\n').count() + 1;
                shell.run(m.group(1), "README.md", firstLine);
                blocks++;
            }
        } finally {
            if (!existed) {
                Files.deleteIfExists(saved);
            }
        }
        assertTrue(blocks >= 4, "the taste section's java blocks: " + blocks);
    }
}
