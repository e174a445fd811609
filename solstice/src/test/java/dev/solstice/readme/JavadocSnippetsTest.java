package dev.solstice.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.DType;
import dev.solstice.Solstice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Runs every {@code {@snippet lang=java : ...}} inline example in the library's Javadoc (solstice/src/main/java)
 * in JShell as {@code bin/jshell} would, one JShell per source file (a snippet may use what an earlier one of
 * the same file defined), and checks the values their comments state ({@link SnippetShell}'s forms, among them
 * {@code // throws X}). A failure names the file, the line and the snippet.
 */
class JavadocSnippetsTest {
    // the JDK's snippet markup comments (// @highlight ..., // @replace ..., // @link ..., // @start, // @end)
    private static final Pattern MARKUP = Pattern.compile("\\s*//\\s*@(highlight|replace|link|start|end)\\b.*$");
    private static final Pattern LANG = Pattern.compile("\\blang\\s*=\\s*\"?(\\w+)\"?");

    /** One inline snippet: the file, the line of its first code line, and its code as a user types it. */
    record JavadocSnippet(String file, int line, String code) {}

    @Test
    void everyJavadocSnippetRunsAndStatesTrueValues() throws IOException {
        Path root = SnippetShell.repositoryRoot();
        Path sources = root.resolve("solstice/src/main/java");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(sources)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        List<String> failures = new ArrayList<>();
        int snippetCount = 0;
        int fileCount = 0;
        long start = System.nanoTime();
        for (Path file : files) {
            List<JavadocSnippet> snippets = snippets(Files.readString(file), root.relativize(file).toString());
            if (snippets.isEmpty()) {
                continue;
            }
            fileCount++;
            snippetCount += snippets.size();
            try {
                runFile(root, snippets);
            } catch (AssertionError e) {
                failures.add(e.getMessage());
            }
        }
        System.out.printf("JavadocSnippetsTest: %d snippets in %d files, %.1f s%n", snippetCount, fileCount,
                (System.nanoTime() - start) / 1e9);
        assertTrue(failures.isEmpty(), failures.size() + " source files have failing Javadoc snippets:\n\n"
                + String.join("\n\n", failures));
    }

    /** Runs one file's snippets in one fresh JShell, restoring the library's global settings afterwards. */
    static void runFile(Path root, List<JavadocSnippet> snippets) {
        DType defaultFloat = Solstice.defaultFloat();
        int threads = Solstice.threads();
        try (SnippetShell shell = SnippetShell.open(root)) {
            for (JavadocSnippet s : snippets) {
                shell.run(s.code(), s.file(), s.line());
            }
        } finally {
            Solstice.defaultFloat(defaultFloat);
            Solstice.threads(threads);
        }
    }

    /**
     * The {@code lang=java} inline snippets of a source file: the text between the {@code :} and the brace
     * that closes the tag (braces balance inside, as the JDK requires), with each line's leading {@code *} and
     * one space removed, and markup comments dropped.
     */
    static List<JavadocSnippet> snippets(String source, String file) {
        List<JavadocSnippet> out = new ArrayList<>();
        int from = 0;
        while (true) {
            int tag = source.indexOf("{@snippet", from);
            if (tag < 0) {
                return out;
            }
            int colon = source.indexOf(':', tag);
            int close = source.indexOf('}', tag);
            if (colon < 0 || (close >= 0 && close < colon)) {
                from = tag + 1;   // an external snippet (file= or class=) without a body: nothing to run
                continue;
            }
            Matcher lang = LANG.matcher(source.substring(tag, colon));
            int end = closingBrace(source, colon + 1, file);
            from = end;
            if (!lang.find() || !lang.group(1).equals("java")) {
                continue;
            }
            int bodyLine = lineOf(source, colon) + 1;
            String[] lines = source.substring(colon + 1, end).split("\n", -1);
            StringBuilder code = new StringBuilder();
            // the first piece is what follows the colon on its line: normally nothing
            if (!lines[0].isBlank()) {
                throw new AssertionError(file + ":" + (bodyLine - 1) + ": start the snippet's code on the line after "
                        + "'{@snippet lang=java :'");
            }
            for (int i = 1; i < lines.length; i++) {
                String line = lines[i].replaceFirst("^\\s*\\*( |$)", "");
                line = MARKUP.matcher(line).replaceFirst("");
                code.append(line.stripTrailing());
                if (i < lines.length - 1) {
                    code.append('\n');
                }
            }
            out.add(new JavadocSnippet(file, bodyLine, code.toString().stripTrailing()));
        }
    }

    private static int closingBrace(String source, int from, String file) {
        int depth = 1;
        for (int i = from; i < source.length(); i++) {
            char c = source.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        throw new AssertionError(file + ":" + lineOf(source, from) + ": a {@snippet whose braces do not close");
    }

    private static int lineOf(String source, int index) {
        int line = 1;
        for (int i = 0; i < index; i++) {
            if (source.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    // ---- the checker checked, on in-memory sources ----

    private static final String EXAMPLE = """
            package x;

            /**
             * Sums.
             *
             * {@snippet lang=java :
             * Array x = Array.of(1.0, 2.0, 3.0);
             * Jnp.sum(x)                 // %s
             * }
             */
            class A {
                /**
                 * Reshapes. {@snippet lang=java :
                 * Array y = Jnp.reshape(Array.of(1.0, 2.0, 3.0), 3, 1); // @highlight substring="reshape"
                 * y                          // float64[3,1]
                 * Jnp.reshape(y, 4)          // throws %s
                 * }
                 */
                void f() {}
                /** Not java: {@snippet lang=text : this is not code { } } and {@snippet file="Other.java"} */
                void g() {}
            }
            """;

    @Test
    void extractsSnippetsWithTheirLines() {
        List<JavadocSnippet> s = snippets(EXAMPLE.formatted("6.0", "IllegalArgumentException"), "A.java");
        assertEquals(2, s.size());
        assertEquals(new JavadocSnippet("A.java", 7, "Array x = Array.of(1.0, 2.0, 3.0);\nJnp.sum(x)                 // 6.0"),
                s.get(0));
        assertEquals(14, s.get(1).line());
        assertTrue(s.get(1).code().startsWith("Array y = Jnp.reshape(Array.of(1.0, 2.0, 3.0), 3, 1);\ny "),
                s.get(1).code());
        assertTrue(snippets("class B {}", "B.java").isEmpty(), "no snippets in a file without any");
    }

    @Test
    void passesTrueValuesAndTheThrownExceptionByItsSimpleOrFullName() {
        Path root = SnippetShell.repositoryRoot();
        runFile(root, snippets(EXAMPLE.formatted("6.0", "IllegalArgumentException"), "A.java"));
        runFile(root, snippets(EXAMPLE.formatted("6.00000", "java.lang.IllegalArgumentException"), "A.java"));
    }

    @Test
    void failsOnAWrongValueNamingFileLineAndSnippet() {
        Path root = SnippetShell.repositoryRoot();
        AssertionError e = assertThrows(AssertionError.class,
                () -> runFile(root, snippets(EXAMPLE.formatted("5.0", "IllegalArgumentException"), "A.java")));
        assertTrue(e.getMessage().startsWith("A.java:8: Jnp.sum(x)"), e.getMessage());
        assertTrue(e.getMessage().contains("states 5.0"), e.getMessage());
        assertTrue(e.getMessage().contains("| Array x = Array.of(1.0, 2.0, 3.0);"), e.getMessage());
        AssertionError t = assertThrows(AssertionError.class,
                () -> runFile(root, snippets(EXAMPLE.formatted("6.0", "IllegalStateException"), "A.java")));
        assertTrue(t.getMessage().startsWith("A.java:16:"), t.getMessage());
        assertTrue(t.getMessage().contains("IllegalArgumentException"), t.getMessage());
    }

    @Test
    void statedValueForms() {
        SnippetShell.checkStatedValue("0.8415", "0.8414709848078965");
        SnippetShell.checkStatedValue("6.0", "Array(float32[], 6.0)");
        SnippetShell.checkStatedValue("[1.0, 2.5]", "Array(float64[2], [1. , 2.5])".replace("1. ", "1.0"));
        SnippetShell.checkStatedValue("[[1, 2], [3, 4]]", "Array(int32[2,2], [[1, 2],\n       [3, 4]])");
        SnippetShell.checkStatedValue("[true, false]", "boolean[2] { true, false }");
        SnippetShell.checkStatedValue("Pair[first=1, second=2]", "Pair[first=1,  second=2]");
        SnippetShell.checkStatedValue("the sum of x", "6.0");   // prose
        assertThrows(AssertionError.class, () -> SnippetShell.checkStatedValue("0.84", "0.8414709848078965"));
        assertThrows(AssertionError.class, () -> SnippetShell.checkStatedValue("6.0", "Array(float32[1], [6.0])"));
        assertThrows(AssertionError.class, () -> SnippetShell.checkStatedValue("[1.0, 2.0]", "Array(float64[2], [1.0, 2.5])"));
        assertThrows(AssertionError.class, () -> SnippetShell.checkStatedValue("[1.0]", "Array(float64[2], [1.0, 2.5])"));
        assertThrows(AssertionError.class, () -> SnippetShell.checkStatedValue("float32[2]", "Array(float64[2], [1.0, 2.5])"));
        assertThrows(AssertionError.class, () -> SnippetShell.checkStatedValue("true", "false"));
        assertThrows(AssertionError.class, () -> SnippetShell.checkStatedValue("Pair[first=1, second=3]", "Pair[first=1, second=2]"));
        assertThrows(AssertionError.class, () -> SnippetShell.checkStatedValue("abc", "\"abd\""));
    }
}
