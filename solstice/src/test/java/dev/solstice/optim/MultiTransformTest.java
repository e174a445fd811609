package dev.solstice.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.tree.Tree;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** multiTransform: each leaf updated by its label's transformation alone, states kept per label. */
class MultiTransformTest {
    record P(Array w, Array b) {}

    static final double LR_ADAM = 0.1;
    static final double LR_SGD = 0.01;

    static Map<String, GradientTransformation<?>> transforms() {
        return Map.of("adam", Optim.adam(LR_ADAM), "sgd", Optim.sgd(LR_SGD));
    }

    /** Adam's updates for a sequence of gradients of one leaf, by hand (Optax's defaults). */
    static double[][] adamByHand(double[][] grads) {
        int n = grads[0].length;
        double[] m = new double[n];
        double[] v = new double[n];
        double[][] out = new double[grads.length][n];
        for (int t = 1; t <= grads.length; t++) {
            for (int i = 0; i < n; i++) {
                double g = grads[t - 1][i];
                m[i] = 0.9 * m[i] + 0.1 * g;
                v[i] = 0.999 * v[i] + 0.001 * g * g;
                double mHat = m[i] / (1 - Math.pow(0.9, t));
                double vHat = v[i] / (1 - Math.pow(0.999, t));
                out[t - 1][i] = -LR_ADAM * mHat / (Math.sqrt(vHat) + 1e-8);
            }
        }
        return out;
    }

    static final double[][] W_GRADS = {{0.2, -0.4}, {0.1, 0.1}, {-3.0, 0.5}};
    static final double[] B_GRADS = {3.0, 1.0, -2.0};

    /** Runs three steps and checks w against Adam by hand and b against SGD by hand. */
    static void checkAdamOnWSgdOnB(GradientTransformation<?> opt) {
        P params = new P(Array.of(1.0, -2.0), Array.scalar(0.5));
        Object state = opt.init(params);
        double[][] adam = adamByHand(W_GRADS);
        for (int t = 0; t < 3; t++) {
            Update<?> u = Optim.update(opt, new P(Array.of(W_GRADS[t]), Array.scalar(B_GRADS[t])), state, params);
            state = u.state();
            assertArrayEquals(adam[t], ((P) u.updates()).w().toDoubleArray(), 1e-15, "w at step " + t);
            assertEquals(-LR_SGD * B_GRADS[t], ((P) u.updates()).b().item(), 1e-15, "b at step " + t);
        }
        Optim.MultiTransformState s = (Optim.MultiTransformState) state;
        assertEquals(List.of("adam", "sgd"), List.copyOf(s.innerStates().keySet()));
        // Adam's state holds w only: count, mu.w, nu.w; SGD keeps none
        assertEquals(3, Tree.leaves(s.innerStates().get("adam")).size());
        assertEquals(0, Tree.leaves(s.innerStates().get("sgd")).size());
        Optim.ScaleByAdamState adamState = (Optim.ScaleByAdamState) ((Optim.ChainState) ((Optim.MaskedState) s.innerStates()
                .get("adam")).innerState()).states().get(0);
        assertEquals(3, (int) adamState.count().item());
        assertNull(((P) adamState.mu()).b());
    }

    @Test
    void eachLeafFollowsItsLabelsTransformationWithAPerLeafLabelling() {
        checkAdamOnWSgdOnB(Optim.multiTransform(transforms(), (path, leaf) -> leaf.ndim() > 0 ? "adam" : "sgd"));
    }

    @Test
    void eachLeafFollowsItsLabelsTransformationWithALabellingFunctionOfTheParams() {
        Function<Object, Object> labels = params -> Map.of("w", "adam", "b", "sgd");
        // the labels tree must match the parameters' structure: here parameters that are a map
        Map<String, Object> params = Map.of("w", Array.of(1.0, -2.0), "b", Array.scalar(0.5));
        GradientTransformation<?> opt = Optim.multiTransform(transforms(), labels);
        Object state = opt.init(params);
        double[][] adam = adamByHand(W_GRADS);
        for (int t = 0; t < 3; t++) {
            Update<?> u = Optim.update(opt, Map.of("w", Array.of(W_GRADS[t]), "b", Array.scalar(B_GRADS[t])), state, params);
            state = u.state();
            Map<?, ?> upd = (Map<?, ?>) u.updates();
            assertArrayEquals(adam[t], ((Array) upd.get("w")).toDoubleArray(), 1e-15);
            assertEquals(-LR_SGD * B_GRADS[t], ((Array) upd.get("b")).item(), 1e-15);
        }
    }

    @Test
    void aLabelsTreeMayBeAPrefixOfTheParameters() {
        Map<String, Object> params = Map.of("enc", List.of(Array.of(1.0), Array.of(2.0)), "dec", Array.of(3.0));
        GradientTransformation<?> opt = Optim.multiTransform(Map.of("frozen", Optim.setToZero(), "train", Optim.sgd(0.5)),
                Map.of("enc", "frozen", "dec", "train"));
        Map<?, ?> u = (Map<?, ?>) Optim.update(opt, params, opt.init(params), params).updates();
        assertEquals(-1.5, ((Array) u.get("dec")).item(), 0);
        List<?> enc = (List<?>) u.get("enc");
        assertEquals(0.0, ((Array) enc.get(0)).item(), 0);
        assertEquals(0.0, ((Array) enc.get(1)).item(), 0);
        // one label for the whole tree
        GradientTransformation<?> all = Optim.multiTransform(Map.of("x", Optim.scale(2)), "x");
        Map<?, ?> v = (Map<?, ?>) Optim.update(all, params, all.init(params), params).updates();
        assertEquals(6.0, ((Array) v.get("dec")).item(), 0);
    }

    @Test
    void unknownOrMissingLabelsAreRefusedWithThePath() {
        P params = new P(Array.of(1.0, -2.0), Array.scalar(0.5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Optim.multiTransform(transforms(), (path, leaf) -> leaf.ndim() > 0 ? "adamw" : "sgd").init(params));
        assertTrue(e.getMessage().contains("multiTransform") && e.getMessage().contains("\"adamw\"")
                && e.getMessage().contains("at w") && e.getMessage().contains("[adam, sgd]"), e.getMessage());
        IllegalArgumentException f = assertThrows(IllegalArgumentException.class,
                () -> Optim.multiTransform(transforms(), (path, leaf) -> leaf.ndim() > 0 ? "adam" : null).init(params));
        assertTrue(f.getMessage().contains("no label") && f.getMessage().contains("at b"), f.getMessage());
        GradientTransformation<?> ok = Optim.multiTransform(transforms(), (path, leaf) -> "sgd");
        IllegalArgumentException g = assertThrows(IllegalArgumentException.class,
                () -> Optim.update(ok, params, new Optim.MultiTransformState(Map.of("sgd", new Optim.EmptyState())), params));
        // refused structurally before the update runs: the expected state has an inner state per label
        assertTrue(g.getMessage().contains("does not have the structure") && g.getMessage().contains("adam:"), g.getMessage());
    }
}
