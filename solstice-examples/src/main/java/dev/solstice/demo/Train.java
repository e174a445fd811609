package dev.solstice.demo;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Eqx;
import dev.solstice.Index;
import dev.solstice.Jax;
import dev.solstice.Jitted;
import dev.solstice.Jnp;
import dev.solstice.Nn;
import dev.solstice.Prng;
import dev.solstice.ValueAndGradAux;
import dev.solstice.WithAux;
import dev.solstice.curvature.Curvature;
import dev.solstice.curvature.Eigen;
import dev.solstice.curvature.TraceEstimate;
import dev.solstice.data.Batches;
import dev.solstice.data.Digits;
import dev.solstice.demo.train.LossPlot;
import dev.solstice.demo.train.Progress;
import dev.solstice.io.TreeFiles;
import dev.solstice.nn.MLP;
import dev.solstice.optim.GradientTransformation;
import dev.solstice.optim.Losses;
import dev.solstice.optim.Optim;
import dev.solstice.optim.Update;
import dev.solstice.tree.Tree;
import java.awt.Color;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import picocli.CommandLine.ParameterException;

/**
 * The training demo: a small MLP (64-64-10, relu) learns the UCI handwritten digits ({@link Digits}, 1797
 * 8x8 images; 20% held out as a test set) with Adam ({@link Optim#adam}) on the mean softmax cross-entropy
 * of mini-batches. The per-example loss is vectorised with {@link Jax#vmap} and differentiated with
 * {@link Eqx#filterValueAndGradWithAux} (the logits come back as auxiliary output, for the running accuracy);
 * the progress ({@link Progress}) shows epoch, loss, accuracy and throughput: on a terminal as a live bar
 * redrawn after every update, in a log (standard output piped or redirected) as one line per epoch.
 *
 * <p>Afterwards it prints the test accuracy, saves the model as safetensors ({@link Eqx#treeSerialiseLeaves},
 * the format of {@link TreeFiles}), writes a PNG of the training and test loss per epoch, loads the model back
 * and checks that its predictions are identical, and prints a curvature summary of the trained loss on a fixed
 * batch of training examples, as a function of the raveled parameters ({@link Tree#ravel}, in float64): the
 * top 5 Hessian eigenvalues by Lanczos with Hessian-vector products ({@link Jax#hvp}) and the Hessian trace by
 * Hutchinson's estimator with Rademacher probes drawn from {@link Prng}.
 *
 * <p>Exit status: 0 on success, 1 when the reloaded model's predictions differ or a step fails, 2 for a usage
 * error. Run {@code bin/demo --help} for the options (the command line is {@code TrainCommand}).
 */
public final class Train {
    private Train() {}

    /** Hidden width of the MLP. */
    public static final int WIDTH = 64;
    /** The fraction of examples held out as the test set. */
    public static final double TEST_FRACTION = 0.2;
    /** Number of Lanczos steps for the Hessian spectrum. */
    public static final int LANCZOS_STEPS = 25;
    /** Number of Hessian eigenvalues reported. */
    public static final int TOP_EIGENVALUES = 5;
    /** Number of Rademacher probes for Hutchinson's trace estimate. */
    public static final int HUTCHINSON_PROBES = 32;
    /** Size of the fixed batch of training examples on which the curvature is measured. */
    public static final int CURVATURE_BATCH = 256;

    /**
     * The options of a run.
     *
     * @param epochs passes over the training set, positive
     * @param learningRate Adam's learning rate, positive
     * @param seed seeds the split, the initialisation, the shuffling and the probes
     * @param out the output folder (created when missing)
     * @param batchSize examples per update, positive
     * @param progress how progress is shown: a live bar, one line per epoch, or chosen by whether standard
     *     output is a terminal
     */
    public record Options(int epochs, double learningRate, long seed, Path out, int batchSize, Progress.Mode progress) {
        /**
         * The defaults: 30 epochs, learning rate 1e-2, seed 0, folder {@code out}, batches of 64, progress shown
         * as a bar on a terminal and as lines otherwise.
         */
        public static Options defaults() {
            return new Options(30, 1e-2, 0, Path.of("out"), 64, Progress.Mode.AUTO);
        }
    }

    /**
     * What a run produced.
     *
     * @param testAccuracy the final accuracy on the held-out examples
     * @param testLoss the final mean cross-entropy on the held-out examples
     * @param trainLoss the mean cross-entropy on the training set after each epoch
     * @param testLossCurve the mean cross-entropy on the test set after each epoch
     * @param modelFile the saved model (safetensors)
     * @param plotFile the PNG of the loss curves
     * @param reloadIdentical whether the reloaded model gave bit-for-bit the same logits
     * @param topEigenvalues the largest Hessian eigenvalues (Lanczos Ritz values), descending
     * @param hessianTrace Hutchinson's estimate of the Hessian trace
     * @param hessianTraceStdErr the standard error of that estimate
     * @param trainSeconds wall-clock seconds spent in training (updates and per-epoch evaluation)
     * @param totalSeconds wall-clock seconds of the whole run
     */
    public record Result(double testAccuracy, double testLoss, double[] trainLoss, double[] testLossCurve, Path modelFile,
            Path plotFile, boolean reloadIdentical, double[] topEigenvalues, double hessianTrace, double hessianTraceStdErr,
            double trainSeconds, double totalSeconds) {}

    /**
     * Runs the job and exits with its status.
     *
     * @param args the options; {@code --help} lists them
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Parses the options and runs the job, printing progress and results to {@code out} and errors to
     * {@code err}. Under {@code --progress auto} (the default) the live bar is shown only when {@code out} is
     * {@link System#out} and that is a terminal; otherwise progress is one line per epoch.
     *
     * @return 0 on success, 1 when the reload check fails or the run fails, 2 for a usage error
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Optional<Options> o;
        try {
            o = TrainCommand.parse(args);
        } catch (ParameterException e) {
            err.println("train: " + e.getMessage());
            err.println("run with --help for the options");
            return 2;
        }
        if (o.isEmpty()) {
            TrainCommand.usage(out);
            return 0;
        }
        try {
            Result r = train(o.get(), out);
            return r.reloadIdentical() ? 0 : 1;
        } catch (IOException | RuntimeException e) {
            err.println("train: failed: " + e);
            return 1;
        }
    }

    // ---- the update step, jitted --------------------------------------------------------------------------

    /** What one update reads: the model, the optimiser state and a batch (all arrays traced under jit). */
    record StepInput(MLP model, Optim.ChainState opt, Array images, Array labels) {}

    /** What one update gives: the new model and optimiser state, the batch's mean loss and its logits. */
    record Stepped(MLP model, Optim.ChainState opt, Array loss, Array logits) {}

    /** One Adam update on a batch: the gradient of the mean cross-entropy, the optimiser, the new parameters. */
    static Stepped update(GradientTransformation<Optim.ChainState> opt, StepInput in) {
        ValueAndGradAux<MLP, Array> vg = Eqx.filterValueAndGradWithAux((MLP m) -> batchLoss(m, in.images(), in.labels()))
                .apply(in.model());
        Update<Optim.ChainState> u = opt.update(vg.grad(), in.opt(), in.model());
        return new Stepped(Eqx.applyUpdates(in.model(), u.updates()), u.state(), vg.value(), vg.aux());
    }

    /**
     * Times the eager update step against the jitted one on one batch (after a warm-up of both, alternating) and
     * prints the speed-up; says so if their results differ in any bit (they run the same kernels).
     */
    private static void compareSteps(Function<StepInput, Stepped> eager, Function<StepInput, Stepped> jitted,
            StepInput in, PrintStream out) {
        long[] best = {Long.MAX_VALUE, Long.MAX_VALUE};
        for (int round = 0; round < 40; round++) {
            for (int which = 0; which < 2; which++) {
                long t0 = System.nanoTime();
                (which == 0 ? eager : jitted).apply(in);
                best[which] = Math.min(best[which], System.nanoTime() - t0);
            }
        }
        boolean same = leavesBitwiseEqual(eager.apply(in), jitted.apply(in));
        out.printf(Locale.ROOT, "update step on a batch of %d: eager %.2f ms, Eqx.filterJit %.2f ms (%.1fx faster)%s%n",
                in.images().shape()[0], best[0] / 1e6, best[1] / 1e6, (double) best[0] / best[1],
                same ? "" : "  (results differ from eager: a bug)");
    }

    private static boolean leavesBitwiseEqual(Object a, Object b) {
        List<Array> x = Tree.leaves(a);
        List<Array> y = Tree.leaves(b);
        if (x.size() != y.size()) {
            return false;
        }
        for (int i = 0; i < x.size(); i++) {
            if (!Arrays.equals(x.get(i).toDoubleArray(), y.get(i).toDoubleArray())) {
                return false;
            }
        }
        return true;
    }

    // ---- the model and its loss ---------------------------------------------------------------------------

    /**
     * The mean cross-entropy of a batch, with the logits as auxiliary output: the per-example loss (softmax
     * cross-entropy of the logits {@code [10]} against the int32 label) and logits come from one
     * {@link Jax#vmap} over the examples.
     */
    static WithAux<Array> batchLoss(MLP model, Array images, Array labels) {
        Function<List<Array>, List<Array>> perExample = xy -> {
            Array logits = model.apply(xy.get(0));
            return List.of(Losses.softmaxCrossEntropyWithIntegerLabels(logits, xy.get(1)), logits);
        };
        List<Array> r = Jax.vmap(perExample).apply(List.of(images, labels));
        return new WithAux<>(Jnp.mean(r.get(0)), r.get(1));
    }

    /** The logits {@code [n, 10]} of a batch of images {@code [n, 64]}. */
    static Array logits(MLP model, Array images) {
        return Jax.vmap((UnaryOperator<Array>) model::apply).apply(images);
    }

    /** The arg-max of each row of {@code logits} {@code [n, 10]}. */
    static int[] predictions(Array logits) {
        float[] l = logits.toFloatArray();
        int c = Digits.CLASSES;
        int[] p = new int[l.length / c];
        for (int i = 0; i < p.length; i++) {
            int best = 0;
            for (int j = 1; j < c; j++) {
                if (l[i * c + j] > l[i * c + best]) {
                    best = j;
                }
            }
            p[i] = best;
        }
        return p;
    }

    /** Counts the rows of {@code logits} whose arg-max is the label. */
    static int correct(Array logits, int[] labels) {
        int[] p = predictions(logits);
        int ok = 0;
        for (int i = 0; i < labels.length; i++) {
            if (p[i] == labels[i]) {
                ok++;
            }
        }
        return ok;
    }

    private record Eval(double loss, double accuracy, Array logits) {}

    private static Eval evaluate(MLP model, Digits d) {
        WithAux<Array> r = batchLoss(model, d.images(), d.labels());
        return new Eval(r.value().item(), correct(r.aux(), d.labelArray()) / (double) d.size(), r.aux());
    }

    // ---- the job ------------------------------------------------------------------------------------------

    /**
     * Runs the whole job with the given options, printing to {@code out}.
     *
     * @throws IOException when an output file cannot be written or read back
     */
    public static Result train(Options o, PrintStream out) throws IOException {
        long t0 = System.nanoTime();
        Files.createDirectories(o.out());
        Digits all = Digits.load();
        Array root = Prng.key(o.seed());
        Array[] keys = Prng.split(root, 4);
        Array splitKey = keys[0];
        Array initKey = keys[1];
        Array shuffleKey = keys[2];
        Array probeKey = keys[3];
        Batches.Split split = Batches.split(splitKey, all.size(), TEST_FRACTION);
        Digits trainSet = all.subset(split.train());
        Digits testSet = all.subset(split.test());
        MLP model = new MLP(Digits.FEATURES, Digits.CLASSES, WIDTH, 1, Nn::relu, initKey);
        int nParams = Tree.leaves(model).stream().mapToInt(Array::size).sum();
        out.printf(Locale.ROOT, "Solstice training demo: %d-%d-%d relu MLP (%d parameters) on the UCI digits, "
                + "%d training and %d test examples%n", Digits.FEATURES, WIDTH, Digits.CLASSES, nParams, trainSet.size(),
                testSet.size());
        out.printf(Locale.ROOT, "Adam, learning rate %s, batch size %d, %d epochs, seed %d%n", o.learningRate(), o.batchSize(),
                o.epochs(), o.seed());

        GradientTransformation<Optim.ChainState> opt = Optim.adam(o.learningRate());
        Optim.ChainState state = opt.init(model);
        Function<StepInput, Stepped> eagerStep = in -> update(opt, in);
        Jitted<StepInput, Stepped> step = Eqx.filterJit(eagerStep);
        compareSteps(eagerStep, step, new StepInput(model, state, trainSet.images().get(Index.slice(0, o.batchSize())),
                trainSet.labels().get(Index.slice(0, o.batchSize()))), out);
        double[] trainCurve = new double[o.epochs()];
        double[] testCurve = new double[o.epochs()];
        Eval test = null;
        long trainStart = System.nanoTime();
        int[] allTrain = new int[trainSet.size()];
        Arrays.setAll(allTrain, i -> i);
        Progress progress = new Progress(o.progress(), out, o.epochs());
        for (int epoch = 0; epoch < o.epochs(); epoch++) {
            List<int[]> batches = Batches.epoch(Prng.foldIn(shuffleKey, epoch), allTrain, o.batchSize(), false);
            long e0 = System.nanoTime();
            double lossSum = 0;
            int seen = 0;
            int hits = 0;
            for (int b = 0; b < batches.size(); b++) {
                Digits batch = trainSet.subset(batches.get(b));
                Array xb = batch.images();
                Array yb = batch.labels();
                Stepped s = step.apply(new StepInput(model, state, xb, yb));
                model = s.model();
                state = s.opt();
                lossSum += s.loss().item() * batch.size();
                hits += correct(s.logits(), batch.labelArray());
                seen += batch.size();
                progress.update(epoch + 1, b + 1, batches.size(), lossSum / seen, hits / (double) seen,
                        seen / ((System.nanoTime() - e0) / 1e9));
            }
            double epochSeconds = (System.nanoTime() - e0) / 1e9;
            Eval tr = evaluate(model, trainSet);
            test = evaluate(model, testSet);
            trainCurve[epoch] = tr.loss();
            testCurve[epoch] = test.loss();
            progress.endEpoch(epoch + 1, batches.size(), lossSum / seen, hits / (double) seen, epochSeconds,
                    seen / epochSeconds, String.format(Locale.ROOT, "train loss %.4f acc %.4f | test loss %.4f acc %.4f",
                            tr.loss(), tr.accuracy(), test.loss(), test.accuracy()));
        }
        double trainSeconds = (System.nanoTime() - trainStart) / 1e9;
        out.printf(Locale.ROOT, "training took %.1f s (%.0f examples/s including per-epoch evaluation; the jitted"
                + " step traced %d time(s): one per batch shape)%n", trainSeconds,
                (double) o.epochs() * trainSet.size() / trainSeconds, step.traceCount());
        out.printf(Locale.ROOT, "final test accuracy: %.4f (%d of %d), test loss %.4f%s%n", test.accuracy(),
                Math.round(test.accuracy() * testSet.size()), testSet.size(), test.loss(),
                test.accuracy() > 0.95 ? "" : "  (below 95%; try more --epochs)");

        // ---- save, plot, reload ----
        Path modelFile = o.out().resolve("digits_mlp.safetensors");
        Eqx.treeSerialiseLeaves(modelFile, model);
        out.printf(Locale.ROOT, "saved the model to %s (%d bytes)%n", modelFile, Files.size(modelFile));
        Path plotFile = o.out().resolve("loss.png");
        LossPlot.write(plotFile, "Digits MLP: softmax cross-entropy per epoch", "mean cross-entropy", List.of(
                new LossPlot.Series("training loss", new Color(31, 119, 180), trainCurve),
                new LossPlot.Series("test loss", new Color(255, 127, 14), testCurve)));
        out.printf(Locale.ROOT, "wrote the loss curves to %s%n", plotFile);
        MLP like = new MLP(Digits.FEATURES, Digits.CLASSES, WIDTH, 1, Nn::relu, Prng.key(o.seed() + 1));
        MLP loaded = Eqx.treeDeserialiseLeaves(modelFile, like);
        Array reLogits = logits(loaded, testSet.images());
        Array origLogits = logits(model, testSet.images());
        float[] la = origLogits.toFloatArray();
        float[] lb = reLogits.toFloatArray();
        boolean identical = Arrays.equals(la, lb);
        if (identical) {
            out.printf(Locale.ROOT, "reloaded the model: its logits on the %d test examples are identical (bit for bit): PASS%n",
                    testSet.size());
        } else {
            double maxDiff = 0;
            for (int i = 0; i < la.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs((double) la[i] - lb[i]));
            }
            int[] pa = predictions(origLogits);
            int[] pb = predictions(reLogits);
            int differ = 0;
            for (int i = 0; i < pa.length; i++) {
                differ += pa[i] != pb[i] ? 1 : 0;
            }
            out.printf(Locale.ROOT, "reloaded the model: its logits DIFFER (largest difference %.3g; %d of %d predicted classes"
                    + " differ): FAIL%n", maxDiff, differ, testSet.size());
        }

        // ---- curvature ----
        long c0 = System.nanoTime();
        Digits fixed = trainSet.subset(Arrays.copyOf(allTrain, Math.min(CURVATURE_BATCH, trainSet.size())));
        Array x64 = fixed.images().astype(DType.FLOAT64);
        Array y = fixed.labels();
        MLP model64 = Tree.map((Array a) -> a.astype(DType.FLOAT64), model);
        Tree.Raveled<MLP> rav = Tree.ravel(model64);
        Array theta = rav.flat();
        int n = theta.size();
        UnaryOperator<Array> lossOfTheta = t -> batchLoss(rav.unravel().apply(t), x64, y).value();
        Eigen<Array> lz = Curvature.topEigenvalues(lossOfTheta, theta, TOP_EIGENVALUES, Prng.foldIn(probeKey, 1),
                LANCZOS_STEPS);
        double[] top = lz.values();
        TraceEstimate trace = Curvature.hutchinsonTrace(lossOfTheta, theta, HUTCHINSON_PROBES, probeKey);
        double mean = trace.mean();
        double stderr = trace.standardError();
        out.printf(Locale.ROOT, "curvature of the trained loss on %d training examples (%d parameters, float64):%n",
                fixed.size(), n);
        StringBuilder eig = new StringBuilder();
        for (double e : top) {
            eig.append(String.format(Locale.ROOT, " %.4g", e));
        }
        out.printf(Locale.ROOT, "  top %d Hessian eigenvalues (Lanczos, %d steps, full reorthogonalisation):%s%n", top.length,
                lz.lanczosSteps(), eig);
        out.printf(Locale.ROOT, "  Hessian trace (Hutchinson, %d Rademacher probes): %.4g +- %.2g (standard error)%n",
                HUTCHINSON_PROBES, mean, stderr);
        out.printf(Locale.ROOT, "  curvature took %.1f s%n", (System.nanoTime() - c0) / 1e9);
        double total = (System.nanoTime() - t0) / 1e9;
        out.printf(Locale.ROOT, "done in %.1f s%n", total);
        return new Result(test.accuracy(), test.loss(), trainCurve, testCurve, modelFile, plotFile, identical, top, mean,
                stderr, trainSeconds, total);
    }
}
