package dev.solstice.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Eqx;
import dev.solstice.Jax;
import dev.solstice.Jitted;
import dev.solstice.Jnp;
import dev.solstice.Lax;
import dev.solstice.Prng;
import dev.solstice.Scan;
import dev.solstice.testing.Numeric;
import dev.solstice.tree.Tree;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Recurrent (a cell scanned over time) against the same cell run by a plain Java loop: values, gradients (and
 * float64 central differences), vmap over a batch of sequences, and filterJit; and its trace does not unroll.
 */
class RecurrentScanTest {
    private static final int IN = 3;
    private static final int HIDDEN = 4;
    private static final int TIME = 6;

    private static final GRUCell GRU = new GRUCell(IN, HIDDEN, true, DType.FLOAT64, Prng.key(11));
    private static final LSTMCell LSTM = new LSTMCell(IN, HIDDEN, true, DType.FLOAT64, Prng.key(12));
    private static final Array XS = Prng.normal(Prng.key(13), new int[] {TIME, IN}, DType.FLOAT64);

    /** What the Java loop gives: the final state and the outputs in input order. */
    private record Unrolled<S>(S last, Array outputs) {}

    /** The oracle: the cell applied step by step in a Java for loop (no scan anywhere). */
    private static <S> Unrolled<S> unrolled(RecurrentCell<S> cell, Array xs, S init, boolean reverse) {
        int time = xs.shape()[0];
        Array[] outs = new Array[time];
        S s = init;
        for (int k = 0; k < time; k++) {
            int t = reverse ? time - 1 - k : k;
            s = cell.apply(xs.get(t), s);
            outs[t] = cell.output(s);
        }
        return new Unrolled<>(s, Jnp.stack(List.of(outs), 0));
    }

    /** A loss reading every output and the final state, with fixed unequal weights. */
    private static <S> Array loss(RecurrentCell<S> cell, Array outputs, S last) {
        Array w = Jnp.sin(Jnp.arange(outputs.size()).astype(DType.FLOAT64)).reshape(outputs.shape());
        Array tail = Tree.leaves(last).stream().map(Jnp::sum).reduce(Array::add).orElseThrow();
        return Jnp.sum(outputs.mul(w)).add(tail).add(Jnp.sum(cell.output(last).mul(cell.output(last))));
    }

    private static <S> Array scannedLoss(Recurrent<S> m, Array xs) {
        Scan<S, Array> s = m.scan(xs, m.cell().initialState());
        return loss(m.cell(), s.ys(), s.carry());
    }

    private static <S> Array unrolledLoss(Recurrent<S> m, Array xs) {
        Unrolled<S> u = unrolled(m.cell(), xs, m.cell().initialState(), m.reverse());
        return loss(m.cell(), u.outputs(), u.last());
    }

    private static void assertTreeClose(Object expected, Object actual, double tol, String what) {
        assertEquals(Tree.structure(expected), Tree.structure(actual), what + ": structure");
        Numeric.assertClose(Tree.ravel(expected).flat(), Tree.ravel(actual).flat(), tol, tol, what);
    }

    private static <S> void checkValues(RecurrentCell<S> cell, S init, String name) {
        for (boolean reverse : new boolean[] {false, true}) {
            String what = name + (reverse ? " reversed" : " forward");
            Recurrent<S> m = new Recurrent<>(cell, reverse);
            Unrolled<S> fromInit = unrolled(cell, XS, init, reverse);
            Scan<S, Array> s = m.scan(XS, init);
            assertTreeClose(fromInit.last(), s.carry(), 1e-12, what + " final state");
            Numeric.assertClose(fromInit.outputs(), s.ys(), 1e-12, 1e-12, what + " outputs");
            assertTreeClose(fromInit.last(), m.finalState(XS, init), 1e-12, what + " finalState(xs, init)");
            Unrolled<S> fromZero = unrolled(cell, XS, cell.initialState(), reverse);
            Numeric.assertClose(fromZero.outputs(), m.apply(XS), 1e-12, 1e-12, what + " apply");
            assertTreeClose(fromZero.last(), m.finalState(XS), 1e-12, what + " finalState(xs)");
            assertEquals(List.of(TIME, HIDDEN), List.of(s.ys().shape()[0], s.ys().shape()[1]));
        }
    }

    @Test
    void scannedCellsEqualTheJavaLoopForwardAndReversed() {
        checkValues(GRU, Prng.normal(Prng.key(14), new int[] {HIDDEN}, DType.FLOAT64), "GRU");
        LSTMCell.State init = new LSTMCell.State(Prng.normal(Prng.key(15), new int[] {HIDDEN}, DType.FLOAT64),
                Prng.normal(Prng.key(16), new int[] {HIDDEN}, DType.FLOAT64));
        checkValues(LSTM, init, "LSTM");
        // reversing the input reverses the order of the steps: reversed(xs) forward == xs reversed, flipped
        Array backward = new Recurrent<>(GRU, true).apply(XS);
        Numeric.assertClose(Lax.rev(backward, 0), new Recurrent<>(GRU).apply(Lax.rev(XS, 0)), 1e-12, 1e-12,
                "reverse vs flipped input");
        assertTrue(Math.abs(backward.get(0).toDoubleArray()[0] - new Recurrent<>(GRU).apply(XS).get(TIME - 1).toDoubleArray()[0]) > 1e-6,
                "the direction matters");
    }

    @Test
    void badInputNamesTheLayerAndShapes() {
        Recurrent<Array> m = new Recurrent<>(GRU);
        IllegalArgumentException wrongWidth = assertThrows(IllegalArgumentException.class,
                () -> m.apply(Jnp.zeros(DType.FLOAT64, TIME, IN + 1)));
        assertTrue(wrongWidth.getMessage().contains("Recurrent") && wrongWidth.getMessage().contains("[time, 3]")
                && wrongWidth.getMessage().contains("[6,4]"), wrongWidth.getMessage());
        IllegalArgumentException batched = assertThrows(IllegalArgumentException.class,
                () -> m.finalState(Jnp.zeros(DType.FLOAT64, 2, TIME, IN)));
        assertTrue(batched.getMessage().contains("Jax.vmap"), batched.getMessage());
    }

    private static <S> void checkGradient(Recurrent<S> model, String what) {
        Recurrent<S> scanned = Eqx.filterGrad((Recurrent<S> m) -> scannedLoss(m, XS)).apply(model);
        Recurrent<S> loop = Eqx.filterGrad((Recurrent<S> m) -> unrolledLoss(m, XS)).apply(model);
        assertTreeClose(loop, scanned, 1e-12, what + ": grad of scan vs grad of the loop");
        Tree.Raveled<Recurrent<S>> flat = Tree.ravel(model);
        Array g = Tree.ravel(scanned).flat();
        Random r = new Random(17);
        for (int k = 0; k < 3; k++) {
            Array dir = Numeric.random(r, DType.FLOAT64, -1, 1, flat.flat().size());
            double fd = Numeric.centralDifference(v -> scannedLoss(flat.unravel().apply(v), XS), flat.flat(), dir, 1e-3)[0];
            double ad = Numeric.dot(g, dir);
            assertEquals(fd, ad, 1e-9 * Math.max(1, Math.abs(fd)), what + ": directional derivative " + k);
        }
        // the input's gradient too (xs is scanned over, not captured)
        Array gx = Jax.grad((Array xs) -> scannedLoss(model, xs)).apply(XS);
        Array gxLoop = Jax.grad((Array xs) -> unrolledLoss(model, xs)).apply(XS);
        Numeric.assertClose(gxLoop, gx, 1e-12, 1e-12, what + ": grad wrt the inputs");
    }

    @Test
    void gradientsEqualTheUnrolledLoopAndCentralDifferences() {
        checkGradient(new Recurrent<>(GRU), "GRU");
        checkGradient(new Recurrent<>(GRU, true), "GRU reversed");
        checkGradient(new Recurrent<>(LSTM), "LSTM");
    }

    @Test
    void vmapOverABatchOfSequencesEqualsThePerSequenceLoop() {
        int batch = 4;
        Array xs = Prng.normal(Prng.key(18), new int[] {batch, TIME, IN}, DType.FLOAT64);
        Recurrent<Array> gru = new Recurrent<>(GRU);
        Array hs = Jax.vmap((Array x) -> gru.apply(x)).apply(xs);
        Recurrent<LSTMCell.State> lstm = new Recurrent<>(LSTM, true);
        LSTMCell.State last = Jax.vmap((Array x) -> lstm.finalState(x)).apply(xs);
        for (int b = 0; b < batch; b++) {
            Numeric.assertClose(unrolled(GRU, xs.get(b), GRU.initialState(), false).outputs(), hs.get(b), 1e-12, 1e-12,
                    "GRU sequence " + b);
            LSTMCell.State one = unrolled(LSTM, xs.get(b), LSTM.initialState(), true).last();
            Numeric.assertClose(one.h(), last.h().get(b), 1e-12, 1e-12, "LSTM h, sequence " + b);
            Numeric.assertClose(one.c(), last.c().get(b), 1e-12, 1e-12, "LSTM c, sequence " + b);
        }
    }

    @Test
    void filterJitEqualsEagerAndTheTraceDoesNotGrowWithLength() {
        Recurrent<Array> gru = new Recurrent<>(GRU);
        Jitted<Recurrent<Array>, Array> forward = Eqx.filterJit((Recurrent<Array> m) -> m.apply(XS));
        Numeric.assertClose(gru.apply(XS), forward.apply(gru), 1e-12, 1e-12, "jitted forward");
        Function<Recurrent<Array>, Recurrent<Array>> grad = Eqx.filterGrad((Recurrent<Array> m) -> scannedLoss(m, XS));
        assertTreeClose(grad.apply(gru), Eqx.filterJit(grad).apply(gru), 1e-12, "jitted gradient");
        forward.apply(new Recurrent<>(new GRUCell(IN, HIDDEN, true, DType.FLOAT64, Prng.key(19))));
        assertEquals(1, forward.traceCount(), "new weights of the same shapes reuse the trace");
        BiFunction<Integer, Recurrent<Array>, Integer> eqns = (time, m) -> Jax.makeJaxpr((Array xs) -> m.apply(xs))
                .apply(Jnp.zeros(DType.FLOAT64, time, IN)).program().eqns().size();
        assertEquals(eqns.apply(5, gru), eqns.apply(500, gru), "the scan is one operation, not unrolled");
    }
}
