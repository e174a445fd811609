package dev.solstice.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Eqx;
import dev.solstice.Jax;
import dev.solstice.Jitted;
import dev.solstice.Jnp;
import dev.solstice.Prng;
import dev.solstice.ValueAndGrad;
import dev.solstice.optim.GradientTransformation;
import dev.solstice.optim.Optim;
import dev.solstice.optim.Update;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A GRU scanned over time, then a linear read-out, learns to predict half the sum of a short sequence: a few
 * hundred Adam steps, each one jitted training step (filtered gradient of a vmapped loss, then the update).
 */
class RecurrentTrainingTest {
    private static final int BATCH = 64;
    private static final int TIME = 5;
    private static final int HIDDEN = 8;

    /** The sequence model: the GRU's final hidden state read out to a scalar. */
    record SumModel(Recurrent<Array> rnn, Linear head) implements Module {
        Array predict(Array xs) {
            return head.apply(rnn.finalState(xs));
        }
    }

    private static Array meanSquaredError(SumModel m, Array xs, Array ys) {
        Array predictions = Jax.vmap((Array x) -> m.predict(x)).apply(xs);
        Array err = predictions.sub(ys);
        return Jnp.mean(err.mul(err));
    }

    @Test
    void aScannedGruLearnsTheSumOfASequence() {
        Array[] k = Prng.split(Prng.key(21), 3);
        Array xs = Prng.uniform(k[0], new int[] {BATCH, TIME, 1}, DType.FLOAT32, -1, 1);
        Array ys = Jnp.sum(xs, 1, 2).mul(0.5);
        SumModel model = new SumModel(new Recurrent<>(new GRUCell(1, HIDDEN, k[1])), new Linear(HIDDEN, Linear.SCALAR, k[2]));
        GradientTransformation<?> adam = Optim.adam(0.02);
        Function<SumModel, ValueAndGrad<SumModel>> lossAndGrad =
                Eqx.filterValueAndGrad((SumModel m) -> meanSquaredError(m, xs, ys));
        Jitted<List<Object>, List<Object>> step = Eqx.filterJit((List<Object> in) -> {
            ValueAndGrad<SumModel> vg = lossAndGrad.apply((SumModel) in.get(0));
            Update<?> u = Optim.update(adam, vg.grad(), in.get(1), in.get(0));
            return List.of(Eqx.applyUpdates(in.get(0), u.updates()), u.state(), vg.value());
        });
        double first = meanSquaredError(model, xs, ys).toDoubleArray()[0];
        List<Object> state = List.of(model, adam.init(model));
        for (int i = 0; i < 300; i++) {
            List<Object> out = step.apply(state);
            state = List.of(out.get(0), out.get(1));
        }
        double last = meanSquaredError((SumModel) state.get(0), xs, ys).toDoubleArray()[0];
        assertTrue(last < first / 100, "loss fell from " + first + " to " + last);
        assertEquals(1, step.traceCount(), "one trace serves every step");
    }
}
