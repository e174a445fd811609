package dev.solstice.readme;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;

/**
 * A JShell set up as {@code bin/jshell} sets it up (the startup imports of {@code bin/jshell-startup.jsh}), that
 * runs example code line by line and checks the values its comments state. Shared by the README and Javadoc
 * snippet tests, so that both accept the same comment forms (SNIPPETS.md):
 * <ul>
 * <li>{@code // throws IllegalArgumentException}: the statement ending on that line must throw that exception
 *     (simple or qualified class name);</li>
 * <li>a String value: the comment is the whole printed string;</li>
 * <li>{@code // 6.0}: a number, or a scalar array holding it. A number with three or more decimals is checked to
 *     the digits written (0.8415 means within 0.00005), a shorter one to 1e-6 relative (float32 rounding);</li>
 * <li>{@code // [1.0, 2.0]}: an array (or Java array) whose values, in order, are these numbers (checked as
 *     above) or booleans;</li>
 * <li>{@code // float32[2,3]}: an array of that dtype and shape;</li>
 * <li>{@code // true}, {@code // false}: that boolean;</li>
 * <li>{@code // Name(...)}, {@code // Name[...]}: a value whose printed form starts with the same
 *     {@code Name(} or {@code Name[} must print exactly so (whitespace aside);</li>
 * </ul>
 * any other comment is prose.
 */
final class SnippetShell implements AutoCloseable {
    // a number or an aval that the comment starts with, followed by the end or punctuation
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?(?=$|[,;:)\\s])");
    private static final Pattern AVAL = Pattern.compile("(float32|float64|int32|bool)\\[[\\d,]*](?=$|[,;:\\s])");
    private static final Pattern THROWS = Pattern.compile("throws\\s+([\\w.$]+)\\s*$");
    private static final Pattern NAMED = Pattern.compile("^[A-Za-z_$][\\w$.]*[(\\[]");
    // Array(float64[], 6.0) or Array(float32[2], [1.0, 2.0]): the values after the aval
    private static final Pattern ARRAY_PRINT = Pattern.compile("(?s)^Array\\((\\w+)\\[([\\d,]*)], (.*)\\)$");
    // [1.0, 2.0] or [[1, 2], [3, 4]] or [true]: only numbers and booleans in brackets ([n, n] is prose)
    private static final Pattern VALUES = Pattern.compile(
            "\\[[\\[\\]\\s,]*(-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?|true|false|nan|-?inf|NaN|-?Infinity)([\\[\\]\\s,]*(-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?|true|false|nan|-?inf|NaN|-?Infinity))*[\\]\\s]*]");
    // JShell's form of a Java array: double[2] { 1.0, 2.0 }
    private static final Pattern JAVA_ARRAY = Pattern.compile("(?s)^\\w+\\[\\d+] \\{(.*)}$");
    private static final Pattern ELEMENT = Pattern.compile("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?|true|false|-?nan|-?inf|NaN|-?Infinity");

    private final JShell shell;
    private final ByteArrayOutputStream output;

    private SnippetShell(JShell shell, ByteArrayOutputStream output) {
        this.shell = shell;
        this.output = output;
    }

    /** A fresh JShell with the test class path and {@code bin/jshell-startup.jsh}'s imports. */
    static SnippetShell open(Path repositoryRoot) {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(sink, true, StandardCharsets.UTF_8);
        JShell shell = JShell.builder().executionEngine("local").out(out).err(out).build();
        SnippetShell s = new SnippetShell(shell, sink);
        shell.addToClasspath(System.getProperty("java.class.path"));
        List<String> startup;
        try {
            startup = Files.readAllLines(repositoryRoot.resolve("bin/jshell-startup.jsh"));
        } catch (IOException e) {
            shell.close();
            throw new UncheckedIOException(e);
        }
        StringBuilder imports = new StringBuilder();
        for (String line : startup) {
            if (!line.isBlank() && !line.startsWith("//")) {
                imports.append(line).append('\n');
            }
        }
        s.run(imports.toString(), "bin/jshell-startup.jsh", 1);
        return s;
    }

    /**
     * Feeds the text line by line, evaluating each complete statement and checking what the comment on its
     * last line states. A failure is an AssertionError naming {@code where}, the line ({@code firstLine} is
     * the number of the text's first line) and the whole text.
     */
    void run(String text, String where, int firstLine) {
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        String pending = "";
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String context = where + ":" + (firstLine + i);
            try {
                String comment = comment(line);
                String expectedThrow = null;
                if (comment != null) {
                    Matcher t = THROWS.matcher(comment);
                    if (t.lookingAt()) {
                        expectedThrow = t.group(1);
                    }
                }
                pending = pending.isEmpty() ? line : pending + "\n" + line;
                Result last = null;
                while (true) {
                    SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(pending);
                    if (info.completeness() == SourceCodeAnalysis.Completeness.EMPTY) {
                        pending = "";
                        break;
                    }
                    if (!info.completeness().isComplete()) {
                        break;
                    }
                    last = eval(info.source());
                    pending = info.remaining();
                    if (last.exception != null && (expectedThrow == null || !pending.isBlank())) {
                        throw new AssertionError(info.source().strip() + "\n  threw " + describe(last.exception));
                    }
                }
                if (pending.isBlank()) {
                    pending = "";
                    if (expectedThrow != null) {
                        checkThrown(expectedThrow, last);
                    } else if (last != null && comment != null) {
                        checkStatedValue(comment, last.value);
                    }
                } else if (expectedThrow != null) {
                    throw new AssertionError("'// throws' must end a statement");
                }
            } catch (AssertionError e) {
                throw new AssertionError(context + ": " + line.strip() + "\n  " + e.getMessage()
                        + "\n  in the snippet:\n" + indent(text), e);
            }
        }
        if (!pending.isBlank()) {
            throw new AssertionError(where + ":" + (firstLine + lines.length - 1) + ": an incomplete statement at the end: "
                    + pending + "\n  in the snippet:\n" + indent(text));
        }
    }

    /** What the program printed so far (System.out and System.err of the snippets). */
    String printed() {
        return output.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        shell.close();
    }

    private record Result(String value, JShellException exception) {}

    /** Evaluates one statement: it must compile; returns its value (null for declarations) and any exception. */
    private Result eval(String source) {
        List<SnippetEvent> events = shell.eval(source);
        Result result = new Result(null, null);
        for (SnippetEvent e : events) {
            if (e.causeSnippet() != null) {
                continue;   // an update of a dependent snippet
            }
            if (e.status() != Snippet.Status.VALID) {
                String errors = shell.diagnostics(e.snippet()).filter(Diag::isError)
                        .map(d -> d.getMessage(null)).collect(Collectors.joining("; "));
                throw new AssertionError(source.strip() + "\n  is " + e.status() + ": " + errors);
            }
            result = new Result(e.value(), e.exception());
        }
        return result;
    }

    private static void checkThrown(String expected, Result last) {
        if (last == null || last.exception == null) {
            throw new AssertionError("expected " + expected + " to be thrown, but the statement gave "
                    + (last == null ? "nothing" : last.value));
        }
        String thrown = last.exception instanceof EvalException ev ? ev.getExceptionClassName()
                : last.exception.getClass().getName();
        String simple = thrown.substring(thrown.lastIndexOf('.') + 1);
        simple = simple.substring(simple.lastIndexOf('$') + 1);
        if (!expected.equals(thrown) && !expected.equals(simple)) {
            throw new AssertionError("expected " + expected + " to be thrown, but it threw " + describe(last.exception));
        }
    }

    private static String describe(JShellException e) {
        String name = e instanceof EvalException ev ? ev.getExceptionClassName() : e.getClass().getName();
        return name + ": " + e.getMessage();
    }

    /** The comment of a line ({@code // ...} outside a string literal), stripped, or null. */
    static String comment(String line) {
        boolean inString = false;
        for (int i = 0; i < line.length() - 1; i++) {
            char c = line.charAt(i);
            if (c == '\\' && inString) {
                i++;
            } else if (c == '"') {
                inString = !inString;
            } else if (!inString && c == '/' && line.charAt(i + 1) == '/') {
                return line.substring(i + 2).strip();
            }
        }
        return null;
    }

    /**
     * Checks the value (JShell's printed form, a String in quotes) against what a comment states; the forms
     * are in the class comment. Throws an AssertionError that says what differs.
     */
    static void checkStatedValue(String comment, String value) {
        if (value == null || comment.isEmpty()) {
            return;
        }
        if (value.startsWith("\"")) {
            String printed = value.substring(1, value.length() - 1).replace("\\\"", "\"").replace("\\n", "\n")
                    .replace("\\\\", "\\");
            check(comment.equals(printed), "the comment states \"" + comment + "\" but the string is \"" + printed + "\"");
            return;
        }
        Matcher number = NUMBER.matcher(comment);
        Matcher aval = AVAL.matcher(comment);
        Matcher array = ARRAY_PRINT.matcher(value);
        if (number.lookingAt()) {
            String actual = value;
            if (array.matches()) {
                check(array.group(2).isEmpty(), "the comment states a number but the value is not a scalar: " + value);
                actual = array.group(3);
            }
            double a;
            try {
                a = parse(actual);
            } catch (NumberFormatException e) {
                throw new AssertionError("the comment states a number but the value is " + value);
            }
            check(close(number.group(), a), "the comment states " + number.group() + " but the value is " + value);
        } else if (aval.lookingAt()) {
            check(value.startsWith("Array(" + aval.group() + ", "), "the comment states " + aval.group()
                    + " but the value is " + value);
        } else if (VALUES.matcher(comment).lookingAt()) {
            Matcher javaArray = JAVA_ARRAY.matcher(value);
            String body = array.matches() ? array.group(3) : javaArray.matches() ? javaArray.group(1) : value;
            Matcher values = VALUES.matcher(comment);
            values.lookingAt();
            List<String> stated = elements(values.group());
            List<String> actual = elements(body);
            check(stated.size() == actual.size(), "the comment states " + stated.size() + " values but the value has "
                    + actual.size() + ": " + value);
            for (int i = 0; i < stated.size(); i++) {
                String s = stated.get(i);
                String v = actual.get(i);
                boolean same = s.equals(v) || (isNumber(s) && !v.equals("true") && !v.equals("false") && close(s, parse(v)));
                check(same, "value " + i + ": the comment states " + s + " but it is " + v + " in " + value);
            }
        } else if (comment.equals("true") || comment.equals("false")) {
            check(comment.equals(value), "the comment states " + comment + " but the value is " + value);
        } else {
            Matcher named = NAMED.matcher(comment);
            if (named.lookingAt() && value.startsWith(named.group())) {
                check(squash(comment).equals(squash(value)), "the comment states " + comment + " but the value is " + value);
            }
        }
    }

    private static boolean isNumber(String s) {
        return NUMBER.matcher(s).matches();
    }

    private static List<String> elements(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = ELEMENT.matcher(text);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    private static double parse(String s) {
        return switch (s.strip()) {
            case "nan", "-nan", "NaN" -> Double.NaN;
            case "inf", "Infinity" -> Double.POSITIVE_INFINITY;
            case "-inf", "-Infinity" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s.strip().replaceAll("[LfFdD]$", ""));
        };
    }

    /** The stated number with three or more decimals is checked to its digits, a shorter one to 1e-6 relative. */
    static boolean close(String stated, double actual) {
        BigDecimal s = new BigDecimal(stated);
        double expected = s.doubleValue();
        double tolerance = 1e-6 * Math.max(1, Math.abs(expected));
        int decimals = s.scale();
        if (decimals >= 3) {
            tolerance = Math.max(tolerance, 0.5 * Math.pow(10, -decimals) * (1 + 1e-9));
        }
        return Math.abs(actual - expected) <= tolerance;
    }

    private static String squash(String s) {
        return s.replaceAll("\\s+", " ").strip();
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new AssertionError(message);
        }
    }

    private static String indent(String text) {
        return text.lines().map(l -> "    | " + l).collect(Collectors.joining("\n"));
    }

    /** The repository root: the nearest directory above the working directory with bin/jshell-startup.jsh. */
    static Path repositoryRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("bin/jshell-startup.jsh"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new AssertionError("the repository root (with bin/jshell-startup.jsh) above " + Path.of("").toAbsolutePath());
        }
        return p;
    }
}
