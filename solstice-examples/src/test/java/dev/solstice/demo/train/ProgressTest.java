package dev.solstice.demo.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The two progress displays, written out in full, and how {@code auto} chooses between them. */
class ProgressTest {

    /** Two epochs of two updates each, shown in {@code mode}. */
    private static String twoEpochs(Progress.Mode mode) {
        return capture(out -> {
            Progress p = new Progress(mode, out, 2);
            for (int epoch = 1; epoch <= 2; epoch++) {
                p.update(epoch, 1, 2, 0.5 / epoch, 0.25, 100);
                p.update(epoch, 2, 2, 0.25 / epoch, 0.5, 200);
                p.endEpoch(epoch, 2, 0.25 / epoch, 0.5, 1.5, 200, "eval " + epoch);
            }
        });
    }

    private static String capture(Consumer<PrintStream> body) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        body.accept(new PrintStream(buf, true, StandardCharsets.UTF_8));
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void barIsRedrawnAfterEveryUpdateAndEndsWithTheEvaluation() {
        String n = System.lineSeparator();
        assertEquals("\repoch 1/2 [##########----------] 1/2 loss 0.5000 acc 0.2500    100 ex/s"
                + "\repoch 1/2 [####################] 2/2 loss 0.2500 acc 0.5000    200 ex/s  | eval 1" + n
                + "\repoch 2/2 [##########----------] 1/2 loss 0.2500 acc 0.2500    100 ex/s"
                + "\repoch 2/2 [####################] 2/2 loss 0.1250 acc 0.5000    200 ex/s  | eval 2" + n,
                twoEpochs(Progress.Mode.BAR));
    }

    @Test
    void linesGiveOneLinePerEpochWithoutCarriageReturns() {
        String n = System.lineSeparator();
        assertEquals("epoch 1/2: 2 updates, loss 0.2500 acc 0.5000, 1.50 s, 200 ex/s | eval 1" + n
                + "epoch 2/2: 2 updates, loss 0.1250 acc 0.5000, 1.50 s, 200 ex/s | eval 2" + n,
                twoEpochs(Progress.Mode.LINES));
    }

    @Test
    void epochCountersArePaddedToTheWidthOfTheTotal() {
        String s = capture(out -> new Progress(Progress.Mode.LINES, out, 120).endEpoch(7, 1, 1, 1, 1, 1, "e"));
        assertEquals("epoch   7/120: ", s.substring(0, 15));
    }

    @Test
    void autoIsLinesForAnyStreamButStandardOutput() {
        String s = capture(out -> {
            Progress p = new Progress(Progress.Mode.AUTO, out, 1);
            assertEquals(Progress.Mode.LINES, p.mode());
        });
        assertEquals("", s);
        assertEquals(Progress.Mode.BAR, Progress.Mode.BAR.resolve(System.out));
        assertEquals(Progress.Mode.LINES, Progress.Mode.LINES.resolve(System.out));
    }
}
