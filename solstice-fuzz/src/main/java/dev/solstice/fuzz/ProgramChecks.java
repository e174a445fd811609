package dev.solstice.fuzz;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * The checks run on every program at a point away from kinks: jit against eager (bitwise when every step is exactly
 * rounded), jacfwd against jacrev, the JVP against float64 central differences (Richardson-extrapolated), the four
 * second-order mode pairings (as Hessian-vector products of {@code L(x) = sum(sin(f(x)))}) against each other, and
 * vmap against a loop over examples. Programs in float16 and bfloat16 are checked for jit and vmap bit for bit
 * (every primitive rounds its float32 result once, fused or not), and for values and gradients against the float32
 * run of the same program at the same point (no finite differences: the half types' rounding is far above their
 * step); programs in int8, uint8 and int64 for jit and vmap bit for bit (integers wrap around identically).
 */
final class ProgramChecks {
    /** Points whose every kinked step is at least this far from its kink. */
    static final double KINK_MARGIN = 1e-2;
    /** Points whose values stay below this size (an exp chain may explode; such points are redrawn). */
    static final double MAX_MAGNITUDE = 1e4;
    static final int BATCH = 3;
    private static final double FD_STEP = 1e-4;
    /** Finite differences at two steps disagree: a kink or an overflow is within reach of the step. */
    static final String FD_UNRELIABLE = "finite differences unreliable";

    /** The result of checking one program. */
    record Outcome(Status status, String check, String message, Inputs inputs) {
        static final Outcome PASSED = new Outcome(Status.PASSED, null, null, null);

        static Outcome skipped(String why) {
            return new Outcome(Status.SKIPPED, null, why, null);
        }
    }

    /** Passed; skipped (no point away from kinks was found, or finite differences were unreliable); or failed. */
    enum Status { PASSED, SKIPPED, FAILED }

    /**
     * The random data of a check: the point, two directions and a batch of points, all in the program's dtype;
     * {@code atKink} when the point could not be kept away from a kink (then finite differences are not checked,
     * but every mode must still agree: they all follow the same derivative conventions).
     */
    record Inputs(double[] x, double[] u, double[] v, double[][] batch, boolean atKink) {}

    private ProgramChecks() {}

    /** Runs every check of {@code program}, drawing points from {@code seed}; {@code only} limits it to one check. */
    static Outcome check(FuzzProgram program, long seed, String only) {
        return check(program, program::apply, seed, only);
    }

    /**
     * Checks the transformations of {@code f}, which must compute {@code program}: the program itself is the
     * float64 oracle for finite differences and tells where the kinks are (tests pass a deliberately wrong
     * {@code f} to see each check fail).
     */
    static Outcome check(FuzzProgram program, UnaryOperator<Array> f, long seed, String only) {
        Random random = new Random(seed);
        Inputs in = drawInputs(program, random);
        if (in == null) {
            return Outcome.skipped("values overflow or eigenvalues repeat");
        }
        Tolerances tol = Tolerances.of(program.dtype());
        Array x = array(program, in.x());
        DType t = program.dtype();
        // integers: no derivatives, and jit and vmap must give the eager bits; float16/bfloat16: jit and vmap give
        // the eager bits too (every primitive rounds its float32 result once, fused or not), and instead of finite
        // differences the values and gradients are compared with the float32 run of the same program and point
        String[] checks = t.isInteger() ? new String[] {"jit", "vmap"}
                : isHalf(t) ? new String[] {"jit", "vmap", "f32", "grad32"} : new String[] {"jit", "jac", "jvp", "hvp", "jet", "vmap"};
        for (String name : checks) {
            if (only != null && !only.equals(name) || in.atKink() && name.equals("jvp")) {
                continue;
            }
            String failure;
            try {
                failure = switch (name) {
                    case "jit" -> jit(program.exact() || !isWide(t), f, x, tol);
                    case "f32" -> againstFloat32(program, f, x, tol.fd(), false);
                    case "grad32" -> againstFloat32(program, f, x, tol.hvp(), true);
                    case "jac" -> compare("jacfwd", Jax.jacfwd(f).apply(x), "jacrev", Jax.jacrev(f).apply(x), tol.jac());
                    case "jvp" -> jvp(program, f, in, tol);
                    case "hvp" -> hvp(program, f, in, tol);
                    case "jet" -> jet(f, x, array(program, in.u()), array(program, in.v()), tol);
                    default -> vmap(program, f, in, tol);
                };
            } catch (RuntimeException | StackOverflowError e) {
                failure = "threw " + e;
            }
            if (FD_UNRELIABLE.equals(failure) || ILL_CONDITIONED.equals(failure)) {
                return Outcome.skipped(failure);
            }
            if (failure != null) {
                return new Outcome(Status.FAILED, name, failure, in);
            }
        }
        return in.atKink() ? AT_KINK : Outcome.PASSED;
    }

    /** Passed every check but finite differences, at a point on a kink. */
    static final Outcome AT_KINK = new Outcome(Status.PASSED, null, "at a kink: no finite differences", null);

    private static String jit(boolean exact, UnaryOperator<Array> f, Array x, Tolerances tol) {
        Array eager = f.apply(x);
        Array jitted = Jax.jit(f).apply(x);
        if (!exact) {
            return compare("eager", eager, "jit", jitted, tol.jit());
        }
        if (!Arrays.equals(eager.shape(), jitted.shape()) || eager.dtype() != jitted.dtype()) {
            return "eager " + eager.aval() + " but jit " + jitted.aval();
        }
        double[] a = eager.toDoubleArray();
        double[] b = jitted.toDoubleArray();
        for (int i = 0; i < a.length; i++) {
            if (Double.doubleToLongBits(a[i]) != Double.doubleToLongBits(b[i])) {
                return "exactly rounded program, but element " + i + ": eager " + a[i] + ", jit " + b[i];
            }
        }
        return null;
    }

    private static boolean isHalf(DType t) {
        return t == DType.FLOAT16 || t == DType.BFLOAT16;
    }

    private static boolean isWide(DType t) {
        return t == DType.FLOAT32 || t == DType.FLOAT64;
    }

    /**
     * The values ({@code gradient} false) or the gradient of {@code sum(f)} in the half type (of its dtype) against
     * the float32 run, within tolerance. Where they differ, the float32 run is redone at inputs moved by the half
     * type's rounding over the program's steps ({@code (1 +- steps eps) x}): when that alone moves the float32
     * result beyond the tolerance, the point is ill-conditioned for the half type (a cosine near its peak, a
     * large exponent) and the check is skipped, as unreliable finite differences are.
     */
    private static String againstFloat32(FuzzProgram program, UnaryOperator<Array> f, Array x, double rtol, boolean gradient) {
        UnaryOperator<Array> g = gradient ? Jax.grad((UnaryOperator<Array>) y -> Jnp.sum(f.apply(y))) : f;
        Array half = g.apply(x);
        if (gradient && half.dtype() != x.dtype()) {
            return "gradient of a " + x.dtype() + " input is " + half.aval();
        }
        String what = x.dtype() + (gradient ? " gradient" : " eager");
        Array x32 = x.astype(DType.FLOAT32);
        Array want = g.apply(x32);
        String failure = compare(what, half, "float32 run", want, rtol);
        if (failure != null) {
            double moved = (program.nodes().size() + 1) * Math.scalb(1.0, x.dtype() == DType.BFLOAT16 ? -8 : -11);
            for (double sign : new double[] {1, -1}) {
                if (compare("float32 run", want, "moved float32 run", g.apply(x32.mul(1 + sign * moved)), rtol / 2) != null) {
                    return ILL_CONDITIONED;
                }
            }
        }
        return failure;
    }

    /** The float32 result moves by the tolerance when the input moves by the half type's rounding. */
    static final String ILL_CONDITIONED = "ill-conditioned for the half type";

    private static String jvp(FuzzProgram program, UnaryOperator<Array> f, Inputs in, Tolerances tol) {
        Array tangent = Jax.jvp(f, array(program, in.x()), array(program, in.v())).tangent();
        double[] fd = centralDifference(program, in.x(), in.v(), FD_STEP);
        String failure = compare("jvp", tangent, "float64 central difference", Array.of(fd, tangent.shape()), tol.fd());
        if (failure != null) {
            double[] finer = centralDifference(program, in.x(), in.v(), FD_STEP / 8);
            if (compare("fd", Array.of(fd, tangent.shape()), "finer fd", Array.of(finer, tangent.shape()), tol.fd() / 10) != null) {
                return FD_UNRELIABLE;
            }
        }
        return failure;
    }

    /** Richardson-extrapolated central difference of the float64 program along {@code v}. */
    static double[] centralDifference(FuzzProgram program, double[] x, double[] v, double h) {
        double[] d1 = difference(program, x, v, h);
        double[] d2 = difference(program, x, v, h / 2);
        double[] out = new double[d1.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (4 * d2[i] - d1[i]) / 3;
        }
        return out;
    }

    private static double[] difference(FuzzProgram program, double[] x, double[] v, double h) {
        double[] plus = new double[x.length];
        double[] minus = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            plus[i] = x[i] + h * v[i];
            minus[i] = x[i] - h * v[i];
        }
        double[] fp = program.apply(Array.of(plus, program.inputShape())).toDoubleArray();
        double[] fm = program.apply(Array.of(minus, program.inputShape())).toDoubleArray();
        double[] out = new double[fp.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (fp[i] - fm[i]) / (2 * h);
        }
        return out;
    }

    private static String hvp(FuzzProgram program, UnaryOperator<Array> f, Inputs in, Tolerances tol) {
        Array x = array(program, in.x());
        Array u = array(program, in.u());
        Array v = array(program, in.v());
        List<Array> pairs = hessianVectorProducts(f, x, u, v);
        double uHv = dot(pairs.get(3).toDoubleArray(), in.u());
        String failure = compare("fwd-over-rev", pairs.get(1), "rev-over-rev", pairs.get(3), tol.hvp());
        if (failure == null) {
            failure = compare("rev-over-fwd", pairs.get(2), "rev-over-rev", pairs.get(3), tol.hvp());
        }
        if (failure == null) {
            failure = compare("fwd-over-fwd u.Hv", pairs.get(0), "u.(rev-over-rev Hv)", Array.scalar(uHv), tol.hvp());
        }
        return failure;
    }

    /**
     * Taylor mode against nested forward mode: {@code Jax.jet} along the path with derivatives {@code (u, v, u)}
     * at {@code t = 0} gives the first three derivatives of {@code f} along it, which three nested jvps of
     * {@code t -> f(x + t u + t^2/2 v + t^3/6 u)} give too (different rules: jet's series propagation per primitive,
     * against the JVP rules applied to themselves).
     */
    private static String jet(UnaryOperator<Array> f, Array x, Array u, Array v, Tolerances tol) {
        List<Array> series = Jax.jet(f, x, List.of(u, v, u)).series();
        List<Array> nested = nestedDerivatives(f, x, u, v);
        for (int k = 0; k < 3; k++) {
            String failure = compare("jet coefficient " + (k + 1), series.get(k), "nested jvp", nested.get(k), tol.hvp());
            if (failure != null) {
                return failure;
            }
        }
        return null;
    }

    /** The first three derivatives at 0 of {@code t -> f(x + t u + t^2/2 v + t^3/6 u)}, by nested jvp in t. */
    static List<Array> nestedDerivatives(UnaryOperator<Array> f, Array x, Array u, Array v) {
        UnaryOperator<Array> path = t -> f.apply(Jnp.add(x, Jnp.add(Jnp.multiply(t, u), Jnp.add(
                Jnp.multiply(Jnp.multiply(Jnp.multiply(t, t), 0.5), v),
                Jnp.multiply(Jnp.multiply(Jnp.multiply(Jnp.multiply(t, t), t), 1.0 / 6), u)))));
        Array zero = Jnp.zeros(x.dtype());
        Array one = Jnp.ones(x.dtype());
        UnaryOperator<Array> d1 = t -> Jax.jvp(path, t, one).tangent();
        UnaryOperator<Array> d2 = t -> Jax.jvp(d1, t, one).tangent();
        UnaryOperator<Array> d3 = t -> Jax.jvp(d2, t, one).tangent();
        return List.of(d1.apply(zero), d2.apply(zero), d3.apply(zero));
    }

    /** {@code u.Hv} by forward-over-forward, then {@code Hv} by forward-over-reverse, reverse-over-forward and reverse-over-reverse. */
    static List<Array> hessianVectorProducts(UnaryOperator<Array> f, Array x, Array u, Array v) {
        UnaryOperator<Array> loss = y -> Jnp.sum(Jnp.sin(f.apply(y)));
        UnaryOperator<Array> lossJvp = y -> Jax.jvp(loss, y, v).tangent();
        UnaryOperator<Array> grad = Jax.grad(loss);
        Array ff = Jax.jvp(lossJvp, x, u).tangent();
        Array fr = Jax.jvp(grad, x, v).tangent();
        Array rf = Jax.grad(lossJvp).apply(x);
        Array rr = Jax.grad((UnaryOperator<Array>) y -> Jnp.sum(Jnp.multiply(grad.apply(y), v))).apply(x);
        return List.of(ff, fr, rf, rr);
    }

    private static String vmap(FuzzProgram program, UnaryOperator<Array> f, Inputs in, Tolerances tol) {
        List<Array> examples = new ArrayList<>();
        List<Array> loop = new ArrayList<>();
        for (double[] b : in.batch()) {
            examples.add(array(program, b));
            loop.add(f.apply(examples.getLast()));
        }
        Array batched = Jax.vmap(f).apply(Jnp.stack(examples, 0));
        Array looped = Jnp.stack(loop, 0);
        if (batched.dtype() != looped.dtype()) {
            return "vmap " + batched.aval() + " but loop " + looped.aval();
        }
        return compare("vmap", batched, "loop", looped, tol.vmap());
    }

    /** Null when {@code a} and {@code b} agree within {@code rtol} of their scale (at least 1), else a message. */
    static String compare(String nameA, Array a, String nameB, Array b, double rtol) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            return nameA + " " + a.aval() + " but " + nameB + " " + b.aval();
        }
        double[] x = a.toDoubleArray();
        double[] y = b.toDoubleArray();
        double scale = 1;
        double worst = 0;
        int at = -1;
        for (int i = 0; i < x.length; i++) {
            if (Double.compare(x[i], y[i]) == 0) {
                continue; // equal, including the same NaN or infinity
            }
            if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) {
                return String.format("%s differs from %s: element %d %s vs %s", nameA, nameB, i, x[i], y[i]);
            }
            scale = Math.max(scale, Math.max(Math.abs(x[i]), Math.abs(y[i])));
            double d = Math.abs(x[i] - y[i]);
            if (d > worst) {
                worst = d;
                at = i;
            }
        }
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(x[i])) {
                scale = Math.max(scale, Math.abs(x[i]));
            }
        }
        if (worst <= rtol * scale) {
            return null;
        }
        return String.format("%s differs from %s: element %d %s vs %s (scale %.3g, tolerance %.1g relative)", nameA, nameB,
                at, x[at], y[at], scale, rtol);
    }

    private static Inputs drawInputs(FuzzProgram program, Random random) {
        int n = ProgramGenerator.size(program.inputShape());
        boolean[] atKink = new boolean[1];
        double[] x = drawPoint(program, random, n, atKink);
        if (x == null) {
            return null;
        }
        double[][] batch = new double[BATCH][];
        for (int b = 0; b < BATCH; b++) {
            batch[b] = drawPoint(program, random, n, new boolean[1]);
            if (batch[b] == null) {
                return null;
            }
        }
        return new Inputs(x, direction(program, random, n), direction(program, random, n), batch, atKink[0]);
    }

    /**
     * A point whose every kink is at least {@link #KINK_MARGIN} away, else (when a program ties by construction,
     * as {@code max(a, rev(a))} does) a point at a kink, flagged in {@code atKink}; null when values overflow or
     * eigenvalues repeat (no derivative exists there, under any convention).
     */
    private static double[] drawPoint(FuzzProgram program, Random random, int n, boolean[] atKink) {
        if (program.dtype().isInteger()) { // small integers: no kinks to avoid; products still wrap around
            double[] x = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = program.dtype().isUnsigned() ? random.nextInt(12) : random.nextInt(13) - 6;
            }
            return x;
        }
        double[] fallback = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            double[] x = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = round(program, 3 * random.nextDouble() - 1.5);
            }
            Margins.Probe probe = program.probe(Array.of(x, program.inputShape()));
            if (probe.finite && probe.maxAbs <= MAX_MAGNITUDE && !probe.singular) {
                if (probe.margin >= KINK_MARGIN) {
                    return x;
                }
                fallback = x;
            }
        }
        atKink[0] = fallback != null;
        return fallback;
    }

    private static double[] direction(FuzzProgram program, Random random, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = round(program, 2 * random.nextDouble() - 1);
        }
        return v;
    }

    /** Rounds to the program's dtype, so that the float64 (or float32) oracle sees exactly the program's point. */
    private static double round(FuzzProgram program, double d) {
        DType t = program.dtype();
        return t == DType.FLOAT32 ? (float) d : isHalf(t) ? Array.of(t, new double[] {d}).toDoubleArray()[0]
                : t.isInteger() ? Math.rint(d) : d;
    }

    static Array array(FuzzProgram program, double[] values) {
        Array a = Array.of(values, program.inputShape());
        return program.dtype() == DType.FLOAT64 ? a : a.astype(program.dtype());
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /**
     * Relative tolerances per check and dtype. For float16 and bfloat16, {@code fd} bounds the values' distance
     * from the float32 run and {@code hvp} the gradients' (many roundings of 2^-11 or 2^-8 each); jit and vmap
     * must be exact (0), as for the integers.
     */
    record Tolerances(double jit, double jac, double fd, double hvp, double vmap) {
        static Tolerances of(DType dtype) {
            return switch (dtype) {
                case FLOAT64 -> new Tolerances(1e-12, 1e-10, 1e-6, 1e-9, 1e-12);
                case FLOAT32 -> new Tolerances(1e-5, 1e-4, 2e-3, 1e-3, 1e-5);
                case FLOAT16 -> new Tolerances(0, 0, 2e-2, 5e-2, 0);
                case BFLOAT16 -> new Tolerances(0, 0, 1e-1, 2.5e-1, 0);
                default -> new Tolerances(0, 0, 0, 0, 0);
            };
        }
    }
}
