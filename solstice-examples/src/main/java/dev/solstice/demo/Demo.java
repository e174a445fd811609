package dev.solstice.demo;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Eqx;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.Nn;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The command-line demo of Solstice: second derivatives through every composition of forward and reverse
 * mode, each checked against finite differences.
 *
 * <ol>
 *   <li>The seed case: the second derivative of {@link Nn#relu} at 1.0 (and at 0, -1 and 2.5) by
 *       {@link Jax#hessian}, {@code jacfwd(jacfwd)}, {@code jacfwd(jacrev)}, {@code jacrev(jacfwd)},
 *       {@code jacrev(jacrev)}, {@code grad(grad)}, {@link Eqx#filterHessian} and {@code filterGrad(filterGrad)},
 *       in float32 and float64. Equinox 0.11.4 returned 1 for
 *       {@code filter_hessian(relu)(1.0)}; the right answer is 0.</li>
 *   <li>The 4 x 4 Hessian of a small two-layer tanh network's output sum, in every mode, against central
 *       differences of the gradient.</li>
 * </ol>
 *
 * <p>Every line ends in PASS or FAIL; the exit code is 0 when all pass, 1 when one fails, 2 for a usage
 * error.
 */
public final class Demo {
    private Demo() {}

    /** Absolute tolerance for the relu second derivatives (exactly 0 is expected in every mode). */
    private static final double RELU_TOL = 1e-9;
    /** Step for the central differences of relu's gradient. */
    private static final double RELU_H = 1e-3;
    /** Step for the fourth-order central differences of the network's gradient. */
    private static final double NET_H = 1e-3;
    /** Tolerance of the float64 network Hessian against finite differences. */
    private static final double NET_TOL_F64 = 1e-8;
    /** Tolerance of the float32 network Hessian against the float64 finite differences. */
    private static final double NET_TOL_F32 = 1e-4;

    private static final double[] RELU_POINTS = {1.0, 0.0, -1.0, 2.5};

    /**
     * Runs the demo and exits with its status.
     *
     * @param args {@code --help} (or {@code -h}) for the usage; no other arguments
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    /**
     * Runs the demo, printing to {@code out}.
     *
     * @param args the command-line arguments
     * @param out where the report goes
     * @return 0 when every check passes, 1 when one fails, 2 for a usage error
     */
    public static int run(String[] args, PrintStream out) {
        for (String a : args) {
            if (a.equals("--help") || a.equals("-h")) {
                usage(out);
                return 0;
            }
            out.println("unknown argument: " + a);
            usage(out);
            return 2;
        }
        Demo.Report report = new Demo.Report(out);
        out.println("Solstice demo: second derivatives in every mode, checked against finite differences");
        out.println();
        seedCase(report);
        out.println();
        tanhNetwork(report);
        out.println();
        out.printf(Locale.ROOT, "%d checks, %d passed, %d failed%n", report.total, report.total - report.failed, report.failed);
        return report.failed == 0 ? 0 : 1;
    }

    private static void usage(PrintStream out) {
        out.println("""
                usage: bin/demo [--help]

                Prints (a) the second derivative of Nn.relu at 1, 0, -1 and 2.5 through Jax.hessian,
                jacfwd(jacfwd), jacfwd(jacrev), jacrev(jacfwd), jacrev(jacrev), grad(grad), Eqx.filterHessian and
                Eqx.filterGrad(Eqx.filterGrad), in float32 and float64, each against central differences of the float64 gradient; and (b) the Hessian of
                f(x) = sum(tanh(W2 tanh(W1 x + b1) + b2)) at a fixed point (4 inputs), in every mode, against
                central differences of the gradient. Every line ends in PASS or FAIL.

                Exit status: 0 if every check passes, 1 if one fails, 2 for a usage error.""");
    }

    // ---- (a) the seed case ------------------------------------------------------------------------------

    private static Map<String, UnaryOperator<UnaryOperator<Array>>> scalarModes() {
        Map<String, UnaryOperator<UnaryOperator<Array>>> m = new LinkedHashMap<>();
        m.put("Jax.hessian", Jax::hessian);
        m.put("jacfwd(jacfwd)", f -> Jax.jacfwd(Jax.jacfwd(f)));
        m.put("jacfwd(jacrev)", f -> Jax.jacfwd(Jax.jacrev(f)));
        m.put("jacrev(jacfwd)", f -> Jax.jacrev(Jax.jacfwd(f)));
        m.put("jacrev(jacrev)", f -> Jax.jacrev(Jax.jacrev(f)));
        m.put("grad(grad)", f -> Jax.grad(Jax.grad(f)));
        m.put("Eqx.filterHessian", Eqx::filterHessian);
        m.put("Eqx.filterGrad^2", f -> Eqx.filterGrad(Eqx.filterGrad(f)));
        return m;
    }

    private static void seedCase(Report r) {
        PrintStream out = r.out;
        out.println("(a) The seed case: d2/dx2 relu(x). Equinox 0.11.4's filter_hessian(relu)(1.0) returned 1; JAX says 0.");
        Array seed = Jax.hessian(Nn::relu).apply(Array.scalar(1.0));
        r.check("    Jax.hessian(Nn::relu).apply(Array.scalar(1.0)) = " + seed + "  " + (seed.item() == 0.0 ? "PASS" : "FAIL"),
                seed.item() == 0.0);
        Function<Array, Array> grad = Jax.grad(Nn::relu);
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "    %-26s", "x"));
        StringBuilder first = new StringBuilder(String.format(Locale.ROOT, "    %-26s", "relu'(x), Jax.grad"));
        StringBuilder fdRow = new StringBuilder(String.format(Locale.ROOT, "    %-26s", "relu'' by FD of grad"));
        double[] reference = new double[RELU_POINTS.length];
        List<String> kinkNotes = new ArrayList<>();
        for (int k = 0; k < RELU_POINTS.length; k++) {
            double x = RELU_POINTS[k];
            head.append(String.format(Locale.ROOT, "%8s", fmt(x)));
            first.append(String.format(Locale.ROOT, "%8s", fmt(grad.apply(Array.scalar(x)).item())));
            Function<Double, Double> g = t -> grad.apply(Array.scalar(t)).item();
            double central = central(g, x, RELU_H);
            double left = central(g, x - 3 * RELU_H, RELU_H);
            double right = central(g, x + 3 * RELU_H, RELU_H);
            if (Math.abs(central - left) <= RELU_TOL && Math.abs(central - right) <= RELU_TOL) {
                reference[k] = central;
                fdRow.append(String.format(Locale.ROOT, "%8s", fmt(central)));
            } else if (Math.abs(left - right) <= RELU_TOL) {
                // A kink: the central difference straddles it and measures the jump of relu' (a Dirac mass).
                reference[k] = left;
                fdRow.append(String.format(Locale.ROOT, "%8s", fmt(left) + "*"));
                kinkNotes.add(String.format(Locale.ROOT,
                        "    * x = %s is relu's kink: the central difference across it, (relu'(h) - relu'(-h))/2h = %s,%n"
                                + "      measures the jump of relu' (a Dirac mass). relu'' has no classical value there; it is %s on%n"
                                + "      both sides (central differences at x -/+ %s), and JAX's convention relu'(0) = 0 makes it %s.",
                        fmt(x), fmt(central), fmt(left), fmt(3 * RELU_H), fmt(left)));
            } else {
                reference[k] = Double.NaN;
                fdRow.append(String.format(Locale.ROOT, "%8s", "n/a"));
            }
        }
        out.println(head);
        out.println(first);
        out.println(fdRow);
        kinkNotes.forEach(out::println);
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (Map.Entry<String, UnaryOperator<UnaryOperator<Array>>> mode : scalarModes().entrySet()) {
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "    %-26s",
                        mode.getKey() + " " + dtype.jaxName()));
                boolean ok = true;
                String problem = "";
                try {
                    Function<Array, Array> h = mode.getValue().apply(Nn::relu);
                    for (int k = 0; k < RELU_POINTS.length; k++) {
                        Array x = dtype == DType.FLOAT32 ? Array.scalar((float) RELU_POINTS[k]) : Array.scalar(RELU_POINTS[k]);
                        Array v = h.apply(x);
                        double value = v.item();
                        line.append(String.format(Locale.ROOT, "%8s", fmt(value)));
                        if (v.dtype() != dtype || v.ndim() != 0) {
                            ok = false;
                            problem = " (got " + v.dtype().jaxName() + " of rank " + v.ndim() + ")";
                        }
                        if (!(Math.abs(value - reference[k]) <= RELU_TOL)) {
                            ok = false;
                        }
                    }
                } catch (RuntimeException e) {
                    ok = false;
                    problem = " (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")";
                }
                r.check(line + "  " + (ok ? "PASS" : "FAIL") + problem, ok);
            }
        }
        out.print("""
                    Why 0: relu is piecewise linear, so relu'' = 0 wherever it exists (every x != 0). relu carries a
                    custom JVP rule, tangent -> select(x > 0, tangent, 0); differentiating that rule in x gives 0,
                    because a comparison has no derivative. So every mode, at every point, gives 0, as jax.hessian does.
                    Why Equinox 0.11.4 gave 1: its filter_jacfwd took "is this output a tracer of mine?" to mean "does
                    it depend on my input?". Under the outer jacfwd, x > 0 had a zero tangent, JAX lowered it to a plain
                    boolean, and the inner gradient came back as the concrete value relu'(1) = 1; filter_jacfwd saw a
                    non-tracer and passed it through unchanged as its own derivative (fixed in 0.11.5, PR #734).
                    Solstice treats any value a transformation does not own as a constant with a zero tangent and
                    returns real zeros for it, so the derivative of that constant 1 is 0.
                    """.indent(4));
    }

    // ---- (b) a small tanh network -----------------------------------------------------------------------

    private static final int N_IN = 4;
    private static final int N_HIDDEN = 5;
    private static final int N_OUT = 3;

    /** Deterministic weights of the network, in float64. */
    private record Net(Array w1, Array b1, Array w2, Array b2) {
        static Net create() {
            double[] w1 = new double[N_HIDDEN * N_IN];
            for (int i = 0; i < N_HIDDEN; i++) {
                for (int j = 0; j < N_IN; j++) {
                    w1[i * N_IN + j] = 0.8 * Math.sin(1.3 * i + 0.7 * j + 0.4);
                }
            }
            double[] b1 = new double[N_HIDDEN];
            for (int i = 0; i < N_HIDDEN; i++) {
                b1[i] = 0.1 * (i - 2);
            }
            double[] w2 = new double[N_OUT * N_HIDDEN];
            for (int i = 0; i < N_OUT; i++) {
                for (int j = 0; j < N_HIDDEN; j++) {
                    w2[i * N_HIDDEN + j] = 0.9 * Math.cos(0.9 * i - 1.1 * j + 0.2);
                }
            }
            double[] b2 = {0.05, -0.1, 0.15};
            return new Net(Array.of(w1, N_HIDDEN, N_IN), Array.of(b1), Array.of(w2, N_OUT, N_HIDDEN), Array.of(b2));
        }

        Net astype(DType t) {
            return new Net(w1.astype(t), b1.astype(t), w2.astype(t), b2.astype(t));
        }

        /** {@code sum(tanh(W2 tanh(W1 x + b1) + b2))}. */
        Array apply(Array x) {
            Array hidden = Jnp.tanh(Jnp.matmul(w1, x).add(b1));
            return Jnp.sum(Jnp.tanh(Jnp.matmul(w2, hidden).add(b2)));
        }
    }

    private static void tanhNetwork(Report r) {
        PrintStream out = r.out;
        out.printf(Locale.ROOT, "(b) Hessian of f(x) = sum(tanh(W2 tanh(W1 x + b1) + b2)), W1 %dx%d, W2 %dx%d, fixed weights%n",
                N_HIDDEN, N_IN, N_OUT, N_HIDDEN);
        Net net = Net.create();
        double[] x0 = {0.3, -0.7, 1.1, 0.2};
        Array x = Array.of(x0);
        out.println("    x = " + vec(x0) + ",  f(x) = " + fmt8(net.apply(x).item()));

        // Reference: fourth-order central differences of the float64 gradient, column by column.
        Function<Array, Array> grad = Jax.grad(net::apply);
        double[][] fd = new double[N_IN][N_IN];
        for (int j = 0; j < N_IN; j++) {
            final int jj = j;
            double[][] g = new double[4][];
            double[] steps = {2 * NET_H, NET_H, -NET_H, -2 * NET_H};
            for (int s = 0; s < 4; s++) {
                double[] xs = x0.clone();
                xs[jj] += steps[s];
                g[s] = grad.apply(Array.of(xs)).toDoubleArray();
            }
            for (int i = 0; i < N_IN; i++) {
                fd[i][j] = (-g[0][i] + 8 * g[1][i] - 8 * g[2][i] + g[3][i]) / (12 * NET_H);
            }
        }

        double[][] h;
        try {
            Array hess = Jax.hessian(net::apply).apply(x);
            h = matrix(hess.toDoubleArray(), N_IN);
            out.println("    H = Jax.hessian(f)(x):");
            for (double[] row : h) {
                StringBuilder s = new StringBuilder("      [");
                for (int j = 0; j < row.length; j++) {
                    s.append(String.format(Locale.ROOT, "%12.8f", row[j]));
                }
                out.println(s.append(" ]"));
            }
            double err = maxAbsDiff(h, fd);
            double asym = maxAbsDiff(h, transpose(h));
            boolean shapeOk = java.util.Arrays.equals(hess.shape(), new int[] {N_IN, N_IN}) && hess.dtype() == DType.FLOAT64;
            boolean ok = shapeOk && err <= NET_TOL_F64;
            r.check(String.format(Locale.ROOT, "    %-17s float64: max |H - H_fd| = %.1e (tol %.0e), shape %s, max |H - H^T| = %.1e  %s",
                    "Jax.hessian", err, NET_TOL_F64, java.util.Arrays.toString(hess.shape()), asym, ok ? "PASS" : "FAIL"), ok);
        } catch (RuntimeException e) {
            r.check("    Jax.hessian float64: " + e + "  FAIL", false);
            h = null;
        }

        Map<String, UnaryOperator<UnaryOperator<Array>>> modes = new LinkedHashMap<>(scalarModes());
        modes.remove("Jax.hessian");
        modes.remove("grad(grad)"); // grad needs a scalar output; grad of the gradient vector is a Jacobian
        modes.remove("Eqx.filterGrad^2");
        for (Map.Entry<String, UnaryOperator<UnaryOperator<Array>>> mode : modes.entrySet()) {
            try {
                double[][] m = matrix(mode.getValue().apply(net::apply).apply(x).toDoubleArray(), N_IN);
                double err = maxAbsDiff(m, fd);
                double vsH = h == null ? Double.NaN : maxAbsDiff(m, h);
                boolean ok = err <= NET_TOL_F64;
                r.check(String.format(Locale.ROOT, "    %-17s float64: max |H - H_fd| = %.1e, vs Jax.hessian %.1e  %s",
                        mode.getKey(), err, vsH, ok ? "PASS" : "FAIL"), ok);
            } catch (RuntimeException e) {
                r.check(String.format(Locale.ROOT, "    %-17s float64: %s  FAIL", mode.getKey(), e), false);
            }
        }
        try {
            Net net32 = net.astype(DType.FLOAT32);
            Array hess32 = Jax.hessian(net32::apply).apply(x.astype(DType.FLOAT32));
            double err = maxAbsDiff(matrix(hess32.toDoubleArray(), N_IN), fd);
            boolean ok = hess32.dtype() == DType.FLOAT32 && err <= NET_TOL_F32;
            r.check(String.format(Locale.ROOT, "    %-17s float32: max |H - H_fd| = %.1e (tol %.0e), dtype %s  %s",
                    "Jax.hessian", err, NET_TOL_F32, hess32.dtype().jaxName(), ok ? "PASS" : "FAIL"), ok);
        } catch (RuntimeException e) {
            r.check("    Jax.hessian float32: " + e + "  FAIL", false);
        }
        out.printf(Locale.ROOT, "    (H_fd: fourth-order central differences of the float64 gradient, step %s)%n", fmt(NET_H));
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    /** Counts checks and prints their lines. */
    private static final class Report {
        final PrintStream out;
        int total;
        int failed;

        Report(PrintStream out) {
            this.out = out;
        }

        void check(String line, boolean ok) {
            total++;
            if (!ok) {
                failed++;
            }
            out.println(line);
        }
    }

    private static double central(Function<Double, Double> g, double x, double h) {
        return (g.apply(x + h) - g.apply(x - h)) / (2 * h);
    }

    private static double[][] matrix(double[] flat, int n) {
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * n, m[i], 0, n);
        }
        return m;
    }

    private static double[][] transpose(double[][] m) {
        double[][] t = new double[m.length][m.length];
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m.length; j++) {
                t[j][i] = m[i][j];
            }
        }
        return t;
    }

    private static double maxAbsDiff(double[][] a, double[][] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                double d = Math.abs(a[i][j] - b[i][j]);
                m = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(m, d);
            }
        }
        return m;
    }

    private static String vec(double[] v) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            s.append(i == 0 ? "" : ", ").append(fmt(v[i]));
        }
        return s.append("]").toString();
    }

    /** Short form of a number: integers without a fraction, others with up to 6 significant digits. */
    private static String fmt(double v) {
        if (v == 0) {
            return "0";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e9) {
            return String.format(Locale.ROOT, "%d", (long) v);
        }
        return String.format(Locale.ROOT, "%.6g", v).replaceAll("\\.?0+(e|$)", "$1");
    }

    private static String fmt8(double v) {
        return String.format(Locale.ROOT, "%.10f", v);
    }
}
