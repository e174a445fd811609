package dev.solstice.demo;

import dev.solstice.data.Digits;
import dev.solstice.demo.train.Progress;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/**
 * The command line of {@link Train} (picocli): the options, their defaults ({@link Train.Options#defaults()}),
 * their checks and the {@code --help} text.
 */
@Command(name = "bin/demo", customSynopsis = "bin/demo [options]", synopsisHeading = "usage: ",
        descriptionHeading = "%n", optionListHeading = "%noptions (also written --name=value):%n", sortOptions = false,
        usageHelpWidth = 110, exitCodeListHeading = "%nexit status:%n",
        exitCodeList = {"0:success", "1:the reloaded model predicts differently, or the run fails", "2:a usage error"})
final class TrainCommand {
    private static final Train.Options DEFAULTS = Train.Options.defaults();

    @Option(names = "--epochs", paramLabel = "N", converter = PositiveInt.class,
            description = "passes over the training set, a positive integer (default ${DEFAULT-VALUE})")
    private int epochs = DEFAULTS.epochs();

    @Option(names = "--lr", paramLabel = "X", converter = PositiveNumber.class,
            description = "Adam's learning rate, a positive number (default ${DEFAULT-VALUE})")
    private double learningRate = DEFAULTS.learningRate();

    @Option(names = "--seed", paramLabel = "N", converter = AnyInteger.class,
            description = "seed for the split, initialisation, shuffling and probes, an integer (default ${DEFAULT-VALUE})")
    private long seed = DEFAULTS.seed();

    @Option(names = "--out", paramLabel = "DIR", converter = Folder.class,
            description = "output folder, created when missing (default ${DEFAULT-VALUE})")
    private Path out = DEFAULTS.out();

    @Option(names = "--batch-size", paramLabel = "N", converter = PositiveInt.class,
            description = "examples per update, a positive integer (default ${DEFAULT-VALUE})")
    private int batchSize = DEFAULTS.batchSize();

    @Option(names = "--progress", paramLabel = "MODE",
            description = "bar (redrawn on one line), lines (one line per epoch, for logs) or auto: bar when standard "
                    + "output is a terminal, lines otherwise (default auto)")
    private Progress.Mode progress = DEFAULTS.progress();

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "print this text and exit")
    private boolean help;

    private TrainCommand() {}

    /**
     * Parses a command line.
     *
     * @return the options, or empty when {@code --help} was asked for
     * @throws ParameterException for an unknown option, a missing value or a value out of range; the message
     *     names the option and the value
     */
    static Optional<Train.Options> parse(String... args) {
        CommandLine cl = commandLine();
        cl.parseArgs(args);
        if (cl.isUsageHelpRequested()) {
            return Optional.empty();
        }
        TrainCommand c = cl.getCommand();
        return Optional.of(new Train.Options(c.epochs, c.learningRate, c.seed, c.out, c.batchSize, c.progress));
    }

    /** Prints the {@code --help} text to {@code out}, in colour only on a terminal. */
    static void usage(PrintStream out) {
        boolean colour = out == System.out && Progress.stdoutIsTerminal();
        commandLine().usage(out, CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.valueOf(colour)));
    }

    private static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new TrainCommand());
        // as before picocli: a repeated option takes its last value, and '@file' is an argument, not a file to read
        cl.setOverwrittenOptionsAllowed(true);
        cl.setExpandAtFiles(false);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        String description = String.format(Locale.ROOT, """
                Trains a %d-%d-%d relu MLP on the UCI handwritten digits (%d %dx%d images, %d%% held out for testing) \
                with Adam and softmax cross-entropy, showing its progress; prints the test accuracy; saves the model \
                to DIR/digits_mlp.safetensors; writes DIR/loss.png (training and test loss per epoch); reloads the \
                model and checks its predictions; and prints the top %d Hessian eigenvalues (Lanczos, %d steps, \
                Hessian-vector products) and the Hessian trace (Hutchinson, %d Rademacher probes) of the trained loss \
                on %d training examples.""", Digits.FEATURES, Train.WIDTH, Digits.CLASSES, Digits.SIZE, Digits.SIDE,
                Digits.SIDE, Math.round(Train.TEST_FRACTION * 100), Train.TOP_EIGENVALUES, Train.LANCZOS_STEPS,
                Train.HUTCHINSON_PROBES, Train.CURVATURE_BATCH);
        // picocli reads the text as a format string: a literal percent sign is written twice
        cl.getCommandSpec().usageMessage().description(description.replace("%", "%%"));
        return cl;
    }

    /**
     * Parses {@code s} and checks the value.
     *
     * @param what the kind of value expected, for the message ({@code "a positive integer"})
     * @throws TypeConversionException when {@code s} does not parse or the value fails {@code ok}; picocli puts
     *     the option's name in front of the message
     */
    private static <T> T check(String s, Function<String, T> parse, Predicate<T> ok, String what) {
        T v;
        try {
            v = parse.apply(s);
        } catch (IllegalArgumentException e) { // NumberFormatException, InvalidPathException
            v = null;
        }
        if (v == null || !ok.test(v)) {
            throw new TypeConversionException((s.isEmpty() ? "an empty string" : "'" + s + "'") + " is not " + what);
        }
        return v;
    }

    private static final class PositiveInt implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String s) {
            return check(s, Integer::valueOf, v -> v > 0, "a positive integer");
        }
    }

    private static final class PositiveNumber implements ITypeConverter<Double> {
        @Override
        public Double convert(String s) {
            return check(s, Double::valueOf, v -> v > 0 && Double.isFinite(v), "a positive number");
        }
    }

    private static final class AnyInteger implements ITypeConverter<Long> {
        @Override
        public Long convert(String s) {
            return check(s, Long::valueOf, v -> true, "an integer");
        }
    }

    private static final class Folder implements ITypeConverter<Path> {
        @Override
        public Path convert(String s) {
            return check(s, Path::of, p -> !s.isBlank(), "a folder name");
        }
    }
}
