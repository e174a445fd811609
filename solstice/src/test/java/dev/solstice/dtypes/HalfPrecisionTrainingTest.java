package dev.solstice.dtypes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Eqx;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.Nn;
import dev.solstice.Prng;
import dev.solstice.ValueAndGrad;
import dev.solstice.nn.MLP;
import dev.solstice.optim.GradientTransformation;
import dev.solstice.optim.Losses;
import dev.solstice.optim.Optim;
import dev.solstice.optim.Schedule;
import dev.solstice.optim.Update;
import dev.solstice.tree.Tree;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Optimisers, schedules, clipping and losses on float16/bfloat16 parameters and logits, with labels of every
 * integer dtype. As Optax: updates and moments keep the parameter's dtype. Oracles: Adam's first step is
 * {@code -lr sign(g)} (closed form), norms and cross-entropies against float64 on the same rounded values, a
 * training run whose loss must fall, and the int32-labelled loss for the other integer label dtypes.
 */
class HalfPrecisionTrainingTest {
    private static double eps(DType t) {
        return t == DType.BFLOAT16 ? Math.scalb(1.0, -8) : Math.scalb(1.0, -11);
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"BFLOAT16", "FLOAT16"})
    void adamsFirstStepIsMinusTheLearningRateTimesTheSign(DType t) {
        // the bias corrections 1 - 0.9 and 1 - 0.999 must not be computed in the half type, where 0.999 rounds to 1
        Array p = Array.of(t, new double[] {1, -2, 0.5, 3}, 4);
        // (1 - b2) g^2 stays a normal float16 for |g| >= 1/4; for smaller gradients it is subnormal in float16 and
        // loses bits, in JAX as here, and the first step is no longer the sign
        Array g = Array.of(t, new double[] {0.25, -3, 0.75, -0.5}, 4);
        var opt = Optim.adam(0.01);
        var state = opt.init(p);
        Update<?> u = Optim.update(opt, g, state, p);
        Array step = (Array) u.updates();
        assertEquals(t, step.dtype());
        double[] s = step.toDoubleArray();
        double[] gs = g.toDoubleArray();
        for (int i = 0; i < s.length; i++) {
            assertEquals(-0.01 * Math.signum(gs[i]), s[i], 0.01 * 8 * eps(t), "element " + i + " in " + t);
        }
        for (Array leaf : Tree.leaves(u.state())) {
            assertTrue(leaf.dtype() == t || leaf.dtype() == DType.INT32, "state leaf " + leaf.aval().str());
        }
        Array next = Eqx.applyUpdates(p, step);
        assertEquals(t, next.dtype());
    }

    /** bfloat16 rounding of a float, to nearest even: an emulation independent of the library's. */
    private static float bf(float v) {
        int b = Float.floatToRawIntBits(v);
        return Float.intBitsToFloat((b + 0x7FFF + ((b >>> 16) & 1)) & 0xFFFF0000);
    }

    /** A Java double as a weak scalar meets a bfloat16 array: rounded to bfloat16 first (JAX's rule). */
    private static float weak(double v) {
        return (float) Array.of(DType.BFLOAT16, new double[] {v}, 1).toDoubleArray()[0];
    }

    @Test
    void adamInBfloat16FollowsOptaxsOperationsBitForBit() {
        // Optax's scale_by_adam then scale(-lr), each operation rounded to bfloat16 (computed in float32, as XLA on
        // CPU), the bias corrections 1 - b^t in float32 rounded once; emulated here with Java floats
        double lr = 0.05;
        float[] p = {1.5f, -0.75f, 0.3125f};
        float[] mu = new float[3];
        float[] nu = new float[3];
        Array params = Array.of(DType.BFLOAT16, new double[] {p[0], p[1], p[2]}, 3);
        var opt = Optim.adam(lr);
        Object state = opt.init(params);
        java.util.Random r = new java.util.Random(5);
        for (int step = 1; step <= 6; step++) {
            float[] g = new float[3];
            for (int i = 0; i < 3; i++) {
                g[i] = bf((float) r.nextGaussian());
            }
            float bc1 = bf(1 - (float) Math.pow(0.9f, step));
            float bc2 = bf(1 - (float) Math.pow(0.999f, step));
            double[] want = new double[3];
            for (int i = 0; i < 3; i++) {
                mu[i] = bf(bf(g[i] * weak(0.1)) + bf(mu[i] * weak(0.9)));
                nu[i] = bf(bf(bf(g[i] * g[i]) * weak(1 - 0.999)) + bf(nu[i] * weak(0.999)));
                float mHat = bf(mu[i] / bc1);
                float vHat = bf(nu[i] / bc2);
                float u = bf(mHat / bf(bf((float) Math.sqrt(bf(vHat + 0f))) + weak(1e-8)));
                want[i] = bf(u * weak(-lr));
                p[i] = bf(p[i] + (float) want[i]);
            }
            @SuppressWarnings("unchecked")
            Update<Object> u = Optim.update((GradientTransformation<Object>) (GradientTransformation<?>) opt,
                    Array.of(DType.BFLOAT16, new double[] {g[0], g[1], g[2]}, 3), state, params);
            assertArrayEquals(want, ((Array) u.updates()).toDoubleArray(), 0.0, "step " + step);
            params = Eqx.applyUpdates(params, u.updates());
            assertArrayEquals(new double[] {p[0], p[1], p[2]}, params.toDoubleArray(), 0.0, "params after step " + step);
            state = u.state();
        }
    }

    @Test
    void adamWithFloat32MomentsOfBfloat16ParametersAsOptaxsMuDtype() {
        Array p = Array.of(DType.BFLOAT16, new double[] {1, -2, 0.5}, 3);
        Array g = Array.of(DType.BFLOAT16, new double[] {0.3, -1.5, 0.75}, 3);
        var opt = Optim.adam(0.01, 0.9, 0.999, 1e-8, DType.FLOAT32);
        var state = opt.init(p);
        Update<?> u = Optim.update(opt, g, state, p);
        Array step = (Array) u.updates();
        // the moment and so the update are float32 (bfloat16 gradient promoted with the float32 moment), nu bfloat16
        assertEquals(DType.FLOAT32, step.dtype());
        var adamState = (Optim.ScaleByAdamState) ((Optim.ChainState) u.state()).states().get(0);
        assertEquals(DType.FLOAT32, ((Array) adamState.mu()).dtype());
        assertEquals(DType.BFLOAT16, ((Array) adamState.nu()).dtype());
        // mu = 0.1 g with 0.1 rounded to bfloat16 (a weak scalar meeting the bfloat16 gradient) and the product
        // rounded to bfloat16, then widened: exactly representable in float32
        double tenth = Array.of(DType.BFLOAT16, new double[] {0.1}, 1).toDoubleArray()[0];
        double[] gs = g.toDoubleArray();
        for (int i = 0; i < 3; i++) {
            double want = Array.of(DType.BFLOAT16, new double[] {gs[i] * tenth}, 1).toDoubleArray()[0];
            assertEquals(want, ((Array) adamState.mu()).toDoubleArray()[i], 0.0);
            assertEquals(-0.01 * Math.signum(gs[i]), step.toDoubleArray()[i], 0.01 * 8 * eps(DType.BFLOAT16));
        }
        Array next = Eqx.applyUpdates(p, step);
        assertEquals(DType.BFLOAT16, next.dtype());
        assertArrayEquals(new double[] {0.98828125, -1.9921875, 0.490234375}, next.toDoubleArray(), 0.0);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Optim.adam(0.01, 0.9, 0.999, 1e-8, DType.INT32));
        assertTrue(e.getMessage().contains("muDtype"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"BFLOAT16", "FLOAT16"})
    void sgdWithMomentumAndSchedulesKeepTheDtype(DType t) {
        Array p = Array.of(t, new double[] {1, -2}, 2);
        Array g = Array.of(t, new double[] {0.5, 4}, 2);
        var sgd = Optim.sgd(0.1, 0.9, false);
        Update<?> u = Optim.update(sgd, g, sgd.init(p), p);
        assertEquals(t, ((Array) u.updates()).dtype());
        // -0.1 g: the weak 0.1 rounds to the half type first, then the product rounds once
        double lr = Array.of(t, new double[] {-0.1}, 1).toDoubleArray()[0];
        assertArrayEquals(Array.of(t, new double[] {lr * 0.5, lr * 4}, 2).toDoubleArray(),
                ((Array) u.updates()).toDoubleArray(), 0.0);
        for (Array leaf : Tree.leaves(u.state())) {
            assertEquals(t, leaf.dtype());
        }
        var scheduled = Optim.adam(Schedule.warmupCosineDecay(0.0, 0.1, 2, 10, 0.01));
        Object state = scheduled.init(p);
        Array params = p;
        for (int k = 0; k < 3; k++) {
            @SuppressWarnings("unchecked")
            Update<Object> v = Optim.update((GradientTransformation<Object>) (GradientTransformation<?>) scheduled, g, state, params);
            assertEquals(t, ((Array) v.updates()).dtype());
            params = Eqx.applyUpdates(params, v.updates());
            state = v.state();
        }
        assertEquals(t, params.dtype());
        assertTrue(params.toDoubleArray()[1] < -2, "the steps descend");
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"BFLOAT16", "FLOAT16"})
    void globalNormAndClippingInTheHalfType(DType t) {
        List<Array> grads = List.of(Array.of(t, new double[] {3, 4, 0.1}, 3), Array.of(t, new double[] {12, -0.3}, 2));
        double exact = 0;
        for (Array a : grads) {
            for (double v : a.toDoubleArray()) {
                exact += v * v;
            }
        }
        exact = Math.sqrt(exact);
        Array norm = Optim.globalNorm(grads);
        assertEquals(t, norm.dtype());
        assertEquals(exact, norm.item(), 4 * eps(t) * exact);
        var clip = Optim.clipByGlobalNorm(1.0);
        @SuppressWarnings("unchecked")
        List<Array> clipped = (List<Array>) Optim.update(clip, grads, clip.init(grads), grads).updates();
        double sq = 0;
        for (Array a : clipped) {
            assertEquals(t, a.dtype());
            for (double v : a.toDoubleArray()) {
                sq += v * v;
            }
        }
        assertEquals(1.0, Math.sqrt(sq), 8 * eps(t));
        var loose = Optim.clipByGlobalNorm(100.0);
        @SuppressWarnings("unchecked")
        List<Array> kept = (List<Array>) Optim.update(loose, grads, loose.init(grads), grads).updates();
        assertArrayEquals(grads.get(1).toDoubleArray(), kept.get(1).toDoubleArray(), 0.0);
    }

    @Test
    void aBfloat16MlpLearnsASyntheticRegression() {
        DType t = DType.BFLOAT16;
        Array xs = Prng.uniform(Prng.key(1), new int[] {32, 2}, t, -1, 1);
        double[] xv = xs.toDoubleArray();
        double[] yv = new double[32];
        for (int i = 0; i < 32; i++) {
            yv[i] = Math.sin(2 * xv[2 * i]) + 0.5 * xv[2 * i + 1];
        }
        Array ys = Array.of(t, yv, 32);
        MLP model = new MLP(2, dev.solstice.nn.Linear.SCALAR, 16, 2, Jnp::tanh, x -> x, true, true, t, Prng.key(2));
        java.util.function.Function<MLP, Array> loss = m -> {
            Array pred = Jax.vmap((UnaryOperator<Array>) m::apply).apply(xs);
            return Jnp.mean(Jnp.square(Jnp.subtract(pred, ys).astype(DType.FLOAT32)));
        };
        var opt = Optim.adam(0.03);
        var state = opt.init(model);
        double first = loss.apply(model).item();
        var valueAndGrad = Eqx.filterValueAndGrad(loss);
        double last = first;
        for (int step = 0; step < 60; step++) {
            ValueAndGrad<MLP> vg = valueAndGrad.apply(model);
            last = vg.value().item();
            var u = Optim.update(opt, vg.grad(), state, model);
            model = Eqx.applyUpdates(model, u.updates());
            state = u.state();
        }
        for (Array leaf : Tree.leaves(model)) {
            assertEquals(t, leaf.dtype());
        }
        for (Array leaf : Tree.leaves(state)) {
            assertTrue(leaf.dtype() == t || leaf.dtype() == DType.INT32, leaf.aval().str());
        }
        assertTrue(last < 0.25 * first, "loss " + first + " -> " + last);
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"BFLOAT16", "FLOAT16"})
    void crossEntropyTakesHalfLogitsAndLabelsOfEveryIntegerDtype(DType t) {
        double[] lv = {2, 0.5, -1, 0, 3, 1.25, -0.5, 0.75, 1, 0.25, -2, 4, 0, 0, 0};
        Array logits = Array.of(t, lv, 3, 5);
        long[] labels = {0, 4, 3};
        Array reference = Losses.softmaxCrossEntropyWithIntegerLabels(logits, Array.of(labels, 3).astype(DType.INT32));
        assertEquals(t, reference.dtype());
        double[] stored = logits.toDoubleArray();
        for (int r = 0; r < 3; r++) {
            double m = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < 5; c++) {
                m = Math.max(m, stored[5 * r + c]);
            }
            double s = 0;
            for (int c = 0; c < 5; c++) {
                s += Math.exp(stored[5 * r + c] - m);
            }
            double want = Math.log(s) + m - stored[5 * r + (int) labels[r]];
            assertEquals(want, reference.toDoubleArray()[r], 16 * eps(t) * Math.max(1, want), "row " + r);
        }
        for (DType lt : new DType[] {DType.INT8, DType.UINT8, DType.UINT32, DType.INT64}) {
            Array got = Losses.softmaxCrossEntropyWithIntegerLabels(logits, Array.of(labels, 3).astype(lt));
            assertEquals(t, got.dtype());
            assertArrayEquals(reference.toDoubleArray(), got.toDoubleArray(), 0.0, lt.toString());
        }
        // labels outside [0, classes) give NaN, whatever their dtype (uint8 200, int8 -1, int64 2^40)
        Array bad = Losses.softmaxCrossEntropyWithIntegerLabels(logits.get(0).reshape(1, 5),
                Array.of(new long[] {200}, 1).astype(DType.UINT8));
        assertTrue(Double.isNaN(bad.toDoubleArray()[0]));
        assertTrue(Double.isNaN(Losses.softmaxCrossEntropyWithIntegerLabels(logits.get(0).reshape(1, 5),
                Array.of(new long[] {-1}, 1).astype(DType.INT8)).toDoubleArray()[0]));
        assertTrue(Double.isNaN(Losses.softmaxCrossEntropyWithIntegerLabels(logits.get(0).reshape(1, 5),
                Array.of(new long[] {1L << 40}, 1)).toDoubleArray()[0]));
        // gradients flow to the half logits, in their dtype
        Array g = Jax.grad((Array l) -> Jnp.sum(Losses.softmaxCrossEntropyWithIntegerLabels(l,
                Array.of(labels, 3).astype(DType.UINT8))).astype(DType.FLOAT32)).apply(logits);
        assertEquals(t, g.dtype());
        Array oneHot = Nn.oneHot(Array.of(labels, 3).astype(DType.INT8), 5, logits);
        assertEquals(t, oneHot.dtype());
        assertArrayEquals(reference.toDoubleArray(), Losses.softmaxCrossEntropy(logits, oneHot).toDoubleArray(),
                8 * eps(t) * 8);
    }

    @Test
    void ctcTakesInt64AndUint8Labels() {
        Array logits = Prng.normal(Prng.key(3), new int[] {1, 4, 3}, DType.FLOAT32);
        Array paddings = Jnp.zeros(DType.FLOAT32, 1, 4);
        Array labels = Array.of(new int[] {1, 2}, 1, 2);
        Array labelPaddings = Jnp.zeros(DType.FLOAT32, 1, 2);
        Array want = Losses.ctcLoss(logits, paddings, labels, labelPaddings);
        for (DType lt : new DType[] {DType.INT64, DType.UINT8}) {
            assertArrayEquals(want.toDoubleArray(),
                    Losses.ctcLoss(logits, paddings, labels.astype(lt), labelPaddings).toDoubleArray(), 0.0, lt.toString());
        }
    }
}
