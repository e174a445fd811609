package dev.solstice.dtypes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.Nn;
import dev.solstice.Prng;
import dev.solstice.nn.BatchNorm;
import dev.solstice.nn.Conv2d;
import dev.solstice.nn.ConvSpec;
import dev.solstice.nn.ConvTranspose1d;
import dev.solstice.nn.Embedding;
import dev.solstice.nn.GroupNorm;
import dev.solstice.nn.LSTMCell;
import dev.solstice.nn.Layer;
import dev.solstice.nn.LayerNorm;
import dev.solstice.nn.Linear;
import dev.solstice.nn.MLP;
import dev.solstice.nn.MultiheadAttention;
import dev.solstice.nn.RMSNorm;
import dev.solstice.Eqx;
import dev.solstice.tree.Tree;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Layers built in float16 and bfloat16: the output keeps the layer's dtype, and agrees with the same layer cast to
 * float32 (the oracle: float32 on the very same rounded weights and inputs) within the format's rounding, a few
 * units of 2^-8 (bfloat16) or 2^-11 (float16) relative to the output's scale; where the computation is one
 * float32 primitive rounded once (a matmul, a normalisation computed in float32), bit for bit.
 */
class HalfPrecisionLayersTest {
    private static double eps(DType t) {
        return t == DType.BFLOAT16 ? Math.scalb(1.0, -8) : Math.scalb(1.0, -11);
    }

    /** The tree with every floating leaf converted to {@code t} (an exact widening from the half types). */
    private static <T> T cast(T tree, DType t) {
        return Tree.map(a -> a.dtype().isFloating() ? a.astype(t) : a, tree);
    }

    private static Array input(DType t, int... shape) {
        return Prng.normal(Prng.key(11), shape, t);
    }

    /** |got - want| <= ops * eps * (max |want| + 1) elementwise, got of dtype t. */
    private static void assertClose(String what, DType t, Array got, Array want, double ops) {
        assertEquals(t, got.dtype(), what + ": dtype");
        assertArrayEquals(want.shape(), got.shape(), what + ": shape");
        double[] g = got.toDoubleArray();
        double[] w = want.toDoubleArray();
        double scale = 1;
        for (double v : w) {
            scale = Math.max(scale, Math.abs(v));
        }
        double tol = ops * eps(t) * scale;
        double worst = 0;
        for (int i = 0; i < g.length; i++) {
            assertTrue(Double.isFinite(g[i]), what + ": not finite at " + i);
            worst = Math.max(worst, Math.abs(g[i] - w[i]));
        }
        assertTrue(worst <= tol, what + " in " + t + ": error " + worst + " above " + tol);
    }

    private static void checkLayer(String what, DType t, Layer layer, Array x, double ops) {
        Array got = layer.apply(x);
        Array want = cast(layer, DType.FLOAT32).apply(x.astype(DType.FLOAT32));
        assertClose(what, t, got, want, ops);
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"BFLOAT16", "FLOAT16"})
    void linearIsTheFloat32MatmulRoundedOnceThenTheBias(DType t) {
        Linear l = new Linear(7, 5, true, t, Prng.key(0));
        assertEquals(t, l.weight().dtype());
        Array x = input(t, 7);
        Array got = l.apply(x);
        assertEquals(t, got.dtype());
        Array w32 = l.weight().astype(DType.FLOAT32);
        Array product = Jnp.matmul(w32, x.astype(DType.FLOAT32)).astype(t).astype(DType.FLOAT32);
        Array want = product.add(l.bias().astype(DType.FLOAT32)).astype(t);
        assertArrayEquals(want.toDoubleArray(), got.toDoubleArray(), 0.0, "each primitive rounded once");
        checkLayer("Linear", t, l, x, 2);
        Array batched = Jax.vmap((UnaryOperator<Array>) l::apply).apply(input(t, 4, 7));
        assertEquals(t, batched.dtype());
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"BFLOAT16", "FLOAT16"})
    void mlpAndConvolutionsAgreeWithFloat32(DType t) {
        MLP mlp = new MLP(4, 3, 8, 2, Nn::relu, x -> x, true, true, t, Prng.key(1));
        checkLayer("MLP", t, mlp, input(t, 4), 12);
        Conv2d conv = new Conv2d(3, 4, new int[] {3, 3}, ConvSpec.plain(2), true, t, Prng.key(2));
        checkLayer("Conv2d", t, conv, input(t, 3, 6, 6), 4);
        ConvTranspose1d deconv = new ConvTranspose1d(3, 2, new int[] {3}, ConvSpec.plain(1), true, t, Prng.key(3));
        checkLayer("ConvTranspose1d", t, deconv, input(t, 3, 5), 4);
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"BFLOAT16", "FLOAT16"})
    void normalisationsComputeInFloat32AndRoundOnce(DType t) {
        // as Equinox: the statistics in float32, the result rounded once to the example's dtype
        Array x = input(t, 6).mul(3.0).add(5.0);
        assertEquals(t, new LayerNorm(new int[] {6}, 1e-5, true, true, t).weight().dtype());
        // random weights (not the initial ones and zeros), so that the affine step is checked too
        LayerNorm ln = new LayerNorm(Prng.normal(Prng.key(4), new int[] {6}, t), Prng.normal(Prng.key(5), new int[] {6}, t), new int[] {6}, 1e-5);
        RMSNorm rms = new RMSNorm(ln.weight(), ln.bias(), new int[] {6}, 1e-5);
        for (Layer norm : List.<Layer>of(ln, rms)) {
            Array got = norm.apply(x);
            Array want = cast(norm, DType.FLOAT32).apply(x.astype(DType.FLOAT32)).astype(t);
            assertEquals(t, got.dtype());
            assertArrayEquals(want.toDoubleArray(), got.toDoubleArray(), 0.0, norm.getClass().getSimpleName());
        }
        GroupNorm gn = new GroupNorm(2, 4, 1e-5, true, t);
        Array x2 = input(t, 4, 3);
        Array got = gn.apply(x2);
        assertEquals(t, got.dtype());
        assertArrayEquals(cast(gn, DType.FLOAT32).apply(x2.astype(DType.FLOAT32)).astype(t).toDoubleArray(), got.toDoubleArray(), 0.0);
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"BFLOAT16", "FLOAT16"})
    void batchNormKeepsItsDtypeInOutputAndState(DType t) {
        var ms = Eqx.makeWithState(new BatchNorm(3, "batch", 1e-5, true, 0.9, false, t));
        var ms32 = Eqx.makeWithState(new BatchNorm(3, "batch", 1e-5, true, 0.9, false, DType.FLOAT32));
        Array xs = input(t, 8, 3);
        Array out = Jax.vmap((Array x) -> ms.model().apply(x, ms.state()).output(), 0, 0, "batch").apply(xs);
        Array want = Jax.vmap((Array x) -> ms32.model().apply(x, ms32.state()).output(), 0, 0, "batch")
                .apply(xs.astype(DType.FLOAT32));
        assertClose("BatchNorm", t, out, want, 8);
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"BFLOAT16", "FLOAT16"})
    void embeddingAttentionAndRecurrentCells(DType t) {
        Embedding e = new Embedding(6, 4, t, Prng.key(6));
        assertEquals(t, e.weight().dtype());
        Array row = e.apply(Array.scalar(-1));
        assertArrayEquals(Jnp.reshape(e.weight().get(5), 4).toDoubleArray(), row.toDoubleArray(), 0.0);
        assertEquals(t, row.dtype());

        MultiheadAttention mha = new MultiheadAttention(2, 8, null, null, null, null, null, false, false, false, false, 0,
                false, t, Prng.key(7));
        Array q = input(t, 3, 8);
        Array got = mha.apply(q, q, q, null);
        Array want = cast(mha, DType.FLOAT32).apply(q.astype(DType.FLOAT32), q.astype(DType.FLOAT32), q.astype(DType.FLOAT32), null);
        assertClose("MultiheadAttention", t, got, want, 16);
        // a row with every position masked: uniform weights (the lowest finite logit), not NaN
        Array mask = Jnp.astype(Jnp.zeros(DType.INT32, 3, 3), DType.BOOL);
        Array masked = mha.apply(q, q, q, mask);
        Array maskedWant = cast(mha, DType.FLOAT32).apply(q.astype(DType.FLOAT32), q.astype(DType.FLOAT32), q.astype(DType.FLOAT32), mask);
        assertClose("fully masked MultiheadAttention", t, masked, maskedWant, 16);

        LSTMCell cell = new LSTMCell(3, 5, true, t, Prng.key(8));
        Array h = cell.apply(input(t, 3), cell.initialState()).h();
        Array h32 = cast(cell, DType.FLOAT32).apply(input(t, 3).astype(DType.FLOAT32), cast(cell.initialState(), DType.FLOAT32)).h();
        assertClose("LSTMCell", t, h, h32, 12);
    }
}
