package dev.solstice.demo;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Eqx;
import dev.solstice.Jax;
import dev.solstice.Jitted;
import dev.solstice.Jnp;
import dev.solstice.Prng;
import dev.solstice.ValueAndGrad;
import dev.solstice.nn.MLP;
import dev.solstice.optim.GradientTransformation;
import dev.solstice.optim.Optim;
import dev.solstice.optim.Update;
import java.io.PrintStream;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * A physics-informed network: fits {@code u(x, y)} on the unit square to Poisson's equation
 * {@code -laplacian(u) = 2 pi^2 sin(pi x) sin(pi y)} with {@code u = 0} on the boundary, whose solution is
 * {@code sin(pi x) sin(pi y)}. The network is {@code x (1 - x) y (1 - y) N(x, y)} (so the boundary condition
 * holds exactly) with {@code N} a 2-32-32-1 tanh MLP in float64; the loss is the mean squared residual of the
 * equation at a grid of interior collocation points, its Laplacian from {@link Jax#laplacian} (exact,
 * forward over forward), differentiated once more for Adam's gradient (third order in all), the step compiled
 * with {@link Eqx#filterJit}. Prints the relative L2 error against the exact solution on a finer grid.
 *
 * <p>Arguments (optional): steps (default 1500).
 */
public final class Pinn {
    private Pinn() {}

    /** What a run reached. */
    record Result(double finalLoss, double relativeL2Error, int steps, double seconds) {}

    /** The network's value at one point {@code p = [x, y]}: the boundary factor times the MLP. */
    static Array u(MLP net, Array p) {
        Array x = p.get(0);
        Array y = p.get(1);
        Array factor = Jnp.multiply(Jnp.multiply(x, Jnp.subtract(1.0, x)), Jnp.multiply(y, Jnp.subtract(1.0, y)));
        return Jnp.multiply(factor, Jnp.sum(net.apply(p)));
    }

    /** The source term {@code 2 pi^2 sin(pi x) sin(pi y)}. */
    static Array source(Array p) {
        return Jnp.multiply(Jnp.multiply(Jnp.sin(Jnp.multiply(p.get(0), Math.PI)), Jnp.sin(Jnp.multiply(p.get(1), Math.PI))),
                2 * Math.PI * Math.PI);
    }

    /** The mean squared residual {@code laplacian(u) + f} over the points {@code [n, 2]}. */
    static Array loss(MLP net, Array points) {
        UnaryOperator<Array> residual = p -> Jnp.add(Jax.laplacian(q -> u(net, q)).apply(p), source(p));
        return Jnp.mean(Jnp.square(Jax.vmap(residual).apply(points)));
    }

    /** An {@code m x m} grid of points strictly inside the unit square, {@code [m*m, 2]}. */
    static Array grid(int m) {
        double[] pts = new double[m * m * 2];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                pts[2 * (i * m + j)] = (i + 0.5) / m;
                pts[2 * (i * m + j) + 1] = (j + 0.5) / m;
            }
        }
        return Array.of(pts, m * m, 2);
    }

    record Step(MLP net, Optim.ChainState opt) {}

    static Result run(int steps, PrintStream out) {
        long t0 = System.nanoTime();
        MLP net = new MLP(2, 1, 32, 2, Jnp::tanh, v -> v, true, true, DType.FLOAT64, Prng.key(0));
        Array points = grid(16);
        GradientTransformation<Optim.ChainState> adam = Optim.adam(5e-3);
        Jitted<Step, Step> step = Eqx.filterJit(s -> {
            ValueAndGrad<MLP> vg = Eqx.filterValueAndGrad((MLP m) -> loss(m, points)).apply(s.net());
            Update<Optim.ChainState> u = adam.update(vg.grad(), s.opt(), s.net());
            return new Step(Eqx.applyUpdates(s.net(), u.updates()), u.state());
        });
        Step s = new Step(net, adam.init(net));
        for (int i = 0; i < steps; i++) {
            s = step.apply(s);
            if (out != null && (i + 1) % 250 == 0) {
                out.printf(Locale.ROOT, "step %d: mean squared residual %.3e%n", i + 1, loss(s.net(), points).item());
            }
        }
        double finalLoss = loss(s.net(), points).item();
        MLP trained = s.net();
        Array test = grid(41);
        double[] predicted = Jax.vmap((UnaryOperator<Array>) p -> u(trained, p)).apply(test).toDoubleArray();
        double[] pts = test.toDoubleArray();
        double err = 0;
        double norm = 0;
        for (int i = 0; i < predicted.length; i++) {
            double exact = Math.sin(Math.PI * pts[2 * i]) * Math.sin(Math.PI * pts[2 * i + 1]);
            err += (predicted[i] - exact) * (predicted[i] - exact);
            norm += exact * exact;
        }
        double rel = Math.sqrt(err / norm);
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (out != null) {
            out.printf(Locale.ROOT, "PINN for -laplacian(u) = 2 pi^2 sin(pi x) sin(pi y) on the unit square: %d Adam steps,"
                    + " final mean squared residual %.3e, relative L2 error vs the exact solution %.3e, %.1f s%n", steps,
                    finalLoss, rel, seconds);
        }
        return new Result(finalLoss, rel, steps, seconds);
    }

    /** Runs the example; see the class comment. */
    public static void main(String[] args) {
        run(args.length > 0 ? Integer.parseInt(args[0]) : 1500, System.out);
    }
}
