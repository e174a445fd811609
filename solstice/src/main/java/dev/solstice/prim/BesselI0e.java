package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.core.Interpreters;

/**
 * The exponentially scaled modified Bessel function of order 0, e^{-|x|} I0(x) (JAX's {@code lax.bessel_i0e});
 * derivative i1e(x) - sign(x) i0e(x).
 */
public record BesselI0e() implements ElementwiseUnary {
    @Override
    public double apply(double x) {
        return BesselFunctions.i0e(x);
    }

    @Override
    public Array tangent(Array g, Array x, Array y) {
        return Ops.mul(g, Ops.sub(Interpreters.bind1(new BesselI1e(), x), Ops.mul(Ops.sign(x), y)));
    }
}
