package dev.solstice.demo.train;

import java.io.Console;
import java.io.PrintStream;
import java.util.Locale;

/**
 * The training progress display. On a terminal it redraws a live bar with carriage returns after every update
 * and ends each epoch's line with the epoch's evaluation; in a log (standard output piped or redirected) it
 * prints exactly one line per epoch, with no carriage return, so log files hold one readable record per epoch.
 */
public final class Progress {

    /** How progress is shown. */
    public enum Mode {
        /** {@link #BAR} when the output is standard output and that is a terminal, {@link #LINES} otherwise. */
        AUTO,
        /** A live bar redrawn with carriage returns after every update. */
        BAR,
        /** One line per epoch, written when the epoch ends. */
        LINES;

        /** This mode with {@link #AUTO} decided for {@code out}: never {@link #AUTO}. */
        public Mode resolve(PrintStream out) {
            if (this != AUTO) {
                return this;
            }
            return out == System.out && stdoutIsTerminal() ? BAR : LINES;
        }
    }

    private final Mode mode;
    private final PrintStream out;
    private final int epochs;

    /**
     * A display for a run of {@code epochs} epochs.
     *
     * @param mode how to show progress; {@link Mode#AUTO} is decided here from {@code out}
     * @param out where the progress goes
     * @param epochs the number of epochs, for the {@code epoch i/n} counter
     */
    public Progress(Mode mode, PrintStream out, int epochs) {
        this.mode = mode.resolve(out);
        this.out = out;
        this.epochs = epochs;
    }

    /** The mode in use: {@link Mode#BAR} or {@link Mode#LINES}. */
    public Mode mode() {
        return mode;
    }

    /**
     * Whether the standard input and output are an interactive terminal. {@link System#console()} alone is not
     * enough: on Java 22 to 24 it returns a console even when the output is piped, and only
     * {@link Console#isTerminal()} tells the two apart.
     */
    public static boolean stdoutIsTerminal() {
        Console c = System.console();
        return c != null && c.isTerminal();
    }

    /**
     * Reports an update within an epoch: redraws the bar, or (one line per epoch) does nothing.
     *
     * @param epoch the epoch, from 1
     * @param step the updates done in this epoch, from 1
     * @param steps the updates in this epoch
     * @param loss the mean training loss of this epoch's updates so far
     * @param accuracy the training accuracy of this epoch's updates so far
     * @param examplesPerSecond this epoch's throughput so far
     */
    public void update(int epoch, int step, int steps, double loss, double accuracy, double examplesPerSecond) {
        if (mode == Mode.BAR) {
            out.print("\r" + bar(epoch, step, steps, loss, accuracy, examplesPerSecond));
            out.flush();
        }
    }

    /**
     * Reports the end of an epoch: finishes the bar's line with {@code evaluation}, or prints the epoch's one
     * line (its mean loss, accuracy, time and throughput, then {@code evaluation}).
     *
     * @param epoch the epoch, from 1
     * @param steps the updates in this epoch
     * @param loss the mean training loss of this epoch's updates
     * @param accuracy the training accuracy of this epoch's updates
     * @param seconds the time the updates took
     * @param examplesPerSecond the updates' throughput
     * @param evaluation the end-of-epoch evaluation, appended after {@code " | "}
     */
    public void endEpoch(int epoch, int steps, double loss, double accuracy, double seconds, double examplesPerSecond,
            String evaluation) {
        if (mode == Mode.BAR) {
            out.println("  | " + evaluation);
        } else {
            out.println(String.format(Locale.ROOT, "epoch %s: %d updates, loss %.4f acc %.4f, %.2f s, %.0f ex/s | %s",
                    counter(epoch), steps, loss, accuracy, seconds, examplesPerSecond, evaluation));
        }
        out.flush();
    }

    private String bar(int epoch, int step, int steps, double loss, double accuracy, double examplesPerSecond) {
        int width = 20;
        int filled = (int) Math.round(width * step / (double) steps);
        String bar = "#".repeat(filled) + "-".repeat(width - filled);
        int sw = Integer.toString(steps).length();
        return String.format(Locale.ROOT, "epoch %s [%s] %" + sw + "d/%d loss %.4f acc %.4f %6.0f ex/s", counter(epoch), bar,
                step, steps, loss, accuracy, examplesPerSecond);
    }

    /** {@code i/n}, with {@code i} padded to the width of {@code n} so that the lines align. */
    private String counter(int epoch) {
        return String.format(Locale.ROOT, "%" + Integer.toString(epochs).length() + "d/%d", epoch, epochs);
    }
}
