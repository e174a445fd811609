package dev.solstice.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every public type and public method of the classes in {@link #COVERED} has a runnable example (a
 * {@code {@snippet lang=java :}} in its own Javadoc, which {@link JavadocSnippetsTest} runs). The list grows as
 * examples are written; a class joins it once all of its public members have one. Constructors, and
 * {@code equals}/{@code hashCode}/{@code toString}, are not required to.
 */
class JavadocExamplesCoverageTest {
    /** Source files (under solstice/src/main/java/dev/solstice) whose every public type and method has an example. */
    static final List<String> COVERED = List.of(
            "Argnums.java", "Array.java", "CheckpointPolicy.java", "DType.java", "Eqx.java", "Hessian.java", "InAxes.java",
            "Jax.java", "JitOptions.java", "Jitted.java", "JittedArray.java", "Lax.java", "Pair.java", "Prng.java",
            "ScanOptions.java", "Solstice.java", "TreeJacobian.java", "Triple.java");

    // a declaration, possibly after a one-line Javadoc on the same line ("/** {@code x < y}. */ public static ...")
    private static final String START = "^\\s*(/\\*\\*.*\\*/\\s*)?public";
    private static final Pattern TYPE = Pattern.compile(START
            + "\\s+((static|final|sealed|non-sealed|abstract)\\s+)*(class|record|enum|interface)\\s+(\\w+)");
    // modifiers, type parameters, a return type, then the name (group 5) and "("; a constructor has no return type
    private static final Pattern METHOD = Pattern.compile(START
            + "\\s+((static|final|abstract|default|synchronized)\\s+)*(<[^(]*>\\s+)?[\\w.\\[\\]<>,?\\s]*?[\\w\\]>]\\s+(\\w+)\\s*\\(");
    private static final List<String> EXEMPT = List.of("equals", "hashCode", "toString");

    @Test
    void everyPublicTypeAndMethodOfACoveredClassHasAnExample() throws IOException {
        Path dir = SnippetShell.repositoryRoot().resolve("solstice/src/main/java/dev/solstice");
        List<String> missing = new ArrayList<>();
        for (String file : COVERED) {
            missing.addAll(withoutExample(Files.readAllLines(dir.resolve(file)), file));
        }
        assertTrue(missing.isEmpty(), missing.size() + " public members of covered classes have no {@snippet} example:\n"
                + String.join("\n", missing));
    }

    /** The public types and methods (as "File.java:line: declaration") whose Javadoc has no {@code {@snippet}}. */
    static List<String> withoutExample(List<String> lines, String file) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher type = TYPE.matcher(line);
            Matcher method = METHOD.matcher(line);
            boolean declares = type.lookingAt() || (method.lookingAt() && !EXEMPT.contains(method.group(5)));
            String doc = line.strip().startsWith("/**") ? line : javadocBefore(lines, i);
            if (declares && !doc.contains("{@snippet")) {
                out.add(file + ":" + (i + 1) + ": " + line.strip());
            }
        }
        return out;
    }

    /** The Javadoc comment that ends just above line i (annotations and blank lines skipped), or "". */
    private static String javadocBefore(List<String> lines, int i) {
        int end = i - 1;
        while (end >= 0 && (lines.get(end).isBlank() || lines.get(end).strip().startsWith("@"))) {
            end--;
        }
        if (end < 0 || !lines.get(end).strip().endsWith("*/")) {
            return "";
        }
        int start = end;
        while (start >= 0 && !lines.get(start).contains("/**")) {
            start--;
        }
        return start < 0 ? "" : String.join("\n", lines.subList(start, end + 1));
    }

    @Test
    void findsTheMembersWithoutAnExample() {
        List<String> source = List.of(
                "/** A. {@snippet lang=java :",
                " * 1 + 1  // 2",
                " * }",
                " */",
                "public final class A {",
                "    /** No example. */",
                "    public static <T> List<T> f(T x) {",
                "    /** With one. {@snippet lang=java :",
                " * 1  // 1",
                " * } */",
                "    @Deprecated",
                "    public int[] g() {",
                "    public A(int x) {",
                "    @Override",
                "    public String toString() {",
                "    public record R(int x) {}",
                "    /** {@code x < y}. */ public static Array less(Array x, Array y) { return x; }");
        assertEquals(List.of("A.java:7: public static <T> List<T> f(T x) {", "A.java:16: public record R(int x) {}",
                "A.java:17: /** {@code x < y}. */ public static Array less(Array x, Array y) { return x; }"),
                withoutExample(source, "A.java"));
    }
}
