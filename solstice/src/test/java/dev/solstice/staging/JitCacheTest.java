package dev.solstice.staging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.Eqx;
import dev.solstice.Jax;
import dev.solstice.JitOptions;
import dev.solstice.Jitted;
import dev.solstice.Jnp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The trace cache: what makes a new trace, what does not, explanations, static arguments, threads, bounds. */
class JitCacheTest {

    /** Parameters whose static activation name changes the trace. */
    record Layer(Array w, Array b, String activation) {}

    record Activated(Array x, java.util.function.UnaryOperator<Array> activation) {}

    /** Arrays only: all traced under Jax.jit. */
    record Params(Array w, Array b) {}

    @Test
    void sameAvalsTraceOnceAndANewShapeTracesAgain() {
        AtomicInteger runs = new AtomicInteger();
        Jitted<Array, Array> f = Jax.jit(x -> {
            runs.incrementAndGet();
            return Jnp.sum(x.mul(x));
        });
        assertEquals(14.0, f.apply(Array.of(1.0, 2.0, 3.0)).item(), 0.0);
        assertEquals(77.0, f.apply(Array.of(4.0, 5.0, 6.0)).item(), 0.0);
        assertEquals(1, f.traceCount());
        assertEquals(1, runs.get(), "the Java code runs only when tracing");
        assertEquals(1.0, f.apply(Array.of(1.0)).item(), 0.0);
        assertEquals(2, f.traceCount());
        f.apply(Array.of(1.0, 1.0, 1.0));
        assertEquals(2, f.traceCount(), "both shapes stay cached");
        f.apply(Array.of(1.0f, 1.0f, 1.0f));
        assertEquals(3, f.traceCount(), "a new dtype traces again");
        assertEquals(3, f.cacheSize());
    }

    @Test
    void aStaticValueChangeTracesAgain() {
        Jitted<Layer, Array> f = Eqx.filterJit(l -> {
            Array y = l.w().add(l.b());
            return l.activation().equals("tanh") ? Jnp.tanh(y) : Jnp.sin(y);
        });
        Array w = Array.of(0.5, 1.0);
        Array b = Array.of(0.25, -1.0);
        assertArrayEquals(Jnp.tanh(w.add(b)).toDoubleArray(), f.apply(new Layer(w, b, "tanh")).toDoubleArray(), 0.0);
        assertArrayEquals(Jnp.tanh(w.add(b)).toDoubleArray(), f.apply(new Layer(b, w, "tanh")).toDoubleArray(), 0.0);
        assertEquals(1, f.traceCount());
        assertArrayEquals(Jnp.sin(w.add(b)).toDoubleArray(), f.apply(new Layer(w, b, "sin")).toDoubleArray(), 0.0);
        assertEquals(2, f.traceCount());
        assertEquals("Eqx.filterJit(fn) traced (trace 2): static value at activation: was \"tanh\", now \"sin\"",
                f.explainCacheMiss());
    }

    @Test
    void aLambdaMadeAnewAtEachCallIsNamedAsTheCauseOfRetracing() {
        Jitted<Activated, Array> f = Eqx.filterJit((Activated a) -> a.activation().apply(a.x()));
        Array x = Array.of(0.5, -1.0);
        java.util.function.UnaryOperator<Array> kept = Jnp::tanh;
        f.apply(new Activated(x, kept));
        f.apply(new Activated(x, kept));
        assertEquals(1, f.traceCount(), "one lambda instance kept: one trace");
        for (int i = 2; i <= 3; i++) {
            double scale = i;
            Array r = f.apply(new Activated(x, v -> v.mul(scale))); // captures a local: a new instance per call
            assertArrayEquals(new double[] {0.5 * i, -1.0 * i}, r.toDoubleArray(), 0.0);
            assertEquals(i, f.traceCount());
        }
        assertTrue(f.explainCacheMiss().contains("same lambda class, which compare by identity"), f.explainCacheMiss());
        assertTrue(f.explainCacheMiss().contains("create it once and keep it"), f.explainCacheMiss());
    }

    @Test
    void aJavaDoubleAndAFloat64ArrayAreDifferentKeys() {
        Jitted<List<Object>, Array> f = Jax.jit((List<Object> args) -> {
            Array x = (Array) args.get(0);
            Object s = args.get(1);
            return x.mul(s instanceof Double d ? Array.scalar(d) : (Array) s);
        });
        Array x = Array.of(1.0, 2.0);
        assertArrayEquals(new double[] {2, 4}, f.apply(List.of(x, 2.0)).toDoubleArray(), 0.0);
        assertArrayEquals(new double[] {2, 4}, f.apply(List.of(x, Array.scalar(2.0))).toDoubleArray(), 0.0);
        assertEquals(2, f.traceCount());
        assertArrayEquals(new double[] {3, 6}, f.apply(List.of(x, Array.scalar(3.0))).toDoubleArray(), 0.0);
        assertEquals(2, f.traceCount(), "a traced scalar's value is not part of the key");
        assertArrayEquals(new double[] {3, 6}, f.apply(List.of(x, 3.0)).toDoubleArray(), 0.0);
        assertEquals(3, f.traceCount(), "a Java number is static: a new value traces again");
        assertTrue(f.explainCacheMiss().endsWith("static value at [1]: was 2.0, now 3.0"), f.explainCacheMiss());
    }

    @Test
    void theExplanationNamesThePathAndBothAvals() {
        Jitted<List<Params>, Array> f = Jax.jit((List<Params> ps) -> Jnp.sum(ps.getLast().w()).add(Jnp.sum(ps.getFirst().b())));
        Params p = new Params(Array.of(1f, 2f, 3f), Array.of(1f));
        assertTrue(f.explainCacheMiss().startsWith("no call"), f.explainCacheMiss());
        f.apply(List.of(p, p));
        assertEquals("Jax.jit(fn) traced (trace 1): first call with [float32[3], float32[1], float32[3], float32[1]]",
                f.explainCacheMiss());
        f.apply(List.of(p, new Params(Array.of(1f, 2f, 3f, 4f), Array.of(1f))));
        assertEquals("Jax.jit(fn) traced (trace 2): at [1].w: was float32[3], now float32[4]", f.explainCacheMiss());
        f.apply(List.of(p));
        assertTrue(f.explainCacheMiss().contains("structure at the argument"), f.explainCacheMiss());
    }

    @Test
    void staticArgumentsByPositionAndNameAreSeenAsValues() {
        AtomicInteger traces = new AtomicInteger();
        Jitted<List<Object>, Array> power = Jax.jit((List<Object> args) -> {
            traces.incrementAndGet();
            Array x = (Array) args.get(0);
            String mode = (String) args.get(1);
            Array y = x;
            for (int i = 1; i < (Integer) args.get(2); i++) { // a Java loop bound: fine when static
                y = y.mul(x);
            }
            return mode.equals("neg") ? Jnp.negative(y) : y;
        }, JitOptions.staticArgs(1));
        Array x = Array.of(2.0, 3.0);
        assertArrayEquals(new double[] {-8, -27}, power.apply(List.of(x, "neg", 3)).toDoubleArray(), 0.0);
        assertArrayEquals(new double[] {4, 9}, power.apply(List.of(x, "pos", 2)).toDoubleArray(), 0.0);
        assertArrayEquals(new double[] {-8, -27}, power.apply(List.of(Array.of(2.0, 3.0), "neg", 3)).toDoubleArray(), 0.0);
        assertEquals(2, traces.get());
        assertTrue(power.explainCacheMiss().contains("trace 2"), power.explainCacheMiss());

        Jitted<Map<String, Object>, Array> scaled = Jax.jit((Map<String, Object> args) ->
                ((Array) args.get("x")).mul(((List<?>) args.get("scales")).size()), JitOptions.staticArgNames("scales"));
        assertArrayEquals(new double[] {4, 6}, scaled.apply(Map.of("x", x, "scales", List.of("a", "b"))).toDoubleArray(), 0.0);
        scaled.apply(Map.of("x", x, "scales", List.of("a", "c")));
        assertEquals(2, scaled.traceCount());
        assertEquals("Jax.jit(fn) traced (trace 2): static argument [\"scales\"]: was [a, b], now [a, c]",
                scaled.explainCacheMiss());
    }

    @Test
    void leavesThatCannotBeTracedOrStaticAreClearErrors() {
        Jitted<Layer, Array> plain = Jax.jit((Layer l) -> l.w());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> plain.apply(new Layer(Array.of(1.0), Array.of(2.0), "tanh")));
        assertTrue(e.getMessage().startsWith("Jax.jit: the leaf at activation is \"tanh\""), e.getMessage());
        assertTrue(e.getMessage().contains("JitOptions.staticArgs") && e.getMessage().contains("Eqx.filterJit"), e.getMessage());
        assertEquals(0, plain.traceCount());

        Jitted<List<Object>, Array> raw = Eqx.filterJit((List<Object> args) -> (Array) args.get(0));
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                () -> raw.apply(List.of(Array.of(1.0), List.of(new double[] {1, 2}))));
        assertTrue(e2.getMessage().startsWith("Eqx.filterJit: the leaf at [1][0] is a Java double[]"), e2.getMessage());

        Jitted<List<Object>, Array> missing = Jax.jit((List<Object> args) -> (Array) args.get(0), JitOptions.staticArgs(2));
        IllegalArgumentException e3 = assertThrows(IllegalArgumentException.class,
                () -> missing.apply(List.of(Array.of(1.0), 2.0)));
        assertTrue(e3.getMessage().contains("names 2, which the argument does not have: its top-level entries are"
                + " positions 0 to 1"), e3.getMessage());

        Jitted<List<Object>, Array> arrayStatic = Jax.jit((List<Object> args) -> (Array) args.get(0), JitOptions.staticArgs(1));
        IllegalArgumentException e4 = assertThrows(IllegalArgumentException.class,
                () -> arrayStatic.apply(List.of(Array.of(1.0), new Params(Array.of(1.0), Array.of(2.0)))));
        assertTrue(e4.getMessage().contains("the static argument [1] holds arrays"), e4.getMessage());
    }

    @Test
    void nonArrayOutputsComeBackAsTheyWereWhenTracing() {
        record Out(Array y, String note) {}
        AtomicInteger counter = new AtomicInteger();
        Jitted<Array, Out> f = Eqx.filterJit((Array x) -> new Out(x.add(1.0), "trace " + counter.incrementAndGet()));
        Out first = f.apply(Array.of(1.0));
        Out second = f.apply(Array.of(5.0));
        assertEquals("trace 1", second.note());
        assertEquals(6.0, second.y().item(), 0.0);
        assertEquals("trace 1", first.note());
    }

    @Test
    void eightThreadsCallingTogetherTraceOnceAndAgree() throws Exception {
        int threads = 8;
        AtomicInteger traces = new AtomicInteger();
        Jitted<Array, Array> f = Jax.jit(x -> {
            traces.incrementAndGet();
            try {
                Thread.sleep(100); // holds the trace open while the other threads arrive
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Jnp.tanh(x).mul(x);
        });
        Array x = Array.of(0.5, -1.0, 2.0, 3.5);
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<double[]>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return f.apply(x).toDoubleArray();
                }));
            }
            double[] expected = Jnp.tanh(x).mul(x).toDoubleArray();
            for (Future<double[]> r : results) {
                assertArrayEquals(expected, r.get(), 0.0);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, traces.get());
        assertEquals(1, f.traceCount());
    }

    @Test
    void aFailedTraceIsNotCachedAndTheNextCallTriesAgain() {
        AtomicInteger calls = new AtomicInteger();
        Jitted<Array, Array> f = Jax.jit(x -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("first trace fails");
            }
            return x.add(1.0);
        });
        assertThrows(IllegalStateException.class, () -> f.apply(Array.of(1.0)));
        assertEquals(2.0, f.apply(Array.of(1.0)).item(), 0.0);
        assertEquals(1, f.cacheSize());
    }

    @Test
    void aCallCapturingAnOuterTracerIsNotCachedAcrossCalls() {
        Array x0 = Array.of(1.0, 2.0);
        List<Jitted<Array, Array>> made = new ArrayList<>();
        Jitted<Array, Array>[] shared = new Jitted[1];
        java.util.function.Function<Array, Array> dy = Jax.grad((Array y) -> {
            shared[0] = Jax.jit((Array x) -> x.mul(y));
            made.add(shared[0]);
            Array once = Jnp.sum(shared[0].apply(x0));
            return once.add(Jnp.sum(shared[0].apply(x0)));
        });
        assertEquals(2 * 3.0, dy.apply(Array.scalar(1.5)).item(), 0.0);
        assertEquals(2, shared[0].traceCount(), "each call traces, since the trace captured y");
        assertEquals(0, shared[0].cacheSize());
        assertSame(made.getFirst(), shared[0]);
    }
}
