package dev.solstice.nn;

import dev.solstice.Array;
import dev.solstice.Jnp;
import dev.solstice.Prng;
import dev.solstice.tree.Tree;

/**
 * Dropout (Equinox's {@code eqx.nn.Dropout}): in training, each element is kept with probability
 * {@code 1 - p} and scaled by {@code 1 / (1 - p)} (a {@code bernoulli} mask from the key); in inference mode,
 * or with {@code p = 0}, the identity.
 *
 * {@snippet lang=java :
 * Dropout dropout = new Dropout(0.5);
 * Array y = dropout.apply(Jnp.ones(DType.FLOAT32, 1000), Prng.key(0));
 * y   // float32[1000]
 * Jnp.mean(y)   // 0.984
 * dropout.withInference(true).apply(Array.of(1f, 2f))   // Array(float32[2], [1.0, 2.0])
 * }
 *
 * @param p the probability of dropping an element, in [0, 1]
 * @param inference true to act as the identity
 */
public record Dropout(double p, boolean inference) implements Layer, HasInference {
    /** Checks {@code p}. */
    public Dropout {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("Dropout: p must be in [0, 1], got " + p);
        }
    }

    /** Training mode with drop probability {@code p}. */
    public Dropout(double p) {
        this(p, false);
    }

    /**
     * The same layer in or out of inference mode.
     *
     * {@snippet lang=java :
     * Dropout d = new Dropout(0.5).withInference(true);
     * d.apply(Array.of(1f, 2f))   // Array(float32[2], [1.0, 2.0])
     * }
     */
    public Dropout withInference(boolean value) {
        return new Dropout(p, value);
    }

    /**
     * Applies dropout without a key: only in inference mode (or with p = 0), where it is the identity.
     *
     * {@snippet lang=java :
     * new Dropout(0.5).withInference(true).apply(Array.of(1f, 2f))   // Array(float32[2], [1.0, 2.0])
     * new Dropout(0.5).apply(Array.of(1f, 2f))   // throws IllegalArgumentException
     * }
     */
    @Override
    public Array apply(Array x) {
        if (inference || p == 0) {
            return x;
        }
        throw new IllegalArgumentException("Dropout: in training mode it needs a key (apply(x, key)); or switch to"
                + " inference mode (withInference(true))");
    }

    /**
     * Applies dropout with a PRNG key: each element is zeroed with probability p and the rest scaled by 1 / (1 - p).
     *
     * {@snippet lang=java :
     * Array y = new Dropout(0.5).apply(Jnp.ones(DType.FLOAT32, 8), Prng.key(0));
     * y   // Array(float32[8], [0.0, 0.0, 2.0, 2.0, 0.0, 2.0, 2.0, 0.0])
     * }
     */
    @Override
    public Array apply(Array x, Array key) {
        if (inference || p == 0) {
            return x;
        }
        if (key == null) {
            return apply(x);
        }
        Keys.check("Dropout", key);
        double q = 1 - p;
        Array mask = Prng.bernoulli(key, q, x.shape());
        return Jnp.where(mask, Jnp.divide(x, q), Jnp.zerosLike(x));
    }

    /** Equinox's {@code tree_pformat} rendering ({@link Tree#pformat}): arrays as dtype and shape. */
    @Override
    public String toString() {
        return Tree.pformat(this);
    }
}
