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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every public type and public method of the classes in {@link #COVERED} has a runnable example (a
 * {@code {@snippet lang=java :}} in its own Javadoc, which {@link JavadocSnippetsTest} runs). The list grows as
 * examples are written; a class joins it once all of its public members have one. Constructors, and
 * {@code equals}/{@code hashCode}/{@code toString}, are not required to; nor are the methods of a type that the
 * Javadoc site does not show (a user cannot name it): an anonymous class ({@code new GradientTransformation<>() {}
 * with its {@code init}/{@code update} overrides) or a private nested class. Such a method's enclosing body is
 * found by indentation (the nearest line above it that is indented less), as the sources are formatted.
 */
class JavadocExamplesCoverageTest {
    /**
     * The packages (folders under solstice/src/main/java/dev/solstice, "" for dev.solstice itself) whose every
     * source file's public types and methods have an example: those the Javadoc site documents (solstice/pom.xml's
     * maven-javadoc-plugin excludes the others).
     */
    static final List<String> COVERED = List.of("", "tree", "nn", "optim", "io", "random", "data", "curvature");

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
    // the line that opens a body no Javadoc page shows: an anonymous class ("new Name<>(...) {") or a private type
    private static final Pattern HIDDEN_BODY = Pattern.compile(
            "^(.*\\bnew\\s+[\\w.]+\\s*(<[^(]*>)?\\s*\\(.*\\)\\s*\\{"
            + "|\\s*private\\s+((static|final|sealed|non-sealed|abstract)\\s+)*(class|record|enum|interface)\\b.*)$");

    @Test
    void everyPublicTypeAndMethodOfACoveredClassHasAnExample() throws IOException {
        Path dir = SnippetShell.repositoryRoot().resolve("solstice/src/main/java/dev/solstice");
        List<String> missing = new ArrayList<>();
        for (String pkg : COVERED) {
            List<Path> files;
            try (Stream<Path> list = Files.list(dir.resolve(pkg))) {
                files = list.filter(p -> p.toString().endsWith(".java")).sorted().toList();
            }
            for (Path file : files) {
                missing.addAll(withoutExample(Files.readAllLines(file), dir.relativize(file).toString()));
            }
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
            boolean declares = type.lookingAt() || (method.lookingAt() && !EXEMPT.contains(method.group(5))
                    && !HIDDEN_BODY.matcher(enclosingOpener(lines, i)).matches());
            String doc = line.strip().startsWith("/**") ? line : javadocBefore(lines, i);
            if (declares && !doc.contains("{@snippet")) {
                out.add(file + ":" + (i + 1) + ": " + lines.get(i).strip());
            }
        }
        return out;
    }

    /** The nearest line above line i that is indented less than it (the line opening its enclosing body), or "". */
    private static String enclosingOpener(List<String> lines, int i) {
        int indent = indentOf(lines.get(i));
        for (int j = i - 1; j >= 0; j--) {
            if (!lines.get(j).isBlank() && indentOf(lines.get(j)) < indent) {
                return lines.get(j);
            }
        }
        return "";
    }

    private static int indentOf(String line) {
        return line.length() - line.stripLeading().length();
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

    /** {@link #COVERED} is exactly the packages the Javadoc site documents: those pom.xml does not exclude. */
    @Test
    void coversEveryPackageTheJavadocSiteDocuments() throws IOException {
        Path root = SnippetShell.repositoryRoot();
        Matcher m = Pattern.compile("<excludePackageNames>([^<]*)</excludePackageNames>")
                .matcher(Files.readString(root.resolve("solstice/pom.xml")));
        assertTrue(m.find(), "solstice/pom.xml configures maven-javadoc-plugin's excludePackageNames");
        List<String> excluded = List.of(m.group(1).strip().split("\\s*:\\s*"));
        Path base = root.resolve("solstice/src/main/java/dev/solstice");
        List<String> documented;
        try (Stream<Path> walk = Files.walk(base)) {
            documented = walk.filter(Files::isDirectory)
                    .map(d -> base.relativize(d).toString().replace('/', '.'))
                    .filter(pkg -> excluded.stream().noneMatch(x -> excludes(x, pkg.isEmpty() ? "dev.solstice" : "dev.solstice." + pkg)))
                    .sorted().toList();
        }
        assertEquals(documented, COVERED.stream().sorted().toList());
    }

    /** Whether a javadoc exclusion pattern ({@code a.b} or {@code a.b.*}, the latter covering subpackages) names pkg. */
    private static boolean excludes(String pattern, String pkg) {
        return pattern.endsWith(".*") ? pkg.startsWith(pattern.substring(0, pattern.length() - 1)) : pattern.equals(pkg);
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
                "    /** {@code x < y}. */ public static Array less(Array x, Array y) { return x; }",
                "    static Runnable r() {",
                "        return new Runnable() {",
                "            @Override",
                "            public void run() {}",
                "        };",
                "    }",
                "    private static final class Hidden {",
                "        public int size() { return 0; }",
                "    }",
                "    public record Shown(int x) {",
                "        public int twice() { return 2 * x; }",
                "    }");
        assertEquals(List.of("A.java:7: public static <T> List<T> f(T x) {", "A.java:16: public record R(int x) {}",
                "A.java:17: /** {@code x < y}. */ public static Array less(Array x, Array y) { return x; }",
                "A.java:27: public record Shown(int x) {", "A.java:28: public int twice() { return 2 * x; }"),
                withoutExample(source, "A.java"));
    }
}
