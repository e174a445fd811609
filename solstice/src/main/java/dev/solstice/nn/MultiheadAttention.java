package dev.solstice.nn;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.Lax;
import dev.solstice.Nn;
import dev.solstice.Prng;
import dev.solstice.tree.Tree;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Multi-head attention (Equinox's {@code eqx.nn.MultiheadAttention}) of one example: the query, key and value
 * sequences are projected by {@link Linear} layers to {@code numHeads} heads of sizes {@code qkSize} (query,
 * key) and {@code voSize} (value); each head computes {@code softmax(Q K^T / sqrt(qkSize)) V}, with masked
 * logits replaced by the dtype's most negative finite value and dropout on the attention weights; the heads
 * are concatenated and projected by the output layer to {@code outputSize}.
 *
 * <p>Initialised as Equinox: {@code split(key, 4)} gives the keys of the query, key, value and output
 * projections, each an Equinox {@link Linear}. By default there are no biases, key and value sizes equal the
 * query size, {@code qkSize = voSize = querySize / numHeads} and {@code outputSize = querySize}. Dropout on the
 * weights takes the key given to {@code apply}, split into one key per head as Equinox does; in inference mode
 * (or with {@code dropoutP = 0}) no key is needed.
 *
 * <p>The canonical constructor does not check shapes (transformations rebuild layers with stacked leaves); the
 * size-based constructors do. Batch with {@code Jax.vmap}.
 *
 * {@snippet lang=java :
 * MultiheadAttention mha = new MultiheadAttention(2, 8, Prng.key(0));
 * Array q = Prng.normal(Prng.key(1), new int[] {5, 8}, DType.FLOAT32);
 * Array kv = Prng.normal(Prng.key(2), new int[] {7, 8}, DType.FLOAT32);
 * mha.apply(q, kv, kv)   // float32[5,8]
 * }
 *
 * @param queryProj {@code querySize -> numHeads * qkSize}
 * @param keyProj {@code keySize -> numHeads * qkSize}
 * @param valueProj {@code valueSize -> numHeads * voSize}
 * @param outputProj {@code numHeads * voSize -> outputSize}
 * @param dropout dropout on the attention weights
 * @param numHeads number of heads
 * @param querySize query input size
 * @param keySize key input size
 * @param valueSize value input size
 * @param outputSize output size
 * @param qkSize per-head size of queries and keys
 * @param voSize per-head size of values
 */
public record MultiheadAttention(Linear queryProj, Linear keyProj, Linear valueProj, Linear outputProj, Dropout dropout,
        int numHeads, int querySize, int keySize, int valueSize, int outputSize, int qkSize, int voSize) implements Module {

    /**
     * The projected heads, as given to and returned by a {@code processHeads} function (for example to apply
     * {@link RotaryPositionalEmbedding} to queries and keys).
     *
     * {@snippet lang=java :
     * MultiheadAttention mha = new MultiheadAttention(2, 8, Prng.key(0));
     * Array x = Jnp.ones(DType.FLOAT32, 5, 8);
     * int[] seen = new int[3];
     * mha.apply(x, x, x, null, null, h -> { seen[0] = h.query().shape()[1]; return h; });
     * seen[0]   // 2
     * }
     *
     * @param query {@code [qLen, numHeads, qkSize]}
     * @param key {@code [kvLen, numHeads, qkSize]}
     * @param value {@code [kvLen, numHeads, voSize]}
     */
    public record Heads(Array query, Array key, Array value) {}

    /** Equinox's defaults: float32, no biases, no dropout, all sizes from {@code querySize}. */
    public MultiheadAttention(int numHeads, int querySize, Array key) {
        this(numHeads, querySize, null, null, null, null, null, false, false, false, false, 0, false, DType.FLOAT32, key);
    }

    /**
     * Every option, as Equinox's constructor. A null size takes Equinox's default: key, value and output sizes
     * {@code querySize}, {@code qkSize} and {@code voSize} {@code querySize / numHeads}.
     */
    public MultiheadAttention(int numHeads, int querySize, Integer keySize, Integer valueSize, Integer outputSize,
            Integer qkSize, Integer voSize, boolean useQueryBias, boolean useKeyBias, boolean useValueBias,
            boolean useOutputBias, double dropoutP, boolean inference, DType dtype, Array key) {
        this(init(numHeads, querySize, keySize, valueSize, outputSize, qkSize, voSize, useQueryBias, useKeyBias, useValueBias,
                useOutputBias, dropoutP, inference, dtype, key));
    }

    private MultiheadAttention(MultiheadAttention m) {
        this(m.queryProj, m.keyProj, m.valueProj, m.outputProj, m.dropout, m.numHeads, m.querySize, m.keySize, m.valueSize,
                m.outputSize, m.qkSize, m.voSize);
    }

    private static int size(String what, Integer given, int dflt) {
        int v = given == null ? dflt : given;
        if (v <= 0) {
            throw new IllegalArgumentException("MultiheadAttention: " + what + " must be positive, got " + v
                    + (given == null ? " (its default, querySize / numHeads)" : ""));
        }
        return v;
    }

    private static MultiheadAttention init(int numHeads, int querySize, Integer keySize, Integer valueSize, Integer outputSize,
            Integer qkSize, Integer voSize, boolean qb, boolean kb, boolean vb, boolean ob, double dropoutP, boolean inference,
            DType dtype, Array key) {
        Keys.positive("MultiheadAttention", "numHeads", numHeads);
        Keys.positive("MultiheadAttention", "querySize", querySize);
        Keys.check("MultiheadAttention", key);
        if (dtype == null || !dtype.isFloating()) {
            throw new IllegalArgumentException("MultiheadAttention: the dtype must be floating, got " + dtype);
        }
        int ks = size("keySize", keySize, querySize);
        int vs = size("valueSize", valueSize, querySize);
        int os = size("outputSize", outputSize, querySize);
        int qk = size("qkSize", qkSize, querySize / numHeads);
        int vo = size("voSize", voSize, querySize / numHeads);
        Dropout dropout;
        try {
            dropout = new Dropout(dropoutP, inference);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("MultiheadAttention: dropoutP must be in [0, 1], got " + dropoutP, e);
        }
        Array[] k = Prng.split(key, 4);
        return new MultiheadAttention(new Linear(querySize, numHeads * qk, qb, dtype, k[0]),
                new Linear(ks, numHeads * qk, kb, dtype, k[1]), new Linear(vs, numHeads * vo, vb, dtype, k[2]),
                new Linear(numHeads * vo, os, ob, dtype, k[3]), dropout, numHeads, querySize, ks, vs, os, qk, vo);
    }

    /**
     * The same layer with dropout in or out of inference mode.
     *
     * {@snippet lang=java :
     * MultiheadAttention mha = new MultiheadAttention(2, 8, Prng.key(0)).withInference(true);
     * Array x = Jnp.ones(DType.FLOAT32, 5, 8);
     * mha.apply(x, x, x)   // float32[5,8]
     * }
     */
    public MultiheadAttention withInference(boolean value) {
        return new MultiheadAttention(queryProj, keyProj, valueProj, outputProj, dropout.withInference(value), numHeads,
                querySize, keySize, valueSize, outputSize, qkSize, voSize);
    }

    /**
     * Attention without mask; needs no key unless dropout is active.
     *
     * {@snippet lang=java :
     * MultiheadAttention mha = new MultiheadAttention(2, 8, Prng.key(0));
     * Array q = Jnp.ones(DType.FLOAT32, 5, 8);
     * Array kv = Jnp.ones(DType.FLOAT32, 7, 8);
     * mha.apply(q, kv, kv)   // float32[5,8]
     * }
     */
    public Array apply(Array query, Array key, Array value) {
        return apply(query, key, value, null, null, null);
    }

    /**
     * Attention with a boolean mask ({@code [qLen, kvLen]} or {@code [numHeads, qLen, kvLen]}; false hides), or null.
     *
     * {@snippet lang=java :
     * MultiheadAttention mha = new MultiheadAttention(2, 8, Prng.key(0));
     * Array x = Prng.normal(Prng.key(1), new int[] {4, 8}, DType.FLOAT32);
     * Array causal = Jnp.greaterEqual(Jnp.reshape(Jnp.arange(4), 4, 1), Jnp.arange(4));
     * mha.apply(x, x, x, causal)   // float32[4,8]
     * }
     */
    public Array apply(Array query, Array key, Array value, Array mask) {
        return apply(query, key, value, mask, null, null);
    }

    /**
     * Attention with an optional mask and a PRNG key for dropout (null when dropout is off).
     *
     * {@snippet lang=java :
     * MultiheadAttention mha = new MultiheadAttention(2, 8, Prng.key(0));
     * Array x = Jnp.ones(DType.FLOAT32, 4, 8);
     * mha.apply(x, x, x, null, null)   // float32[4,8]
     * }
     */
    public Array apply(Array query, Array key, Array value, Array mask, Array dropoutKey) {
        return apply(query, key, value, mask, dropoutKey, null);
    }

    /**
     * Attention with every argument.
     *
     * {@snippet lang=java :
     * MultiheadAttention mha = new MultiheadAttention(2, 8, Prng.key(0));
     * Array x = Prng.normal(Prng.key(1), new int[] {5, 8}, DType.FLOAT32);
     * UnaryOperator<MultiheadAttention.Heads> sharper = h -> new MultiheadAttention.Heads(h.query().mul(2.0), h.key(), h.value());
     * mha.apply(x, x, x, null, null, sharper)   // float32[5,8]
     * }
     *
     * @param query {@code [qLen, querySize]}
     * @param key {@code [kvLen, keySize]}
     * @param value {@code [kvLen, valueSize]}
     * @param mask null, or bool {@code [qLen, kvLen]} (all heads) or {@code [numHeads, qLen, kvLen]} (per head);
     *     false hides a key position from a query position
     * @param dropoutKey the PRNG key for dropout on the weights, split into one key per head; null when dropout
     *     is inactive
     * @param processHeads null, or a function applied to the projected heads before attention (it must keep
     *     their shapes)
     * @return {@code [qLen, outputSize]}
     */
    public Array apply(Array query, Array key, Array value, Array mask, Array dropoutKey, UnaryOperator<Heads> processHeads) {
        checkInput("query", query, querySize);
        checkInput("key", key, keySize);
        checkInput("value", value, valueSize);
        int qLen = query.shape()[0];
        int kvLen = key.shape()[0];
        if (value.shape()[0] != kvLen) {
            throw new IllegalArgumentException("MultiheadAttention: key and value must be sequences of one length, got "
                    + key.aval().str() + " and " + value.aval().str());
        }
        if (mask != null) {
            boolean shared = Arrays.equals(mask.shape(), new int[] {qLen, kvLen});
            boolean perHead = Arrays.equals(mask.shape(), new int[] {numHeads, qLen, kvLen});
            if (mask.dtype() != DType.BOOL || !(shared || perHead)) {
                throw new IllegalArgumentException("MultiheadAttention: the mask must be bool [" + qLen + ", " + kvLen + "] or ["
                        + numHeads + ", " + qLen + ", " + kvLen + "], got " + mask.aval().str());
            }
        }
        Heads h = new Heads(project(queryProj, query), project(keyProj, key), project(valueProj, value));
        if (processHeads != null) {
            Heads p = processHeads.apply(h);
            if (!Arrays.equals(p.query().shape(), h.query().shape()) || !Arrays.equals(p.key().shape(), h.key().shape())
                    || !Arrays.equals(p.value().shape(), h.value().shape())) {
                throw new IllegalArgumentException("MultiheadAttention: processHeads must not change the shapes of the heads");
            }
            h = p;
        }
        // [heads, len, size]
        Array q = Jnp.transpose(h.query(), 1, 0, 2);
        Array k = Jnp.transpose(h.key(), 1, 0, 2);
        Array v = Jnp.transpose(h.value(), 1, 0, 2);
        q = Jnp.divide(q, Math.sqrt(q.shape()[2]));
        Array logits = Lax.dotGeneral(q, k, new int[] {2}, new int[] {2}, new int[] {0}, new int[] {0});
        if (mask != null) {
            Array m = mask.ndim() == 2 ? Jnp.broadcastTo(mask, numHeads, qLen, kvLen) : mask;
            logits = Jnp.where(m, logits, -largestFinite(logits.dtype()));
        }
        // the softmax in at least float32, rounded back once (Equinox's attention weights do the same)
        DType wide = DType.promote(logits.dtype(), DType.FLOAT32);
        Array weights = Jnp.astype(Nn.softmax(Jnp.astype(logits, wide), -1), logits.dtype());
        if (!dropout.inference() && dropout.p() > 0) {
            if (dropoutKey == null) {
                throw new IllegalArgumentException("MultiheadAttention: dropout is active (p = " + dropout.p()
                        + "), so apply needs a key; or switch to inference mode (withInference(true))");
            }
            Keys.check("MultiheadAttention", dropoutKey);
            Array[] keys = Prng.split(dropoutKey, numHeads);
            List<Array> perHead = new ArrayList<>(numHeads);
            for (int i = 0; i < numHeads; i++) {
                Array wi = Lax.squeeze(Lax.slice(weights, new int[] {i, 0, 0}, new int[] {i + 1, qLen, kvLen},
                        new int[] {1, 1, 1}), 0);
                perHead.add(dropout.apply(wi, keys[i]));
            }
            weights = Jnp.stack(perHead, 0);
        }
        Array attn = Lax.dotGeneral(weights, v, new int[] {2}, new int[] {1}, new int[] {0}, new int[] {0});
        Array joined = Jnp.reshape(Jnp.transpose(attn, 1, 0, 2), qLen, numHeads * voSize);
        return Jax.vmap(outputProj::apply).apply(joined);
    }

    /**
     * The largest finite value of a floating dtype (JAX's {@code finfo(dtype).max}): masked logits take its
     * negative, finite, so that a row with every position masked gives uniform weights, not NaN.
     */
    static double largestFinite(DType t) {
        return switch (t) {
            case FLOAT16 -> 65504.0;
            case BFLOAT16 -> Math.scalb(2 - Math.scalb(1.0, -7), 127);
            case FLOAT32 -> Float.MAX_VALUE;
            default -> Double.MAX_VALUE;
        };
    }

    private Array project(Linear proj, Array x) {
        Array y = Jax.vmap(proj::apply).apply(x);
        return Jnp.reshape(y, x.shape()[0], numHeads, -1);
    }

    private static void checkInput(String what, Array x, int size) {
        if (x.ndim() != 2 || x.shape()[1] != size) {
            throw new IllegalArgumentException("MultiheadAttention: " + what + " must have shape [length, " + size + "], got "
                    + x.aval().str() + " (use Jax.vmap for batches)");
        }
    }

    /** Equinox's {@code tree_pformat} rendering ({@link Tree#pformat}): arrays as dtype and shape. */
    @Override
    public String toString() {
        return Tree.pformat(this);
    }
}
