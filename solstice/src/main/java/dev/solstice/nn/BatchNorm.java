package dev.solstice.nn;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jnp;
import dev.solstice.Lax;
import dev.solstice.tree.Tree;
import java.util.List;

/**
 * Batch normalisation (Equinox's {@code eqx.nn.BatchNorm}, its "legacy" mode) for one example
 * {@code [channels, ...]}: in training the mean and variance of each channel are taken over the example's
 * other axes and across the batch, that is the vmap axis named {@code axisName} (use
 * {@code Jax.vmap(f, inAxes, outAxes, axisName)}); the running statistics in the {@link State} are updated
 * as {@code momentum * running + (1 - momentum) * batch}. In inference mode the running statistics are used
 * and the state is unchanged. Build it with {@link dev.solstice.Eqx#makeWithState}.
 *
 * {@snippet lang=java :
 * var ms = Eqx.makeWithState(new BatchNorm(3, "batch"));
 * var bn = Jax.vmap((Array x) -> ms.model().apply(x, ms.state()).output(), 0, 0, "batch");
 * Array xs = Prng.normal(Prng.key(0), new int[] {8, 3}, DType.FLOAT32);
 * bn.apply(xs)   // float32[8,3]
 * Jnp.max(Jnp.abs(Jnp.mean(bn.apply(xs), 0))).item() < 1e-6   // true
 * }
 *
 * @param weight per-channel scale (ones), or null
 * @param bias per-channel shift (zeros), or null
 * @param stateIndex where the running mean and variance live
 * @param inputSize number of channels
 * @param axisName the vmap axis the batch statistics are taken over
 * @param eps added to the variance
 * @param momentum weight of the old running statistics
 * @param inference true to use the running statistics
 */
public record BatchNorm(Array weight, Array bias, StateIndex stateIndex, int inputSize, String axisName, double eps,
        double momentum, boolean inference) implements Stateful, HasInference {

    /** float32, affine, eps 1e-5, momentum 0.99, training mode. */
    public BatchNorm(int inputSize, String axisName) {
        this(inputSize, axisName, 1e-5, true, 0.99, false, DType.FLOAT32);
    }

    /** Every option. */
    public BatchNorm(int inputSize, String axisName, double eps, boolean channelwiseAffine, double momentum, boolean inference,
            DType dtype) {
        this(channelwiseAffine ? Jnp.ones(dtype, inputSize) : null, channelwiseAffine ? Jnp.zeros(dtype, inputSize) : null,
                StateIndex.of(List.of(Jnp.zeros(dtype, inputSize), Jnp.ones(dtype, inputSize))), positive(inputSize), axisName,
                eps, momentum, inference);
    }

    private static int positive(int n) {
        Keys.positive("BatchNorm", "inputSize", n);
        return n;
    }

    /**
     * The same layer in or out of inference mode.
     *
     * {@snippet lang=java :
     * var ms = Eqx.makeWithState(new BatchNorm(2, "batch").withInference(true));
     * ms.model().inference()   // true
     * ms.model().apply(Array.of(1f, 2f), ms.state()).output()   // Array(float32[2], [0.999995, 1.99999 ])
     * }
     */
    public BatchNorm withInference(boolean value) {
        return new BatchNorm(weight, bias, stateIndex, inputSize, axisName, eps, momentum, value);
    }

    /**
     * Applies the layer to one example (batch with {@code Jax.vmap}).
     *
     * {@snippet lang=java :
     * var ms = Eqx.makeWithState(new BatchNorm(3, "batch"));
     * var bn = Jax.vmap((Array x) -> ms.model().apply(x, ms.state()).output(), 0, 0, "batch");
     * Array xs = Prng.normal(Prng.key(0), new int[] {8, 3}, DType.FLOAT32);
     * bn.apply(xs)   // float32[8,3]
     * Jnp.max(Jnp.abs(Jnp.mean(bn.apply(xs), 0))).item() < 1e-6   // true
     * }
     */
    @Override
    public WithState apply(Array x, State state) {
        if (x.ndim() < 1 || x.shape()[0] != inputSize) {
            throw new IllegalArgumentException("BatchNorm: expected one example [" + inputSize + ", ...], got " + x.aval().str()
                    + " (batch it with Jax.vmap(f, inAxes, outAxes, \"" + axisName + "\"))");
        }
        List<Array> running = state.get(stateIndex);
        int[] rest = java.util.stream.IntStream.range(1, x.ndim()).toArray();
        Array mean;
        Array var;
        State next = state;
        if (inference) {
            mean = running.get(0);
            var = running.get(1);
        } else {
            Array m = rest.length == 0 ? x : Jnp.mean(x, rest, false);
            mean = Lax.pmean(m, axisName);
            Array centred = Jnp.subtract(x, Jnp.reshape(mean, channelShape(x)));
            Array v = rest.length == 0 ? Jnp.square(centred) : Jnp.mean(Jnp.square(centred), rest, false);
            var = Lax.pmean(v, axisName);
            Array newMean = Jnp.add(Jnp.multiply(running.get(0), momentum), Jnp.multiply(Lax.stopGradient(mean), 1 - momentum));
            Array newVar = Jnp.add(Jnp.multiply(running.get(1), momentum), Jnp.multiply(Lax.stopGradient(var), 1 - momentum));
            next = state.set(stateIndex, List.of(newMean, newVar));
        }
        int[] shape = channelShape(x);
        Array out = Jnp.multiply(Jnp.subtract(x, Jnp.reshape(mean, shape)), Jnp.reshape(Jnp.rsqrt(Jnp.add(var, eps)), shape));
        if (weight != null) {
            out = Jnp.add(Jnp.multiply(out, Jnp.reshape(weight, shape)), Jnp.reshape(bias, shape));
        }
        return new WithState(out, next);
    }

    private static int[] channelShape(Array x) {
        int[] s = new int[x.ndim()];
        java.util.Arrays.fill(s, 1);
        s[0] = x.shape()[0];
        return s;
    }

    /** Equinox's {@code tree_pformat} rendering ({@link Tree#pformat}): arrays as dtype and shape. */
    @Override
    public String toString() {
        return Tree.pformat(this);
    }
}
