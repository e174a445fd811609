package dev.solstice;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Measurement, not a test (runs only with {@code -Dsolstice.bench=true}): the 4th and 6th derivative of a 3-layer
 * tanh network along a direction by Jax.jet and by nested Jax.jvp, timed alternately on one machine (medians),
 * with their agreement; the Laplacian by Jax.laplacian against a vmap of order-2 jets over the basis; and the 4th
 * derivative through cholesky and eigh by both.
 */
@EnabledIfSystemProperty(named = "solstice.bench", matches = "true")
class JetBenchmark {

    private static double medianMillis(List<Long> nanos) {
        long[] a = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        return a[a.length / 2] / 1e6;
    }

    private static double[] race(Supplier<Array> a, Supplier<Array> b, int reps) {
        for (int i = 0; i < 10; i++) { // warm-up
            a.get().toDoubleArray();
            b.get().toDoubleArray();
        }
        List<Long> ta = new ArrayList<>();
        List<Long> tb = new ArrayList<>();
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            a.get().toDoubleArray();
            long t1 = System.nanoTime();
            b.get().toDoubleArray();
            long t2 = System.nanoTime();
            ta.add(t1 - t0);
            tb.add(t2 - t1);
        }
        return new double[] {medianMillis(ta), medianMillis(tb)};
    }

    private static Array nested(UnaryOperator<Array> f, Array x, Array v, int k) {
        UnaryOperator<Array> d = f;
        for (int i = 0; i < k; i++) {
            UnaryOperator<Array> inner = d;
            d = p -> Jax.jvp(inner, p, v).tangent();
        }
        return d.apply(x);
    }

    private static Array jet(UnaryOperator<Array> f, Array x, Array v, int k) {
        List<Array> series = new ArrayList<>(List.of(v));
        for (int i = 1; i < k; i++) {
            series.add(Jnp.zerosLike(v));
        }
        return Jax.jet(f, x, series).series().get(k - 1);
    }

    /** The k-th derivative of {@code f} at {@code x} along {@code v} by jet and by nested jvp: times and values. */
    private static void printRace(String label, UnaryOperator<Array> f, Array x, Array v, int k, int reps) {
        double jetValue = jet(f, x, v, k).item();
        double nestedValue = nested(f, x, v, k).item();
        double[] ms = race(() -> jet(f, x, v, k), () -> nested(f, x, v, k), reps);
        System.out.printf("%s: jet %.2f ms, nested jvp %.2f ms (x%.1f); values %.17g vs %.17g, relative difference"
                + " %.2e%n", label, ms[0], ms[1], ms[1] / ms[0], jetValue, nestedValue,
                Math.abs(jetValue - nestedValue) / Math.abs(nestedValue));
    }

    @Test
    void jetVersusNestedJvp() {
        Random random = new Random(4);
        int in = Integer.getInteger("solstice.bench.in", 16);
        int width = Integer.getInteger("solstice.bench.width", 64);
        UnaryOperator<Array> net = JetTest.tanhNetwork(random, in, width);
        double[] xs = new double[in];
        double[] vs = new double[in];
        for (int i = 0; i < in; i++) {
            xs[i] = random.nextGaussian();
            vs[i] = random.nextGaussian();
        }
        Array x = Array.of(xs);
        Array v = Array.of(vs);
        UnaryOperator<Array> byJet = p -> {
            Array basis = Jnp.eye(DType.FLOAT64, in);
            return Jnp.sum(Jax.vmap((Array e) -> jet(net, p, e, 2)).apply(basis));
        };
        // warm the JVM's compiler on every candidate before timing any of them
        long until = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < until) {
            for (int k : new int[] {4, 6}) {
                jet(net, x, v, k).item();
                nested(net, x, v, k).item();
            }
            byJet.apply(x).item();
            Jax.laplacian(net).apply(x).item();
        }
        for (int k : new int[] {4, 6}) {
            printRace("order " + k + " (in " + in + ", width " + width + ", float64)", net, x, v, k, 31);
        }
        // the Laplacian: forward-over-forward on the basis (Jax.laplacian) against one order-2 jet per basis vector
        double lapJet = byJet.apply(x).item();
        double lap = Jax.laplacian(net).apply(x).item();
        double[] ms = race(() -> byJet.apply(x), () -> Jax.laplacian(net).apply(x), 31);
        System.out.printf("laplacian (in %d, width %d): vmap of jets %.2f ms, Jax.laplacian %.2f ms; values %.17g vs"
                + " %.17g%n", in, width, ms[0], ms[1], lapJet, lap);
    }

    /**
     * The 4th derivative of {@code t -> sum(g(A0 + t A1))} for cholesky (its closed-form rule) and the eigenvalues
     * of eigh (closed forms: one recursion per order), {@code A0} positive definite, {@code A1} symmetric.
     */
    @Test
    void factorisationJetVersusNestedJvp() {
        Random random = new Random(5);
        int k = 4;
        Map<String, UnaryOperator<Array>> factorisations = new LinkedHashMap<>();
        factorisations.put("cholesky", Linalg::cholesky);
        factorisations.put("log of eigh values", a -> Jnp.log(Linalg.eigh(a).eigenvalues()));
        factorisations.forEach((name, g) -> {
            for (int n : new int[] {16, 64}) {
                Array m = JetOracles.gaussian(random, 1, n, n);
                Array a0 = Jnp.matmul(m, Lax.transpose(m, 1, 0)).add(Jnp.eye(DType.FLOAT64, n).mul(Array.scalar(n)));
                Array s = JetOracles.gaussian(random, 1, n, n);
                Array a1 = s.add(Lax.transpose(s, 1, 0));
                UnaryOperator<Array> f = t -> Jnp.sum(g.apply(a0.add(a1.mul(t))));
                Array t0 = Array.scalar(0.0);
                Array one = Array.scalar(1.0);
                long until = System.nanoTime() + 3_000_000_000L; // warm the JVM's compiler on both first
                while (System.nanoTime() < until) {
                    jet(f, t0, one, k).item();
                    nested(f, t0, one, k).item();
                }
                printRace(name + " order " + k + " (n " + n + ", float64)", f, t0, one, k, 41);
            }
        });
    }
}
