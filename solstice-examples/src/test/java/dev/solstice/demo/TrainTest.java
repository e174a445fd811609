package dev.solstice.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.Jnp;
import dev.solstice.Prng;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training job end to end (few epochs) and its command line. */
class TrainTest {

    @Test
    void trainsSavesPlotsReloadsAndMeasuresCurvature(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        Path folder = dir.resolve("run");
        Train.Result r = Train.train(new Train.Options(2, 1e-2, 0, folder, 64), out);
        String text = buf.toString(StandardCharsets.UTF_8);
        assertTrue(r.testAccuracy() > 0.5, "accuracy " + r.testAccuracy() + "\n" + text);
        assertTrue(r.reloadIdentical(), text);
        assertTrue(text.contains("identical (bit for bit): PASS"), text);
        assertTrue(text.contains("\repoch 2/2"), "progress bar: " + text);
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

    @Test
    void hutchinsonIsExactForADiagonalHessianAndUnbiasedOtherwise() {
        // f(x) = 1/2 x^T A x has Hessian A; for diagonal A every Rademacher probe gives z^T A z = trace(A)
        double[] diag = {1, -2, 3.5, 0.25, 7};
        double[] full = new double[25];
        for (int i = 0; i < 5; i++) {
            full[i * 5 + i] = diag[i];
        }
        Array d = Array.of(full, 5, 5);
        UnaryOperator<Array> fd = x -> Jnp.multiply(Jnp.dot(x, Jnp.matmul(d, x)), 0.5);
        double[] q = Train.hutchinson(fd, Array.of(new double[5]), Prng.key(1), 16);
        for (double v : q) {
            assertEquals(9.75, v, 1e-12);
        }
        // a dense symmetric A: the mean of many probes is within a few standard errors of the trace
        int n = 8;
        double[] a = new double[n * n];
        double trace = 0;
        double offSq = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double v = Math.sin(1 + i * 7 + j * 3);
                a[i * n + j] = v;
                a[j * n + i] = v;
                if (i == j) {
                    trace += v;
                } else {
                    offSq += 2 * v * v;
                }
            }
        }
        Array m = Array.of(a, n, n);
        UnaryOperator<Array> f = x -> Jnp.multiply(Jnp.dot(x, Jnp.matmul(m, x)), 0.5);
        int probes = 400;
        double[] r = Train.hutchinson(f, Array.of(new double[n]), Prng.key(2), probes);
        double mean = java.util.Arrays.stream(r).average().orElseThrow();
        double stderr = Math.sqrt(2 * offSq / probes); // Var(z^T A z) = 2 sum_{i != j} A_ij^2 for Rademacher z
        assertTrue(Math.abs(mean - trace) < 5 * stderr, "mean " + mean + " trace " + trace + " stderr " + stderr);
    }

    @Test
    void optionsAreParsedAndBadOnesRefusedClearly() throws Exception {
        Train.Options o = Train.parse(new String[] {"--epochs", "3", "--lr=0.5", "--seed", "-7", "--out", "x/y",
                "--batch-size", "16"});
        assertEquals(new Train.Options(3, 0.5, -7, Path.of("x/y"), 16), o);
        assertEquals(Train.Options.defaults(), Train.parse(new String[0]));
        assertNull(Train.parse(new String[] {"--epochs", "3", "--help"}));
        String m = assertThrows(Train.UsageException.class, () -> Train.parse(new String[] {"--epochs", "zero"})).getMessage();
        assertTrue(m.contains("--epochs") && m.contains("'zero'"), m);
        m = assertThrows(Train.UsageException.class, () -> Train.parse(new String[] {"--epochs", "0"})).getMessage();
        assertTrue(m.contains("positive"), m);
        m = assertThrows(Train.UsageException.class, () -> Train.parse(new String[] {"--lr", "-1"})).getMessage();
        assertTrue(m.contains("--lr"), m);
        m = assertThrows(Train.UsageException.class, () -> Train.parse(new String[] {"--lr", "NaN"})).getMessage();
        assertTrue(m.contains("--lr"), m);
        m = assertThrows(Train.UsageException.class, () -> Train.parse(new String[] {"--seed"})).getMessage();
        assertTrue(m.contains("--seed needs a value"), m);
        m = assertThrows(Train.UsageException.class, () -> Train.parse(new String[] {"--frobnicate"})).getMessage();
        assertTrue(m.contains("unknown option '--frobnicate'"), m);

        ByteArrayOutputStream o1 = new ByteArrayOutputStream();
        ByteArrayOutputStream e1 = new ByteArrayOutputStream();
        assertEquals(0, Train.run(new String[] {"--help"}, new PrintStream(o1, true, StandardCharsets.UTF_8),
                new PrintStream(e1, true, StandardCharsets.UTF_8)));
        String help = o1.toString(StandardCharsets.UTF_8);
        for (String opt : new String[] {"--epochs", "--lr", "--seed", "--out", "--batch-size", "--help"}) {
            assertTrue(help.contains(opt), help);
        }
        ByteArrayOutputStream o2 = new ByteArrayOutputStream();
        ByteArrayOutputStream e2 = new ByteArrayOutputStream();
        assertEquals(2, Train.run(new String[] {"--epochs", "-1"}, new PrintStream(o2, true, StandardCharsets.UTF_8),
                new PrintStream(e2, true, StandardCharsets.UTF_8)));
        assertTrue(e2.toString(StandardCharsets.UTF_8).contains("train: --epochs needs a positive integer"), e2.toString());
    }
}
