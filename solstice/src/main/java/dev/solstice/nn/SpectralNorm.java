package dev.solstice.nn;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jnp;
import dev.solstice.Lax;
import dev.solstice.Prng;
import dev.solstice.tree.Tree;
import dev.solstice.tree.TreeAt;
import java.util.List;
import java.util.function.Function;

/**
 * Spectral normalisation (Equinox's {@code eqx.nn.SpectralNorm}): the wrapped layer's weight, seen as a
 * matrix {@code [out, rest]}, is divided by its largest singular value, estimated by power iteration on
 * vectors {@code u}, {@code v} kept in the {@link State} (drawn from {@code normal} with {@code split(key)}).
 * In training each call runs {@code numPowerIterations} steps (not differentiated) and updates the state; in
 * inference mode the stored vectors are used as they are.
 *
 * {@snippet lang=java :
 * var sn = new SpectralNorm<>(new Linear(4, 3, Prng.key(0)), Linear::weight, Prng.key(1));
 * var ms = Eqx.makeWithState(sn);
 * WithState out = ms.model().apply(Jnp.ones(DType.FLOAT32, 4), ms.state());
 * out.output()   // Array(float32[3], [-1.0952795 , -0.6406381 , -0.27117333])
 * }
 *
 * @param <L> the wrapped layer's type
 * @param layer the wrapped layer
 * @param weightOf picks the weight out of the layer (static)
 * @param stateIndex where {@code u} and {@code v} live
 * @param numPowerIterations power-iteration steps per call
 * @param eps added under the square root when normalising
 * @param inference true to leave the vectors unchanged
 */
public record SpectralNorm<L extends Layer>(L layer, Function<L, Array> weightOf, StateIndex stateIndex,
        int numPowerIterations, double eps, boolean inference) implements Stateful, HasInference {

    /** One power iteration per call, eps 1e-12, training mode. */
    public SpectralNorm(L layer, Function<L, Array> weightOf, Array key) {
        this(layer, weightOf, initState(layer, weightOf, key), 1, 1e-12, false);
    }

    private static <L extends Layer> StateIndex initState(L layer, Function<L, Array> weightOf, Array key) {
        Keys.check("SpectralNorm", key);
        Array w = weightOf.apply(layer);
        if (w.ndim() < 2) {
            throw new IllegalArgumentException("SpectralNorm: the weight must have at least 2 axes, got " + w.aval().str());
        }
        int out = w.shape()[0];
        int rest = w.size() / out;
        DType t = w.dtype();
        Array[] k = Prng.split(key, 2);
        return StateIndex.of(List.of(Prng.normal(k[0], new int[] {out}, t), Prng.normal(k[1], new int[] {rest}, t)));
    }

    /**
     * The same layer in or out of inference mode (in inference the power iteration does not advance).
     *
     * {@snippet lang=java :
     * var sn = new SpectralNorm<>(new Linear(4, 3, Prng.key(0)), Linear::weight, Prng.key(1)).withInference(true);
     * sn.inference()   // true
     * }
     */
    @Override
    public SpectralNorm<L> withInference(boolean value) {
        return new SpectralNorm<>(layer, weightOf, stateIndex, numPowerIterations, eps, value);
    }

    private Array normalise(Array x) {
        return Jnp.divide(x, Jnp.sqrt(Jnp.add(Jnp.sum(Jnp.square(x)), eps)));
    }

    /**
     * Applies the layer to one example (batch with {@code Jax.vmap}).
     *
     * {@snippet lang=java :
     * var sn = new SpectralNorm<>(new Linear(4, 3, Prng.key(0)), Linear::weight, Prng.key(1));
     * var ms = Eqx.makeWithState(sn);
     * WithState out = ms.model().apply(Jnp.ones(DType.FLOAT32, 4), ms.state());
     * out.output()   // Array(float32[3], [-1.0952795 , -0.6406381 , -0.27117333])
     * }
     */
    @Override
    public WithState apply(Array x, State state) {
        List<Array> uv = state.get(stateIndex);
        Array weight = weightOf.apply(layer);
        int out = weight.shape()[0];
        Array w = Jnp.reshape(weight, out, -1);
        Array u = uv.get(0);
        Array v = uv.get(1);
        State next = state;
        if (!inference) {
            Array ws = Lax.stopGradient(w);
            for (int i = 0; i < numPowerIterations; i++) {
                v = normalise(Jnp.matmul(Jnp.transpose(ws), u));
                u = normalise(Jnp.matmul(ws, v));
            }
            u = Lax.stopGradient(u);
            v = Lax.stopGradient(v);
            next = state.set(stateIndex, List.of(u, v));
        }
        Array sigma = Jnp.dot(u, Jnp.matmul(w, v));
        Layer scaled = TreeAt.replace(weightOf, layer, Jnp.divide(weight, sigma));
        return new WithState(scaled.apply(x), next);
    }

    /** Equinox's {@code tree_pformat} rendering ({@link Tree#pformat}): arrays as dtype and shape. */
    @Override
    public String toString() {
        return Tree.pformat(this);
    }
}
