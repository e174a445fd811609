package dev.solstice.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.Jnp;
import dev.solstice.Prng;
import dev.solstice.demo.train.Progress;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.ParameterException;

/** The training job end to end (few epochs) and its command line. */
class TrainTest {

    @Test
    void trainsSavesPlotsReloadsAndMeasuresCurvature(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        Path folder = dir.resolve("run");
        Train.Result r = Train.train(new Train.Options(2, 1e-2, 0, folder, 64, Progress.Mode.BAR), out);
        String text = buf.toString(StandardCharsets.UTF_8);
        assertTrue(r.reloadIdentical(), text);
        assertTrue(text.contains("identical (bit for bit): PASS"), text);
        assertTrue(text.contains("\repoch 2/2 [####################] 23/23 loss"), "progress bar: " + text);
        long barLines = Arrays.stream(text.split("\n", -1)).filter(l -> l.startsWith("\repoch ")).count();
        assertEquals(2, barLines, "a bar line per epoch: " + text);
        assertTrue(text.contains("ex/s"), text);
        assertTrue(text.contains("final test accuracy"), text);
        assertEquals(2, r.trainLoss().length);
        assertTrue(r.trainLoss()[1] < r.trainLoss()[0], "the training loss falls");
        assertTrue(Files.size(r.modelFile()) > 4810 * 4);
        BufferedImage img = ImageIO.read(r.plotFile().toFile());
        assertNotNull(img, "the PNG decodes");
        assertEquals(800, img.getWidth());
        assertEquals(500, img.getHeight());
        assertEquals(5, r.topEigenvalues().length);
        for (int i = 0; i < 5; i++) {
            assertTrue(Double.isFinite(r.topEigenvalues()[i]));
            if (i > 0) {
                assertTrue(r.topEigenvalues()[i] <= r.topEigenvalues()[i - 1]);
            }
        }
        assertTrue(r.topEigenvalues()[0] > 0, "the top eigenvalue of a cross-entropy Hessian is positive");
        // the trace is at least roughly the sum of the top eigenvalues' positive part (the rest is near PSD)
        assertTrue(Double.isFinite(r.hessianTrace()) && r.hessianTrace() > 0, "trace " + r.hessianTrace());
        assertTrue(r.hessianTraceStdErr() >= 0);
    }

    /** The README's claim: with the default options (30 epochs) the test accuracy is at least 95%. */
    @Test
    void theDefaultOptionsReachTheAccuracyTheReadmeStates(@TempDir Path dir) throws Exception {
        Train.Options d = Train.Options.defaults();
        Train.Options o = new Train.Options(d.epochs(), d.learningRate(), d.seed(), dir.resolve("run"), d.batchSize(),
                Progress.Mode.LINES);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        Train.Result r = Train.train(o, quiet);
        assertTrue(r.testAccuracy() >= 0.95, "the README states above 95%; got " + r.testAccuracy());
    }

    @Test
    void withStandardOutputPipedTheProgressIsOneLinePerEpoch(@TempDir Path dir) throws Exception {
        // a separate JVM whose standard output is a pipe, as in a log: the default (--progress auto) must see
        // that it is no terminal (System.console() is not null there on Java 22-24, hence the isTerminal check)
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g", "-cp",
                System.getProperty("java.class.path"), Train.class.getName(), "--epochs", "2", "--out",
                dir.resolve("run").toString()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), text);
        assertEquals(-1, text.indexOf('\r'), "no carriage return: " + text);
        List<String> epochs = text.lines().filter(l -> l.startsWith("epoch ")).toList();
        assertEquals(2, epochs.size(), text);
        for (int i = 0; i < 2; i++) {
            assertTrue(epochs.get(i).matches("epoch " + (i + 1) + "/2: 23 updates, loss [0-9.]+ acc [0-9.]+, [0-9.]+ s, "
                    + "[0-9]+ ex/s \\| train loss [0-9.]+ acc [0-9.]+ \\| test loss [0-9.]+ acc [0-9.]+"), epochs.get(i));
        }
        assertEquals(text.lines().count(), text.lines().distinct().count(), "no line repeated: " + text);
        assertTrue(text.contains("identical (bit for bit): PASS"), text);
    }

    @Test
    void optionsAreParsedAndBadOnesRefusedClearly() {
        Train.Options o = TrainCommand.parse("--epochs", "3", "--lr=0.5", "--seed", "-7", "--out", "x/y", "--batch-size",
                "16", "--progress=LINES").orElseThrow();
        assertEquals(new Train.Options(3, 0.5, -7, Path.of("x/y"), 16, Progress.Mode.LINES), o);
        assertEquals(Train.Options.defaults(), TrainCommand.parse().orElseThrow());
        assertEquals(new Train.Options(30, 1e-2, 0, Path.of("out"), 64, Progress.Mode.AUTO), Train.Options.defaults());
        assertEquals(Progress.Mode.BAR, TrainCommand.parse("--progress", "bar").orElseThrow().progress());
        assertEquals(5, TrainCommand.parse("--epochs=4", "--epochs", "5").orElseThrow().epochs(), "the last value wins");
        assertEquals(Path.of("@x"), TrainCommand.parse("--out", "@x").orElseThrow().out(), "no argument files");
        assertTrue(TrainCommand.parse("--epochs", "3", "--help").isEmpty());
        assertTrue(TrainCommand.parse("-h").isEmpty());
        refused(List.of("--epochs", "zero"), "--epochs", "'zero' is not a positive integer");
        refused(List.of("--epochs", "0"), "--epochs", "'0' is not a positive integer");
        refused(List.of("--batch-size=-3"), "--batch-size", "'-3' is not a positive integer");
        refused(List.of("--lr", "-1"), "--lr", "'-1' is not a positive number");
        refused(List.of("--lr", "NaN"), "--lr", "'NaN' is not a positive number");
        refused(List.of("--lr", "Infinity"), "--lr", "'Infinity' is not a positive number");
        refused(List.of("--seed", "1.5"), "--seed", "'1.5' is not an integer");
        refused(List.of("--seed"), "--seed", "Missing required parameter");
        refused(List.of("--out="), "--out", "an empty string is not a folder name");
        refused(List.of("--out", " "), "--out", "' ' is not a folder name");
        refused(List.of("--progress", "sometimes"), "--progress", "'sometimes'");
        refused(List.of("--frobnicate"), "Unknown option: '--frobnicate'");
        refused(List.of("extra"), "'extra'");

        Run help = Run.of("--help");
        assertEquals(0, help.status());
        for (String opt : new String[] {"--epochs", "--lr", "--seed", "--out", "--batch-size", "--progress", "--help",
                "default 30", "default 0.01", "default 64", "default out", "20% held out", "exit status"}) {
            assertTrue(help.out().contains(opt), help.out());
        }
        assertEquals("", help.err());
        Run bad = Run.of("--epochs", "-1");
        assertEquals(2, bad.status());
        assertEquals("", bad.out());
        assertTrue(bad.err().startsWith("train: ") && bad.err().contains("--epochs")
                && bad.err().contains("'-1' is not a positive integer") && bad.err().contains("run with --help"), bad.err());
    }

    /** Checks that {@code args} are refused with a message that contains each of {@code fragments}. */
    private static void refused(List<String> args, String... fragments) {
        String m = assertThrows(ParameterException.class, () -> TrainCommand.parse(args.toArray(String[]::new)))
                .getMessage();
        for (String f : fragments) {
            assertTrue(m.contains(f), "'" + f + "' in: " + m);
        }
    }

    /** The exit status and the text printed by {@link Train#run}. */
    private record Run(int status, String out, String err) {
        static Run of(String... args) {
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            ByteArrayOutputStream e = new ByteArrayOutputStream();
            int status = Train.run(args, new PrintStream(o, true, StandardCharsets.UTF_8),
                    new PrintStream(e, true, StandardCharsets.UTF_8));
            return new Run(status, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        }
    }
}
