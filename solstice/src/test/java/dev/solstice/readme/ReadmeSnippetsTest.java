package dev.solstice.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import jdk.jshell.Diag;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import org.junit.jupiter.api.Test;

/**
 * Runs every {@code ```java} block of the README's "A taste" section in JShell, as {@code bin/jshell} would
 * (same startup imports), after a prelude that defines the free variables the snippets assume. Every snippet
 * must compile and run; where a line's comment states a value ({@code // 0.0}, {@code // float64[3,3]}, or
 * the whole printed string), the snippet's value must be it.
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
    // a number or an aval that the comment starts with, followed by the end or punctuation
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE]-?\\d+)?(?=$|[,;:\\s])");
    private static final Pattern AVAL = Pattern.compile("(float32|float64|int32|bool)\\[[\\d,]*](?=$|[,;:\\s])");

    @Test
    void everyJavaSnippetOfATasteRunsInJShell() throws IOException {
        Path root = repositoryRoot();
        List<String> blocks = javaBlocks(tasteSection(Files.readString(root.resolve("README.md"))));
        assertTrue(blocks.size() >= 4, "the taste section's java blocks: " + blocks.size());
        Path saved = Path.of("model.safetensors").toAbsolutePath();   // one snippet writes this, relative to the cwd
        boolean existed = Files.exists(saved);
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
        try (JShell shell = JShell.builder().executionEngine("local").out(out).err(out).build()) {
            shell.addToClasspath(System.getProperty("java.class.path"));
            for (String line : Files.readAllLines(root.resolve("bin/jshell-startup.jsh"))) {
                if (!line.isBlank() && !line.startsWith("//")) {
                    run(shell, line, "bin/jshell-startup.jsh", null);
                }
            }
            runLines(shell, PRELUDE, "the prelude");
            for (int i = 0; i < blocks.size(); i++) {
                runLines(shell, blocks.get(i), "README block " + (i + 1));
            }
        } finally {
            if (!existed) {
                Files.deleteIfExists(saved);
            }
        }
    }

    /** Feeds the text line by line, evaluating each complete snippet and checking values stated in comments. */
    private static void runLines(JShell shell, String text, String where) {
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        String pending = "";
        String value = null;
        for (String line : text.split("\n")) {
            pending = pending.isEmpty() ? line : pending + "\n" + line;
            while (true) {
                SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(pending);
                if (info.completeness() == SourceCodeAnalysis.Completeness.EMPTY) {
                    pending = "";
                    break;
                }
                if (!info.completeness().isComplete()) {
                    break;
                }
                value = run(shell, info.source(), where, line);
                pending = info.remaining();
            }
            if (pending.isBlank()) {
                checkStatedValue(line, value, where);
                pending = "";
            }
        }
        assertTrue(pending.isBlank(), where + ": an incomplete snippet at the end: " + pending);
    }

    /** Evaluates one snippet: it must be valid and throw nothing; returns its value (null for declarations). */
    private static String run(JShell shell, String source, String where, String line) {
        List<SnippetEvent> events = shell.eval(source);
        String value = null;
        for (SnippetEvent e : events) {
            if (e.causeSnippet() != null) {
                continue;   // an update of a dependent snippet
            }
            String errors = shell.diagnostics(e.snippet()).filter(Diag::isError)
                    .map(d -> d.getMessage(null)).collect(Collectors.joining("; "));
            if (e.status() != Snippet.Status.VALID) {
                fail(where + ": " + source + "\n  is " + e.status() + ": " + errors);
            }
            if (e.exception() != null) {
                fail(where + ": " + source + "\n  threw " + e.exception());
            }
            value = e.value();
        }
        return value;
    }

    /**
     * Checks the value a comment states: a string snippet must print the comment exactly; otherwise a comment
     * starting with a number must give that number, one starting with an aval ({@code float64[3,3]}) an array
     * of that dtype and shape. Other comments are prose.
     */
    private static void checkStatedValue(String line, String value, String where) {
        int c = line.indexOf("//");
        if (c < 0 || value == null) {
            return;
        }
        String comment = line.substring(c + 2).strip();
        if (value.startsWith("\"")) {
            String printed = value.substring(1, value.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
            assertEquals(comment, printed, where + ": " + line);
            return;
        }
        Matcher number = NUMBER.matcher(comment);
        Matcher aval = AVAL.matcher(comment);
        if (number.lookingAt()) {
            double expected = Double.parseDouble(number.group());
            double actual = Double.parseDouble(value);
            assertEquals(expected, actual, 1e-12 * Math.max(1, Math.abs(expected)), where + ": " + line);
        } else if (aval.lookingAt()) {
            assertTrue(value.startsWith("Array(" + aval.group() + ", "), where + ": " + line + " gave " + value);
        }
    }

    private static String tasteSection(String readme) {
        int start = readme.indexOf("\n## A taste");
        assertTrue(start >= 0, "README has a section 'A taste'");
        int end = readme.indexOf("\n## ", start + 1);
        return readme.substring(start, end < 0 ? readme.length() : end);
    }

    private static List<String> javaBlocks(String section) {
        List<String> blocks = new ArrayList<>();
        Matcher m = Pattern.compile("(?s)```java\\n(.*?)```").matcher(section);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    private static Path repositoryRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("bin/jshell-startup.jsh"))) {
            p = p.getParent();
        }
        assertFalse(p == null, "the repository root (with bin/jshell-startup.jsh) above " + Path.of("").toAbsolutePath());
        return p;
    }
}
