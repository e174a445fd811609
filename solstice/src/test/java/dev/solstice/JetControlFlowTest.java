package dev.solstice;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Jax.jet through cond, while, fori, scan and Equinox's while kinds, against two independent oracles: nested jvp
 * of {@code t -> f(x(t))} along a random polynomial path (order 6, float64), and jet of the same function written
 * without control flow (a Java loop or branch).
 */
class JetControlFlowTest {
    private static final int ORDER = 6;
    private static final Random RANDOM = new Random(23);

    private static Array gaussian(double scale, int... shape) {
        return JetOracles.gaussian(RANDOM, scale, shape);
    }

    private static List<Array> path(Array x0) {
        List<Array> series = new ArrayList<>();
        for (int k = 0; k < ORDER; k++) {
            series.add(gaussian(0.3, x0.shape()));
        }
        return series;
    }

    /**
     * Jet of {@code f} equals nested jvp of {@code f} order by order, and jet of {@code plain} (the same function
     * without control flow), also under jit.
     */
    private static void check(String name, UnaryOperator<Array> f, UnaryOperator<Array> plain, Array x0) {
        List<Array> series = path(x0);
        Jet jet = Jax.jet(f, x0, series);
        Jet reference = Jax.jet(plain, x0, series);
        JetOracles.assertClose(name + " primal", plain.apply(x0), jet.primal(), 1e-14);
        for (int k = 1; k <= ORDER; k++) {
            Array got = jet.series().get(k - 1);
            JetOracles.assertClose(name + " order " + k + " vs nested jvp", JetOracles.nestedJvp(f, x0, series, k), got, 1e-10);
            JetOracles.assertClose(name + " order " + k + " vs no control flow", reference.series().get(k - 1), got, 1e-12);
        }
        Array jitted = Jax.jit((Array p) -> Jax.jet(f, p, series).series().get(ORDER - 1)).apply(x0);
        JetOracles.assertClose(name + " under jit", jet.series().get(ORDER - 1), jitted, 1e-12);
    }

    private static Array step(Array h, Array x) {
        return Jnp.tanh(h.mul(Array.scalar(0.9)).add(Jnp.sin(x)));
    }

    @Test
    void condChoosesTheSameBranchForEverySeries() {
        Array x0 = gaussian(1, 3);
        UnaryOperator<Array> taken = x -> Jnp.exp(x).mul(Jnp.sin(x));
        UnaryOperator<Array> other = x -> Jnp.cos(x).mul(x);
        for (double shift : new double[] {5, -5}) {
            Array c = Array.scalar(shift);
            UnaryOperator<Array> f = x -> Lax.cond(Jnp.greater(Jnp.sum(x).add(c), Array.scalar(0.0)), taken, other, x);
            check("cond " + shift, f, shift > 0 ? taken : other, x0);
        }
    }

    @Test
    void whileLoopWithACarryDependentPredicate() {
        Array x0 = gaussian(0.5, 2);
        // the predicate reads an integer counter: four steps of y -> tanh(0.9 y + sin(x))
        UnaryOperator<Array> f = x -> {
            List<Array> out = Lax.whileLoop((List<Array> c) -> Jnp.less(c.get(0), Array.scalar(4)),
                    c -> List.of(c.get(0).add(Array.scalar(1)), step(c.get(1), x)), List.of(Array.scalar(0), x));
            return out.get(1);
        };
        check("while", f, x -> {
            Array y = x;
            for (int i = 0; i < 4; i++) {
                y = step(y, x);
            }
            return y;
        }, x0);
    }

    @Test
    void foriPolynomialIteration() {
        Array x0 = gaussian(0.3, 3);
        // y <- y^2 / 2 + x (a quadratic map iterated), x captured by the body
        UnaryOperator<Array> f = x -> Lax.foriLoop(0, 5,
                (Array i, Array y) -> y.mul(y).mul(Array.scalar(0.5)).add(x), x);
        check("fori", f, x -> {
            Array y = x;
            for (int i = 0; i < 5; i++) {
                y = y.mul(y).mul(Array.scalar(0.5)).add(x);
            }
            return y;
        }, x0);
    }

    @Test
    void scannedTanhRnnOverTheSeriesInput() {
        Array w = gaussian(0.5, 3, 3);
        Array h0 = gaussian(0.5, 3);
        Array xs0 = gaussian(0.7, 4, 3);
        // the input is the scanned sequence: every step slices its coefficients, the outputs stack theirs
        UnaryOperator<Array> f = xs -> {
            Scan<Array, Array> s = Lax.scan((Array h, Array x) -> {
                Array next = Jnp.tanh(Jnp.matmul(w, h).add(x));
                return new ScanStep<>(next, Jnp.sin(next));
            }, h0, xs);
            return Jnp.concatenate(List.of(s.ys(), Jnp.expandDims(s.carry(), 0)), 0);
        };
        check("scan rnn", f, xs -> {
            Array h = h0;
            List<Array> rows = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                h = Jnp.tanh(Jnp.matmul(w, h).add(Lax.reshape(Lax.slice(xs, new int[] {t, 0}, new int[] {t + 1, 3}, new int[] {1, 1}), 3)));
                rows.add(Jnp.expandDims(Jnp.sin(h), 0));
            }
            rows.add(Jnp.expandDims(h, 0));
            return Jnp.concatenate(rows, 0);
        }, xs0);
    }

    @Test
    void equinoxWhileKinds() {
        Array x0 = gaussian(0.5, 2);
        UnaryOperator<Array> plain = x -> {
            Array y = x;
            for (int i = 0; i < 3; i++) {
                y = step(y, x);
            }
            return y;
        };
        for (WhileKind kind : WhileKind.values()) {
            UnaryOperator<Array> f = x -> Eqx.whileLoop((List<Array> c) -> Jnp.less(c.get(0), Array.scalar(3)),
                    c -> List.of(c.get(0).add(Array.scalar(1)), step(c.get(1), x)), List.of(Array.scalar(0), x), 8,
                    kind).get(1);
            check("Eqx.whileLoop " + kind, f, plain, x0);
        }
    }

    @Test
    void sortPermutesEverySeriesLikeThePrimal() {
        Array x0 = Array.of(0.3, -1.2, 2.5, 0.9, -0.4);
        int[] order = {1, 4, 0, 3, 2}; // the ascending order of x0, kept for every point near it
        UnaryOperator<Array> plain = x -> {
            List<Array> rows = new ArrayList<>();
            for (int i : order) {
                rows.add(Lax.slice(x, new int[] {i}, new int[] {i + 1}, new int[] {1}));
            }
            return Jnp.sin(Jnp.concatenate(rows, 0));
        };
        check("sort", x -> Jnp.sin(Lax.sort(new Array[] {x}, 0, 1)[0]), plain, x0);
    }

    @Test
    void cumulativeProductAndMaximum() {
        Array x0 = Array.of(0.8, -1.3, 0.0, 1.7, 0.6, -0.9, 1.1);
        for (boolean reverse : new boolean[] {false, true}) {
            UnaryOperator<Array> plain = x -> {
                List<Array> rows = new ArrayList<>();
                Array acc = null;
                for (int j = 0; j < 7; j++) {
                    int i = reverse ? 6 - j : j;
                    Array xi = Lax.slice(x, new int[] {i}, new int[] {i + 1}, new int[] {1});
                    acc = acc == null ? xi : acc.mul(xi);
                    rows.add(reverse ? 0 : rows.size(), acc);
                }
                return Jnp.concatenate(rows, 0);
            };
            check("cumprod " + reverse, x -> Lax.cumprod(x, 0, reverse), plain, x0);
        }
        Array y0 = Array.of(0.8, -1.3, 0.1, 1.7, 0.6);
        check("cummax", x -> Lax.cummax(x, 0, false), x -> Jnp.concatenate(List.of(
                Lax.slice(x, new int[] {0}, new int[] {1}, new int[] {1}),
                Lax.slice(x, new int[] {0}, new int[] {1}, new int[] {1}),
                Lax.slice(x, new int[] {0}, new int[] {1}, new int[] {1}),
                Lax.slice(x, new int[] {3}, new int[] {4}, new int[] {1}),
                Lax.slice(x, new int[] {3}, new int[] {4}, new int[] {1})), 0), y0);
    }

    @Test
    void composesWithVmapAndGrad() {
        List<Array> unit = List.of(Array.scalar(1.0), Array.scalar(0.0), Array.scalar(0.0));
        UnaryOperator<Array> f = x -> Lax.cond(Jnp.greater(x, Array.scalar(0.0)), Jnp::sin, Jnp::exp, x);
        // vmap of jet: the predicate differs between examples, so the batched cond selects per example
        Array xs = Array.of(-0.7, 0.4, 1.3);
        Array third = Jax.vmap((Array x) -> Jax.jet(f, x, unit).series().get(2)).apply(xs);
        double[] got = third.toDoubleArray();
        double[] x = xs.toDoubleArray();
        for (int i = 0; i < x.length; i++) {
            assertEquals(x[i] > 0 ? -Math.cos(x[i]) : Math.exp(x[i]), got[i], 1e-15, "example " + i);
        }
        // grad of a jet coefficient through a scan (reverse mode through the staged jet of the body)
        UnaryOperator<Array> loop = p -> Lax.scan((Array h, Array unused) -> new ScanStep<>(Jnp.tanh(h.mul(p)), null),
                p, null, ScanOptions.ofLength(3)).carry();
        UnaryOperator<Array> unrolled = p -> Jnp.tanh(Jnp.tanh(Jnp.tanh(p.mul(p)).mul(p)).mul(p));
        Array p0 = Array.scalar(0.8);
        Array viaScan = Jax.grad((Array p) -> Jax.jet(loop, p, unit).series().get(2)).apply(p0);
        Array viaLoop = Jax.grad((Array p) -> Jax.jet(unrolled, p, unit).series().get(2)).apply(p0);
        JetOracles.assertClose("grad of the third coefficient", viaLoop, viaScan, 1e-12);
    }

    @Test
    void laplacianThroughAForiLoop() {
        // the Laplacian is vmap of jet over the basis: the jet of the loop is batched like any scan
        UnaryOperator<Array> loop = x -> Jnp.sum(Lax.foriLoop(0, 3, (Array i, Array y) -> Jnp.sin(y).mul(x), x));
        UnaryOperator<Array> unrolled = x -> Jnp.sum(Jnp.sin(Jnp.sin(Jnp.sin(x).mul(x)).mul(x)).mul(x));
        Array x0 = Array.of(0.4, -0.9, 1.2);
        UnaryOperator<Array> byJvp = x -> {
            Array total = Array.scalar(0.0);
            for (int i = 0; i < 3; i++) {
                Array e = Jnp.reshape(Lax.slice(Jnp.eye(DType.FLOAT64, 3), new int[] {i, 0}, new int[] {i + 1, 3},
                        new int[] {1, 1}), 3);
                total = total.add(Jax.jvp((Array v) -> Jax.jvp(unrolled, v, e).tangent(), x, e).tangent());
            }
            return total;
        };
        JetOracles.assertClose("laplacian", byJvp.apply(x0), Jax.laplacian(loop).apply(x0), 1e-12);
    }

    @Test
    void jetOfJetThroughAWhileLoop() {
        Array x0 = Array.scalar(0.6);
        List<Array> unit = List.of(Array.scalar(1.0), Array.scalar(0.0), Array.scalar(0.0));
        UnaryOperator<Array> loop = x -> Lax.whileLoop((List<Array> c) -> Jnp.less(c.get(0), Array.scalar(3)),
                c -> List.of(c.get(0).add(Array.scalar(1)), step(c.get(1), x)), List.of(Array.scalar(0), x)).get(1);
        UnaryOperator<Array> unrolled = x -> step(step(step(x, x), x), x);
        Array viaLoop = Jax.jet(x -> Jax.jet(loop, x, unit).series().get(1), x0, unit).series().get(2);
        Array viaUnrolled = Jax.jet(x -> Jax.jet(unrolled, x, unit).series().get(1), x0, unit).series().get(2);
        JetOracles.assertClose("fifth derivative", viaUnrolled, viaLoop, 1e-12);
    }
}
