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
            "Argnums.java", "Array.java", "CheckpointPolicy.java", "CustomVjpFwd.java", "DType.java", "EighResult.java",
            "Eqx.java", "EqxRuntimeError.java", "Fn3.java", "Hessian.java", "IfArray.java", "InAxes.java", "Index.java",
            "Jax.java", "JitOptions.java", "Jitted.java", "JittedArray.java", "JvpResult.java", "Lax.java",
            "LinearizeResult.java", "LuFactors.java", "Pair.java", "Prng.java", "Scan.java", "ScanOptions.java",
            "ScanStep.java", "SlogDet.java", "Solstice.java", "TopK.java", "TreeJacobian.java", "Triple.java",
            "ValueAndGrad.java", "ValueAndGradAux.java", "VjpResult.java", "WhileKind.java", "WithAux.java");

    // a declaration, possibly after a one-line Javadoc on the same line ("/** {@code x < y}. */ public static ...")
    private static final String START = "^\\s*(/\\*\\*.*\\*/\\s*)?public";
    private static final Pattern TYPE = Pattern.compile(START
            + "\\s+((static|final|sealed|non-sealed|abstract)\\s+)*(class|record|enum|interface)\\s+(\\w+)");
    // modifiers, type parameters, a return type, then the name (group 5) and "("; a constructor has no return type
    private static final Pattern METHOD = Pattern.compile(START
            + "\\s+((static|final|abstract|default|synchronized)\\s+)*(<[^(]*>\\s+)?[\\w.\\[\\]<>,?\\s]*?[\\w\\]>]\\s+(\\w+)\\s*\\(");
    private static final Pattern INTERFACE = Pattern.compile("^public\\s+((sealed|non-sealed)\\s+)?interface\\b");
    private static final Pattern IMPLICIT = Pattern.compile("^(    (?:/\\*\\*.*\\*/\\s*)?)((static|default|record|enum|class|interface)\\b)");
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
        boolean isInterface = lines.stream().anyMatch(l -> INTERFACE.matcher(l).lookingAt());
        for (int i = 0; i < lines.size(); i++) {
            // an interface's members are public without the word
            String line = isInterface ? IMPLICIT.matcher(lines.get(i)).replaceFirst("$1public $2") : lines.get(i);
            Matcher type = TYPE.matcher(line);
            Matcher method = METHOD.matcher(line);
            boolean declares = type.lookingAt() || (method.lookingAt() && !EXEMPT.contains(method.group(5)));
            String doc = line.strip().startsWith("/**") ? line : javadocBefore(lines, i);
            if (declares && !doc.contains("{@snippet")) {
                out.add(file + ":" + (i + 1) + ": " + lines.get(i).strip());
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
    void countsAnInterfacesMembersAsPublic() {
        List<String> source = List.of(
                "public sealed interface I {",
                "    /** Documented. */",
                "    record At(int i) implements I {}",
                "    /** {@code :}. */",
                "    static I all() { return null; }",
                "        static int notAMember = 0;");
        assertEquals(List.of("I.java:1: public sealed interface I {", "I.java:3: record At(int i) implements I {}",
                "I.java:5: static I all() { return null; }"), withoutExample(source, "I.java"));
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
