package dev.solstice.nn;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jnp;
import java.util.Arrays;

/**
 * Layer normalisation over the whole example (Equinox's {@code eqx.nn.LayerNorm}):
 * {@code (x - mean) / sqrt(var + eps) * weight + bias}, weight initialised to ones and bias to zeros. As
 * Equinox's, it computes in at least float32 (a float16 or bfloat16 example, and the weights, are widened) and
 * returns the example's dtype (a floating example; an integer one gives the compute dtype).
 *
 * {@snippet lang=java :
 * LayerNorm norm = new LayerNorm(4);
 * norm.apply(Array.of(new float[] {1, 2, 3, 4}))   // Array(float32[4], [-1.3416355, -0.4472118,  0.4472118,  1.3416355])
 * }
 *
 * @param weight elementwise scale of the example's shape, or null
 * @param bias elementwise shift of the example's shape, or null
 * @param shape the example's shape
 * @param eps added to the variance
 */
public record LayerNorm(Array weight, Array bias, int[] shape, double eps) implements Layer {
    /** Copies the shape. */
    public LayerNorm {
        shape = shape.clone();
    }

    /** float32, with weight and bias, eps 1e-5. */
    public LayerNorm(int... shape) {
        this(shape, 1e-5, true, true, DType.FLOAT32);
    }

    /** Every option. */
    public LayerNorm(int[] shape, double eps, boolean useWeight, boolean useBias, DType dtype) {
        this(useWeight ? Jnp.ones(dtype, shape) : null, useBias ? Jnp.zeros(dtype, shape) : null, shape, eps);
    }

    /**
     * Applies the layer to one example (batch with {@code Jax.vmap}).
     *
     * {@snippet lang=java :
     * LayerNorm norm = new LayerNorm(4);
     * norm.apply(Array.of(new float[] {1, 2, 3, 4}))   // Array(float32[4], [-1.3416355, -0.4472118,  0.4472118,  1.3416355])
     * }
     */
    @Override
    public Array apply(Array x) {
        int[] all = Norms.exampleAxes("LayerNorm", x, shape);
        Array xw = Jnp.astype(x, Norms.computeDType(x));
        Array mean = Jnp.mean(xw, all, true);
        Array var = Jnp.var(xw, all, 0, true);
        Array out = Jnp.multiply(Jnp.subtract(xw, mean), Jnp.rsqrt(Jnp.add(var, eps)));
        return Norms.toInputDType(Norms.affine(out, weight, bias), x);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LayerNorm l && java.util.Objects.equals(l.weight, weight) && java.util.Objects.equals(l.bias, bias)
                && Arrays.equals(l.shape, shape) && l.eps == eps;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(shape) * 31 + Double.hashCode(eps);
    }

    @Override
    public String toString() {
        return "LayerNorm(shape=" + Arrays.toString(shape) + ", eps=" + eps + ")";
    }
}
