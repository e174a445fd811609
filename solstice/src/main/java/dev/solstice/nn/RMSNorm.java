package dev.solstice.nn;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jnp;
import java.util.Arrays;

/**
 * Root-mean-square normalisation over the whole example (Equinox's {@code eqx.nn.RMSNorm}):
 * {@code x / sqrt(mean(x^2) + eps) * weight + bias}, weight ones and bias zeros. As Equinox's, it computes
 * in at least float32 and returns the example's dtype (a floating example).
 *
 * {@snippet lang=java :
 * RMSNorm norm = new RMSNorm(2);
 * norm.apply(Array.of(new float[] {3, 4}))   // Array(float32[2], [0.8485278, 1.1313704])
 * }
 *
 * @param weight elementwise scale, or null
 * @param bias elementwise shift, or null
 * @param shape the example's shape
 * @param eps added to the mean square
 */
public record RMSNorm(Array weight, Array bias, int[] shape, double eps) implements Layer {
    /** Copies the shape. */
    public RMSNorm {
        shape = shape.clone();
    }

    /** float32, with weight and bias, eps 1e-5. */
    public RMSNorm(int... shape) {
        this(shape, 1e-5, true, true, DType.FLOAT32);
    }

    /** Every option. */
    public RMSNorm(int[] shape, double eps, boolean useWeight, boolean useBias, DType dtype) {
        this(useWeight ? Jnp.ones(dtype, shape) : null, useBias ? Jnp.zeros(dtype, shape) : null, shape, eps);
    }

    /**
     * Applies the layer to one example (batch with {@code Jax.vmap}).
     *
     * {@snippet lang=java :
     * RMSNorm norm = new RMSNorm(2);
     * norm.apply(Array.of(new float[] {3, 4}))   // Array(float32[2], [0.8485278, 1.1313704])
     * }
     */
    @Override
    public Array apply(Array x) {
        int[] all = Norms.exampleAxes("RMSNorm", x, shape);
        Array xw = Jnp.astype(x, Norms.computeDType(x));
        Array out = Jnp.multiply(xw, Jnp.rsqrt(Jnp.add(Jnp.mean(Jnp.square(xw), all, true), eps)));
        return Norms.toInputDType(Norms.affine(out, weight, bias), x);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RMSNorm l && java.util.Objects.equals(l.weight, weight) && java.util.Objects.equals(l.bias, bias)
                && Arrays.equals(l.shape, shape) && l.eps == eps;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(shape) * 31 + Double.hashCode(eps);
    }

    @Override
    public String toString() {
        return "RMSNorm(shape=" + Arrays.toString(shape) + ", eps=" + eps + ")";
    }
}
